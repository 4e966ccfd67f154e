"""Benchmark: maximise sensitivity subject to specificity >= target, side by side.

Methods, each followed by the same step (the threshold is chosen on validation rows with
`specificity.threshold_for_specificity` so that the target holds there):

- bce: binary cross-entropy;
- class_weighted_bce: cross-entropy with scikit-learn's "balanced" class weights;
- penalty: cross-entropy + lambda * (1 - soft specificity), lambda in {0.5, 2, 8} chosen
  per target by validation sensitivity;
- quantile: `specificity.QuantileSensitivityLoss(target)`, trained once per target.

Data sets: breast cancer and digits (8 against the rest), bundled with scikit-learn; the
linear problem of TFCO's recall example (1000 x 10 Gaussian features, 200 flipped
labels); global_objectives' 2-D mixture of four Gaussians (500 + 50 positives,
3000 + 100 negatives). Models: a linear model and a small MLP (16 ReLU units). Targets
0.90, 0.95, 0.99; 5 seeds; 60/20/20 train/validation/test splits.

A separate check re-creates TFCO's published recall benchmark (recall >= 0.9 on the
training data, linear model, Adagrad at learning rate 1.0, 1000 full-batch steps).

    python benchmarks/target_specificity.py            # full run, writes benchmarks/results/
    python benchmarks/target_specificity.py --quick    # one seed, two data sets, linear model
"""

import argparse
import json
import math
import os
import pathlib
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from scipy.special import expit  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import specificity  # noqa: E402

TARGETS = (0.90, 0.95, 0.99)
PENALTY_WEIGHTS = (0.5, 2.0, 8.0)
STEPS = 200  # optimiser steps per training run
BATCH = 256


def tfco_linear_problem(rng, size=1000, dimension=10, flipped=200):
    """TFCO's recall example, re-created from its description."""
    weights = rng.normal(size=dimension) / math.sqrt(dimension)
    features = rng.normal(size=(size, dimension))
    labels = (features @ weights > 0).astype("float32")
    flip = rng.choice(size, flipped, replace=False)
    labels[flip] = 1 - labels[flip]
    return features, labels


def four_gaussians(rng):
    """global_objectives' loss_layers_example.py mixture: centres, spreads and counts as published."""
    parts = [((0.0, -0.5), 0.15, 3000, 0), ((0.0, 1.0), 0.15, 500, 1), ((1.0, -0.5), 0.1, 50, 1), ((1.0, 1.0), 0.1, 100, 0)]
    features = np.concatenate([spread * rng.normal(size=(count, 2)) + np.array(centre) for centre, spread, count, _ in parts])
    labels = np.concatenate([np.full(count, label, dtype="float32") for _, _, count, label in parts])
    return features, labels


def load(name, seed):
    rng = np.random.default_rng(seed)
    if name == "breast_cancer":
        features, target = load_breast_cancer(return_X_y=True)
        return features, (target == 0).astype("float32")  # malignant = positive
    if name == "digits_8":
        features, target = load_digits(return_X_y=True)
        return features / 16.0, (target == 8).astype("float32")
    if name == "tfco_linear":
        return tfco_linear_problem(rng)
    if name == "four_gaussians":
        return four_gaussians(rng)
    raise ValueError(f"unknown data set {name!r}")


def split(features, labels, seed):
    rest_x, test_x, rest_y, test_y = train_test_split(features, labels, test_size=0.2, stratify=labels, random_state=seed)
    train_x, val_x, train_y, val_y = train_test_split(rest_x, rest_y, test_size=0.25, stratify=rest_y, random_state=seed)
    mean, scale = train_x.mean(axis=0), train_x.std(axis=0) + 1e-8
    scaled = [((x - mean) / scale).astype("float32") for x in (train_x, val_x, test_x)]
    return {"train": (scaled[0], train_y), "validation": (scaled[1], val_y), "test": (scaled[2], test_y)}


def model_of(kind, dimension):
    """Logit output: probabilities are taken in float64 afterwards, where they do not saturate."""
    hidden = [keras.layers.Dense(16, activation="relu")] if kind == "mlp" else []
    return keras.Sequential([keras.Input((dimension,)), *hidden, keras.layers.Dense(1)])


def probability_of(model, features):
    return expit(keras.ops.convert_to_numpy(model(features))[:, 0].astype(np.float64))


def train(kind, loss, data, seed, class_weight=None):
    """Train one model; returns validation and test probabilities and the seconds it took."""
    x, y = data["train"]
    keras.utils.set_random_seed(seed)
    model = model_of(kind, x.shape[1])
    model.compile(optimizer=keras.optimizers.Adam(0.05 if kind == "linear" else 0.01), loss=loss)
    # One long epoch over a repeated, reshuffled dataset: Keras's per-epoch overhead would
    # otherwise dominate on these small data sets.
    batches = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(y), seed=seed).repeat().batch(BATCH)
    start = time.perf_counter()
    model.fit(batches, steps_per_epoch=STEPS, epochs=1, class_weight=class_weight, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    probabilities = {part: probability_of(model, data[part][0]) for part in ("validation", "test")}
    return probabilities, seconds


def operating_point(target, data, probabilities):
    """Threshold from validation; specificity and sensitivity on validation and test."""
    threshold = specificity.threshold_for_specificity(data["validation"][1], probabilities["validation"], target)
    rates = {}
    for part in ("validation", "test"):
        counts = specificity.confusion_counts(data[part][1], probabilities[part], threshold=threshold)
        rates[part] = (float(counts.specificity()), float(counts.sensitivity()))
    return rates


def penalised(weight):
    cross_entropy, penalty = keras.losses.BinaryCrossentropy(from_logits=True), specificity.SpecificityLoss(from_logits=True)

    def loss(y_true, y_pred):
        return cross_entropy(y_true, y_pred) + weight * penalty(y_true, y_pred)

    return loss


def balanced_class_weight(labels):
    positives = labels.mean()
    return {0: 0.5 / (1 - positives), 1: 0.5 / positives}


def run_one(name, kind, seed, targets):
    """All methods on one data set, model and seed: {target: {method: record}}."""
    data = split(*load(name, seed), seed)
    trained = {
        "bce": train(kind, keras.losses.BinaryCrossentropy(from_logits=True), data, seed),
        "class_weighted_bce": train(
            kind, keras.losses.BinaryCrossentropy(from_logits=True), data, seed, balanced_class_weight(data["train"][1])
        ),
    }
    for weight in PENALTY_WEIGHTS:
        trained[f"penalty_{weight:g}"] = train(kind, penalised(weight), data, seed)
    results = {}
    for target in targets:
        quantile_loss = specificity.QuantileSensitivityLoss(target, from_logits=True)
        trained[f"quantile_{target}"] = train(kind, quantile_loss, data, seed)
        records = {}
        for method in ("bce", "class_weighted_bce"):
            records[method] = (operating_point(target, data, trained[method][0]), trained[method][1])
        # The penalty weight is a hyper-parameter: keep the one with the best validation sensitivity.
        options = [(operating_point(target, data, trained[f"penalty_{w:g}"][0]), trained[f"penalty_{w:g}"][1]) for w in PENALTY_WEIGHTS]
        best = max(range(len(options)), key=lambda i: options[i][0]["validation"][1])
        records["penalty"] = options[best]
        records["quantile"] = (operating_point(target, data, trained[f"quantile_{target}"][0]), trained[f"quantile_{target}"][1])
        results[target] = {
            method: {
                "test_specificity": rates["test"][0],
                "test_sensitivity": rates["test"][1],
                "train_seconds": seconds,
                **({"penalty_weight": PENALTY_WEIGHTS[best]} if method == "penalty" else {}),
            }
            for method, (rates, seconds) in records.items()
        }
    return results


def tfco_recall_check(seeds, steps):
    """TFCO's recall example: recall at the default threshold vs. trained for recall >= 0.9."""
    rows = []
    for seed in seeds:
        features, labels = tfco_linear_problem(np.random.default_rng(seed))
        features = features.astype("float32")
        outcome = {}
        for method in ("cross_entropy", "quantile"):
            keras.utils.set_random_seed(seed)
            model = model_of("linear", features.shape[1])
            if method == "cross_entropy":
                loss, fit_labels = keras.losses.BinaryCrossentropy(from_logits=True), labels
            else:
                # Recall >= 0.9 is specificity >= 0.9 of the flipped problem: train on
                # 1 - y, so the model's output is the probability of the *negative* class.
                loss, fit_labels = specificity.QuantileSensitivityLoss(0.9, from_logits=True), 1 - labels
            model.compile(optimizer=keras.optimizers.Adagrad(1.0), loss=loss)
            full_batch = tf.data.Dataset.from_tensors((features, fit_labels)).repeat()
            model.fit(full_batch, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)
            probability = probability_of(model, features)
            if method == "cross_entropy":
                counts = specificity.confusion_counts(labels, probability, threshold=0.5)
                outcome["recall_at_0.5"] = float(counts.sensitivity())
                threshold = specificity.threshold_for_specificity(1 - labels, 1 - probability, 0.9)
                counts = specificity.confusion_counts(1 - labels, 1 - probability, threshold=threshold)
                outcome["cross_entropy_recall_tuned"] = float(counts.specificity())
                outcome["cross_entropy_specificity_tuned"] = float(counts.sensitivity())
            else:
                threshold = specificity.threshold_for_specificity(1 - labels, probability, 0.9)
                counts = specificity.confusion_counts(1 - labels, probability, threshold=threshold)
                outcome["quantile_recall"] = float(counts.specificity())
                outcome["quantile_specificity"] = float(counts.sensitivity())
        rows.append(outcome)
    return {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}


def summarise(runs):
    """Mean over seeds for each data set, model, target and method."""
    table = []
    for (name, kind), by_seed in runs.items():
        for target in by_seed[0]:
            for method in by_seed[0][target]:
                records = [seed_result[target][method] for seed_result in by_seed]
                specificities = np.array([r["test_specificity"] for r in records])
                sensitivities = np.array([r["test_sensitivity"] for r in records])
                table.append({
                    "data": name,
                    "model": kind,
                    "target": target,
                    "method": method,
                    "specificity": float(specificities.mean()),
                    "shortfall": float(max(0.0, target - specificities.mean())),
                    "sensitivity": float(sensitivities.mean()),
                    "sensitivity_sd": float(sensitivities.std(ddof=1)) if len(records) > 1 else 0.0,
                    "train_seconds": float(np.mean([r["train_seconds"] for r in records])),
                })
    return table


def markdown(table, tfco, seeds):
    lines = [
        f"Held-out (test) results, mean over {len(seeds)} seeds; thresholds chosen on validation rows.",
        "",
        "| data | model | target | method | specificity | shortfall | sensitivity (mean ± sd) | train s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in table:
        lines.append(
            f"| {row['data']} | {row['model']} | {row['target']:.2f} | {row['method']} | {row['specificity']:.3f} | "
            f"{row['shortfall']:.3f} | {row['sensitivity']:.3f} ± {row['sensitivity_sd']:.3f} | {row['train_seconds']:.2f} |"
        )
    lines += ["", "TFCO recall check (training data, mean over seeds): " + ", ".join(f"{k} {v:.3f}" for k, v in tfco.items())]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, two data sets, the linear model, target 0.95")
    parser.add_argument("--output", default=str(pathlib.Path(__file__).with_name("results")), help="folder for the results")
    arguments = parser.parse_args()
    if arguments.quick:
        names, kinds, seeds, targets, tfco_seeds, tfco_steps = ["breast_cancer", "four_gaussians"], ["linear"], [0], (0.95,), [0], 200
    else:
        names, kinds, seeds, targets = ["breast_cancer", "digits_8", "tfco_linear", "four_gaussians"], ["linear", "mlp"], range(5), TARGETS
        tfco_seeds, tfco_steps = range(5), 1000
    start = time.perf_counter()
    runs = {(name, kind): [run_one(name, kind, seed, targets) for seed in seeds] for name in names for kind in kinds}
    table = summarise(runs)
    tfco = tfco_recall_check(tfco_seeds, tfco_steps)
    output = pathlib.Path(arguments.output)
    output.mkdir(parents=True, exist_ok=True)
    result = {"seeds": list(seeds), "targets": list(targets), "table": table, "tfco_recall_check": tfco,
              "total_seconds": time.perf_counter() - start, "quick": arguments.quick}
    (output / "target_specificity.json").write_text(json.dumps(result, indent=1) + "\n")
    (output / "target_specificity.md").write_text(markdown(table, tfco, seeds))
    print(markdown(table, tfco, seeds))
    print(f"total {result['total_seconds']:.0f} s")


if __name__ == "__main__":
    main()
