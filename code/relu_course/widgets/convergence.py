"""The convergence explorer of chapter 4: move the target training error, see who reaches it first.

The panel draws precomputed training-error curves (activation -> seeds x epochs, from
:func:`relu_course.convergence.run_study`) with the target as a horizontal line and a marker where
each curve first reaches it. Nothing is trained here: moving the slider only re-reads the curves.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from relu_course._validation import as_real_array, real_scalar
from relu_course.convergence import FAST, SLOW, as_curves, epochs_table, speedup_ratios
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: Slider range of the target training error, in percent: (min, max, step).
TARGET_RANGE = (1.0, 30.0, 0.5)
#: Colour and line style per activation; other names fall back to the accent colour.
CURVE_STYLE: dict[str, dict[str, Any]] = {
    "relu": {"color": PALETTE["function"], "linestyle": "-"},
    "tanh": {"color": PALETTE["derivative"], "linestyle": "--"},
}
LABELS = {"relu": "ReLU", "tanh": "tanh"}
#: Tick marks of the logarithmic error axis, in percent.
PERCENT_TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def _target_percent(target_percent: Any) -> float:
    return real_scalar(target_percent, "target_percent", low=0.0, high=100.0)


def _mean_epochs(epochs: list[int | None]) -> str:
    reached = [e for e in epochs if e is not None]
    if len(reached) == len(epochs):
        return f"{np.mean(reached):.1f}"
    return f"{len(epochs) - len(reached)} of {len(epochs)} never"


def summary_lines(curves: Any, target_percent: float) -> list[str]:
    """The target, the mean epochs to reach it per activation, and the mean ratio tanh / ReLU."""
    target = _target_percent(target_percent) / 100
    table = epochs_table(curves, target)
    lines = [f"target {target_percent:g} %",
             "epochs: " + ", ".join(f"{LABELS.get(k, k)} {_mean_epochs(v)}" for k, v in table.items())]
    if FAST in table and SLOW in table:
        ratios = speedup_ratios(curves, target)
        lines.append(f"tanh / ReLU {np.mean(ratios):.2f}" if np.all(np.isfinite(ratios))
                     else "tanh / ReLU undefined")
    return lines


def summary(curves: Any, target_percent: float) -> str:
    """:func:`summary_lines` as one line of text."""
    return "; ".join(summary_lines(curves, target_percent))


def draw_convergence(ax: Axes, curves: Any, target_percent: float, *, detailed: bool = True) -> None:
    """Draw every seed's training error (percent, log axis), the target line and first-reach markers."""
    checked = as_curves(curves)
    target_percent = _target_percent(target_percent)
    target = target_percent / 100
    table = epochs_table(checked, target)
    n_epochs = next(iter(checked.values())).shape[1]
    epochs = np.arange(1, n_epochs + 1)
    for name, rows in checked.items():
        style = CURVE_STYLE.get(name, {"color": PALETTE["accent"], "linestyle": ":"})
        for i, row in enumerate(rows):
            ax.plot(epochs, 100 * row, linewidth=1.4, alpha=0.85, label=LABELS.get(name, name) if i == 0 else None,
                    **style)
        hits = [(e, 100 * rows[i, e - 1]) for i, e in enumerate(table[name]) if e is not None]
        if hits:
            xs, ys = zip(*hits)
            ax.plot(xs, ys, linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                    color=style["color"])
    ax.axhline(target_percent, color=PALETTE["ink"], linestyle=":", linewidth=1.2, label="target")
    ax.set_yscale("log", nonpositive="mask")
    ax.yaxis.set_major_locator(FixedLocator(PERCENT_TICKS))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("epoch")
    ax.set_ylabel("training error (%)")
    ax.set_xticks(epochs[:: max(1, n_epochs // 6)])
    ax.set_title("\n".join(summary_lines(checked, target_percent)) if detailed
                 else f"target {target_percent:g} %")


def convergence_panel(curves: Any, target_percent: float) -> Figure:
    """The explorer's update function: one figure for one target training error (in percent)."""
    fig, ax = figure(width=PANEL_WIDTH * 1.6, height=PANEL_HEIGHT * 1.2)
    draw_convergence(ax, curves, target_percent)
    ax.legend(loc="upper right")
    return fig


def convergence_small_multiples(curves: Any, targets_percent: Sequence[float]) -> Figure:
    """Static rendition: one panel per target (in percent), shared axes, titles with the summary."""
    targets = as_real_array(targets_percent, "targets_percent")
    if targets.ndim != 1 or targets.size == 0:
        raise ValueError("targets_percent must be a non-empty 1-D sequence of numbers")
    checked = as_curves(curves)
    fig, axes = figure(ncols=targets.size, sharey=True, width=PANEL_WIDTH * 0.8 * targets.size,
                       height=PANEL_HEIGHT * 1.3)
    for ax, target in zip(np.atleast_1d(axes), targets):
        draw_convergence(ax, checked, float(target))
        ax.title.set_fontsize(9)
    for ax in np.atleast_1d(axes)[1:]:
        ax.set_ylabel("")
    handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


@live_explorer
def convergence_explorer(curves: Any) -> Any:
    """Live explorer: a slider for the target training error redraws :func:`convergence_panel`."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    checked = as_curves(curves)  # validate once, before any slider moves

    def update(target_percent: float) -> None:
        convergence_panel(checked, target_percent)
        plt.show()

    lo, hi, step = TARGET_RANGE
    return widgets.interactive(
        update,
        target_percent=widgets.FloatSlider(value=5.0, min=lo, max=hi, step=step,
                                           description="target (%)"),
    )
