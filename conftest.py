"""Quiet, deterministic TensorFlow for every test, doctest and notebook kernel.

These must be set before TensorFlow is first imported; notebook kernels started
by nbval inherit them from this process.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN changes float round-off between machines, which strict nbval would see.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("PYTHONHASHSEED", "0")
