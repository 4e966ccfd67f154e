r"""Training for an operating point: maximise sensitivity subject to specificity >= a target.

The Neyman-Pearson problem is

.. math::

    \max_\theta \ \mathrm{TPR}(\theta, t) \quad \text{subject to} \quad \mathrm{TNR}(\theta, t) \ge s^*,

over the model :math:`\theta` and the threshold :math:`t`. For any model, the best
threshold is the :math:`s^*`-quantile of the negatives' scores: the lowest threshold that
still keeps a share :math:`s^*` of negatives below it. Substituting it removes both the
threshold and the constraint (Mackey et al., "Constrained classification and ranking via
quantiles", 2018): what is left is the sensitivity *at that quantile*, which a smooth
bound on the missed positives can maximise.

This module does that per batch, with no multiplier or other state, so a jitted JAX step
or a traced TensorFlow step cannot capture a stale value. It needs only ``keras.ops``.
"""

import keras
from keras import ops

from specificity.confusion import _check_flag, _check_number, _check_target, _floatx, _prepare, _WholeBatchLoss

__all__ = ["QuantileSensitivityLoss"]


def _negative_quantile(scores, actual_negative, target):
    r"""The batch's threshold: the largest negative score that specificity ``target`` may leave above it.

    With :math:`N_-` negatives, at most :math:`k = \lfloor (1 - s^*) N_- \rfloor` of them may
    score above the threshold, so the threshold is the :math:`(k+1)`-th largest negative
    score. Positives are pushed to the bottom of the sort so that they never count.
    """
    # One extra sentinel element keeps the sort and the lookup valid for an empty batch.
    sentinel = ops.zeros((1,), dtype=scores.dtype)
    lowest = ops.min(ops.concatenate([scores, sentinel])) - 1.0
    masked = ops.concatenate([ops.where(actual_negative > 0, scores, lowest), sentinel + lowest])
    descending = ops.flip(ops.sort(masked), axis=0)
    negatives = ops.sum(ops.cast(actual_negative > 0, "int32"))
    # The small constant absorbs round-off: (1 - 0.8) * 5 is 0.99999... in floating point.
    allowed_above = ops.cast(ops.floor((1.0 - target) * ops.cast(negatives, scores.dtype) + 1e-6), "int32")
    index = ops.clip(allowed_above, 0, ops.maximum(negatives - 1, 0))
    return ops.take(descending, index), negatives


@keras.saving.register_keras_serializable(package="specificity")
class QuantileSensitivityLoss(_WholeBatchLoss):
    r"""Maximise sensitivity at the specificity-``target`` quantile of the negatives' scores.

    For logits :math:`z_i`, let :math:`q` be the batch's :math:`s^*`-quantile of the
    negatives' logits (the threshold that keeps specificity :math:`s^*` on the batch).
    The loss is

    .. math::

        L = \frac{\sum_{i} w_i\, y_i \,\mathrm{softplus}(q - z_i)}{\sum_i w_i\, y_i}
            \;+\; \beta \cdot \mathrm{BCE},

    a cross-entropy bound on the positives missed at threshold :math:`q`, plus
    :math:`\beta` (``cross_entropy_weight``) times binary cross-entropy. The quantile term's
    gradient lifts the positives below :math:`q` and lowers the negative that sits at
    :math:`q` (the gradient flows through the sort to that one element). The
    cross-entropy term keeps the outputs calibrated and bounded, so that probabilities do
    not saturate to exactly 0 or 1 and a threshold can still be chosen afterwards.

    The loss does not pick the threshold for deployment: choose it on validation rows
    with :func:`specificity.threshold_for_specificity`. A batch without positives has a
    quantile term of 0; a batch without negatives uses the lowest score as :math:`q`.

    Args:
        target: the specificity to train for, in (0, 1).
        from_logits: ``y_pred`` holds logits rather than probabilities.
        cross_entropy_weight: :math:`\beta \ge 0`.
        name, dtype: as for any Keras loss.

    Example:
        >>> loss = QuantileSensitivityLoss(target=0.75, from_logits=True, cross_entropy_weight=0.0)
        >>> # Negatives' logits -2, -1, 0, 3: at most 1 of 4 may be above q, so q = 0.
        >>> round(float(loss([0, 0, 0, 0, 1, 1], [-2.0, -1.0, 0.0, 3.0, 1.0, -1.0])), 4)
        0.8133
    """

    def __init__(self, target, from_logits=False, cross_entropy_weight=1.0, name="quantile_sensitivity_loss", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.target = _check_target(target)
        self.from_logits = _check_flag("from_logits", from_logits)
        self.cross_entropy_weight = _check_number("cross_entropy_weight", cross_entropy_weight, 0, float("inf"))

    def _loss(self, y_true, y_pred, sample_weight):
        dtype = _floatx(self.dtype)
        y_true, y_pred, weight, invalid = _prepare(
            y_true, y_pred, sample_weight, hard=False, from_logits=self.from_logits, validate_args=True, dtype=dtype
        )
        y_true, y_pred = ops.reshape(y_true, (-1,)), ops.reshape(y_pred, (-1,))
        weight = ops.ones_like(y_true) if weight is None else ops.reshape(weight, (-1,))
        if self.from_logits:
            logits = y_pred
        else:
            # Probabilities back to logits, clipped so that 0 and 1 stay finite.
            clipped = ops.clip(y_pred, keras.backend.epsilon(), 1 - keras.backend.epsilon())
            logits = ops.log(clipped) - ops.log1p(-clipped)
        threshold, _ = _negative_quantile(logits, 1 - y_true, self.target)
        positive_weight = weight * y_true
        missed = ops.sum(positive_weight * ops.softplus(threshold - logits))
        positives = ops.sum(positive_weight)
        quantile_term = ops.where(positives > 0, missed / ops.where(positives > 0, positives, 1), 0)
        cross_entropy = ops.sum(weight * ops.binary_crossentropy(y_true, logits, from_logits=True)) / ops.maximum(
            ops.sum(weight), keras.backend.epsilon()
        )
        loss = quantile_term + self.cross_entropy_weight * cross_entropy
        if invalid is not None:
            loss = ops.where(invalid, float("nan"), loss)
        return loss

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self._dtype_policy.name,
            "target": self.target,
            "from_logits": self.from_logits,
            "cross_entropy_weight": self.cross_entropy_weight,
        }
