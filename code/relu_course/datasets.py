"""Small synthetic data sets that no straight line can separate, generated offline and reproducibly."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from relu_course._validation import positive_int, real_scalar
from relu_course.seeding import MAX_SEED


def _rng(seed: int) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    return np.random.default_rng(int(seed))


def two_spirals(n_per_class: int = 200, *, turns: float = 1.5, noise: float = 0.05,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals in the plane: ``X`` of shape (2n, 2) in roughly [-1, 1]², labels ``y`` in {0, 1}.

    ``turns`` is how many full turns each arm makes; ``noise`` is the standard deviation of
    Gaussian jitter added to every point.
    """
    n = positive_int(n_per_class, "n_per_class")
    turns = real_scalar(turns, "turns", low=0.1, high=10.0)
    noise = real_scalar(noise, "noise", low=0.0, high=1.0)
    rng = _rng(seed)
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * turns * 2 * np.pi  # sqrt: even density along the arm
    radius = t / (turns * 2 * np.pi)
    arm = np.column_stack([radius * np.cos(t), radius * np.sin(t)])
    X = np.concatenate([arm, -arm]) + rng.normal(0.0, noise, (2 * n, 2))
    y = np.concatenate([np.zeros(n), np.ones(n)]).astype(np.int64)
    order = rng.permutation(2 * n)
    return X[order], y[order]


def xor_blobs(n_per_cluster: int = 100, *, spread: float = 0.25,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian clusters at (±1, ±1); label 1 where the coordinates' signs differ (XOR)."""
    n = positive_int(n_per_cluster, "n_per_cluster")
    spread = real_scalar(spread, "spread", low=0.0, high=5.0)
    rng = _rng(seed)
    centres = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)
    labels = np.array([0, 0, 1, 1])
    X = np.concatenate([c + rng.normal(0.0, spread, (n, 2)) for c in centres])
    y = np.repeat(labels, n).astype(np.int64)
    order = rng.permutation(4 * n)
    return X[order], y[order]


DIGITS_SIZE = 1797


@lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    data = load_digits()
    return data.data.astype(np.float64), data.target.astype(np.int64)


def digits(n: int | None = None, *, standardise: bool = True, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 handwritten digits (offline): ``X`` of shape (n, 64), labels 0..9.

    ``standardise`` gives every pixel mean 0 and standard deviation 1 over the whole set (pixels that
    are constant become 0), exactly as scikit-learn's StandardScaler; otherwise raw grey levels 0..16.
    ``n=None`` returns all 1,797 images in their original order; an integer returns a random subset
    of that size drawn with ``seed``.
    """
    if not isinstance(standardise, bool):
        raise TypeError(f"standardise must be True or False, got {standardise!r}")
    rng = _rng(seed)
    X, y = _digits_raw()
    if standardise:
        std = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    if n is None:
        return X.copy(), y.copy()
    n = positive_int(n, "n")
    if n > DIGITS_SIZE:
        raise ValueError(f"n must be at most {DIGITS_SIZE} (the size of the digits set), got {n}")
    order = rng.permutation(DIGITS_SIZE)[:n]
    return X[order], y[order]
