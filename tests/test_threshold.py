"""threshold_for_specificity: the smallest threshold that reaches a target specificity."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from specificity import confusion_counts, threshold_for_specificity

CASES = 300 if keras.backend.backend() == "tensorflow" else 30


def specificity_at(y_true, y_pred, threshold, weight=None):
    return float(confusion_counts(y_true, y_pred, threshold=threshold, sample_weight=weight, dtype="float64").specificity())


def test_by_hand_with_unequal_weights():
    # Negatives at 0.1 (w=1), 0.3 (w=3), 0.6 (w=1), 0.9 (w=1): total weight 6.
    y_true = [0, 0, 0, 0, 1, 1]
    y_pred = [0.1, 0.3, 0.6, 0.9, 0.5, 0.95]
    weight = [1.0, 3.0, 1.0, 1.0, 2.0, 2.0]
    # Covered weight up to each negative score: 1, 4, 5, 6 -> shares 1/6, 4/6, 5/6, 1.
    assert threshold_for_specificity(y_true, y_pred, 0.6, sample_weight=weight) == 0.3
    assert threshold_for_specificity(y_true, y_pred, 0.7, sample_weight=weight) == 0.6
    assert threshold_for_specificity(y_true, y_pred, 5 / 6, sample_weight=weight) == 0.6
    assert threshold_for_specificity(y_true, y_pred, 0.9, sample_weight=weight) == 0.9
    # Unweighted: shares 1/4, 2/4, 3/4, 1.
    assert threshold_for_specificity(y_true, y_pred, 0.5) == 0.3


def test_ties_are_covered_together():
    y_true = [0, 0, 0, 0, 1]
    y_pred = [0.2, 0.5, 0.5, 0.5, 0.7]
    # At 0.2 only one negative of four is covered; at 0.5 all of them.
    assert threshold_for_specificity(y_true, y_pred, 0.3) == 0.5
    assert specificity_at(y_true, y_pred, 0.5) == 1.0


def test_no_negatives_gives_zero():
    assert threshold_for_specificity([1, 1], [0.3, 0.8], 0.95) == 0.0


@pytest.mark.parametrize("target", [0, 1, 1.5, -0.1, float("nan"), "0.9", True])
def test_bad_target_raises(target):
    with pytest.raises(ValueError, match=r"`target` must be a number in \(0, 1\); received target="):
        threshold_for_specificity([0, 1], [0.2, 0.7], target)


def test_bad_labels_raise():
    with pytest.raises(ValueError, match=r"received y_true=0.5"):
        threshold_for_specificity([0, 0.5], [0.2, 0.7], 0.9)


@st.composite
def scored_rows(draw):
    size = draw(st.integers(2, 60))
    y_true = draw(hnp.arrays(np.int64, size, elements=st.integers(0, 1)))
    # Coarse scores make ties common.
    y_pred = draw(hnp.arrays(np.float32, size, elements=st.sampled_from(np.linspace(0, 1, 21, dtype=np.float32))))
    weight = draw(st.none() | hnp.arrays(np.float64, size, elements=st.floats(0.1, 5)))
    target = draw(st.floats(0.05, 0.99))
    return y_true, y_pred, weight, target


@settings(max_examples=CASES, deadline=None)
@given(scored_rows())
def test_threshold_reaches_the_target_and_no_smaller_one_does(rows):
    y_true, y_pred, weight, target = rows
    threshold = threshold_for_specificity(y_true, y_pred, target, sample_weight=weight)
    if not (y_true == 0).any():
        assert threshold == 0.0
        return
    assert specificity_at(y_true, y_pred, threshold, weight) >= target - 1e-9
    smaller = np.unique(y_pred[(y_true == 0) & (y_pred < threshold)])
    if smaller.size:
        # The largest negative score below the threshold is the best smaller candidate.
        assert specificity_at(y_true, y_pred, float(smaller[-1]), weight) < target
