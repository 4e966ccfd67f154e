r"""Confusion counts, specificity as a differentiable loss, and an exact streaming metric.

This one file is the reference implementation: it needs only ``numpy`` and Keras 3,
and every tensor operation is a ``keras.ops`` call, so it runs on the TensorFlow,
JAX and PyTorch backends alike. Copy it into your project if you like.

For a binary problem with labels :math:`y_i \in \{0, 1\}`, predicted probabilities
:math:`p_i \in [0, 1]` and sample weights :math:`w_i \ge 0`, the hard counts are

.. math::

    \mathrm{TN} = \sum_i w_i (1 - y_i)\,[p_i \le t], \qquad
    \mathrm{FP} = \sum_i w_i (1 - y_i)\,[p_i > t],

and the *soft* (expected) counts replace the indicator :math:`[p_i > t]` by
:math:`p_i` itself:

.. math::

    \widetilde{\mathrm{TN}} = \sum_i w_i (1 - y_i)(1 - p_i), \qquad
    \widetilde{\mathrm{FP}} = \sum_i w_i (1 - y_i)\, p_i .

Specificity is :math:`\mathrm{TN} / (\mathrm{TN} + \mathrm{FP})`. The soft version is
differentiable in :math:`p`; the hard version has a zero gradient almost everywhere.

Layout, from the bottom up:

1. validation (``_validated``), kept apart from the arithmetic and switchable off;
2. one reducer (``_reduce_counts``) shared by the hard and soft counts;
3. one safe-divide helper (``_safe_divide``) for every ratio;
4. the public functions, then the ``Loss`` and ``Metric`` classes.
"""

import collections
import functools
import numbers
import warnings

import keras
import numpy as np
from keras import ops

__all__ = [
    "Counts",
    "confusion_counts",
    "soft_confusion_counts",
    "soft_specificity",
    "threshold_for_specificity",
    "SpecificityLoss",
    "Specificity",
]


# ---------------------------------------------------------------------------
# Validation. Values are checked only when they are known, that is in eager
# mode. Inside a traced graph (``model.fit``'s default, ``tf.function``,
# ``jax.jit``) a Python exception cannot depend on tensor values, so the same
# conditions instead turn the result into NaN: training then logs ``loss: nan``
# (and ``keras.callbacks.TerminateOnNaN`` stops it) instead of silently learning
# from garbage.
# ---------------------------------------------------------------------------


def _outside_unit_interval(x):
    # NaN fails both comparisons, so test finiteness explicitly.
    return ops.logical_or(ops.logical_not(ops.isfinite(x)), ops.logical_or(x < 0, x > 1))


def _not_zero_or_one(x):
    return ops.logical_and(ops.not_equal(x, 0), ops.not_equal(x, 1))


def _not_finite(x):
    return ops.logical_not(ops.isfinite(x))


def _negative_or_not_finite(x):
    return ops.logical_or(ops.logical_not(ops.isfinite(x)), x < 0)


_RULES = {
    _outside_unit_interval: "must be finite and lie in [0, 1]",
    _not_zero_or_one: "must be exactly 0 or 1 for hard counts",
    _not_finite: "must be finite (no NaN or Inf)",
    _negative_or_not_finite: "must be finite and >= 0",
}


def _concrete(x):
    """``x`` as a numpy array when its values are known, or ``None`` while tracing."""
    if isinstance(x, keras.KerasTensor):
        return None
    try:
        with warnings.catch_warnings():
            # numpy 2 warns about the copy keyword before TensorFlow refuses a symbolic tensor.
            warnings.simplefilter("ignore", DeprecationWarning)
            return np.asarray(ops.convert_to_numpy(x))
    except (NotImplementedError, TypeError):
        # A symbolic tf.Tensor raises NotImplementedError; a JAX tracer raises
        # TracerArrayConversionError, a TypeError.
        return None


def _describe(array):
    return f"shape={tuple(array.shape)}"


def _validated(checks):
    """Apply ``checks``, a list of ``(name, tensor, rule)``.

    Raises ``ValueError`` for the first violation found in a concrete tensor, and
    returns a scalar boolean tensor that is true when a traced tensor violates its
    rule (``None`` when nothing was traced).
    """
    traced_flags = []
    for name, tensor, rule in checks:
        violations = rule(tensor)
        known = _concrete(violations)
        if known is None:
            traced_flags.append(ops.any(violations))
        elif known.any():
            index = tuple(int(i) for i in np.argwhere(known)[0])
            value = _concrete(tensor)[index].item()
            where = f" at index {index}" if index else ""
            raise ValueError(
                f"`{name}` {_RULES[rule]}; received {name}={value!r}{where} "
                f"({name} has {_describe(known)})."
            )
    if not traced_flags:
        return None
    return functools.reduce(ops.logical_or, traced_flags)


def _check_number(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"`{name}` must be a number in [{low}, {high}]; received {name}={value!r}.")
    if not low <= value <= high:  # also rejects NaN
        raise ValueError(f"`{name}` must lie in [{low}, {high}]; received {name}={value!r}.")
    return float(value)


def _check_target(target):
    """A target rate strictly inside (0, 1): 0 and 1 are trivial or unreachable."""
    if isinstance(target, bool) or not isinstance(target, numbers.Real) or not 0 < target < 1:
        raise ValueError(f"`target` must be a number in (0, 1); received target={target!r}.")
    return float(target)


def _check_flag(name, value):
    if not isinstance(value, bool):
        raise ValueError(f"`{name}` must be True or False; received {name}={value!r}.")
    return value


def _aligned(y_true, y_pred):
    """Equal shapes, or Keras's usual ``(N,)`` against ``(N, 1)``, made equal."""
    if len(y_true.shape) == len(y_pred.shape) + 1 and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, axis=-1)
    elif len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1:
        y_pred = ops.squeeze(y_pred, axis=-1)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    # ``None`` is a dimension unknown while tracing (usually the batch); it cannot be
    # compared until run time, where the element-wise arithmetic checks it anyway.
    if len(true_shape) != len(pred_shape) or any(
        a is not None and b is not None and a != b for a, b in zip(true_shape, pred_shape)
    ):
        raise ValueError(
            "`y_true` and `y_pred` must have the same shape (or (N,) against (N, 1)); "
            f"received y_true.shape={true_shape} and y_pred.shape={pred_shape}."
        )
    return y_true, y_pred


def _broadcast_weight(sample_weight, y_true, dtype):
    """Per-sample weights of shape ``(N,)`` (or ``(N, 1)``, ...) spread over every element."""
    weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    target = tuple(y_true.shape)
    while len(weight.shape) > len(target) and weight.shape[-1] == 1:
        weight = ops.squeeze(weight, axis=-1)
    shape = tuple(weight.shape)
    fits = len(shape) <= len(target) and all(
        a is None or b is None or a == b or a == 1 for a, b in zip(shape, target)
    )
    if not fits:
        raise ValueError(
            "`sample_weight` must have shape (N,) or the shape of `y_true`; "
            f"received sample_weight.shape={shape} for y_true.shape={target}."
        )
    while len(weight.shape) < len(target):
        weight = ops.expand_dims(weight, axis=-1)
    return ops.broadcast_to(weight, ops.shape(y_true))


def _prepare(y_true, y_pred, sample_weight, *, hard, from_logits, validate_args, dtype):
    """Convert and check the inputs. Returns tensors plus a traced invalid flag (or None)."""
    y_true = ops.convert_to_tensor(y_true, dtype=dtype)
    y_pred = ops.convert_to_tensor(y_pred, dtype=dtype)
    y_true, y_pred = _aligned(y_true, y_pred)
    weight = None if sample_weight is None else _broadcast_weight(sample_weight, y_true, dtype)
    if not validate_args:
        return y_true, y_pred, weight, None
    checks = [
        ("y_true", y_true, _not_zero_or_one if hard else _outside_unit_interval),
        ("y_pred", y_pred, _not_finite if from_logits else _outside_unit_interval),
    ]
    if weight is not None:
        checks.append(("sample_weight", weight, _negative_or_not_finite))
    return y_true, y_pred, weight, _validated(checks)


# ---------------------------------------------------------------------------
# Arithmetic.
# ---------------------------------------------------------------------------


class Counts(collections.namedtuple("Counts", ["tn", "fp", "fn", "tp"])):
    r"""The four cells of a binary confusion matrix, as scalar tensors.

    The order ``(tn, fp, fn, tp)`` is that of
    ``sklearn.metrics.confusion_matrix(y_true, y_pred).ravel()``.
    """

    __slots__ = ()

    def specificity(self, zero_division=1.0):
        r"""True negative rate :math:`\mathrm{TN} / (\mathrm{TN} + \mathrm{FP})`."""
        return _safe_divide(self.tn, self.tn + self.fp, zero_division)

    def sensitivity(self, zero_division=1.0):
        r"""True positive rate (recall) :math:`\mathrm{TP} / (\mathrm{TP} + \mathrm{FN})`."""
        return _safe_divide(self.tp, self.tp + self.fn, zero_division)


def _reduce_counts(y_true, predicted_positive, weight):
    """Sum the four cells. ``predicted_positive`` is 0/1 for hard counts, p for soft ones."""
    actual_negative = 1 - y_true
    actual_positive = y_true
    if weight is not None:
        actual_negative = actual_negative * weight
        actual_positive = actual_positive * weight
    predicted_negative = 1 - predicted_positive
    return Counts(
        tn=ops.sum(actual_negative * predicted_negative),
        fp=ops.sum(actual_negative * predicted_positive),
        fn=ops.sum(actual_positive * predicted_negative),
        tp=ops.sum(actual_positive * predicted_positive),
    )


def _poisoned(counts, invalid):
    """Replace every count by NaN when a traced input was invalid (see the top of the file)."""
    if invalid is None:
        return counts
    return Counts(*(ops.where(invalid, float("nan"), count) for count in counts))


def _safe_divide(numerator, denominator, zero_division):
    """``numerator / denominator``, or ``zero_division`` where the denominator is 0.

    The denominator is replaced by 1 *before* dividing, so that neither the value
    nor the gradient of the unused branch can be NaN or Inf.
    """
    is_zero = ops.equal(denominator, 0)
    safe_denominator = ops.where(is_zero, ops.ones_like(denominator), denominator)
    return ops.where(is_zero, ops.cast(zero_division, numerator.dtype), numerator / safe_denominator)


def _floatx(dtype):
    return dtype or keras.backend.floatx()


# ---------------------------------------------------------------------------
# Distribution. The only backend-specific code in this file.
#
# Under tf.distribute (MirroredStrategy, MultiWorkerMirroredStrategy) each replica
# runs the loss on its own slice of the global batch, and Keras *sums* the replicas'
# gradients; a loss of shape () is not rescaled. A ratio taken per replica is then
# wrong twice over. Since 1 - soft specificity = sum_i w_i (1 - y_i) p_i / N_- is
# linear in the predictions, it is exact for each replica to return its own
# numerator over the *global* N_-: the replicas' values and gradients then add up to
# the global ones. Only N_-, a label count without gradient, crosses replicas.
# JAX's keras.distribution.DataParallel hands the loss the global batch, and the
# PyTorch backend runs on one device, so nothing is needed there.
# ---------------------------------------------------------------------------


def _replica_context():
    """The tf.distribute replica context when more than one replica is in sync, else None."""
    if keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return None
    return context


def _sum_over_replicas(value):
    """Sum ``value`` over tf.distribute replicas (identity on one replica or another backend)."""
    context = _replica_context()
    if context is None:
        return value
    import tensorflow as tf

    value = ops.stop_gradient(value)  # a label count: nothing to differentiate
    strategy = tf.distribute.get_strategy()
    if isinstance(strategy, tf.distribute.MirroredStrategy):
        # One machine: add the replicas' values with plain copies rather than a
        # collective op. Collective ops are matched across devices by instance keys
        # that TensorFlow numbers per process; an extra collective in the loss shifts
        # that numbering, and a later strategy in the same process (a notebook that
        # compares two losses, a test suite) then pairs a gradient all-reduce with a
        # stale one and aborts with "Shape mismatch in the collective instance".
        add = tf.distribute.ReductionToOneDevice()
        return context.merge_call(lambda _, v: add.reduce(tf.distribute.ReduceOp.SUM, v, destinations=v), args=(value,))
    # Several machines (MultiWorkerMirroredStrategy) need the collective all-reduce.
    return context.all_reduce(tf.distribute.ReduceOp.SUM, value)


def _replica_count():
    context = _replica_context()
    return 1 if context is None else context.num_replicas_in_sync


# ---------------------------------------------------------------------------
# Public functions.
# ---------------------------------------------------------------------------


def confusion_counts(y_true, y_pred, threshold=0.5, sample_weight=None, *, validate_args=True, dtype=None):
    r"""Hard confusion counts, for evaluation only: they have no useful gradient.

    .. math::

        \mathrm{TN} = \sum_i w_i (1 - y_i)[p_i \le t], \quad
        \mathrm{FP} = \sum_i w_i (1 - y_i)[p_i > t], \quad
        \mathrm{FN} = \sum_i w_i\, y_i [p_i \le t], \quad
        \mathrm{TP} = \sum_i w_i\, y_i [p_i > t].

    "Predicted positive" means ``y_pred > threshold``, as in Keras's metrics. Sums run
    over every element, so a batch of segmentation masks gives pixel counts.

    Args:
        y_true: labels, exactly 0 or 1, of any rank.
        y_pred: probabilities in [0, 1], same shape as ``y_true`` (or ``(N,)``
            against ``(N, 1)``).
        threshold: decision threshold in [0, 1].
        sample_weight: optional non-negative weights, shape ``(N,)`` or that of ``y_true``.
        validate_args: check values (eager mode) or poison the result with NaN
            (traced mode) when an input is invalid. ``False`` skips all checks.
        dtype: float dtype of the counts; ``keras.backend.floatx()`` by default.

    Returns:
        :class:`Counts` of scalar tensors.

    Example:
        >>> counts = confusion_counts([0, 0, 0, 1, 1], [0.1, 0.7, 0.2, 0.9, 0.4])
        >>> [float(c) for c in counts]
        [2.0, 1.0, 1.0, 1.0]
        >>> round(float(counts.specificity()), 4)
        0.6667
    """
    threshold = _check_number("threshold", threshold, 0, 1)
    dtype = _floatx(dtype)
    y_true, y_pred, weight, invalid = _prepare(
        y_true, y_pred, sample_weight, hard=True, from_logits=False, validate_args=validate_args, dtype=dtype
    )
    predicted_positive = ops.cast(ops.greater(y_pred, threshold), dtype)
    return _poisoned(_reduce_counts(y_true, predicted_positive, weight), invalid)


def soft_confusion_counts(y_true, y_pred, *, from_logits=False, sample_weight=None, validate_args=True, dtype=None):
    r"""Differentiable (expected) confusion counts.

    .. math::

        \widetilde{\mathrm{TN}} = \sum_i w_i (1 - y_i)(1 - p_i), \quad
        \widetilde{\mathrm{FP}} = \sum_i w_i (1 - y_i)\, p_i, \quad
        \widetilde{\mathrm{FN}} = \sum_i w_i\, y_i (1 - p_i), \quad
        \widetilde{\mathrm{TP}} = \sum_i w_i\, y_i\, p_i .

    If each prediction were a coin that comes up "positive" with probability
    :math:`p_i`, these would be the expected counts. With :math:`p_i \in \{0, 1\}`
    they equal the hard counts.

    Args:
        y_true: labels in [0, 1] (soft labels allowed), any rank.
        y_pred: probabilities in [0, 1], or logits when ``from_logits=True``.
        from_logits: apply a sigmoid to ``y_pred`` first.
        sample_weight: optional non-negative weights, shape ``(N,)`` or that of ``y_true``.
        validate_args, dtype: as in :func:`confusion_counts`.

    Returns:
        :class:`Counts` of scalar tensors.

    Example:
        >>> counts = soft_confusion_counts([0, 0, 0, 1], [0.1, 0.5, 0.2, 0.9])
        >>> [round(float(c), 4) for c in counts]
        [2.2, 0.8, 0.1, 0.9]
    """
    from_logits = _check_flag("from_logits", from_logits)
    dtype = _floatx(dtype)
    y_true, y_pred, weight, invalid = _prepare(
        y_true, y_pred, sample_weight, hard=False, from_logits=from_logits, validate_args=validate_args, dtype=dtype
    )
    probability = ops.sigmoid(y_pred) if from_logits else y_pred
    return _poisoned(_reduce_counts(y_true, probability, weight), invalid)


def soft_specificity(
    y_true, y_pred, *, from_logits=False, sample_weight=None, zero_division=1.0, validate_args=True, dtype=None
):
    r"""Soft specificity :math:`\widetilde{\mathrm{TN}} / (\widetilde{\mathrm{TN}} + \widetilde{\mathrm{FP}})`.

    Because :math:`\widetilde{\mathrm{TN}} + \widetilde{\mathrm{FP}} = \sum_j w_j (1 - y_j)`
    does not depend on the predictions,

    .. math::

        1 - \widetilde{\mathrm{spec}} = \frac{\sum_i w_i (1 - y_i)\, p_i}{\sum_j w_j (1 - y_j)},

    the weighted mean predicted probability over the negatives.

    A batch without negatives has no true negatives to get right; its specificity is
    ``zero_division`` (1.0 by default, so the loss is 0 and its gradient is 0).
    scikit-learn returns 0.0 there, with a warning; pass ``zero_division=0.0`` to match.

    Example:
        >>> round(float(soft_specificity([0, 0, 0, 1], [0.1, 0.5, 0.2, 0.9])), 4)
        0.7333
    """
    zero_division = _check_number("zero_division", zero_division, 0, 1)
    counts = soft_confusion_counts(
        y_true, y_pred, from_logits=from_logits, sample_weight=sample_weight, validate_args=validate_args, dtype=dtype
    )
    return counts.specificity(zero_division)


def threshold_for_specificity(y_true, y_pred, target, sample_weight=None):
    r"""The smallest threshold whose specificity on these rows is at least ``target``.

    With "predicted positive" meaning ``y_pred > t``, specificity can only rise and
    sensitivity only fall as :math:`t` grows, so the smallest :math:`t` with
    :math:`\mathrm{spec}(t) \ge s^*` gives the highest sensitivity that meets the target
    on these rows:

    .. math::

        t^* = \min \{\, t : \textstyle\sum_{i: y_i = 0} w_i [p_i \le t] \ \ge\ s^* \sum_{i: y_i = 0} w_i \,\}.

    :math:`t^*` is always one of the negatives' predictions. Choose it on validation rows,
    not on the training rows, and expect the specificity on new rows to scatter around
    ``target``: with :math:`N_-` validation negatives, by roughly
    :math:`\sqrt{s^*(1 - s^*)/N_-}`.

    This is an evaluation helper: it needs concrete values (numpy arrays, eager tensors,
    ``model.predict`` output), not traced tensors. Rows without negatives give 0.0.

    Args:
        y_true: labels, exactly 0 or 1.
        y_pred: probabilities in [0, 1], same shape (or ``(N,)`` against ``(N, 1)``).
        target: the specificity to reach, in (0, 1).
        sample_weight: optional non-negative weights, shape ``(N,)`` or that of ``y_true``.

    Returns:
        The threshold, a Python float.

    Example:
        >>> y_true = [0, 0, 0, 0, 1, 1]
        >>> y_pred = [0.1, 0.4, 0.35, 0.8, 0.7, 0.9]
        >>> threshold_for_specificity(y_true, y_pred, target=0.75)
        0.4
        >>> float(confusion_counts(y_true, y_pred, threshold=0.4).specificity())
        0.75
    """
    target = _check_target(target)
    # The checks (values, shapes) are those of the hard counts; the arithmetic runs in
    # numpy on the caller's own values, so that the threshold returned is exactly one of
    # the given predictions, in their precision.
    y_true, _, weight, _ = _prepare(
        y_true, y_pred, sample_weight, hard=True, from_logits=False, validate_args=True, dtype=keras.backend.floatx()
    )
    labels, predictions = _concrete(y_true), _concrete(y_pred)
    if labels is None or predictions is None:
        raise ValueError("`threshold_for_specificity` needs concrete values; received traced tensors.")
    weights = np.ones(labels.shape) if weight is None else _concrete(weight)
    negative = labels.ravel() == 0
    scores, negative_weights = predictions.ravel()[negative], weights.ravel()[negative]
    if negative_weights.sum() == 0:
        return 0.0
    order = np.argsort(scores, kind="stable")
    scores, covered = scores[order], np.cumsum(negative_weights[order], dtype=np.float64)
    # Ties: a threshold at a score covers every negative with that score.
    last_of_each_score = np.r_[scores[1:] != scores[:-1], True]
    scores, covered = scores[last_of_each_score], covered[last_of_each_score]
    # A relative tolerance keeps float round-off in the running sum from missing an exact target.
    reached = covered >= target * covered[-1] * (1 - 1e-12)
    return float(scores[np.argmax(reached)])


# ---------------------------------------------------------------------------
# Keras classes.
# ---------------------------------------------------------------------------


class _WholeBatchLoss(keras.losses.Loss):
    """A loss built from sums over the whole batch, with the sample weights inside the sums.

    Keras's ``Loss.__call__`` would multiply a per-sample loss by the weights and then
    reduce; a ratio of sums needs the weights inside the sums instead, so subclasses
    implement ``_loss(y_true, y_pred, sample_weight)`` and ``reduction`` does not apply.
    """

    def __init__(self, name, dtype):
        super().__init__(name=name, reduction="none", dtype=dtype)

    def __call__(self, y_true, y_pred, sample_weight=None):
        with keras.name_scope(self.name):
            return self._loss(y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred):
        return self._loss(y_true, y_pred, None)


@keras.saving.register_keras_serializable(package="specificity")
class SpecificityLoss(_WholeBatchLoss):
    r"""The loss :math:`1 - \widetilde{\mathrm{spec}}` of a whole batch.

    .. math::

        L = \frac{\sum_i w_i (1 - y_i)\, p_i}{\sum_j w_j (1 - y_j)}, \qquad
        \frac{\partial L}{\partial p_i} = \frac{w_i (1 - y_i)}{\sum_j w_j (1 - y_j)} .

    The gradient is the same positive constant for every negative and zero for
    every positive. With ``from_logits=True``, :math:`p_i = \sigma(z_i)` and the chain
    rule adds the factor :math:`p_i (1 - p_i)`:

    .. math::

        \frac{\partial L}{\partial z_i} = \frac{w_i (1 - y_i)\, p_i (1 - p_i)}{\sum_j w_j (1 - y_j)} .

    **Alone, this loss is minimised by predicting "negative" for everything**
    (specificity 1, sensitivity 0). Pair it with a term for the positives.

    It is a ratio of sums over the batch, not a mean of per-sample losses, so
    ``sample_weight`` (and ``class_weight`` in ``fit``) enters the sums above rather
    than rescaling the result, and ``reduction`` does not apply. A batch with no
    negatives gives the loss ``1 - zero_division`` (0 by default) and a zero gradient.

    Inside a traced graph, invalid inputs (labels outside [0, 1], probabilities
    outside [0, 1], NaN, Inf, negative weights) make the loss NaN rather than raising;
    in eager mode they raise ``ValueError``.

    Under ``tf.distribute.MirroredStrategy`` the loss is exact: each replica divides its
    own soft FP by the negatives of the *global* batch (one reduction of a label count),
    so the summed gradient equals the single-device gradient of the global batch, with
    the default cross-device ops and with ``ReductionToOneDevice`` alike. Under
    ``MultiWorkerMirroredStrategy`` the count goes through the strategy's collective
    all-reduce; that path is not covered by this package's tests.

    Args:
        from_logits: ``y_pred`` holds logits rather than probabilities.
        zero_division: specificity of a batch without negatives, in [0, 1].
        validate_args: check inputs; ``False`` skips the checks.
        name, dtype: as for any Keras loss.

    Example:
        >>> loss = SpecificityLoss()
        >>> round(float(loss([0, 0, 0, 1], [0.1, 0.5, 0.2, 0.9])), 4)
        0.2667
    """

    def __init__(self, from_logits=False, zero_division=1.0, validate_args=True, name="specificity_loss", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.from_logits = _check_flag("from_logits", from_logits)
        self.zero_division = _check_number("zero_division", zero_division, 0, 1)
        self.validate_args = _check_flag("validate_args", validate_args)

    def _loss(self, y_true, y_pred, sample_weight):
        counts = soft_confusion_counts(
            y_true,
            y_pred,
            from_logits=self.from_logits,
            sample_weight=sample_weight,
            validate_args=self.validate_args,
            dtype=self.dtype,
        )
        # 1 - TN/(TN+FP) = FP/N_-. Each tf.distribute replica returns its own FP over the
        # global N_-, so that the replicas' losses and gradients sum to the global ones
        # (see "Distribution" above); on one device this is the plain ratio.
        negatives = _sum_over_replicas(counts.tn + counts.fp)
        no_negatives_loss = (1 - self.zero_division) / _replica_count()
        return _safe_divide(counts.fp, negatives, no_negatives_loss)

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self._dtype_policy.name,
            "from_logits": self.from_logits,
            "zero_division": self.zero_division,
            "validate_args": self.validate_args,
        }


@keras.saving.register_keras_serializable(package="specificity")
class Specificity(keras.metrics.Metric):
    r"""Exact specificity of everything seen since the last reset.

    It keeps two running sums, TN and FP, and divides only in :meth:`result`:

    .. math::

        \mathrm{spec} = \frac{\sum_{b} \mathrm{TN}_b}{\sum_{b} \mathrm{TN}_b + \sum_{b} \mathrm{FP}_b}
        \;\ne\; \frac{1}{B} \sum_{b} \frac{\mathrm{TN}_b}{\mathrm{TN}_b + \mathrm{FP}_b}.

    The right-hand side, the mean of per-batch ratios, is what Keras reports for a
    plain metric *function*; it is not the specificity of the epoch.

    The sums are float32 by default (``dtype``), exact up to 2**24 (about 16.7
    million) unweighted elements; pass ``dtype="float64"`` for more, where the
    backend and device support it. Under ``tf.distribute`` the sums are all-reduced
    with ``aggregation="sum"``, so the result is the global one.

    Args:
        threshold: predicted positive means ``y_pred > threshold``; in [0, 1].
        zero_division: value reported before any negative has been seen.
        validate_args: check inputs (see :func:`confusion_counts`).
        name, dtype: as for any Keras metric.

    Example:
        >>> metric = Specificity()
        >>> metric.update_state([0, 0, 1], [0.2, 0.8, 0.9])
        >>> metric.update_state([0, 0, 0, 0], [0.1, 0.1, 0.1, 0.6])
        >>> round(float(metric.result()), 4)  # 4 TN, 2 FP over both batches
        0.6667
    """

    def __init__(self, threshold=0.5, zero_division=1.0, validate_args=True, name="specificity", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.threshold = _check_number("threshold", threshold, 0, 1)
        self.zero_division = _check_number("zero_division", zero_division, 0, 1)
        self.validate_args = _check_flag("validate_args", validate_args)
        self.true_negatives = self.add_variable(shape=(), initializer="zeros", name="true_negatives")
        self.false_positives = self.add_variable(shape=(), initializer="zeros", name="false_positives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(
            y_true,
            y_pred,
            threshold=self.threshold,
            sample_weight=sample_weight,
            validate_args=self.validate_args,
            dtype=self.dtype,
        )
        self.true_negatives.assign_add(counts.tn)
        self.false_positives.assign_add(counts.fp)

    def result(self):
        return _safe_divide(self.true_negatives, self.true_negatives + self.false_positives, self.zero_division)

    def reset_state(self):
        self.true_negatives.assign(0)
        self.false_positives.assign(0)

    def get_config(self):
        return {
            **super().get_config(),
            "threshold": self.threshold,
            "zero_division": self.zero_division,
            "validate_args": self.validate_args,
        }
