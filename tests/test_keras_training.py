"""SpecificityLoss and Specificity inside model.fit, evaluate, and a .keras round trip."""

import keras
import numpy as np
import pytest
from sklearn.metrics import recall_score

from specificity import Specificity, SpecificityLoss


def sklearn_specificity(y_true, probability, threshold=0.5):
    # Specificity is the recall of the negative class.
    return recall_score(y_true, (probability > threshold).astype(int), pos_label=0)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(203, 4)).astype("float32")  # 203 = 29 * 7: batch size 16 leaves a partial batch
    y = (x[:, 0] + 0.5 * rng.normal(size=203) > 0.8).astype("float32")  # about one positive in four
    return x, y


def small_model(seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])


def test_fit_in_graph_mode_trains_and_logs_exact_epoch_specificity(data):
    x, y = data
    model = small_model()
    # Learning rate 0 freezes the weights, so the predictions behind the epoch's metric
    # are exactly model.predict's; the step still runs the loss and its gradient.
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=SpecificityLoss(), metrics=[Specificity()])
    assert not model.run_eagerly
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    probability = model.predict(x, batch_size=64, verbose=0)[:, 0]
    assert history.history["specificity"][0] == pytest.approx(sklearn_specificity(y, probability), abs=1e-6)


def test_fit_moves_weights_and_lowers_the_loss(data):
    x, y = data
    model = small_model()
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=SpecificityLoss(), metrics=[Specificity()])
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses))
    assert losses[-1] < losses[0]
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


def test_evaluate_reports_exact_specificity_over_uneven_batches(data):
    x, y = data
    model = small_model(seed=3)
    model.compile(loss=SpecificityLoss(), metrics=[Specificity(threshold=0.4)])
    result = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    probability = model.predict(x, verbose=0)[:, 0]
    assert result["specificity"] == pytest.approx(sklearn_specificity(y, probability, 0.4), abs=1e-6)
    # The soft loss is the mean predicted probability over the negatives, but evaluate
    # averages per-batch losses; only the metric is exact over the whole set.
    assert np.isfinite(result["loss"])


def test_sample_weight_enters_the_counts_in_fit(data):
    x, y = data
    weight = np.where(y == 0, 3.0, 1.0)
    model = small_model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=SpecificityLoss(), weighted_metrics=[Specificity()])
    history = model.fit(x, y, sample_weight=weight, batch_size=16, epochs=1, verbose=0)
    probability = model.predict(x, verbose=0)[:, 0]
    # Weighting all negatives equally leaves specificity unchanged.
    assert history.history["specificity"][0] == pytest.approx(sklearn_specificity(y, probability), abs=1e-6)


def test_keras_file_round_trip_without_custom_objects(data, tmp_path):
    x, y = data
    model = small_model()
    model.compile(optimizer="adam", loss=SpecificityLoss(from_logits=False, zero_division=0.5), metrics=[Specificity(threshold=0.3)])
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.models.load_model(path)  # no custom_objects
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert isinstance(restored.loss, SpecificityLoss)
    assert restored.loss.get_config() == model.loss.get_config()
    assert restored.loss.zero_division == 0.5
    restored_metrics = restored.evaluate(x, y, verbose=0, return_dict=True)
    original_metrics = model.evaluate(x, y, verbose=0, return_dict=True)
    assert restored_metrics["specificity"] == pytest.approx(original_metrics["specificity"])


def test_metric_config_round_trip():
    metric = Specificity(threshold=0.25, zero_division=0.0, name="tnr")
    clone = Specificity.from_config(metric.get_config())
    assert clone.get_config() == metric.get_config()
    assert keras.metrics.deserialize(keras.metrics.serialize(metric)).threshold == 0.25
    loss = SpecificityLoss(from_logits=True)
    assert keras.losses.deserialize(keras.losses.serialize(loss)).from_logits is True
