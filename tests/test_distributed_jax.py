"""Under JAX, keras.distribution.DataParallel on two CPU devices gives the single-device step."""

import keras
import numpy as np
import pytest
from sklearn.metrics import recall_score

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "jax", reason="runs in the JAX pass of `make.py test` (KERAS_BACKEND=jax)"
)


@pytest.fixture(scope="module")
def runs(run_json_script):
    return run_json_script("jax_data_parallel_step.py", "jax")


def test_two_devices_were_used(runs):
    assert runs["devices"] == 2


def test_data_parallel_step_equals_single_device_step(runs):
    assert runs["single"]["step_norm"] > 1e-3
    np.testing.assert_allclose(runs["data_parallel"]["weights"], runs["single"]["weights"], rtol=0, atol=1e-6)
    assert runs["data_parallel"]["logged_loss"] == pytest.approx(runs["single"]["logged_loss"], abs=1e-6)


def test_streaming_metric_is_global_under_data_parallel(runs):
    predicted = (np.array(runs["data_parallel"]["probability"]) > 0.5).astype(int)
    expected = recall_score(np.array(runs["labels"]).astype(int), predicted, pos_label=0)
    assert runs["data_parallel"]["evaluated_specificity"] == pytest.approx(expected, abs=1e-6)
