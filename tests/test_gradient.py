"""The gradient of SpecificityLoss equals the analytic formula and finite differences."""

import numpy as np
import pytest

from specificity import SpecificityLoss

# Asymmetric: four negatives, two positives, unequal weights.
Y_TRUE = np.array([0, 0, 0, 0, 1, 1], dtype=np.float64)
PROBABILITY = np.array([0.1, 0.2, 0.6, 0.9, 0.3, 0.8])
WEIGHT = np.array([1.0, 2.0, 1.0, 3.0, 0.5, 2.0])


def analytic_probability_gradient(weight):
    # dL/dp_i = w_i (1 - y_i) / sum_j w_j (1 - y_j)
    return weight * (1 - Y_TRUE) / np.sum(weight * (1 - Y_TRUE))


def autodiff(gradient, loss, inputs, weight):
    return gradient(lambda x: loss(Y_TRUE, x, sample_weight=weight), inputs)[1]


def central_difference(loss, inputs, weight, step=1e-6):
    gradient = np.zeros_like(inputs)
    for i in range(len(inputs)):
        up, down = inputs.copy(), inputs.copy()
        up[i] += step
        down[i] -= step
        gradient[i] = (float(loss(Y_TRUE, up, sample_weight=weight)) - float(loss(Y_TRUE, down, sample_weight=weight))) / (2 * step)
    return gradient


@pytest.mark.parametrize("weight", [None, WEIGHT], ids=["unweighted", "weighted"])
def test_probability_gradient(gradient, weight):
    loss = SpecificityLoss(dtype="float64")
    expected = analytic_probability_gradient(np.ones(6) if weight is None else weight)
    assert expected[4:].tolist() == [0.0, 0.0]  # positives get no gradient
    np.testing.assert_allclose(autodiff(gradient, loss, PROBABILITY, weight), expected, rtol=1e-12)
    np.testing.assert_allclose(central_difference(loss, PROBABILITY, weight), expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("weight", [None, WEIGHT], ids=["unweighted", "weighted"])
def test_logit_gradient(gradient, weight):
    loss = SpecificityLoss(from_logits=True, dtype="float64")
    logits = np.log(PROBABILITY / (1 - PROBABILITY))
    # dL/dz_i = dL/dp_i * p_i (1 - p_i)
    expected = analytic_probability_gradient(np.ones(6) if weight is None else weight) * PROBABILITY * (1 - PROBABILITY)
    np.testing.assert_allclose(autodiff(gradient, loss, logits, weight), expected, rtol=1e-12)
    np.testing.assert_allclose(central_difference(loss, logits, weight), expected, rtol=1e-6, atol=1e-9)


def test_loss_value_is_mean_probability_over_negatives():
    loss = SpecificityLoss(dtype="float64")
    assert float(loss(Y_TRUE, PROBABILITY)) == pytest.approx(np.mean(PROBABILITY[:4]))
    assert float(loss(Y_TRUE, PROBABILITY, sample_weight=WEIGHT)) == pytest.approx(
        np.sum(WEIGHT[:4] * PROBABILITY[:4]) / np.sum(WEIGHT[:4])
    )
