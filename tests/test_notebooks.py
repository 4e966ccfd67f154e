"""Guards that keep strict nbval meaningful: it compares only the outputs that are committed."""

import json
import pathlib

import keras
import pytest

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the book runs on TensorFlow; checked once, in the TensorFlow run")

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
NOISE = ("absl::InitializeLog", "oneDNN custom operations", "cuda_", "Unable to register", "WARNING:tensorflow")


def cells(path):
    return json.loads(path.read_text())["cells"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_the_table_of_contents(path):
    assert f"book/{path.stem}" in (ROOT / "_toc.yml").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_in_order_and_clean(path):
    code = [cell for cell in cells(path) if cell["cell_type"] == "code" and "".join(cell["source"]).strip()]
    counts = [cell["execution_count"] for cell in code]
    assert counts == list(range(1, len(code) + 1)), "re-run the whole notebook top to bottom before committing"
    assert any(cell["outputs"] for cell in code), "no outputs committed: strict nbval would compare nothing"
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", "a committed cell raised"
            assert output.get("name") != "stderr", f"stderr output in a cell: {''.join(output.get('text', ''))[:200]}"
            text = json.dumps(output)
            assert not any(line in text for line in NOISE), "TensorFlow log noise in an output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_the_package(path):
    sources = "\n".join("".join(cell["source"]) for cell in cells(path) if cell["cell_type"] == "code")
    assert "import specificity" in sources or "from specificity" in sources
