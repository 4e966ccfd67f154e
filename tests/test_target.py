"""QuantileSensitivityLoss: the quantile threshold, its gradient, edge cases, and training."""

import keras
import numpy as np
import pytest

from specificity import QuantileSensitivityLoss, confusion_counts, threshold_for_specificity
from specificity.target import _negative_quantile

# Asymmetric: five negatives, two positives.
Y_TRUE = np.array([0, 0, 0, 0, 0, 1, 1], dtype="float64")
LOGITS = np.array([-2.0, -1.0, 0.5, 3.0, 1.5, 1.0, -1.5])


@pytest.mark.parametrize(
    "target, expected",
    [
        (0.8, 1.5),  # at most floor(0.2 * 5) = 1 negative above: the 2nd largest, 1.5
        (0.6, 0.5),  # at most 2 above: the 3rd largest
        (0.5, 0.5),  # floor(2.5) = 2 above
        (0.99, 3.0),  # none above: the largest negative
        (0.05, -2.0),  # 4 above: the smallest negative
    ],
)
def test_quantile_by_hand(target, expected):
    threshold, negatives = _negative_quantile(keras.ops.convert_to_tensor(LOGITS), keras.ops.convert_to_tensor(1 - Y_TRUE), target)
    assert float(threshold) == expected
    assert int(negatives) == 5


def test_loss_value_by_hand():
    loss = QuantileSensitivityLoss(target=0.8, from_logits=True, cross_entropy_weight=0.0, dtype="float64")
    # q = 1.5; positives at 1.0 and -1.5: mean of softplus(0.5) and softplus(3.0).
    expected = (np.log1p(np.exp(0.5)) + np.log1p(np.exp(3.0))) / 2
    assert float(loss(Y_TRUE, LOGITS)) == pytest.approx(expected, rel=1e-12)


def test_gradient_lifts_positives_and_lowers_the_quantile_negative(gradient):
    loss = QuantileSensitivityLoss(target=0.8, from_logits=True, cross_entropy_weight=0.0, dtype="float64")
    _, grad = gradient(lambda z: loss(Y_TRUE, z), LOGITS)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    # d/dz_i softplus(q - z_i) / 2 = -sigmoid(q - z_i) / 2 for positives; the quantile
    # negative (logit 1.5) receives the sum of the positives' sigmoids / 2.
    expected = np.zeros(7)
    expected[5] = -sigmoid(1.5 - 1.0) / 2
    expected[6] = -sigmoid(1.5 + 1.5) / 2
    expected[4] = -(expected[5] + expected[6])
    np.testing.assert_allclose(grad, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("y_true", [np.zeros(4), np.ones(4), np.zeros(0)], ids=["no positives", "no negatives", "empty"])
def test_degenerate_batches_are_finite(gradient, y_true):
    loss = QuantileSensitivityLoss(target=0.9, from_logits=True)
    value, grad = gradient(lambda z: loss(y_true, z), np.linspace(-1, 1, len(y_true)))
    assert np.isfinite(value) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("target", [0, 1, 1.2, -0.5, "0.9", True, None])
def test_bad_target_raises(target):
    with pytest.raises(ValueError, match=r"`target` must be a number in \(0, 1\); received target="):
        QuantileSensitivityLoss(target=target)


def test_bad_cross_entropy_weight_raises():
    with pytest.raises(ValueError, match=r"received cross_entropy_weight=-1"):
        QuantileSensitivityLoss(target=0.9, cross_entropy_weight=-1)


def test_config_round_trip():
    loss = QuantileSensitivityLoss(target=0.95, from_logits=True, cross_entropy_weight=0.5)
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(clone, QuantileSensitivityLoss) and clone.get_config() == loss.get_config()


def test_constraint_is_met_on_the_training_data_of_a_separable_problem():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-2, 0.5, size=(150, 2)), rng.normal(2, 0.5, size=(50, 2))]).astype("float32")
    y = np.r_[np.zeros(150), np.ones(50)].astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=QuantileSensitivityLoss(target=0.95))
    model.fit(x, y, epochs=30, batch_size=64, verbose=0)
    probability = keras.ops.convert_to_numpy(model(x))[:, 0]
    threshold = threshold_for_specificity(y, probability, 0.95)
    counts = confusion_counts(y, probability, threshold=threshold)
    assert float(counts.specificity()) >= 0.95
    assert float(counts.sensitivity()) == 1.0  # separable: every positive above the threshold
