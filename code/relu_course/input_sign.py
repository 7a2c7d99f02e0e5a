"""Does the sign of the data decide whether ReLU suits it? Chapter 9's experiment.

The guide advises ReLU "for datasets with mostly positive inputs" and warns against it when "your data
contains many negative values". A ReLU unit, however, acts on its pre-activation ``w . x + b``, not on
the raw input ``x``. This module trains the same seeded ReLU MLP (with the course's NumPy trainer,
:mod:`relu_course.mini_experiment`) on scikit-learn's digits three ways: pixels as they are (grey levels
0 to 16, all non-negative), negated (all non-positive), and standardised (each pixel centred and
scaled with the training set's statistics). It also checks the symmetry that explains the result:
negating the inputs is the same as negating the first layer's kernel.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from relu_course.mini_experiment import DigitsSplit, Runs, mlp_loss_and_gradients, split_digits, train_mlps
from relu_course._validation import mapping_of

#: The three versions of the inputs, in the order the chapter shows them.
INPUT_VERSIONS: tuple[str, ...] = ("as they are", "negated", "standardised")


def digits_versions(test_fraction: float = 0.25, *, seed: int = 0) -> dict[str, DigitsSplit]:
    """The digits split once (stratified, ``seed``), in the three versions of :data:`INPUT_VERSIONS`.

    All three share the same training and test images and labels; only the pixel values differ:
    raw grey levels 0..16, their negatives, and the standardised values of
    :func:`relu_course.mini_experiment.split_digits`.
    """
    standardised = split_digits(test_fraction, seed=seed)
    raw = _raw_split(test_fraction, seed)
    negated = DigitsSplit(-raw.X_train, raw.y_train, -raw.X_test, raw.y_test, raw.seed)
    return {"as they are": raw, "negated": negated, "standardised": standardised}


def _raw_split(test_fraction: float, seed: int) -> DigitsSplit:
    """The split of :func:`split_digits` (same call to scikit-learn, same stratification and seed),
    without the standardisation."""
    from sklearn.model_selection import train_test_split

    from relu_course._validation import real_scalar
    from relu_course.datasets import digits

    test_fraction = real_scalar(test_fraction, "test_fraction", low=0.05, high=0.95)
    X, y = digits(standardise=False)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_fraction, stratify=y,
                                                        random_state=seed)
    return DigitsSplit(X_train, y_train, X_test, y_test, seed)


def train_versions(versions: Mapping[str, DigitsSplit], *, seeds: Sequence[int], hidden: Sequence[int],
                   epochs: int, batch_size: int, optimizer: str, learning_rate: float,
                   init: str = "he") -> dict[str, Runs]:
    """Train the same ReLU MLP (same seeds, so the same initial weights and mini-batch orders) on every
    version of the inputs; one :class:`relu_course.mini_experiment.Runs` per version."""
    if not isinstance(versions, Mapping) or not versions:
        raise TypeError("versions must be a non-empty mapping from a name to a DigitsSplit")
    return {name: train_mlps(split, activation="relu", optimizer=optimizer, seeds=seeds,
                             learning_rates=[learning_rate], hidden=hidden, epochs=epochs,
                             batch_size=batch_size, init=init)
            for name, split in versions.items()}


def negation_symmetry_gap(params: Sequence[tuple[Any, Any]], X: Any, y: Any) -> float:
    """Largest difference between the ReLU MLP ``params`` on inputs ``-X`` and the same MLP with its
    first kernel negated on ``X``: in the loss, in the first kernel's gradient (which must come out
    negated) and in every other gradient (which must come out equal).

    It is exactly 0 in floating point, because ``(-X) @ W == X @ (-W)`` term by term. Since SGD and Adam
    treat every weight on its own and are unchanged when the sign of a weight and of its gradient flip
    together, training on negated inputs is training on the original inputs from a first kernel of the
    opposite sign; with a symmetric random initialisation both are equally likely.
    """
    params = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    X = np.asarray(X, dtype=np.float64)
    flipped = [(-params[0][0], params[0][1]), *params[1:]]
    loss_a, grads_a = mlp_loss_and_gradients(params, -X, y, "relu")
    loss_b, grads_b = mlp_loss_and_gradients(flipped, X, y, "relu")
    gaps = [abs(loss_a - loss_b), float(np.max(np.abs(grads_a[0][0] + grads_b[0][0]))),
            float(np.max(np.abs(grads_a[0][1] - grads_b[0][1])))]
    for (dW_a, db_a), (dW_b, db_b) in zip(grads_a[1:], grads_b[1:]):
        gaps += [float(np.max(np.abs(dW_a - dW_b))), float(np.max(np.abs(db_a - db_b)))]
    return max(gaps)


def accuracy_summary(runs: Mapping[str, Runs]) -> dict[str, dict[str, float]]:
    """Per version: mean, sample standard deviation, minimum and maximum of the final test accuracy
    over the seeds (as fractions)."""
    mapping_of(runs, Runs, "runs", "version name -> Runs")
    out = {}
    for name, r in runs.items():
        if not isinstance(r, Runs):
            raise TypeError(f"runs[{name!r}] must be Runs, got {type(r).__name__}")
        acc = np.asarray(r.final_test_accuracy, dtype=float)
        out[name] = {"mean": float(np.mean(acc)),
                     "std": float(np.std(acc, ddof=1)) if acc.size > 1 else float("nan"),
                     "min": float(np.min(acc)), "max": float(np.max(acc))}
    return out


@dataclass(frozen=True)
class SignComparison:
    """What the experiment says about the sign of the inputs (accuracies as fractions)."""

    difference: float          # mean accuracy with inputs as they are minus with inputs negated
    standard_error: float      # of that difference, from the two sample standard deviations
    standardised_gain: float   # standardised mean minus the better of the other two means
    standardised_steadier: bool  # standardised inputs gave the smallest spread over seeds

    @property
    def within_noise(self) -> bool:
        """True when the two signs differ by less than two standard errors."""
        return abs(self.difference) < 2 * self.standard_error

    @property
    def standardised_better(self) -> bool:
        return self.standardised_gain > 0


def compare_signs(summary: Mapping[str, Mapping[str, float]], n_seeds: int) -> SignComparison:
    """Compare the three versions of :func:`accuracy_summary` (keys :data:`INPUT_VERSIONS`), trained
    with ``n_seeds`` seeds each."""
    from relu_course._validation import positive_int

    n_seeds = positive_int(n_seeds, "n_seeds")
    missing = [k for k in INPUT_VERSIONS if k not in summary]
    if missing:
        raise ValueError(f"summary must hold the versions {INPUT_VERSIONS}; missing {missing}")
    raw, neg, std = (summary[k] for k in INPUT_VERSIONS)
    error = math.hypot(raw["std"], neg["std"]) / math.sqrt(n_seeds)
    return SignComparison(raw["mean"] - neg["mean"], error, std["mean"] - max(raw["mean"], neg["mean"]),
                          std["std"] < min(raw["std"], neg["std"]))
