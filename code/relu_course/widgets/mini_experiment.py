"""Figures and the explorer of chapter 11's mini experiment, drawn from results that were trained once.

Nothing here trains: every function takes the results of
:func:`relu_course.mini_experiment.run_grid` (a mapping ``(optimizer, activation) -> Runs``) or of
:func:`relu_course.mini_experiment.train_mlps`, so a slider move only redraws.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relu_course.activation_registry import get_activation
from relu_course.mini_experiment import Runs
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE, PALETTE, PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: What the explorer can plot: Runs attribute -> axis label.
METRICS: dict[str, str] = {
    "train_loss": "training loss (cross-entropy)",
    "train_accuracy": "training accuracy",
    "test_accuracy": "test accuracy",
}
OPTIMIZER_NAMES = {"sgd": "plain SGD", "adam": "Adam"}
MARKERS = ("o", "s", "^", "D", "v", "P")


def _results(results: Any) -> Mapping[tuple[str, str], Runs]:
    if not isinstance(results, Mapping) or not results:
        raise TypeError("results must be a non-empty mapping (optimizer, activation) -> Runs, as run_grid returns")
    for key, runs in results.items():
        if not (isinstance(key, tuple) and len(key) == 2) or not isinstance(runs, Runs):
            raise TypeError(f"results must map (optimizer, activation) to Runs; entry {key!r} does not")
    return results


def _metric(metric: Any) -> str:
    if not isinstance(metric, str) or metric not in METRICS:
        raise ValueError(f"metric must be one of {tuple(METRICS)}, got {metric!r}")
    return metric


def _axes_of(results: Mapping[tuple[str, str], Runs]) -> tuple[list[str], list[str]]:
    """The optimizers and activations present, in the order the results were made."""
    return list(dict.fromkeys(k[0] for k in results)), list(dict.fromkeys(k[1] for k in results))


def _pick(results: Mapping[tuple[str, str], Runs], optimizer: Any, activation: Any) -> Runs:
    optimizers, activations = _axes_of(results)
    if optimizer not in optimizers:
        raise ValueError(f"optimizer must be one of {tuple(optimizers)}, got {optimizer!r}")
    if activation not in activations:
        raise ValueError(f"activation must be one of {tuple(activations)}, got {activation!r}")
    if (optimizer, activation) not in results:
        raise ValueError(f"results hold no runs for ({optimizer!r}, {activation!r})")
    return results[(optimizer, activation)]


def plot_runs(ax: Axes, runs: Runs, metric: str = "train_loss", *, legend: bool = True) -> None:
    """One curve per network of ``runs`` (labelled by seed) over the epochs; loss on a log scale."""
    if not isinstance(runs, Runs):
        raise TypeError(f"runs must be Runs, got {type(runs).__name__}")
    metric = _metric(metric)
    values = getattr(runs, metric)
    epochs = np.arange(values.shape[1])
    for i, (seed, curve) in enumerate(zip(runs.seeds, values)):
        ax.plot(epochs, curve, color=COLOR_CYCLE[i % len(COLOR_CYCLE)],
                linestyle=LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)], linewidth=1.6, label=f"seed {seed}")
    if metric == "train_loss":
        ax.set_yscale("log")
    else:
        ax.set_ylim(0.0, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(METRICS[metric])
    if legend:
        ax.legend(loc="best")


def _title(runs: Runs) -> str:
    rates = sorted(set(runs.learning_rates))
    rate = f"lr {rates[0]:g}" if len(rates) == 1 else "lr " + ", ".join(f"{r:g}" for r in rates)
    return f"{get_activation(runs.activation).name}, {OPTIMIZER_NAMES[runs.optimizer]} ({rate})"


def mini_experiment_panel(results: Any, optimizer: str, activation: str, metric: str = "train_loss") -> Figure:
    """The explorer's update function: ``metric`` over the epochs for every seed of one (optimizer,
    activation) pair, with the final test accuracy of each seed in the title."""
    runs = _pick(_results(results), optimizer, activation)
    fig, ax = figure(width=PANEL_WIDTH * 1.5, height=PANEL_HEIGHT * 1.1)
    plot_runs(ax, runs, metric)
    finals = ", ".join("—" if np.isnan(a) else f"{100 * a:.1f} %" for a in runs.final_test_accuracy)
    ax.set_title(f"{_title(runs)}\nfinal test accuracy per seed: {finals}")
    return fig


def mini_experiment_small_multiples(results: Any, metric: str = "train_loss") -> Figure:
    """Static rendition of the explorer: one panel per (optimizer, activation), rows by optimizer,
    columns by activation, shared axes, one curve per seed."""
    results, metric = _results(results), _metric(metric)
    optimizers, activations = _axes_of(results)
    fig, axes = figure(ncols=len(activations), nrows=len(optimizers), sharex=True, sharey=True,
                       width=2.35 * len(activations), height=2.2 * len(optimizers) + 0.5)
    axes = np.atleast_2d(axes).reshape(len(optimizers), len(activations))
    for row, opt in enumerate(optimizers):
        for col, act in enumerate(activations):
            ax = axes[row, col]
            if (opt, act) not in results:
                ax.set_axis_off()
                continue
            plot_runs(ax, results[(opt, act)], metric, legend=False)
            ax.set_title(f"{get_activation(act).name}, {OPTIMIZER_NAMES[opt]}", fontsize=9)
            if col:
                ax.set_ylabel("")
            if row < len(optimizers) - 1:
                ax.set_xlabel("")
    handles, labels = next(ax for ax in axes.flat if ax.lines).get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


def final_accuracy_figure(results: Any) -> Figure:
    """Final test accuracy of every network: one panel per optimizer, one column of dots per activation
    (a dot per seed, a bar at the mean), so the spread over seeds is visible next to the mean."""
    results = _results(results)
    optimizers, activations = _axes_of(results)
    fig, axes = figure(ncols=len(optimizers), sharey=True, width=3.6 * len(optimizers), height=3.2)
    for ax, opt in zip(np.atleast_1d(axes), optimizers):
        for i, act in enumerate(activations):
            if (opt, act) not in results:
                continue
            finals = results[(opt, act)].final_test_accuracy
            shown = np.where(np.isnan(finals), 0.0, finals)  # a diverged run is drawn at 0
            offsets = np.linspace(-0.15, 0.15, finals.size) if finals.size > 1 else np.zeros(1)
            ax.scatter(i + offsets, shown, s=22, color=COLOR_CYCLE[i % len(COLOR_CYCLE)],
                       marker=MARKERS[i % len(MARKERS)], zorder=3)
            ax.hlines(np.nanmean(finals) if np.any(~np.isnan(finals)) else 0.0, i - 0.3, i + 0.3,
                      color=PALETTE["ink"], linewidth=1.5)
        ax.set_xticks(range(len(activations)), [get_activation(a).name for a in activations],
                      rotation=30, ha="right")
        ax.set_ylim(0.0, 1.02)
        ax.set_title(OPTIMIZER_NAMES[opt])
    np.atleast_1d(axes)[0].set_ylabel("final test accuracy")
    return fig


def learning_rate_figure(sweeps: Sequence[Runs]) -> Figure:
    """Final test accuracy against the learning rate (log scale), one curve per sweep, one panel per
    optimizer, one style per activation; a diverged network is drawn as an open marker at 0."""
    if isinstance(sweeps, Runs) or not isinstance(sweeps, (list, tuple)) or not sweeps:
        raise TypeError("sweeps must be a non-empty list of Runs, each over several learning rates")
    if not all(isinstance(s, Runs) for s in sweeps):
        raise TypeError("sweeps must hold Runs returned by train_mlps")
    optimizers = list(dict.fromkeys(s.optimizer for s in sweeps))
    activations = list(dict.fromkeys(s.activation for s in sweeps))  # one style per activation
    fig, axes = figure(ncols=len(optimizers), sharey=True, width=3.8 * len(optimizers), height=3.2)
    axes = np.atleast_1d(axes)
    for runs in sweeps:
        i = activations.index(runs.activation)
        ax = axes[optimizers.index(runs.optimizer)]
        rates, finals = np.array(runs.learning_rates), runs.final_test_accuracy
        order = np.argsort(rates)
        rates, finals = rates[order], finals[order]
        style = {"color": COLOR_CYCLE[i % len(COLOR_CYCLE)], "marker": MARKERS[i % len(MARKERS)]}
        ax.plot(rates, finals, linestyle=LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)],
                label=get_activation(runs.activation).name, **style)
        diverged = np.isnan(finals)
        if diverged.any():
            ax.plot(rates[diverged], np.zeros(diverged.sum()), linestyle="none", markerfacecolor="white", **style)
    for ax, opt in zip(axes, optimizers):
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.set_ylim(-0.03, 1.02)
        ax.set_title(OPTIMIZER_NAMES[opt])
        ax.legend(loc="best")
    axes[0].set_ylabel("final test accuracy")
    return fig


@live_explorer
def mini_experiment_explorer(results: Any) -> Any:
    """Live explorer: optimizer, activation and metric pick which precomputed curves
    :func:`mini_experiment_panel` draws. Needs ipywidgets; trains nothing."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    results = _results(results)
    optimizers, activations = _axes_of(results)

    def update(optimizer: str, activation: str, metric: str) -> None:
        mini_experiment_panel(results, optimizer, activation, metric)
        plt.show()

    return widgets.interactive(
        update,
        optimizer=widgets.Dropdown(options=[(OPTIMIZER_NAMES[o], o) for o in optimizers],
                                   value=optimizers[0], description="optimizer"),
        activation=widgets.Dropdown(options=[(get_activation(a).name, a) for a in activations],
                                    value=activations[0], description="activation"),
        metric=widgets.Dropdown(options=[(label, key) for key, label in METRICS.items()],
                                value="train_loss", description="curve"),
    )
