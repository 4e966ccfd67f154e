"""Quiet, reproducible TensorFlow for the book's notebooks. Import it before TensorFlow.

- TF_CPP_MIN_LOG_LEVEL=3 silences TensorFlow's C++ start-up log.
- TF_ENABLE_ONEDNN_OPTS=0 turns oneDNN off: its float round-off differs from machine to
  machine, which the strictly compared notebook outputs would see.
- KERAS_BACKEND=tensorflow: the book's backend.

Values already set in the environment win.
"""

import os

for name, value in {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "KERAS_BACKEND": "tensorflow"}.items():
    os.environ.setdefault(name, value)
