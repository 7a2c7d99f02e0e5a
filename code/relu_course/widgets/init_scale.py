"""The initialisation-scale explorer of chapter 13: weight scale and depth -> the signal in every layer.

A batch of the digits goes forward through a bias-free ReLU MLP whose kernels are He-normal times a
scale (relu_course.mistakes_numerical). The panel shows, layer by layer, the standard deviation of the
outputs (log scale) and the share of outputs that are exactly 0 and of units that are 0 for every
example. Forward only, in NumPy: a slider move takes milliseconds.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_course._validation import int_in_range, real_scalar
from relu_course.datasets import digits
from relu_course.mistakes_numerical import ActivationStats, activation_statistics
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: Slider of the weight scale, a multiple of the He standard deviation, in powers of ten: (min, max, step).
SCALE_LOG10_RANGE = (-1.0, 1.0, 0.05)
#: Slider of the number of ReLU layers: (min, max, step).
DEPTH_RANGE = (1, 50, 1)
#: The explorer's network and batch: layer width, number of digit images, seed of kernels and batch.
EXPLORER_WIDTH = 128
EXPLORER_BATCH = 256
EXPLORER_SEED = 0


def _scale(scale: Any) -> float:
    lo, hi = 10.0 ** SCALE_LOG10_RANGE[0], 10.0 ** SCALE_LOG10_RANGE[1]
    return real_scalar(scale, "scale", low=lo * (1 - 1e-9), high=hi * (1 + 1e-9))


def _depth(depth: Any) -> int:
    return int_in_range(depth, "depth", *DEPTH_RANGE[:2])


@lru_cache(maxsize=256)
def _statistics(scale: float) -> ActivationStats:
    X, _ = digits(EXPLORER_BATCH, seed=EXPLORER_SEED)
    return activation_statistics(X, scale=scale, depth=DEPTH_RANGE[1], width=EXPLORER_WIDTH, seed=EXPLORER_SEED)


def init_scale_statistics(scale: float, depth: int) -> ActivationStats:
    """The explorer's measurement for one slider setting: the first ``depth`` layers of the deepest
    stack (the kernels are drawn layer after layer, so a shallower stack is its beginning)."""
    scale, depth = round(_scale(scale), 12), _depth(depth)
    full = _statistics(scale)
    return ActivationStats(full.scale, full.std[:depth].copy(), full.zero_share[:depth].copy(),
                           full.dead_share[:depth].copy())


def _draw(ax_std: Axes, ax_zero: Axes, scale: float, depth: int, detailed: bool) -> ActivationStats:
    stats = init_scale_statistics(scale, depth)
    he = init_scale_statistics(1.0, depth)
    layers = np.arange(1, depth + 1)
    ax_std.plot(layers, he.std, color=PALETTE["blocked"], linestyle="--", linewidth=1.2, label="He (scale 1)")
    ax_std.plot(layers, stats.std, color=PALETTE["function"], marker="o", markersize=3, label="this scale")
    ax_std.set_yscale("log")
    ax_std.set_xlabel("layer")
    ax_std.set_ylabel("std of the layer's outputs")
    ax_zero.plot(layers, stats.zero_share, color=PALETTE["derivative"], marker="o", markersize=3,
                 label="outputs exactly 0")
    ax_zero.plot(layers, stats.dead_share, color=PALETTE["pass"], linestyle="-.", marker="s", markersize=3,
                 label="units 0 on every example")
    ax_zero.set_ylim(-0.02, 1.02)
    ax_zero.set_xlabel("layer")
    ax_zero.set_ylabel("share")
    title = f"scale {scale:.3g} × He, {depth} layers"
    if detailed:
        ax_std.set_title(f"{title}\nlast layer std {stats.std[-1]:.2e}")
        ax_zero.set_title(f"last layer: {stats.zero_share[-1]:.0%} zeros, {stats.dead_share[-1]:.0%} units dead")
        ax_std.legend(loc="best")
        ax_zero.legend(loc="best")
    else:
        ax_std.set_title(title)
    return stats


def init_scale_panel(scale: float, depth: int) -> Figure:
    """The explorer's update function: std per layer (left) and shares of zeros per layer (right)."""
    scale, depth = _scale(scale), _depth(depth)
    fig, (ax_std, ax_zero) = figure(ncols=2, width=PANEL_WIDTH * 2.2, height=PANEL_HEIGHT * 1.15)
    _draw(ax_std, ax_zero, scale, depth, detailed=True)
    return fig


def init_scale_small_multiples(scales: Sequence[float], depth: int = 30) -> Figure:
    """Static rendition of the explorer: one column per scale; std per layer on top (same log axis for
    all), shares of zeros below."""
    if isinstance(scales, (str, bytes)) or not hasattr(scales, "__iter__"):
        raise TypeError(f"scales must be a sequence of weight scales, got {scales!r}")
    scale_list, depth = [_scale(s) for s in scales], _depth(depth)
    if not scale_list:
        raise ValueError("scales must not be empty")
    fig, axes = figure(ncols=len(scale_list), nrows=2, width=PANEL_WIDTH * 0.85 * len(scale_list),
                       height=PANEL_HEIGHT * 1.8 + 0.4)
    axes = np.asarray(axes).reshape(2, len(scale_list))
    for col, scale in enumerate(scale_list):
        _draw(axes[0, col], axes[1, col], scale, depth, detailed=False)
    lows = [ax.get_ylim()[0] for ax in axes[0]]
    highs = [ax.get_ylim()[1] for ax in axes[0]]
    for col in range(len(scale_list)):
        axes[0, col].set_ylim(min(lows), max(highs))
        if col:
            axes[0, col].set_ylabel("")
            axes[1, col].set_ylabel("")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    more_handles, more_labels = axes[1, 0].get_legend_handles_labels()
    handles, labels = handles + more_handles, labels + more_labels
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


@live_explorer
def init_scale_explorer() -> Any:
    """Live explorer: a log slider for the weight scale and a depth slider redraw
    :func:`init_scale_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(scale: float, depth: int) -> None:
        init_scale_panel(scale, depth)
        plt.show()

    lo, hi, step = SCALE_LOG10_RANGE
    dlo, dhi, dstep = DEPTH_RANGE
    return widgets.interactive(
        update,
        scale=widgets.FloatLogSlider(value=1.0, base=10, min=lo, max=hi, step=step, description="scale × He"),
        depth=widgets.IntSlider(value=30, min=dlo, max=dhi, step=dstep, description="layers"),
    )
