"""One `fit` step on a fixed global batch under JAX, on one device and with DataParallel.

Run as a script (tests/test_distributed_jax.py does): XLA must be told to expose two CPU
devices before JAX is imported. Prints one JSON object.
"""

import json
import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2"

import keras  # noqa: E402
import numpy as np  # noqa: E402

import specificity  # noqa: E402

# The same batch as tests/mirrored_strategy_step.py: halves with 6 and 2 negatives.
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 5)).astype("float32")
Y = np.array([0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1], dtype="float32")


def one_step():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((5,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(1.0), loss=specificity.SpecificityLoss(), metrics=[specificity.Specificity()])
    before = np.concatenate([w.ravel() for w in model.get_weights()])
    history = model.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0).history
    after = np.concatenate([w.ravel() for w in model.get_weights()])
    probability = model.predict(X, verbose=0)[:, 0]
    evaluated = model.evaluate(X, Y, batch_size=16, verbose=0, return_dict=True)
    return {
        "weights": after.tolist(),
        "step_norm": float(np.linalg.norm(after - before)),
        "logged_loss": history["loss"][0],
        "evaluated_specificity": evaluated["specificity"],
        "probability": probability.tolist(),
    }


def main():
    devices = keras.distribution.list_devices("cpu")
    single = one_step()
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    parallel = one_step()
    print(json.dumps({"devices": len(devices), "single": single, "data_parallel": parallel, "labels": Y.tolist()}))


if __name__ == "__main__":
    main()
