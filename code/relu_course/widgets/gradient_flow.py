"""The gradient-flow explorer of chapter 3: depth, initialisation and weight scale -> gradient norm per layer.

The update function runs a NumPy forward and backward pass (relu_course.backprop) through a deep
random MLP on a batch of the digits data, for sigmoid, tanh and ReLU at once. No TensorFlow is
involved, so a slider move takes milliseconds.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from relu_course._validation import as_real_array, int_in_range, real_scalar
from relu_course.backprop import INITS, mlp_kernel_gradient_norms, random_mlp_parameters
from relu_course.datasets import digits
from relu_course.gradient_flow import plot_layer_norms
from relu_course.style import PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: Slider ranges: (min, max, step). Depth counts hidden layers.
GRADIENT_FLOW_DEPTH_RANGE = (2, 30, 1)
GRADIENT_FLOW_GAIN_RANGE = (0.5, 1.5, 0.1)
GRADIENT_FLOW_INITS = tuple(INITS)
GRADIENT_FLOW_ACTIVATIONS = ("sigmoid", "tanh", "relu")
#: The explorer's network: hidden width, batch size and the seed of its weights and batch.
EXPLORER_WIDTH = 32
EXPLORER_BATCH = 256
EXPLORER_SEED = 0


def _depth(depth: Any) -> int:
    return int_in_range(depth, "depth", *GRADIENT_FLOW_DEPTH_RANGE[:2])


def _init(init: Any) -> str:
    if not isinstance(init, str) or init not in GRADIENT_FLOW_INITS:
        raise ValueError(f"init must be one of {GRADIENT_FLOW_INITS}, got {init!r}")
    return init


def _gain(gain: Any) -> float:
    return real_scalar(gain, "gain", low=GRADIENT_FLOW_GAIN_RANGE[0], high=GRADIENT_FLOW_GAIN_RANGE[1])


@lru_cache(maxsize=512)
def _norms(depth: int, init: str, gain: float, activation: str) -> np.ndarray:
    X, y = digits(EXPLORER_BATCH, seed=EXPLORER_SEED)
    sizes = [X.shape[1], *([EXPLORER_WIDTH] * depth), 10]
    params = random_mlp_parameters(sizes, init=init, gain=gain, seed=EXPLORER_SEED)
    norms = mlp_kernel_gradient_norms(params, X.astype(np.float64), y, activation)
    norms.setflags(write=False)
    return norms


def explorer_gradient_norms(depth: int, init: str = "he", gain: float = 1.0) -> dict[str, np.ndarray]:
    """Per-layer kernel-gradient norms of the explorer's network for each activation (NumPy only)."""
    depth, init, gain = _depth(depth), _init(init), round(_gain(gain), 6)
    return {name: _norms(depth, init, gain, name).copy() for name in GRADIENT_FLOW_ACTIVATIONS}


def first_to_last_ratio(norms: Any) -> float:
    """Gradient norm of the first layer divided by that of the last: < 1 means it shrinks towards the input."""
    norms = as_real_array(norms, "norms")
    if norms.ndim != 1 or norms.size < 2:
        raise ValueError(f"norms must be a 1-D array of at least two per-layer norms, got shape {norms.shape}")
    return float(norms[0] / norms[-1])


def _draw(ax: Any, depth: int, init: str, gain: float, detailed: bool) -> None:
    norms = explorer_gradient_norms(depth, init, gain)
    plot_layer_norms(ax, norms, legend=detailed)
    title = f"{depth} hidden layers, {init} init" + (f" × {gain:.1f}" if gain != 1.0 else "")
    if detailed:
        ratios = ", ".join(f"{k} {first_to_last_ratio(v):.1e}" for k, v in norms.items())
        title += f"\nfirst / last layer: {ratios}"
    ax.set_title(title)


def gradient_flow_panel(depth: int, init: str = "he", gain: float = 1.0) -> Figure:
    """The explorer's update function: per-layer gradient norms for sigmoid, tanh and ReLU."""
    depth, init, gain = _depth(depth), _init(init), _gain(gain)
    fig, ax = figure(width=PANEL_WIDTH * 1.6, height=PANEL_HEIGHT * 1.2)
    _draw(ax, depth, init, gain, detailed=True)
    return fig


def gradient_flow_small_multiples(depths: Sequence[int], inits: Sequence[str] = GRADIENT_FLOW_INITS,
                                  gain: float = 1.0) -> Figure:
    """Static rendition of the explorer: one panel per (init, depth), rows by initialisation."""
    if isinstance(depths, (str, bytes)) or not hasattr(depths, "__iter__"):
        raise TypeError(f"depths must be a sequence of depths, got {depths!r}")
    if isinstance(inits, (str, bytes)) or not hasattr(inits, "__iter__"):
        raise TypeError(f"inits must be a sequence of initialisation names, got {inits!r}")
    depth_list, init_list, gain = [_depth(d) for d in depths], [_init(i) for i in inits], _gain(gain)
    if not depth_list or not init_list:
        raise ValueError("depths and inits must not be empty")
    fig, axes = figure(ncols=len(depth_list), nrows=len(init_list), sharey=True,
                       width=PANEL_WIDTH * 0.8 * len(depth_list),
                       height=PANEL_HEIGHT * 0.95 * len(init_list) + 0.4)
    axes = np.atleast_2d(axes).reshape(len(init_list), len(depth_list))
    for row, init in enumerate(init_list):
        for col, depth in enumerate(depth_list):
            _draw(axes[row, col], depth, init, gain, detailed=False)
            if col:
                axes[row, col].set_ylabel("")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


@live_explorer
def gradient_flow_explorer() -> Any:
    """Live explorer: depth, initialisation and gain redraw :func:`gradient_flow_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(depth: int, init: str, gain: float) -> None:
        gradient_flow_panel(depth, init, gain)
        plt.show()

    lo, hi, step = GRADIENT_FLOW_DEPTH_RANGE
    glo, ghi, gstep = GRADIENT_FLOW_GAIN_RANGE
    return widgets.interactive(
        update,
        depth=widgets.IntSlider(value=15, min=lo, max=hi, step=step, description="hidden layers"),
        init=widgets.Dropdown(options=list(GRADIENT_FLOW_INITS), value="he", description="init"),
        gain=widgets.FloatSlider(value=1.0, min=glo, max=ghi, step=gstep, description="weight scale"),
    )
