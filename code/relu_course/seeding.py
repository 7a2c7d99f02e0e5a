"""One call that makes an experiment repeatable: Python's, NumPy's and (if loaded) TensorFlow's RNGs."""
from __future__ import annotations

import random
import sys
from typing import Any

import numpy as np

MAX_SEED = 2**32 - 1


def seed_everything(seed: Any) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's legacy global RNG and, when already imported, TensorFlow
    and PyTorch; return a fresh ``numpy.random.Generator`` seeded with ``seed``.

    Prefer the returned generator over the global NumPy state: it makes the data flow of
    randomness visible in the notebook. TensorFlow is seeded only if it has been imported
    (so a NumPy-only chapter never imports it); seed again after loading it.
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer in [0, {MAX_SEED}], got {type(seed).__name__} ({seed!r})")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras  # already imported: cheap

        keras.utils.set_random_seed(seed)  # seeds Python, NumPy and the backend (TensorFlow)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    return np.random.default_rng(seed)
