"""SpecificityLoss and Specificity are exact under tf.distribute.MirroredStrategy.

Two logical CPU devices stand in for two GPUs. One fit step on a fixed global batch must
leave the same weights as on one device, to 1e-6, with the strategy's default
cross-device ops and with ReductionToOneDevice; the naive scalar loss must not.
"""

import keras
import numpy as np
import pytest
from sklearn.metrics import recall_score

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute needs the TensorFlow backend")


@pytest.fixture(scope="module")
def runs(run_json_script):
    return run_json_script("mirrored_strategy_step.py", "tensorflow")


def test_default_cross_device_ops_are_collective(runs):
    # What "default" means here: the strategy picked collective all-reduce.
    assert runs["package/mirrored_default"]["cross_device_ops"] == "CollectiveAllReduce"
    assert runs["package/mirrored_one_device"]["cross_device_ops"] == "ReductionToOneDevice"


@pytest.mark.parametrize("strategy", ["mirrored_default", "mirrored_one_device"])
def test_package_loss_step_equals_single_device_step(runs, strategy):
    single = np.array(runs["package/single"]["weights"])
    mirrored = np.array(runs[f"package/{strategy}"]["weights"])
    assert runs["package/single"]["step_norm"] > 1e-3  # the step is not trivially zero
    np.testing.assert_allclose(mirrored, single, rtol=0, atol=1e-6)


@pytest.mark.parametrize("strategy", ["mirrored_default", "mirrored_one_device"])
def test_package_loss_logs_the_global_loss(runs, strategy):
    assert runs[f"package/{strategy}"]["logged_loss"] == pytest.approx(runs["package/single"]["logged_loss"], abs=1e-6)


@pytest.mark.parametrize("strategy", ["mirrored_default", "mirrored_one_device"])
def test_naive_scalar_loss_fails_the_same_check(runs, strategy):
    single = np.array(runs["naive/single"]["weights"])
    mirrored = np.array(runs[f"naive/{strategy}"]["weights"])
    # On one device the naive loss is the same function as the package's.
    np.testing.assert_allclose(single, runs["package/single"]["weights"], atol=1e-6)
    assert np.max(np.abs(mirrored - single)) > 1e-3
    assert runs[f"naive/{strategy}"]["step_norm"] > 1.2 * runs["naive/single"]["step_norm"]


@pytest.mark.parametrize("strategy", ["mirrored_default", "mirrored_one_device"])
def test_streaming_metric_is_global_under_the_strategy(runs, strategy):
    run = runs[f"package/{strategy}"]
    predicted = (np.array(run["probability"]) > 0.5).astype(int)
    expected = recall_score(np.array(runs["labels"]).astype(int), predicted, pos_label=0)
    assert run["evaluated_specificity"] == pytest.approx(expected, abs=1e-6)
