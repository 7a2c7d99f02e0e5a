"""A small, honest re-run of AlexNet's Figure 1: epochs to a fixed training error, ReLU against tanh.

Krizhevsky et al. (2012) trained one four-layer CNN on CIFAR-10 with ReLU and with tanh and counted
the epochs each needed to reach 25 % *training* error. This module builds a much smaller
four-layer CNN for scikit-learn's 8x8 digits, trains it with the course's trainer
(:func:`relu_course.models.train_classifier`) and measures the same quantity.

The training error of an epoch is ``1 - accuracy`` as Keras reports it while training: the mean over
that epoch's mini-batches, each measured just before its update.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from relu_course._validation import as_real_array, classification_data, positive_int, real_scalar
from relu_course.models import train_classifier
from relu_course.seeding import MAX_SEED, seed_everything
from relu_course.style import PALETTE
from relu_course.tf_loader import load_keras

#: The two activations of the comparison, in the order they are reported.
ACTIVATIONS = ("relu", "tanh")
#: Which activation is compared with which: the ratio is epochs(SLOW) / epochs(FAST).
FAST, SLOW = "relu", "tanh"
#: AlexNet's Figure 1 (Krizhevsky et al. 2012): ReLU reached 25 % training error on CIFAR-10 six
#: times faster, in epochs, than tanh, for one four-layer CNN.
PAPER_TARGET = 0.25
PAPER_SPEEDUP = 6.0
#: Side of the square convolution kernels of :func:`small_cnn`.
KERNEL_SIZE = 3


def small_cnn(activation: str, *, side: int = 8, filters: Sequence[int] = (8, 8), dense: int = 32,
              n_classes: int = 10, kernel_initializer: Any = "glorot_uniform", seed: int = 0) -> Any:
    """A four-layer Keras CNN for ``side`` x ``side`` grey images given as flat rows of ``side**2`` pixels.

    Layers with weights: two 3x3 convolutions (``filters``, no padding), one dense layer of ``dense``
    units and a dense output of ``n_classes`` logits; every hidden layer uses ``activation``. Taking
    flat rows lets :func:`relu_course.models.train_classifier` train it unchanged. Built
    deterministically from ``seed``.
    """
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    side = positive_int(side, "side")
    if side < 2 * KERNEL_SIZE - 1:
        raise ValueError(f"side must be at least {2 * KERNEL_SIZE - 1} (two {KERNEL_SIZE}x{KERNEL_SIZE} "
                         f"convolutions without padding), got {side}")
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__len__") or len(filters) != 2:
        raise TypeError(f"filters must be a pair of filter counts, got {filters!r}")
    filters = tuple(positive_int(f, "filters") for f in filters)
    dense = positive_int(dense, "dense")
    n_classes = positive_int(n_classes, "n_classes")
    keras = load_keras()
    seed_everything(seed)
    layers = keras.layers
    hidden = {"activation": activation, "kernel_initializer": kernel_initializer}
    return keras.Sequential([
        keras.Input(shape=(side * side,)),
        layers.Reshape((side, side, 1)),
        layers.Conv2D(filters[0], KERNEL_SIZE, name="conv_1", **hidden),
        layers.Conv2D(filters[1], KERNEL_SIZE, name="conv_2", **hidden),
        layers.Flatten(),
        layers.Dense(dense, name="dense", **hidden),
        layers.Dense(n_classes, kernel_initializer=kernel_initializer, name="output"),
    ], name=f"small_cnn_{activation}")


def training_errors(activation: str, X: Any, y: Any, *, epochs: int, learning_rate: float, batch_size: int,
                    seed: int, optimizer: str = "sgd") -> np.ndarray:
    """Train a fresh :func:`small_cnn` with ``activation`` and return its training error per epoch.

    No regularisation of any kind, as in the paper's comparison. Deterministic for a given ``seed``
    (it sets the initial weights and the order of the mini-batches).
    """
    features, labels = classification_data(X, y)
    side = int(round(np.sqrt(features.shape[1])))
    if side * side != features.shape[1]:
        raise ValueError(f"X must hold flattened square images, got {features.shape[1]} pixels per row")
    if labels.size == 0 or labels.min() < 0:
        raise ValueError("y must hold class labels 0, 1, 2, ...")
    model = small_cnn(activation, side=side, n_classes=max(int(labels.max()) + 1, 2), seed=seed)
    run = train_classifier(model, features, labels, epochs=epochs, learning_rate=learning_rate,
                           optimizer=optimizer, batch_size=batch_size, seed=seed)
    return 1.0 - np.asarray(run.accuracy, dtype=np.float64)


def epochs_to_target(errors: Any, target: float) -> int | None:
    """The first epoch (counted from 1) whose training error is at most ``target``; None if none is."""
    errors = as_real_array(errors, "errors")
    if errors.ndim != 1:
        raise ValueError(f"errors must be a 1-D sequence of per-epoch errors, got shape {errors.shape}")
    target = real_scalar(target, "target", low=0.0, high=1.0)
    reached = np.flatnonzero(errors <= target)
    return int(reached[0]) + 1 if reached.size else None


def as_curves(curves: Any) -> dict[str, np.ndarray]:
    """Validate training-error curves: a mapping activation -> array (seeds x epochs) of errors in [0, 1].

    Every activation must have the same number of seeds and epochs. Returns float64 copies.
    """
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty mapping from activation name to errors, got "
                        f"{type(curves).__name__}")
    out: dict[str, np.ndarray] = {}
    for name, values in curves.items():
        if not isinstance(name, str):
            raise TypeError(f"curves must be keyed by activation names (strings), got {name!r}")
        array = np.array(as_real_array(values, f"curves[{name!r}]"), dtype=np.float64)
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2 or array.size == 0:
            raise ValueError(f"curves[{name!r}] must be a (seeds x epochs) array, got shape {array.shape}")
        if np.any(~np.isfinite(array)) or np.any(array < 0) or np.any(array > 1):
            raise ValueError(f"curves[{name!r}] must hold error rates in [0, 1]")
        out[name] = array
    shapes = {a.shape for a in out.values()}
    if len(shapes) != 1:
        raise ValueError(f"curves must all have the same (seeds x epochs) shape, got {sorted(shapes)}")
    return out


def epochs_table(curves: Any, target: float) -> dict[str, list[int | None]]:
    """For each activation, the epochs each seed's curve needs to reach ``target`` (None: never)."""
    checked = as_curves(curves)
    return {name: [epochs_to_target(row, target) for row in rows] for name, rows in checked.items()}


def speedup_ratios(curves: Any, target: float) -> np.ndarray:
    """Per seed: epochs tanh needs divided by epochs ReLU needs to reach ``target`` (NaN if either never does).

    A ratio above 1 means ReLU got there in fewer epochs; AlexNet's Figure 1 reports 6 for its network.
    """
    table = epochs_table(curves, target)
    missing = [name for name in (FAST, SLOW) if name not in table]
    if missing:
        raise ValueError(f"curves must contain both {FAST!r} and {SLOW!r}, missing {missing}")
    return np.array([np.nan if fast is None or slow is None else slow / fast
                     for fast, slow in zip(table[FAST], table[SLOW])])


@dataclass(frozen=True)
class ConvergenceStudy:
    """The re-run's settings and its training-error curves (activation -> seeds x epochs)."""

    seeds: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rates: dict[str, float]
    curves: dict[str, np.ndarray]


def run_study(X: Any, y: Any, *, seeds: Sequence[int], epochs: int, batch_size: int,
              learning_rates: Mapping[str, float]) -> ConvergenceStudy:
    """Train :func:`small_cnn` with each activation of ``learning_rates`` for every seed (plain SGD).

    ``learning_rates`` maps each activation to its own learning rate, as the paper chose one per
    network; pass the same value twice to compare at one learning rate. All settings are validated
    before the first network is trained.
    """
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of integer seeds, got {seeds!r}")
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or not 0 <= s <= MAX_SEED:
            raise ValueError(f"seeds must be integers in [0, {MAX_SEED}], got {s!r}")
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    if not isinstance(learning_rates, Mapping) or not learning_rates:
        raise TypeError("learning_rates must be a non-empty mapping from activation to learning rate")
    rates = {}
    for name, lr in learning_rates.items():
        if name not in ACTIVATIONS:
            raise ValueError(f"learning_rates keys must be among {ACTIVATIONS}, got {name!r}")
        rates[name] = real_scalar(lr, f"learning_rates[{name!r}]", low=0.0)
        if rates[name] == 0:
            raise ValueError(f"learning_rates[{name!r}] must be positive, got 0")
    curves = {name: np.stack([training_errors(name, X, y, epochs=epochs, learning_rate=lr,
                                              batch_size=batch_size, seed=int(s)) for s in seeds])
              for name, lr in rates.items()}
    return ConvergenceStudy(tuple(int(s) for s in seeds), epochs, batch_size, rates, curves)


def draw_speedup_vs_target(ax: Axes, curves: Any, targets: Sequence[float]) -> np.ndarray:
    """Plot the ratio tanh / ReLU of epochs-to-target against the target, per seed and on average.

    Targets are error rates in (0, 1], drawn in percent on a log axis; the paper's single point
    (25 %, 6) is marked for comparison. Returns the ratios, shape (targets, seeds); NaN where a curve
    never reaches a target (those points are not drawn).
    """
    grid = as_real_array(targets, "targets")
    if grid.ndim != 1 or grid.size == 0 or np.any(grid <= 0) or np.any(grid > 1):
        raise ValueError("targets must be a non-empty 1-D sequence of error rates in (0, 1]")
    ratios = np.array([speedup_ratios(curves, float(t)) for t in grid])
    percent = 100 * grid
    for i in range(ratios.shape[1]):
        ax.plot(percent, ratios[:, i], color=PALETTE["function"], linestyle="-", linewidth=0.9, alpha=0.5,
                marker=".", label="one seed" if i == 0 else None)
    mean = ratios.mean(axis=1)  # NaN where some seed never reaches the target
    ax.plot(percent, mean, color=PALETTE["function"], linestyle="--", linewidth=2.2, label="mean over seeds")
    ax.axhline(1.0, color=PALETTE["ink"], linewidth=0.8, alpha=0.6, zorder=0)
    ax.plot([100 * PAPER_TARGET], [PAPER_SPEEDUP], linestyle="none", marker="*", markersize=13,
            color=PALETTE["derivative"], label="AlexNet Fig. 1 (CIFAR-10)")
    ax.set_xscale("log")
    ticks = [t for t in (1, 2, 3, 5, 10, 20, 30, 50, 100) if percent.min() <= t <= percent.max()]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("target training error (%)")
    ax.set_ylabel("epochs tanh / epochs ReLU")
    return ratios
