"""Train and measure Keras 3 models on specificity, the true negative rate.

The reference implementation is the single file ``specificity/confusion.py``.
"""

from specificity.confusion import (
    Counts,
    Specificity,
    SpecificityLoss,
    confusion_counts,
    soft_confusion_counts,
    soft_specificity,
    threshold_for_specificity,
)
from specificity.target import QuantileSensitivityLoss

__all__ = [
    "Counts",
    "confusion_counts",
    "soft_confusion_counts",
    "soft_specificity",
    "threshold_for_specificity",
    "SpecificityLoss",
    "Specificity",
    "QuantileSensitivityLoss",
]
__version__ = "0.1.0"
