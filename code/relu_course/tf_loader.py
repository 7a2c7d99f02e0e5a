"""Import TensorFlow only when a chapter asks for it, with its start-up logging silenced; say which
frameworks are installed without importing them.

TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL`` and ``TF_ENABLE_ONEDNN_OPTS`` once, at import time,
so they must be set before the first import. A NumPy-only chapter never calls this module and
never pays TensorFlow's import time.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType

QUIET_ENVIRONMENT: dict[str, str] = {
    # 3 hides INFO, WARNING and ERROR lines of TensorFlow's C++ core. Level 2 is not enough: TF 2.21's
    # model.fit logs a harmless "E0000 ... use_unbounded_threadpool" line that would leak into the book.
    # Python-level errors still raise as usual.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",   # no oneDNN notice; also keeps CPU float results reproducible
}


def tensorflow_available() -> bool:
    """True when TensorFlow is installed (without importing it)."""
    return importlib.util.find_spec("tensorflow") is not None


def torch_available() -> bool:
    """True when PyTorch is installed (without importing it)."""
    return importlib.util.find_spec("torch") is not None


def missing_tensorflow_message() -> str:
    """What to do without TensorFlow: where it cannot exist (JupyterLite), and where it can be installed."""
    if sys.platform == "emscripten":
        return ("TensorFlow does not exist for JupyterLite's Python (Pyodide), so this chapter cannot run here. "
                "Open it on Colab or Binder from the launch menu, or on your own machine "
                "(the course's page 'How to run a chapter').")
    return ("TensorFlow is not installed. Install it with the course package's extra: "
            "pip install \"relu-course[tensorflow]\" (in a clone of the course, `make lab` installs the pinned "
            "versions from requirements.txt).")


def load_tensorflow() -> ModuleType:
    """Return the ``tensorflow`` module, importing it with the quiet environment set first.

    Values the user has already set in the environment are kept. Also switches TensorFlow to
    deterministic op implementations, so seeded experiments repeat exactly. Raises ImportError
    with an installation hint when TensorFlow is missing.
    """
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    if not tensorflow_available():
        raise ImportError(missing_tensorflow_message())
    tf = importlib.import_module("tensorflow")
    tf.get_logger().setLevel("ERROR")
    # Same numbers on every run: deterministic kernels (a small cost on the CPU, none for our model sizes).
    tf.config.experimental.enable_op_determinism()
    return tf


def load_keras() -> ModuleType:
    """Return ``keras`` (with the TensorFlow backend), loading TensorFlow quietly first."""
    load_tensorflow()
    return importlib.import_module("keras")
