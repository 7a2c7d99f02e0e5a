"""The dying-ReLU explorer of chapter 10: learning rate and initialisation -> dead units over training.

Training takes seconds, a slider move must take milliseconds: the explorer never trains. The chapter
trains a small grid of settings once (relu_course.tips_experiments) and passes the results in; the
update function only draws the recorded dead-unit histories of one grid cell.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE, PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.tips_experiments import TipRun
from relu_course._validation import sequence_of
from relu_course.widgets.live import live_explorer

Grid = Mapping[tuple[float, str], Sequence[TipRun]]


def grid_axes(grid: Any) -> tuple[list[float], list[str]]:
    """The learning rates (ascending) and initialisation labels (in first-seen order) of a complete grid.

    ``grid`` maps ``(learning_rate, init_label)`` to the runs (one per seed) of that cell; every
    combination must be present, every run must have the same layers.
    """
    if not isinstance(grid, Mapping) or not grid:
        raise TypeError("grid must be a non-empty mapping from (learning_rate, init_label) to a list of TipRun")
    rates: list[float] = []
    inits: list[str] = []
    for key, runs in grid.items():
        if (not isinstance(key, tuple) or len(key) != 2 or isinstance(key[0], bool)
                or not isinstance(key[0], (int, float)) or not isinstance(key[1], str)):
            raise TypeError(f"grid keys must be (learning_rate, init_label) pairs, got {key!r}")
        if isinstance(runs, (str, bytes)) or not runs or not all(isinstance(r, TipRun) for r in runs):
            raise TypeError(f"grid[{key!r}] must be a non-empty list of TipRun")
        rates += [float(key[0])] if float(key[0]) not in rates else []
        inits += [key[1]] if key[1] not in inits else []
    missing = [(r, i) for r in rates for i in inits if (r, i) not in grid]
    if missing:
        raise ValueError(f"grid must hold every (learning_rate, init) combination; missing {missing}")
    layers = {run.history.layer_names for runs in grid.values() for run in runs}
    if len(layers) != 1:
        raise ValueError(f"every run of the grid must have the same layers, got {sorted(layers)}")
    return sorted(rates), inits


def _cell(grid: Grid, learning_rate: Any, init: Any) -> Sequence[TipRun]:
    rates, inits = grid_axes(grid)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.floating)):
        raise TypeError(f"learning_rate must be a number, got {learning_rate!r}")
    if float(learning_rate) not in rates:
        raise ValueError(f"learning_rate must be one of the grid's {rates}, got {learning_rate!r}")
    if init not in inits:
        raise ValueError(f"init must be one of the grid's {inits}, got {init!r}")
    return grid[(float(learning_rate), init)]


def mean_dead_per_layer(runs: Sequence[TipRun]) -> np.ndarray:
    """The dead fraction per record and layer, averaged over the runs (seeds); shape (records, layers)."""
    runs = sequence_of(runs, TipRun, "runs", "TipRun (one per seed)")
    if not runs:
        raise ValueError("runs must not be empty")
    return np.mean([run.history.dead for run in runs], axis=0)


def _draw(ax: Axes, runs: Sequence[TipRun], title: str, legend: bool) -> None:
    history = runs[0].history
    mean = mean_dead_per_layer(runs)
    for i, name in enumerate(history.layer_names):
        style = {"color": COLOR_CYCLE[i % len(COLOR_CYCLE)], "linestyle": LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)]}
        for run in runs:  # each seed, thin
            ax.plot(run.history.epochs, run.history.dead[:, i], linewidth=0.8, alpha=0.45, **style)
        ax.plot(history.epochs, mean[:, i], marker="o", markersize=3, label=f"layer {i + 1}", **style)
    ax.set_ylim(-0.03, 1.03)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    if legend:
        ax.legend(loc="upper left")


def _accuracy_text(runs: Sequence[TipRun]) -> str:
    acc = np.array([r.test_accuracy for r in runs])
    if not np.all(np.isfinite(acc)):
        return "diverged"
    return f"acc {acc.mean():.2f}"


def dying_panel(grid: Grid, learning_rate: float, init: str) -> Figure:
    """The explorer's update function: dead units per hidden layer over the epochs for one grid cell
    (thick: mean over seeds, thin: each seed), with the mean test accuracy in the title."""
    runs = _cell(grid, learning_rate, init)
    fig, ax = figure(width=PANEL_WIDTH * 1.5, height=PANEL_HEIGHT * 1.1)
    _draw(ax, runs, f"learning rate {learning_rate:g}, {init}: {_accuracy_text(runs)}", legend=True)
    ax.set_xlabel("epoch (0 = before training)")
    ax.set_ylabel("dead units (share of layer)")
    return fig


def dying_small_multiples(grid: Grid, learning_rates: Sequence[float] | None = None,
                          inits: Sequence[str] | None = None) -> Figure:
    """Static rendition: one panel per (init, learning rate), rows by initialisation."""
    all_rates, all_inits = grid_axes(grid)
    rates = all_rates if learning_rates is None else list(learning_rates)
    init_list = all_inits if inits is None else list(inits)
    if not rates or not init_list:
        raise ValueError("learning_rates and inits must not be empty")
    for init in init_list:
        for rate in rates:
            _cell(grid, rate, init)
    fig, axes = figure(ncols=len(rates), nrows=len(init_list), sharex=True, sharey=True,
                       width=PANEL_WIDTH * 0.72 * len(rates), height=PANEL_HEIGHT * 0.8 * len(init_list) + 0.4)
    axes = np.atleast_2d(axes).reshape(len(init_list), len(rates))
    for row, init in enumerate(init_list):
        for col, rate in enumerate(rates):
            runs = grid[(float(rate), init)]
            _draw(axes[row, col], runs, f"lr {rate:g}: {_accuracy_text(runs)}", legend=False)
        axes[row, 0].set_ylabel(f"{init}\ndead units")
    for ax in axes[-1]:
        ax.set_xlabel("epoch")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


@live_explorer
def dying_explorer(grid: Grid) -> Any:
    """Live explorer over the precomputed ``grid``: a learning-rate slider and an initialisation menu
    redraw :func:`dying_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    rates, inits = grid_axes(grid)

    def update(learning_rate: float, init: str) -> None:
        dying_panel(grid, learning_rate, init)
        plt.show()

    return widgets.interactive(
        update,
        learning_rate=widgets.SelectionSlider(options=[(f"{r:g}", r) for r in rates], value=rates[0],
                                              description="learning rate"),
        init=widgets.Dropdown(options=inits, value=inits[0], description="init"),
    )
