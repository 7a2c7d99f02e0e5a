"""The linear-pieces explorer of chapter 2: a random ReLU network on R, cut into its linear pieces.

Sliders set the width, the depth and the seed of a random network ``1 -> depth x width -> 1``
(He-normal weights, normal biases; see :func:`relu_course.linear_regions.random_layers`);
the panel draws its graph on :data:`REGION_X_LIMITS`, one colour per linear piece, and counts them.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_course._validation import as_real_array, positive_int
from relu_course.linear_regions import (PiecewiseLinear1D, draw_linear_pieces, linear_pieces_1d,
                                        random_layers)
from relu_course.seeding import MAX_SEED
from relu_course.style import PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: Slider ranges of the explorer: (min, max, step).
REGION_WIDTH_RANGE = (1, 32, 1)
REGION_DEPTH_RANGE = (1, 4, 1)
REGION_SEED_RANGE = (0, 20, 1)
#: The stretch of the input axis that is drawn and counted, and the number of grid points on it.
REGION_X_LIMITS = (-3.0, 3.0)
REGION_GRID_POINTS = 4001


def _in_range(value: Any, name: str, bounds: tuple[int, int, int]) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} ({value!r})")
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must lie in [{bounds[0]}, {bounds[1]}], got {value}")
    return int(value)


def region_pieces(width: int, depth: int, seed: int = 0) -> PiecewiseLinear1D:
    """The linear pieces of the explorer's network for one setting of the sliders."""
    width = _in_range(width, "width", REGION_WIDTH_RANGE)
    depth = _in_range(depth, "depth", REGION_DEPTH_RANGE)
    seed = _in_range(seed, "seed", (0, MAX_SEED, 1))
    layers = random_layers([1] + [width] * depth + [1], seed=seed)
    return linear_pieces_1d(layers, np.linspace(*REGION_X_LIMITS, REGION_GRID_POINTS))


def draw_region_panel(ax: Axes, width: int, depth: int, seed: int = 0) -> int:
    """Draw one setting on ``ax``, titled with its piece count; return the count."""
    pieces = region_pieces(width, depth, seed)
    draw_linear_pieces(ax, pieces)
    bound = f" (at most {width + 1})" if depth == 1 else ""
    noun = "piece" if pieces.n_pieces == 1 else "pieces"
    ax.set_title(f"{depth} x {width} units, seed {seed}\n{pieces.n_pieces} linear {noun}{bound}")
    return pieces.n_pieces


def regions_panel(width: int, depth: int, seed: int = 0) -> Figure:
    """The explorer's update function: one figure for one setting of the sliders."""
    fig, ax = figure(width=PANEL_WIDTH * 1.5, height=PANEL_HEIGHT)
    draw_region_panel(ax, width, depth, seed)
    return fig


def regions_small_multiples(widths: Sequence[int], depths: Sequence[int], seed: int = 0) -> Figure:
    """Static rendition of the explorer: one panel per (depth, width) pair, rows by depth."""
    widths_arr, depths_arr = as_real_array(widths, "widths"), as_real_array(depths, "depths")
    if widths_arr.ndim != 1 or depths_arr.ndim != 1 or widths_arr.size == 0 or depths_arr.size == 0:
        raise ValueError("widths and depths must be non-empty 1-D sequences of integers")
    w_list = [positive_int(w, "widths") for w in widths]
    d_list = [positive_int(d, "depths") for d in depths]
    fig, axes = figure(ncols=len(w_list), nrows=len(d_list),
                       height=PANEL_HEIGHT * len(d_list) * 0.9)
    axes = np.atleast_2d(axes).reshape(len(d_list), len(w_list))
    for row, depth in enumerate(d_list):
        for col, width in enumerate(w_list):
            ax = axes[row, col]
            draw_region_panel(ax, width, depth, seed)
            if col:
                ax.set_ylabel("")
            if row < len(d_list) - 1:
                ax.set_xlabel("")
    return fig


@live_explorer
def regions_explorer() -> Any:
    """Live explorer: sliders for width, depth and seed redraw :func:`regions_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(width: int, depth: int, seed: int) -> None:
        regions_panel(width, depth, seed)
        plt.show()

    def slider(value: int, bounds: tuple[int, int, int], description: str) -> Any:
        return widgets.IntSlider(value=value, min=bounds[0], max=bounds[1], step=bounds[2],
                                 description=description)

    return widgets.interactive(update, width=slider(8, REGION_WIDTH_RANGE, "width"),
                               depth=slider(1, REGION_DEPTH_RANGE, "depth"),
                               seed=slider(0, REGION_SEED_RANGE, "seed"))


def regions_animation(widths: Sequence[int], depth: int = 1, seed: int = 0) -> Any:
    """Static rendition as an animation: one frame per width, for the site where sliders cannot run."""
    from relu_course.widgets.animation import show_animation

    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of integers, got {type(widths).__name__}")
    w_list = [_in_range(w, "widths", REGION_WIDTH_RANGE) for w in widths]
    depth = _in_range(depth, "depth", REGION_DEPTH_RANGE)
    seed = _in_range(seed, "seed", (0, MAX_SEED, 1))
    return show_animation(lambda ax, width: draw_region_panel(ax, width, depth, seed), w_list,
                          alt=f"A random ReLU network with {depth} hidden layer(s), drawn on [-3, 3] with one colour "
                              f"per linear piece; frame by frame its width grows from {w_list[0]} to {w_list[-1]} "
                              f"units and the number of pieces in the title grows with it.",
                          slider_label="width of the hidden layer, one frame per width")
