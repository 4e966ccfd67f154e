"""The target-specificity benchmark runs end to end in its --quick mode."""

import json
import os
import pathlib
import subprocess
import sys

import keras
import pytest

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the benchmark runs on TensorFlow")

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "target_specificity.py"


def test_quick_benchmark_writes_a_complete_table(tmp_path):
    environment = {**os.environ, "KERAS_BACKEND": "tensorflow"}
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--output", str(tmp_path)], capture_output=True, text=True, env=environment, timeout=300
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
    result = json.loads((tmp_path / "target_specificity.json").read_text())
    rows = result["table"]
    assert {(row["data"], row["method"]) for row in rows} == {
        (data, method)
        for data in ("breast_cancer", "four_gaussians")
        for method in ("bce", "class_weighted_bce", "penalty", "quantile")
    }
    for row in rows:
        assert 0 <= row["specificity"] <= 1 and 0 <= row["sensitivity"] <= 1
        assert row["shortfall"] == pytest.approx(max(0.0, row["target"] - row["specificity"]))
    # On the training data the threshold is chosen on, recall >= 0.9 holds by construction.
    assert result["tfco_recall_check"]["quantile_recall"] >= 0.9
    assert result["tfco_recall_check"]["cross_entropy_recall_tuned"] >= 0.9
    assert (tmp_path / "target_specificity.md").read_text().startswith("Held-out (test) results")
