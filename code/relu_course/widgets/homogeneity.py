"""The homogeneity explorer of chapter 5: scale a small ReLU network's input by a, with or without biases.

The panel draws ``f(a * x)`` and ``a * f(x)`` for a network ``f`` with one input and one output.
The two curves coincide exactly when a >= 0 and the network has no biases (positive homogeneity);
a negative a, or any bias, pulls them apart.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.properties import as_params, homogeneity_error, relu_mlp_forward
from relu_course.seeding import MAX_SEED
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, draw_axes_through_origin, figure
from relu_course.widgets.live import live_explorer

#: Slider range of the input scale a: (min, max, step).
SCALE_RANGE = (-2.0, 2.0, 0.1)
#: The inputs x at which the panel evaluates the network.
X_GRID = np.linspace(-2.0, 2.0, 201)
#: Below this gap the panel reports that homogeneity holds (float64 rounding is far smaller).
HOLDS_BELOW = 1e-9

Network = list[tuple[np.ndarray, np.ndarray | None]]


def toy_network(width: int = 12, seed: int = 0) -> Network:
    """A 1 -> width -> width -> 1 ReLU network: He-normal weights, biases drawn from N(0, 1)."""
    width = positive_int(width, "width")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    rng = np.random.default_rng(int(seed))
    shapes = [(1, width), (width, width), (width, 1)]
    return [(rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)), rng.normal(0.0, 1.0, fan_out))
            for fan_in, fan_out in shapes]


def _choose(network: Network | None, use_bias: bool) -> Network:
    if not isinstance(use_bias, (bool, np.bool_)):
        raise TypeError(f"use_bias must be True or False, got {use_bias!r}")
    params = as_params(toy_network() if network is None else network)
    return [(kernel, bias if use_bias else None) for kernel, bias in params]


def homogeneity_gap(scale: float, use_bias: bool, network: Network | None = None) -> float:
    """``max |f(a x) - a f(x)|`` over the panel's grid of x, for scale ``a`` with or without biases."""
    scale = real_scalar(scale, "scale")
    params = _choose(network, use_bias)
    return homogeneity_error(lambda x: relu_mlp_forward(params, x).output, X_GRID[:, None], [scale])


def draw_homogeneity(ax: Axes, scale: float, use_bias: bool, network: Network | None = None) -> float:
    """Draw ``f(a x)`` (solid) and ``a f(x)`` (dashed) with the gap shaded; return the largest gap."""
    scale = real_scalar(scale, "scale")
    params = _choose(network, use_bias)
    gap = homogeneity_gap(scale, use_bias, network)
    scaled_input = relu_mlp_forward(params, scale * X_GRID[:, None]).output[:, 0]
    scaled_output = scale * relu_mlp_forward(params, X_GRID[:, None]).output[:, 0]
    draw_axes_through_origin(ax)
    ax.fill_between(X_GRID, scaled_input, scaled_output, color=PALETTE["accent"], alpha=0.35, linewidth=0,
                    label="gap")
    ax.plot(X_GRID, scaled_input, color=PALETTE["function"], linestyle="-", label="f(a·x)")
    ax.plot(X_GRID, scaled_output, color=PALETTE["derivative"], linestyle="--", label="a·f(x)")
    ax.set_xlabel("x")
    verdict = f"gap < 1e{np.log10(HOLDS_BELOW):.0f}: holds" if gap < HOLDS_BELOW else f"max gap {gap:.2f}"
    ax.set_title(f"a = {scale:+.1f}, biases {'on' if use_bias else 'off'}\n{verdict}")
    return gap


def homogeneity_panel(scale: float, use_bias: bool = False, network: Network | None = None) -> Figure:
    """The explorer's update function: one figure for input scale ``scale`` and the bias toggle."""
    fig, ax = figure(width=PANEL_WIDTH * 1.4, height=PANEL_HEIGHT * 1.1)
    draw_homogeneity(ax, scale, use_bias, network)
    ax.legend(loc="upper left")
    return fig


def homogeneity_small_multiples(scales: Sequence[float], bias_options: Sequence[bool] = (False, True),
                                network: Network | None = None) -> Figure:
    """Static rendition: one panel per (bias option, scale) pair, one row per bias option."""
    scales_arr = as_real_array(scales, "scales")
    if scales_arr.ndim != 1 or scales_arr.size == 0:
        raise ValueError("scales must be a non-empty 1-D sequence of numbers")
    if isinstance(bias_options, (str, bytes)) or not hasattr(bias_options, "__len__") or not len(bias_options):
        raise ValueError("bias_options must be a non-empty sequence of True/False")
    if not all(isinstance(b, (bool, np.bool_)) for b in bias_options):
        raise TypeError(f"bias_options must hold only True or False, got {list(bias_options)!r}")
    rows, cols = len(bias_options), scales_arr.size
    fig, axes = figure(ncols=cols, nrows=rows, sharex=True, sharey=True, width=PANEL_WIDTH * cols * 0.75,
                       height=PANEL_HEIGHT * rows * 0.85)
    axes = np.atleast_2d(axes).reshape(rows, cols)
    for r, use_bias in enumerate(bias_options):
        for c, scale in enumerate(scales_arr):
            draw_homogeneity(axes[r, c], float(scale), bool(use_bias), network)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    return fig


@live_explorer
def homogeneity_explorer(network: Network | None = None) -> Any:
    """Live explorer: a slider for the scale a and a bias toggle redraw :func:`homogeneity_panel`."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    network = toy_network() if network is None else network

    def update(scale: float, use_bias: bool) -> None:
        homogeneity_panel(scale, use_bias, network)
        plt.show()

    return widgets.interactive(
        update,
        scale=widgets.FloatSlider(value=1.5, min=SCALE_RANGE[0], max=SCALE_RANGE[1], step=SCALE_RANGE[2],
                                  description="scale a"),
        use_bias=widgets.Checkbox(value=False, description="biases"),
    )
