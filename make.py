"""Build the website or run the whole test suite, from a fresh machine with Python 3.11 and pip.

    python3 make.py site   # build the website into _build/html
    python3 make.py test   # unit tests, doctests, strict nbval on every notebook, website build and browser check

Both create a virtual environment in .venv with the pinned requirements.txt the first
time (and again whenever requirements.txt or pyproject.toml change). Arguments after
`test` go to pytest, e.g. `python3 make.py test -k gradient`.
"""

import hashlib
import os
import pathlib
import subprocess
import sys
import venv

ROOT = pathlib.Path(__file__).resolve().parent
ENVIRONMENT = ROOT / ".venv"
BIN = ENVIRONMENT / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = ENVIRONMENT / "installed-requirements.sha256"
SITE = ROOT / "_build" / "html"

# Quiet, reproducible TensorFlow in every process we start (see conftest.py).
QUIET_TENSORFLOW = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
}


def run(*command):
    print("+", " ".join(str(part) for part in command), flush=True)
    environment = {**os.environ, **{k: os.environ.get(k, v) for k, v in QUIET_TENSORFLOW.items()}}
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=environment)


def ensure_environment():
    wanted = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {ENVIRONMENT}", flush=True)
        venv.EnvBuilder(with_pip=True).create(ENVIRONMENT)
    steps = [
        (PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip==26.3"),
        (PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements.txt"),
        # The package itself, editable, so every notebook's `import specificity` sees this checkout.
        (PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT),
    ]
    for step in steps:
        if run(*step) != 0:
            sys.exit(f"make.py: installing the requirements failed at: {' '.join(map(str, step))}")
    STAMP.write_text(wanted + "\n")


def build_site():
    # -W turns every warning into an error, -n also checks every cross-reference.
    status = run(BIN / "jupyter-book", "build", ROOT, "-W", "-n", "--keep-going")
    if status == 0:
        print(f"\nThe website is in {SITE}. Open {SITE / 'index.html'} in a browser.")
    return status


def main(arguments):
    if not arguments or arguments[0] not in {"site", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    if arguments[0] == "site":
        return build_site()
    return run(PYTHON, "-m", "pytest", *arguments[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
