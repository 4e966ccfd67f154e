"""Bad input raises a ValueError naming the argument and value; degenerate batches stay finite."""

import math

import numpy as np
import pytest

from specificity import (
    Specificity,
    SpecificityLoss,
    confusion_counts,
    soft_confusion_counts,
    soft_specificity,
)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: soft_specificity([0, 1.5], [0.2, 0.3]), r"`y_true` must be finite and lie in \[0, 1\]; received y_true=1.5 at index \(1,\)"),
        (lambda: soft_specificity([0, -1], [0.2, 0.3]), r"received y_true=-1.0"),
        (lambda: confusion_counts([0, 0.5], [0.2, 0.3]), r"`y_true` must be exactly 0 or 1 for hard counts; received y_true=0.5"),
        (lambda: soft_specificity([0, 1], [0.2, 1.2]), r"`y_pred` must be finite and lie in \[0, 1\]; received y_pred=1.2"),
        (lambda: confusion_counts([0, 1], [-0.2, 0.3]), r"`y_pred` .* received y_pred=-0.2"),
        (lambda: soft_specificity([0, 1], [0.2, np.nan]), r"`y_pred` .* received y_pred=nan"),
        (lambda: soft_specificity([0, np.inf], [0.2, 0.3]), r"`y_true` .* received y_true=inf"),
        (lambda: soft_specificity([0, 1], [0.2, np.inf], from_logits=True), r"`y_pred` must be finite \(no NaN or Inf\); received y_pred=inf"),
        (lambda: soft_specificity([0, 1], [0.2, 0.3], sample_weight=[1, -2]), r"`sample_weight` must be finite and >= 0; received sample_weight=-2.0"),
        (lambda: soft_specificity([0, 1], [0.2, 0.3], sample_weight=[1, np.nan]), r"`sample_weight` .* received sample_weight=nan"),
        (lambda: soft_specificity([0, 1, 1], [0.2, 0.3]), r"y_true.shape=\(3,\) and y_pred.shape=\(2,\)"),
        (lambda: soft_specificity(np.zeros((4, 2)), np.zeros((4, 3))), r"y_true.shape=\(4, 2\) and y_pred.shape=\(4, 3\)"),
        (lambda: soft_specificity([0, 1], [0.2, 0.3], sample_weight=[1, 2, 3]), r"sample_weight.shape=\(3,\)"),
        (lambda: confusion_counts([0, 1], [0.2, 0.3], threshold=1.5), r"`threshold` must lie in \[0, 1\]; received threshold=1.5"),
        (lambda: confusion_counts([0, 1], [0.2, 0.3], threshold=-0.1), r"received threshold=-0.1"),
        (lambda: confusion_counts([0, 1], [0.2, 0.3], threshold=float("nan")), r"received threshold=nan"),
        (lambda: confusion_counts([0, 1], [0.2, 0.3], threshold="0.5"), r"`threshold` must be a number .* received threshold='0.5'"),
        (lambda: Specificity(threshold=2), r"received threshold=2"),
        (lambda: SpecificityLoss(from_logits="yes"), r"`from_logits` must be True or False; received from_logits='yes'"),
        (lambda: SpecificityLoss(zero_division=2.0), r"received zero_division=2.0"),
        (lambda: SpecificityLoss()([0, 2], [0.2, 0.3]), r"received y_true=2.0"),
        (lambda: Specificity().update_state([0, 0.3], [0.2, 0.3]), r"`y_true` must be exactly 0 or 1 .* received y_true=0.3"),
    ],
)
def test_bad_input_raises_value_error_naming_argument_and_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_validation_can_be_switched_off():
    # Soft labels outside [0, 1] are nonsense, but the caller asked for no checks.
    value = soft_specificity([0, 2.0], [0.2, 0.3], validate_args=False)
    assert math.isfinite(float(value))


@pytest.fixture
def loss_and_gradient(gradient):
    def compute(y_true, logits, **kwargs):
        loss = SpecificityLoss(from_logits=True, **kwargs)
        return gradient(lambda z: loss(y_true, z), np.asarray(logits, dtype=np.float32))

    return compute


@pytest.mark.parametrize(
    "y_true, logits",
    [
        ([1, 1, 1], [0.3, -2.0, 5.0]),  # all positive: no negatives at all
        ([1], [0.7]),  # a single positive
        (np.zeros((0,)), np.zeros((0,))),  # empty batch
        (np.ones((2, 3, 3, 1)), np.zeros((2, 3, 3, 1))),  # all-positive segmentation masks
    ],
)
def test_batches_without_negatives_give_finite_zero_loss_and_gradient(loss_and_gradient, y_true, logits):
    loss, gradient = loss_and_gradient(y_true, logits)
    assert loss == 0.0  # specificity defaults to 1 (zero_division) when there are no negatives
    assert np.all(np.isfinite(gradient))
    assert np.all(gradient == 0.0)


def test_zero_division_sets_the_value_for_no_negatives(loss_and_gradient):
    loss, gradient = loss_and_gradient([1, 1], [0.0, 1.0], zero_division=0.0)
    assert loss == 1.0
    assert np.all(gradient == 0.0)


def test_saturated_predictions_keep_finite_gradients(loss_and_gradient):
    loss, gradient = loss_and_gradient([0, 0, 1], [-200.0, 200.0, 200.0])
    assert math.isfinite(loss)
    assert np.all(np.isfinite(gradient))


def test_metric_with_no_negatives_reports_zero_division():
    metric = Specificity()
    metric.update_state([1, 1], [0.9, 0.1])
    assert float(metric.result()) == 1.0
    assert float(Specificity(zero_division=0.0).result()) == 0.0


def test_invalid_values_inside_a_traced_graph_poison_the_result_with_nan(traced):
    # Values are unknown while tracing, so no ValueError is possible; NaN is loud instead.
    compiled = traced(lambda y_true, y_pred: (soft_specificity(y_true, y_pred), confusion_counts(y_true, y_pred).tn))

    bad_label, _ = compiled(np.array([0.0, 1.5], "float32"), np.array([0.2, 0.3], "float32"))
    assert math.isnan(float(bad_label))
    _, soft_label_in_hard_counts = compiled(np.array([0.0, 0.5], "float32"), np.array([0.2, 0.3], "float32"))
    assert math.isnan(float(soft_label_in_hard_counts))
    good, good_tn = compiled(np.array([0.0, 1.0], "float32"), np.array([0.2, 0.3], "float32"))
    assert float(good) == pytest.approx(0.8)
    assert float(good_tn) == 1.0


def test_shape_mismatch_inside_a_traced_graph_still_raises(traced):
    compiled = traced(lambda y_true, y_pred: soft_specificity(y_true, y_pred))
    with pytest.raises(ValueError, match=r"y_true.shape=\(4, 2\) and y_pred.shape=\(4, 3\)"):
        compiled(np.zeros((4, 2), "float32"), np.zeros((4, 3), "float32"))


def test_soft_counts_inside_a_traced_graph_match_eager(traced):
    y_true, y_pred = np.array([0.0, 0.0, 1.0], "float32"), np.array([0.25, 0.5, 0.75], "float32")
    eager = [float(c) for c in soft_confusion_counts(y_true, y_pred)]
    compiled = traced(lambda t, p: tuple(soft_confusion_counts(t, p)))
    assert [float(c) for c in compiled(y_true, y_pred)] == eager
