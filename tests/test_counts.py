"""Hard and soft counts against scikit-learn and against hand-computed, asymmetric cases."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import confusion_matrix

from specificity import Counts, confusion_counts, soft_confusion_counts, soft_specificity

# More negatives than positives, unequal weights: every cell differs from every
# other, so swapping FP with FN (or TN with TP) cannot pass.
Y_TRUE = [0, 0, 0, 0, 1, 1]
Y_PRED = [0.1, 0.2, 0.6, 0.9, 0.3, 0.8]
WEIGHT = [1.0, 2.0, 1.0, 3.0, 0.5, 2.0]


def as_floats(counts):
    return [float(c) for c in counts]


def test_soft_counts_by_hand_unweighted():
    # tn = .9+.8+.4+.1, fp = .1+.2+.6+.9, fn = .7+.2, tp = .3+.8
    assert as_floats(soft_confusion_counts(Y_TRUE, Y_PRED)) == pytest.approx([2.2, 1.8, 0.9, 1.1])


def test_soft_counts_by_hand_weighted():
    # tn = 1(.9)+2(.8)+1(.4)+3(.1), fp = 1(.1)+2(.2)+1(.6)+3(.9), fn = .5(.7)+2(.2), tp = .5(.3)+2(.8)
    counts = soft_confusion_counts(Y_TRUE, Y_PRED, sample_weight=WEIGHT)
    assert as_floats(counts) == pytest.approx([3.2, 3.8, 0.75, 1.75])
    assert float(counts.specificity()) == pytest.approx(3.2 / 7.0)
    assert float(counts.sensitivity()) == pytest.approx(1.75 / 2.5)
    assert float(soft_specificity(Y_TRUE, Y_PRED, sample_weight=WEIGHT)) == pytest.approx(3.2 / 7.0)


def test_hard_counts_by_hand_weighted():
    # At 0.5: negatives 0.6 (w=1) and 0.9 (w=3) are false positives; positive 0.3 (w=.5) is missed.
    counts = confusion_counts(Y_TRUE, Y_PRED, sample_weight=WEIGHT)
    assert as_floats(counts) == pytest.approx([3.0, 4.0, 0.5, 2.0])
    assert isinstance(counts, Counts)
    assert counts._fields == ("tn", "fp", "fn", "tp")


def test_soft_counts_from_logits_match_probabilities():
    logits = np.log(np.array(Y_PRED) / (1 - np.array(Y_PRED)))
    from_logits = soft_confusion_counts(Y_TRUE, logits, from_logits=True, sample_weight=WEIGHT)
    assert as_floats(from_logits) == pytest.approx([3.2, 3.8, 0.75, 1.75], rel=1e-5)


def test_threshold_is_strictly_greater_than():
    # Keras's metrics call y_pred > threshold positive; a prediction equal to it is negative.
    counts = confusion_counts([0, 0, 1], [0.5, 0.50001, 0.5], threshold=0.5)
    assert as_floats(counts) == [1.0, 1.0, 1.0, 0.0]


def test_keras_column_shape_against_flat_labels():
    flat = as_floats(confusion_counts(Y_TRUE, Y_PRED, sample_weight=WEIGHT))
    column_pred = np.array(Y_PRED)[:, None]
    column_true = np.array(Y_TRUE)[:, None]
    assert as_floats(confusion_counts(Y_TRUE, column_pred, sample_weight=WEIGHT)) == flat
    assert as_floats(confusion_counts(column_true, Y_PRED, sample_weight=np.array(WEIGHT)[:, None])) == flat


def test_per_sample_weight_spreads_over_every_pixel():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, size=(3, 4, 5))
    y_pred = rng.random((3, 4, 5))
    weight = np.array([1.0, 0.0, 2.5])
    per_pixel = np.broadcast_to(weight[:, None, None], y_true.shape)
    expected = confusion_matrix(y_true.ravel(), (y_pred > 0.5).ravel(), labels=[0, 1], sample_weight=per_pixel.ravel())
    assert as_floats(confusion_counts(y_true, y_pred, sample_weight=weight)) == pytest.approx(expected.ravel())


# The TensorFlow run (the book's backend) draws 1,400 random cases. JAX compiles every
# new input shape, which makes each case ~50x slower there, so the other backends run the
# same properties on fewer cases.
MANY = 500 if keras.backend.backend() == "tensorflow" else 40
SOME = 200 if keras.backend.backend() == "tensorflow" else 20

# Random arrays of rank 1 to 5 with at most a few hundred elements.
shapes = hnp.array_shapes(min_dims=1, max_dims=5, min_side=1, max_side=6)


@st.composite
def labelled_batches(draw, weighted):
    shape = draw(shapes)
    y_true = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 1)))
    # TensorFlow's CPU kernels flush subnormal floats to zero, so 1e-45 > 0 is False
    # there and True in numpy; no real prediction lives down there.
    y_pred = draw(hnp.arrays(np.float32, shape, elements=st.floats(0, 1, width=32, allow_subnormal=False)))
    threshold = draw(st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
    weight = None
    if weighted:
        # Per-sample weights along the first axis, as Keras passes them.
        weight = draw(hnp.arrays(np.float64, shape[:1], elements=st.floats(0, 10, width=32)))
    return y_true, y_pred, threshold, weight


def sklearn_counts(y_true, y_pred, threshold, weight):
    per_element = None
    if weight is not None:
        per_element = np.broadcast_to(weight.reshape(weight.shape + (1,) * (y_true.ndim - 1)), y_true.shape).ravel()
    matrix = confusion_matrix(
        y_true.ravel(), (y_pred > threshold).ravel().astype(int), labels=[0, 1], sample_weight=per_element
    )
    return matrix.ravel()


@settings(max_examples=MANY, deadline=None)
@given(labelled_batches(weighted=False))
def test_hard_counts_equal_sklearn(batch):
    y_true, y_pred, threshold, _ = batch
    assert as_floats(confusion_counts(y_true, y_pred, threshold)) == list(sklearn_counts(y_true, y_pred, threshold, None))


@settings(max_examples=MANY, deadline=None)
@given(labelled_batches(weighted=True))
def test_weighted_hard_counts_equal_sklearn(batch):
    y_true, y_pred, threshold, weight = batch
    # scikit-learn refuses weights that are all zero; every count is then zero.
    expected = sklearn_counts(y_true, y_pred, threshold, weight) if weight.sum() > 0 else [0, 0, 0, 0]
    # float64 counts: this checks the arithmetic, not float32 round-off in long sums.
    got = as_floats(confusion_counts(y_true, y_pred, threshold, sample_weight=weight, dtype="float64"))
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=SOME, deadline=None)
@given(labelled_batches(weighted=True))
def test_soft_counts_equal_formulas(batch):
    y_true, y_pred, _, weight = batch
    w = np.ones(y_true.shape) if weight is None else weight.reshape(weight.shape + (1,) * (y_true.ndim - 1))
    y, p = y_true.astype(np.float64), y_pred.astype(np.float64)
    expected = [
        np.sum(w * (1 - y) * (1 - p)),
        np.sum(w * (1 - y) * p),
        np.sum(w * y * (1 - p)),
        np.sum(w * y * p),
    ]
    got = as_floats(soft_confusion_counts(y_true, y_pred, sample_weight=weight))
    assert got == pytest.approx(expected, rel=1e-4, abs=1e-3)


@settings(max_examples=SOME, deadline=None)
@given(labelled_batches(weighted=True))
def test_soft_equals_hard_on_zero_one_predictions(batch):
    y_true, y_pred, _, weight = batch
    hard_predictions = (y_pred > 0.5).astype(np.float32)
    soft = soft_confusion_counts(y_true, hard_predictions, sample_weight=weight)
    hard = confusion_counts(y_true, y_pred, 0.5, sample_weight=weight)
    assert as_floats(soft) == pytest.approx(as_floats(hard), rel=1e-6)
    assert float(soft.specificity()) == pytest.approx(float(hard.specificity()), rel=1e-6)
