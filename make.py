"""Build the website or run the whole test suite, from a fresh machine with Python 3.11 and pip.

    python3 make.py site   # build the website into _build/html
    python3 make.py test   # the whole suite: see below

`test` runs, on the TensorFlow backend, the unit tests, doctests, distributed tests,
strict nbval on every notebook, and the website build with its browser check; then the
unit tests and doctests again on the JAX and PyTorch backends.

Both create a virtual environment in .venv with the pinned requirements.txt the first
time (and again whenever it or pyproject.toml change); `test` adds the pinned CPU builds
of JAX and PyTorch from requirements-backends.txt. Arguments after `test` go to every
pytest run, e.g. `python3 make.py test -k gradient`.
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
OTHER_BACKENDS = ("jax", "torch")
SITE = ROOT / "_build" / "html"

# Quiet, reproducible TensorFlow in every process we start (see conftest.py).
QUIET_TENSORFLOW = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
}


def run(*command, **environment_overrides):
    print("+", " ".join(str(part) for part in command), flush=True)
    environment = {**QUIET_TENSORFLOW, **os.environ, **environment_overrides}  # the caller's environment wins
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=environment)


def install(stamp_name, *requirement_files, steps_before=(), steps_after=()):
    """Install pinned requirements once, and again only when the files change."""
    stamp = ENVIRONMENT / f"{stamp_name}.sha256"
    wanted = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in requirement_files)).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    steps = [*steps_before]
    steps += [(PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / name) for name in requirement_files if name.endswith(".txt")]
    steps += [*steps_after]
    for step in steps:
        if run(*step) != 0:
            sys.exit(f"make.py: installing the requirements failed at: {' '.join(map(str, step))}")
    stamp.write_text(wanted + "\n")


def ensure_environment():
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {ENVIRONMENT}", flush=True)
        venv.EnvBuilder(with_pip=True).create(ENVIRONMENT)
    install(
        "installed-requirements",
        "requirements.txt",
        "pyproject.toml",
        steps_before=[(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip==26.3")],
        # The package itself, editable, so every notebook's `import specificity` sees this checkout.
        steps_after=[(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)],
    )


def test(pytest_arguments):
    # Before the TensorFlow run too: the scaling-out chapter trains the same model on JAX.
    install("installed-backends", "requirements-backends.txt")
    status = run(PYTHON, "-m", "pytest", *pytest_arguments)
    for backend in OTHER_BACKENDS:
        print(f"\nThe unit tests and doctests on the {backend} backend:", flush=True)
        status |= run(PYTHON, "-m", "pytest", "tests", "specificity", *pytest_arguments, KERAS_BACKEND=backend)
    return status


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
    return test(arguments[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
