"""The activation-growth explorer of chapter 6: depth and weight scale -> size of each layer's output.

A deep random MLP (zero biases, normal weights with He's standard deviation sqrt(2 / fan_in) times
a ``scale``) is applied to a batch of the digits data, with the same weights once for each
activation. ReLU's outputs are unbounded, so with ``scale`` above 1 they grow by about that factor
per layer; tanh's are bounded by 1 whatever the weights. NumPy only: a slider move takes
milliseconds.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relu_course._validation import int_in_range, real_scalar
from relu_course.activation_registry import get_activation
from relu_course.backprop import random_mlp_parameters
from relu_course.datasets import digits
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course._validation import as_real_array
from relu_course.widgets.live import live_explorer

#: Slider ranges: (min, max, step). Depth counts hidden layers.
GROWTH_DEPTH_RANGE = (1, 40, 1)
GROWTH_SCALE_RANGE = (0.5, 2.0, 0.1)
#: Registry keys of the activations compared, and how each is drawn.
GROWTH_ACTIVATIONS = ("relu", "tanh")
STYLES = {"relu": {"color": PALETTE["function"], "linestyle": "-", "marker": "o"},
          "tanh": {"color": PALETTE["accent"], "linestyle": "--", "marker": "^"}}
#: The explorer's network: hidden width, batch size and the seed of its weights and batch.
EXPLORER_WIDTH = 64
EXPLORER_BATCH = 256
EXPLORER_SEED = 0


def _depth(depth: Any) -> int:
    return int_in_range(depth, "depth", *GROWTH_DEPTH_RANGE[:2])


def _scale(scale: Any) -> float:
    return real_scalar(scale, "scale", low=GROWTH_SCALE_RANGE[0], high=GROWTH_SCALE_RANGE[1])


def _activation(key: Any) -> str:
    if not isinstance(key, str) or key not in GROWTH_ACTIVATIONS:
        raise ValueError(f"activation must be one of {GROWTH_ACTIVATIONS}, got {key!r}")
    return key


def explorer_batch() -> np.ndarray:
    """The explorer's input: EXPLORER_BATCH standardised digits images (seeded)."""
    X, _ = digits(EXPLORER_BATCH, seed=EXPLORER_SEED)
    return X


@lru_cache(maxsize=512)
def _rms(depth: int, scale: float, key: str) -> np.ndarray:
    params = random_mlp_parameters([64, *([EXPLORER_WIDTH] * depth)], init="he", gain=scale,
                                   seed=EXPLORER_SEED)
    act = get_activation(key)
    h = explorer_batch()
    sizes = [float(np.sqrt(np.mean(h * h)))]
    for kernel, bias in params:
        h = act(h @ kernel + bias)
        sizes.append(float(np.sqrt(np.mean(h * h))))
    out = np.array(sizes)
    out.setflags(write=False)
    return out


def layer_rms(depth: int, scale: float = 1.0, activation: str = "relu") -> np.ndarray:
    """Root mean square of the input (entry 0) and of every hidden layer's output (entries 1..depth)."""
    return _rms(_depth(depth), round(_scale(scale), 6), _activation(activation)).copy()


def growth_per_layer(rms: Any) -> float:
    """Geometric mean growth factor per layer, from the first hidden layer to the last."""
    values = as_real_array(rms, "rms")
    if values.ndim != 1 or values.size < 3 or np.any(values[1:] <= 0) or not np.all(np.isfinite(values)):
        raise ValueError("rms must be a 1-D array (input, then at least two layers) of positive numbers")
    return float((values[-1] / values[1]) ** (1.0 / (values.size - 2)))


def _draw(ax: Axes, depth: int, scale: float, detailed: bool) -> None:
    layers = np.arange(depth + 1)
    for key in GROWTH_ACTIVATIONS:
        ax.plot(layers, layer_rms(depth, scale, key), label=get_activation(key).name, markersize=3,
                **STYLES[key])
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (0 = input)")
    ax.set_ylabel("RMS of the layer's output")
    title = f"{depth} layers, weight scale {scale:.1f}"
    if detailed:
        last = ", ".join(f"{get_activation(k).name} {layer_rms(depth, scale, k)[-1]:.2g}"
                         for k in GROWTH_ACTIVATIONS)
        title += f"\nlast layer: {last}"
    ax.set_title(title)


def growth_panel(depth: int, scale: float = 1.0) -> Figure:
    """The explorer's update function: RMS per layer for ReLU and tanh, same weights, log scale."""
    depth, scale = _depth(depth), _scale(scale)
    fig, ax = figure(width=PANEL_WIDTH * 1.5, height=PANEL_HEIGHT * 1.1)
    _draw(ax, depth, scale, detailed=True)
    ax.legend(loc="upper left")
    return fig


def growth_small_multiples(scales: Sequence[float], depth: int = 30) -> Figure:
    """Static rendition of the explorer: one panel per weight scale, all at the same depth."""
    if isinstance(scales, (str, bytes)) or not hasattr(scales, "__iter__"):
        raise TypeError(f"scales must be a sequence of weight scales, got {scales!r}")
    scale_list, depth = [_scale(s) for s in scales], _depth(depth)
    if not scale_list:
        raise ValueError("scales must not be empty")
    fig, axes = figure(ncols=len(scale_list), sharey=True, width=PANEL_WIDTH * 0.68 * len(scale_list),
                       height=PANEL_HEIGHT + 0.4)
    for i, (ax, scale) in enumerate(zip(np.atleast_1d(axes), scale_list)):
        _draw(ax, depth, scale, detailed=False)
        if i:
            ax.set_ylabel("")
    handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


@live_explorer
def growth_explorer() -> Any:
    """Live explorer: depth and weight scale redraw :func:`growth_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(depth: int, scale: float) -> None:
        growth_panel(depth, scale)
        plt.show()

    lo, hi, step = GROWTH_DEPTH_RANGE
    slo, shi, sstep = GROWTH_SCALE_RANGE
    return widgets.interactive(
        update,
        depth=widgets.IntSlider(value=20, min=lo, max=hi, step=step, description="layers"),
        scale=widgets.FloatSlider(value=1.2, min=slo, max=shi, step=sstep, description="weight scale"),
    )
