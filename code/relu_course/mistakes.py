"""The training mistakes of chapter 13, each one run: its symptom measured, and the same measurement
after the fix.

Every case trains the small NumPy networks of :mod:`relu_course.mistakes_mlp` (several seeds side
by side, optimizers from :mod:`relu_course.mini_experiment`) and returns plain arrays, one row per
seed; the chapter glues the numbers and draws them with the ``plot_*`` functions here. The numerical
mistakes (hand-written derivatives, NaN handling) and the activation statistics of badly scaled
initialisations live in :mod:`relu_course.mistakes_numerical`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from relu_course._validation import positive_int, real_scalar
from relu_course.dead_units import dead_unit_mask
from relu_course.mini_experiment import DigitsSplit
from relu_course.mistakes_mlp import (accuracy, hidden_outputs, input_derivative, kernel_gradients,
                                      layer_gradient_norms, make_mlp, predict, train)
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE, PALETTE, draw_zero_line
from relu_course.tables import markdown_table

N_CLASSES = 10


def _split(split: Any) -> DigitsSplit:
    if not isinstance(split, DigitsSplit):
        raise TypeError(f"split must be a DigitsSplit (see mini_experiment.split_digits), got {type(split).__name__}")
    return split


def _widths(hidden: Any) -> list[int]:
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden must be a sequence of layer widths, got {hidden!r}")
    widths = [positive_int(w, "hidden") for w in hidden]
    if not widths:
        raise ValueError("hidden must name at least one hidden layer")
    return widths


def settings_table(settings: Mapping[str, Any], **fixed: Any) -> str:
    """A two-column Markdown table (setting, value) of the keyword arguments a case is called with,
    followed by the ``fixed`` settings that the case does not take as arguments (e.g. ``init="He"``).
    Underscores in names become spaces; lists are joined with commas, floats printed with :g."""
    if not isinstance(settings, Mapping) or not settings:
        raise TypeError("settings must be a non-empty mapping from a setting's name to its value")

    def text(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, Mapping):
            return "; ".join(f"{k} ({', '.join(f'{a}={text(b)}' for a, b in v.items())})"
                             if isinstance(v, Mapping) else f"{k}: {text(v)}" for k, v in value.items())
        if isinstance(value, (list, tuple, range)):
            return ", ".join(text(v) for v in value)
        return str(value)

    rows = [(str(name).replace("_", " "), text(value)) for name, value in {**settings, **fixed}.items()]
    return markdown_table(["setting", "value"], rows)


def _style(i: int) -> dict[str, Any]:
    return {"color": COLOR_CYCLE[i % len(COLOR_CYCLE)], "linestyle": LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)]}


# ------------------------------------------------------------------ 1. ReLU on a regression output
def saddle_data(n: int = 600, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points drawn uniformly from the square [-2, 2]², and the target y = x1 · x2, a saddle:
    negative in two quadrants, so about half the targets are below 0."""
    n = positive_int(n, "n")
    X = np.random.default_rng(seed).uniform(-2.0, 2.0, (n, 2))
    return X, X[:, 0] * X[:, 1]


@dataclass(frozen=True)
class HeadResult:
    """Test-set predictions of regression networks with one output activation, one row per seed."""

    output_activation: str | None
    seeds: tuple[int, ...]
    predictions: np.ndarray   # (seeds, test examples)
    y_test: np.ndarray
    train_loss: np.ndarray    # (seeds, epochs + 1)

    @property
    def zero_share(self) -> np.ndarray:
        """Per seed, the share of test predictions that are exactly 0."""
        return np.mean(self.predictions == 0.0, axis=1)

    def _rmse(self, rows: np.ndarray) -> np.ndarray:
        return np.sqrt(np.mean((self.predictions[:, rows] - self.y_test[rows]) ** 2, axis=1))

    @property
    def rmse_negative(self) -> np.ndarray:
        """Per seed, the root-mean-square error on the test examples whose target is negative."""
        return self._rmse(self.y_test < 0)

    @property
    def rmse_positive(self) -> np.ndarray:
        """Per seed, the root-mean-square error on the test examples whose target is positive."""
        return self._rmse(self.y_test > 0)


def regression_head_case(*, output_activations: Sequence[str | None] = ("relu", None), seeds: Sequence[int],
                         hidden: Sequence[int], epochs: int, learning_rate: float, batch_size: int,
                         n_train: int = 400, n_test: int = 200, data_seed: int = 0) -> dict[str | None, HeadResult]:
    """Fit :func:`saddle_data` with a ReLU MLP (He init, Adam, mean squared error) whose output goes
    through each of ``output_activations`` (None: linear); results keyed by output activation."""
    X, y = saddle_data(positive_int(n_train, "n_train") + positive_int(n_test, "n_test"), seed=data_seed)
    results = {}
    for out in output_activations:
        net = make_mlp([2, *_widths(hidden), 1], output_activation=out, seeds=seeds)
        run = train(net, X[:n_train], y[:n_train], learning_rate=learning_rate, epochs=epochs, batch_size=batch_size)
        results[out] = HeadResult(out, run.seeds, predict(run.net, X[n_train:])[..., 0], y[n_train:], run.loss)
    return results


def plot_regression_head(axes: Sequence[Axes], results: Mapping[str | None, HeadResult], *,
                         seed_index: int = 0) -> None:
    """One panel per output activation: predicted against true target on the test set (one seed),
    with the line of perfect predictions."""
    for ax, (out, result) in zip(axes, results.items()):
        lo, hi = float(result.y_test.min()), float(result.y_test.max())
        ax.plot([lo, hi], [lo, hi], color=PALETTE["ink"], linewidth=0.8, linestyle="--", label="perfect")
        neg = result.y_test < 0
        pred = result.predictions[seed_index]
        ax.plot(result.y_test[neg], pred[neg], "o", color=PALETTE["derivative"], markersize=3, alpha=0.7,
                label="negative target")
        ax.plot(result.y_test[~neg], pred[~neg], "s", color=PALETTE["function"], markersize=3, alpha=0.7,
                label="positive target")
        draw_zero_line(ax)
        ax.set_xlabel("true target")
        ax.set_ylabel("prediction")
        ax.set_title("ReLU output" if out == "relu" else "linear output" if out is None else f"{out} output")
    axes[0].legend(loc="upper left")


# ------------------------------------------------------------------ 2. a learning rate that kills units
@dataclass(frozen=True)
class DyingResult:
    """Dead hidden units (inactive on every training example) before and after training, per seed and
    hidden layer, and the test accuracy per seed, for one learning rate."""

    learning_rate: float
    seeds: tuple[int, ...]
    dead_before: np.ndarray   # (seeds, hidden layers)
    dead_after: np.ndarray    # (seeds, hidden layers)
    units: tuple[int, ...]
    test_accuracy: np.ndarray

    @property
    def dead_overall(self) -> np.ndarray:
        """Per seed, the share of all hidden units that are dead after training."""
        return self.dead_after @ np.array(self.units) / sum(self.units)


def _dead_shares(net: Any, X: np.ndarray) -> np.ndarray:
    layers = hidden_outputs(net, X)
    return np.array([[dead_unit_mask(h[k]).mean() for h in layers] for k in range(net.n_networks)])


def dying_case(split: DigitsSplit, *, learning_rates: Sequence[float], seeds: Sequence[int], hidden: Sequence[int],
               epochs: int, batch_size: int, optimizer: str = "adam") -> list[DyingResult]:
    """Train the digits MLP (ReLU, He init, softmax cross-entropy) at each learning rate and count the
    dead hidden units on the whole training set (:func:`relu_course.dead_units.dead_unit_mask`)."""
    split = _split(split)
    widths = _widths(hidden)
    results = []
    for rate in learning_rates:
        net = make_mlp([split.X_train.shape[1], *widths, N_CLASSES], seeds=seeds)
        run = train(net, split.X_train, split.y_train, loss="cross_entropy", optimizer=optimizer,
                    learning_rate=rate, epochs=epochs, batch_size=batch_size)
        results.append(DyingResult(float(rate), run.seeds, _dead_shares(net, split.X_train),
                                   _dead_shares(run.net, split.X_train), tuple(widths),
                                   accuracy(run.net, split.X_test, split.y_test)))
    return results


def plot_dying_case(ax: Axes, results: Sequence[DyingResult]) -> None:
    """Dead share per hidden layer after training: one group of bars per learning rate (the mean over
    seeds), with one dot per seed."""
    n_layers = len(results[0].units)
    width = 0.8 / n_layers
    for j in range(n_layers):
        x = np.arange(len(results)) + (j - (n_layers - 1) / 2) * width
        means = [r.dead_after[:, j].mean() for r in results]
        ax.bar(x, means, width=width * 0.9, color=COLOR_CYCLE[j % len(COLOR_CYCLE)], alpha=0.75,
               hatch=["", "//", ".."][j % 3], edgecolor="white", label=f"hidden layer {j + 1}")
        for xi, r in zip(x, results):
            ax.plot(np.full(len(r.seeds), xi), r.dead_after[:, j], "o", color=PALETTE["ink"], markersize=3)
    ax.set_xticks(np.arange(len(results)), [f"learning rate {r.learning_rate:g}" for r in results])
    ax.set_ylim(0, 1)
    ax.set_ylabel("dead units after training")
    ax.legend(loc="upper left")


# ------------------------------------------------------------------ 3. a deep network without normalisation
@dataclass(frozen=True)
class DepthRun:
    """One deep setting trained with one optimizer: the loss curves and final training-set accuracy per
    seed, and the kernel-gradient norm of every layer at initialisation (per seed)."""

    label: str
    optimizer: str
    learning_rate: float
    loss: np.ndarray             # (seeds, epochs + 1)
    train_accuracy: np.ndarray   # (seeds,)
    gradient_norms: np.ndarray   # (seeds, layers), before training


def depth_case(split: DigitsSplit, *, settings: Mapping[str, Mapping[str, Any]], optimizers: Mapping[str, float],
               depth: int, width: int, epochs: int, batch_size: int,
               seeds: Sequence[int]) -> dict[tuple[str, str], DepthRun]:
    """Train a plain ReLU MLP with ``depth`` hidden layers of ``width`` units on the digits for every
    (optimizer, setting); ``settings`` maps a label to keyword arguments of
    :func:`relu_course.mistakes_mlp.make_mlp` (e.g. ``{"init": "glorot", "batchnorm": True}``) and
    ``optimizers`` an optimizer name to its learning rate. Keys of the result: (optimizer, label)."""
    split = _split(split)
    sizes = [split.X_train.shape[1], *([positive_int(width, "width")] * positive_int(depth, "depth")), N_CLASSES]
    runs = {}
    for label, options in settings.items():
        net = make_mlp(sizes, seeds=seeds, **options)
        norms = layer_gradient_norms(net, split.X_train, split.y_train, "cross_entropy")
        for optimizer, rate in optimizers.items():
            run = train(net, split.X_train, split.y_train, loss="cross_entropy", optimizer=optimizer,
                        learning_rate=rate, epochs=epochs, batch_size=batch_size)
            train_acc = accuracy(run.net, split.X_train, split.y_train, reference=split.X_train)
            runs[(optimizer, label)] = DepthRun(label, optimizer, float(rate), run.loss, train_acc, norms)
    return runs


def plot_depth_losses(axes: Sequence[Axes], runs: Mapping[tuple[str, str], DepthRun]) -> None:
    """One panel per optimizer: the training loss over epochs for every setting (thick: mean over seeds,
    thin: each seed)."""
    optimizers = list(dict.fromkeys(opt for opt, _ in runs))
    labels = list(dict.fromkeys(label for _, label in runs))
    for ax, opt in zip(axes, optimizers):
        for i, label in enumerate(labels):
            run = runs[(opt, label)]
            epochs = np.arange(run.loss.shape[1])
            ax.plot(epochs, run.loss.mean(axis=0), label=label, **_style(i))
            for curve in run.loss:
                ax.plot(epochs, curve, linewidth=0.7, alpha=0.5, color=_style(i)["color"])
        ax.axhline(np.log(N_CLASSES), color=PALETTE["blocked"], linewidth=0.8)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")
        name = "plain SGD" if opt == "sgd" else "Adam"
        ax.set_title(f"{name}, learning rate {runs[(opt, labels[0])].learning_rate:g}")
    axes[0].legend(loc="lower left")


def plot_gradient_norms(ax: Axes, runs: Mapping[tuple[str, str], DepthRun], *, seed_index: int = 0) -> None:
    """The kernel-gradient norm of every layer at initialisation, per setting (one seed), log scale."""
    seen: list[str] = []
    for (_, label), run in runs.items():
        if label in seen:
            continue
        norms = run.gradient_norms[seed_index]
        ax.plot(np.arange(1, norms.size + 1), norms, marker="o", markersize=3, label=label, **_style(len(seen)))
        seen.append(label)
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = first)")
    ax.set_ylabel("gradient norm at initialisation")
    ax.legend(loc="best")


# ------------------------------------------------------------------ 4. zero and constant initialisation
@dataclass(frozen=True)
class SymmetryRun:
    """One initialisation: the largest |gradient| of every hidden kernel at the start (per seed, per
    hidden layer), the loss curves, the test accuracy and, after training, how many different units
    (columns of its kernel that differ by more than rounding, :data:`SAME_UNIT_RTOL`) each hidden layer
    has."""

    label: str
    start_gradient: np.ndarray   # (seeds, hidden layers)
    loss: np.ndarray             # (seeds, epochs + 1)
    test_accuracy: np.ndarray    # (seeds,)
    distinct_units: np.ndarray   # (seeds, hidden layers)
    units: tuple[int, ...]


#: Two units count as the same when their weights differ by at most this share of the largest weight:
#: units that start equal receive equal gradients, but a matrix product may round them differently.
SAME_UNIT_RTOL = 1e-8


def _distinct_columns(W: np.ndarray) -> int:
    """How many different units (columns of the kernel ``W``) there are, up to rounding."""
    tol = SAME_UNIT_RTOL * max(float(np.abs(W).max()), np.finfo(float).tiny)
    kept: list[np.ndarray] = []
    for column in W.T:
        if not any(np.max(np.abs(column - other)) <= tol for other in kept):
            kept.append(column)
    return len(kept)


def symmetry_case(split: DigitsSplit, *, settings: Mapping[str, Mapping[str, Any]], hidden: Sequence[int],
                  epochs: int, learning_rate: float, batch_size: int, seeds: Sequence[int],
                  optimizer: str = "adam") -> dict[str, SymmetryRun]:
    """Train the digits MLP from each initialisation in ``settings`` (label -> keyword arguments of
    :func:`relu_course.mistakes_mlp.make_mlp`, e.g. ``{"init": "zeros"}``)."""
    split = _split(split)
    widths = _widths(hidden)
    runs = {}
    for label, options in settings.items():
        net = make_mlp([split.X_train.shape[1], *widths, N_CLASSES], seeds=seeds, **options)
        hidden_grads = kernel_gradients(net, split.X_train, split.y_train, "cross_entropy")[:-1]
        start = np.stack([np.abs(dW).max(axis=(1, 2)) for dW in hidden_grads], axis=1)
        run = train(net, split.X_train, split.y_train, loss="cross_entropy", optimizer=optimizer,
                    learning_rate=learning_rate, epochs=epochs, batch_size=batch_size)
        distinct = np.array([[_distinct_columns(layer["W"][k]) for layer in run.net.params[:-1]]
                             for k in range(net.n_networks)])
        runs[label] = SymmetryRun(label, start, run.loss, accuracy(run.net, split.X_test, split.y_test),
                                  distinct, tuple(widths))
    return runs


def plot_symmetry_losses(ax: Axes, runs: Mapping[str, SymmetryRun]) -> None:
    """Training loss over epochs for every initialisation (thick: mean over seeds, thin: each seed)."""
    for i, (label, run) in enumerate(runs.items()):
        epochs = np.arange(run.loss.shape[1])
        ax.plot(epochs, run.loss.mean(axis=0), label=label, **_style(i))
        for curve in run.loss:
            ax.plot(epochs, curve, linewidth=0.7, alpha=0.5, color=_style(i)["color"])
    ax.axhline(np.log(N_CLASSES), color=PALETTE["blocked"], linewidth=0.8)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.legend(loc="best")


# ------------------------------------------------------------------ 5. a smooth target
@dataclass(frozen=True)
class SmoothFit:
    """Networks with one hidden activation fitted to sin(x): on a fine grid, their predictions and
    input derivatives (per seed), and the root-mean-square errors of both against sin and cos."""

    activation: str
    seeds: tuple[int, ...]
    grid: np.ndarray
    prediction: np.ndarray   # (seeds, grid points)
    derivative: np.ndarray   # (seeds, grid points)

    @property
    def function_rmse(self) -> np.ndarray:
        return np.sqrt(np.mean((self.prediction - np.sin(self.grid)) ** 2, axis=1))

    @property
    def derivative_rmse(self) -> np.ndarray:
        return np.sqrt(np.mean((self.derivative - np.cos(self.grid)) ** 2, axis=1))


def smooth_target_case(*, activations: Sequence[str], seeds: Sequence[int], hidden: Sequence[int], steps: int,
                       learning_rate: float, n_train: int = 64, n_grid: int = 501, init: str = "glorot",
                       interval: float = np.pi) -> dict[str, SmoothFit]:
    """Fit y = sin(x) on ``n_train`` evenly spaced points of [-interval, interval] with one MLP per
    activation (same widths, init, seeds; Adam on the full batch for ``steps`` steps, mean squared
    error), then measure the fitted function and its derivative on a finer grid."""
    interval = real_scalar(interval, "interval", low=0.1, high=100.0)
    x = np.linspace(-interval, interval, positive_int(n_train, "n_train"))
    grid = np.linspace(-interval, interval, positive_int(n_grid, "n_grid"))
    fits = {}
    for key in activations:
        net = make_mlp([1, *_widths(hidden), 1], activation=key, init=init, seeds=seeds)
        run = train(net, x[:, None], np.sin(x), learning_rate=learning_rate, epochs=steps, batch_size=x.size)
        fits[key] = SmoothFit(key, run.seeds, grid, predict(run.net, grid[:, None])[..., 0],
                              input_derivative(run.net, grid))
    return fits


def plot_smooth_fits(ax_function: Axes, ax_derivative: Axes, fits: Mapping[str, SmoothFit], *,
                     seed_index: int = 0) -> None:
    """Left: the error of the fitted function, fit − sin(x); right: the fitted derivative with cos(x)."""
    from relu_course.activation_registry import get_activation

    grid = next(iter(fits.values())).grid
    ax_derivative.plot(grid, np.cos(grid), color=PALETTE["ink"], linewidth=1.0, label="cos(x), the truth")
    for i, (key, fit) in enumerate(fits.items()):
        name = get_activation(key).name
        ax_function.plot(grid, fit.prediction[seed_index] - np.sin(grid), label=name, **_style(i))
        ax_derivative.plot(grid, fit.derivative[seed_index], label=name, **_style(i))
    draw_zero_line(ax_function)
    for ax in (ax_function, ax_derivative):
        ax.set_xlabel("x")
    ax_function.set_ylabel("fit − sin(x)")
    ax_derivative.set_ylabel("derivative of the fit")
    ax_function.legend(loc="best")
    ax_derivative.legend(loc="lower center")
