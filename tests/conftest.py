"""Backend-neutral helpers for the unit tests, which run on TensorFlow, JAX and PyTorch.

The backend is chosen by KERAS_BACKEND before Keras is imported (the root conftest.py
defaults it to tensorflow); `python3 make.py test` runs the unit tests once per backend.
"""

import keras
import numpy as np
import pytest

BACKEND = keras.backend.backend()

if BACKEND == "jax":
    import jax

    # The gradient checks compare float64 values to 1e-12; JAX truncates to float32 unless told.
    jax.config.update("jax_enable_x64", True)


def _gradient(function, inputs):
    """(value, d value / d inputs) of a scalar function, as numpy, on the active backend."""
    inputs = np.asarray(inputs)
    if BACKEND == "tensorflow":
        import tensorflow as tf

        variable = tf.Variable(inputs)
        with tf.GradientTape() as tape:
            value = function(variable)
        return float(value), tape.gradient(value, variable).numpy()
    if BACKEND == "jax":
        import jax

        value, gradient = jax.value_and_grad(lambda x: function(x))(jax.numpy.asarray(inputs))
        return float(value), np.asarray(gradient)
    if BACKEND == "torch":
        import torch

        variable = torch.tensor(inputs, requires_grad=True)
        value = function(variable)
        value.backward()
        return float(value.detach()), variable.grad.numpy()
    raise NotImplementedError(BACKEND)


def _traced(function):
    """``function`` compiled into a graph on the active backend, where values are unknown while tracing."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return tf.function(function)
    if BACKEND == "jax":
        import jax

        return jax.jit(function)
    pytest.skip(f"the {BACKEND} backend runs eagerly; nothing is traced")


@pytest.fixture
def gradient():
    return _gradient


@pytest.fixture
def traced():
    return _traced


def _run_json_script(script, backend):
    """Run a helper script of tests/ in a fresh Python on ``backend``; return the JSON of its last line.

    The distributed tests need this: devices must be split before the framework starts,
    which a pytest process that already ran other tests can no longer do.
    """
    import json
    import os
    import pathlib
    import subprocess
    import sys

    path = pathlib.Path(__file__).with_name(script)
    environment = {**os.environ, "KERAS_BACKEND": backend}
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def run_json_script():
    return _run_json_script
