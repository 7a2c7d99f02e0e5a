"""The variants explorer of chapter 7: pick a ReLU variant and its parameter, see the function and its slope.

Everything is drawn from the activation registry (relu_course.activation_registry), so a variant
added there appears here too. ReLU is drawn faintly in every panel as the reference.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_course._validation import positive_int, real_scalar
from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.activations import relu
from relu_course.seeding import MAX_SEED
from relu_course.widgets.sliders import SliderRange as ParameterRange
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, figure, plot_function_and_derivative
from relu_course.variants import RRELU_CONVENTIONS, rrelu_mean_training_slope, rrelu_test_slope, \
    rrelu_training_slopes
from relu_course.widgets.live import live_explorer

#: The variants of ReLU: every registry entry except ReLU itself and the classic sigmoid and tanh.
VARIANT_KEYS: tuple[str, ...] = tuple(k for k in ACTIVATIONS if k not in ("relu", "sigmoid", "tanh"))
#: Where the panels are drawn, and their common vertical range.
X_GRID = np.linspace(-4.0, 4.0, 801)
Y_LIMITS = (-2.0, 4.0)


#: The variants that have a parameter a learner can move, and its slider.
PARAMETER_RANGES: Mapping[str, ParameterRange] = MappingProxyType({
    "leaky_relu": ParameterRange("negative_slope", 0.0, 0.5, 0.01, "a"),
    "prelu": ParameterRange("slope", -0.5, 1.0, 0.05, "a"),
    "elu": ParameterRange("alpha", 0.1, 3.0, 0.1, "α"),
    "silu": ParameterRange("beta", 0.0, 5.0, 0.1, "β"),
    "softplus": ParameterRange("beta", 0.25, 5.0, 0.25, "β"),
})


def _key(key: Any) -> str:
    if not isinstance(key, str) or key not in VARIANT_KEYS:
        raise ValueError(f"key must be one of the variants {VARIANT_KEYS}, got {key!r}")
    return key


def _params(key: str, value: Any) -> dict[str, float]:
    """The registry parameters for the slider value (none for a variant without a slider)."""
    if key not in PARAMETER_RANGES:
        if value is not None:
            raise ValueError(f"value must be None: {key} has no parameter in the explorer, got {value!r}")
        return {}
    rng = PARAMETER_RANGES[key]
    if value is None:
        return {}
    return {rng.name: real_scalar(value, "value", low=rng.low, high=rng.high)}


def _title(key: str, params: Mapping[str, float]) -> str:
    act = get_activation(key)
    if not params:
        return act.name
    rng = PARAMETER_RANGES[key]
    return f"{act.name}, {rng.symbol} = {params[rng.name]:g}"


def draw_variant(ax: Axes, key: str, value: float | None = None, *, legend: bool = True) -> None:
    """Draw one variant (solid) and its derivative (dashed), with ReLU dotted for reference."""
    key = _key(key)
    params = _params(key, value)
    act = get_activation(key)
    ax.plot(X_GRID, relu(X_GRID), color=PALETTE["blocked"], linestyle=":", linewidth=1.2, label="ReLU")
    plot_function_and_derivative(ax, X_GRID, act(X_GRID, **params), act.grad(X_GRID, **params), name="f")
    ax.set(xlim=(X_GRID[0], X_GRID[-1]), ylim=Y_LIMITS, title=_title(key, params))
    if not legend:
        ax.get_legend().remove()


def _legend_handles() -> list[Line2D]:
    return [Line2D([], [], color=PALETTE["function"], linestyle="-", label="f(x)"),
            Line2D([], [], color=PALETTE["derivative"], linestyle="--", label="f′(x)"),
            Line2D([], [], color=PALETTE["blocked"], linestyle=":", label="ReLU")]


def variant_panel(key: str, value: float | None = None) -> Figure:
    """The explorer's update function: one variant with its parameter (None: the course default)."""
    fig, ax = figure(width=PANEL_WIDTH * 1.3, height=PANEL_HEIGHT * 1.1)
    draw_variant(ax, key, value)
    return fig


def _grid(n_panels: int, ncols: int) -> tuple[Figure, np.ndarray]:
    nrows = -(-n_panels // ncols)
    fig, axes = figure(ncols=ncols, nrows=nrows, sharex=True, sharey=True, width=2.6 * ncols,
                       height=2.1 * nrows + 0.4)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes


def variants_gallery(keys: Sequence[str] | None = None, ncols: int = 4) -> Figure:
    """Every variant with the course's default parameters, one small panel each (registry order)."""
    keys = VARIANT_KEYS if keys is None else tuple(_key(k) for k in keys)
    if not keys:
        raise ValueError("keys must name at least one variant")
    fig, axes = _grid(len(keys), positive_int(ncols, "ncols"))
    for ax, key in zip(axes, keys):
        draw_variant(ax, key, legend=False)
        ax.set_xlabel("")
    fig.legend(handles=_legend_handles(), loc="outside lower center", ncols=3)
    return fig


def variant_small_multiples(keys: Sequence[str] | None = None, n_values: int = 3) -> Figure:
    """Static rendition of the explorer: one row per variant with a parameter, ``n_values`` columns
    spanning its slider from low to high."""
    keys = tuple(PARAMETER_RANGES) if keys is None else tuple(_key(k) for k in keys)
    missing = [k for k in keys if k not in PARAMETER_RANGES]
    if not keys or missing:
        raise ValueError(f"keys must be variants with a parameter {tuple(PARAMETER_RANGES)}, got {keys!r}")
    n_values = positive_int(n_values, "n_values")
    fig, axes = figure(ncols=n_values, nrows=len(keys), sharex=True, sharey=True, width=2.7 * n_values,
                       height=2.0 * len(keys) + 0.4)
    axes = np.asarray(axes).reshape(len(keys), n_values)
    for row, key in enumerate(keys):
        for col, value in enumerate(PARAMETER_RANGES[key].values(n_values)):
            draw_variant(axes[row, col], key, float(value), legend=False)
            axes[row, col].set_xlabel("")
    fig.legend(handles=_legend_handles(), loc="outside lower center", ncols=3)
    return fig


def rrelu_slopes_figure(size: int = 100_000, seed: int = 0) -> Figure:
    """Histograms of RReLU's training slopes under PyTorch's and the paper's convention, with each
    convention's test-time slope (solid) and mean training slope (dotted)."""
    size = positive_int(size, "size")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    rng = np.random.default_rng(int(seed))
    fig, ax = figure(width=PANEL_WIDTH * 2.2)
    bins = np.linspace(0.1, 0.35, 51)
    styles = {"pytorch": (PALETTE["function"], ""), "paper": (PALETTE["derivative"], "//")}
    for convention in RRELU_CONVENTIONS:
        color, hatch = styles[convention]
        slopes = rrelu_training_slopes(size, rng, convention)
        ax.hist(slopes, bins=bins, density=True, histtype="stepfilled", alpha=0.35, color=color, hatch=hatch,
                edgecolor=color, label=f"{convention}: training slopes")
        ax.axvline(rrelu_test_slope(convention), color=color, linestyle="-",
                   label=f"{convention}: test slope {rrelu_test_slope(convention):.3f}")
        ax.axvline(rrelu_mean_training_slope(convention), color=color, linestyle=":",
                   label=f"{convention}: mean training slope {rrelu_mean_training_slope(convention):.3f}")
    ax.set(xlabel="negative-side slope", ylabel="density")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    return fig


@live_explorer
def variant_explorer() -> Any:
    """Live explorer: a menu of variants and a slider for the parameter of those that have one."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    first = next(iter(PARAMETER_RANGES))
    menu = widgets.Dropdown(options=[(get_activation(k).name, k) for k in VARIANT_KEYS], value=first,
                            description="variant")
    slider = widgets.FloatSlider(description="parameter", continuous_update=False)
    out = widgets.Output()

    def redraw(*_: Any) -> None:
        with out:
            out.clear_output(wait=True)
            value = slider.value if menu.value in PARAMETER_RANGES else None
            fig = variant_panel(menu.value, value)
            plt.show()
            plt.close(fig)

    def on_variant(*_: Any) -> None:
        rng = PARAMETER_RANGES.get(menu.value)
        slider.disabled = rng is None
        if rng is not None:
            default = get_activation(menu.value).params[rng.name]
            if rng.low > slider.max:  # keep min <= max while the range moves
                slider.max, slider.min = rng.high, rng.low
            else:
                slider.min, slider.max = rng.low, rng.high
            slider.step = rng.step
            slider.value = default
            slider.description = f"{rng.name}"
        redraw()

    menu.observe(on_variant, names="value")
    slider.observe(redraw, names="value")
    on_variant()
    return widgets.VBox([menu, slider, out])
