"""The explorer of chapter 12: Keras's generalised ReLU with its three parameters.

``keras.activations.relu(x, negative_slope=a, max_value=m, threshold=t)`` is drawn from the course's
NumPy reference (relu_course.keras_reference.keras_relu_reference), with its derivative. The function
has up to two special points, the threshold t (a kink, or a jump when t > 0) and the cap m; there the
lines are broken and a dot marks the value the reference uses. ReLU is drawn dotted for comparison.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_course._validation import positive_int, real_scalar
from relu_course.activations import relu
from relu_course.keras_reference import KerasReluSetting, keras_relu_reference, keras_relu_reference_derivative
from relu_course.widgets.sliders import SliderRange
from relu_course.style import PALETTE, PANEL_HEIGHT, PANEL_WIDTH, draw_axes_through_origin, figure
from relu_course._validation import instance_of
from relu_course.widgets.live import live_explorer

#: The horizontal range of every panel, its vertical range, and the points per straight piece.
X_RANGE = (-4.0, 8.0)
Y_LIMITS = (-3.0, 8.5)
POINTS_PER_PIECE = 200


SLIDERS: Mapping[str, SliderRange] = MappingProxyType({
    "negative_slope": SliderRange("negative_slope", 0.0, 0.5, 0.05, "a"),
    "max_value": SliderRange("max_value", 0.5, 8.0, 0.5, "m"),
    "threshold": SliderRange("threshold", 0.0, 3.0, 0.25, "t"),
})

#: The static rendition: plain ReLU, a leak, a cap at 6 (ReLU6), a threshold, and combinations.
SMALL_MULTIPLES: tuple[tuple[float, float | None, float], ...] = (
    (0.0, None, 0.0), (0.2, None, 0.0), (0.0, 6.0, 0.0),
    (0.0, None, 1.5), (0.2, None, 1.5), (0.2, 4.0, 1.5),
)


def setting_for(negative_slope: Any = 0.0, max_value: Any = None, threshold: Any = 0.0) -> KerasReluSetting:
    """The parameters as a KerasReluSetting, each checked against its slider's range."""
    values = {"negative_slope": negative_slope, "max_value": max_value, "threshold": threshold}
    checked: dict[str, float | None] = {}
    for name, value in values.items():
        rng = SLIDERS[name]
        checked[name] = None if (name == "max_value" and value is None) else \
            real_scalar(value, name, low=rng.low, high=rng.high)
    return KerasReluSetting(**checked)


def boundaries(setting: KerasReluSetting) -> list[float]:
    """The special points of the function: the threshold, and the cap when it lies above it."""
    instance_of(setting, KerasReluSetting, "setting", "a KerasReluSetting")
    points = [setting.threshold]
    if setting.max_value is not None and setting.max_value > setting.threshold:
        points.append(setting.max_value)
    return points


def pieces(setting: KerasReluSetting) -> list[np.ndarray]:
    """The x values of each smooth piece between the boundaries; boundary points themselves are left out
    (the first and last x of an inner piece are the floats next to the boundary)."""
    instance_of(setting, KerasReluSetting, "setting", "a KerasReluSetting")
    edges = [X_RANGE[0], *boundaries(setting), X_RANGE[1]]
    found = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        xs = np.linspace(lo, hi, POINTS_PER_PIECE)
        if lo != X_RANGE[0]:
            xs[0] = np.nextafter(lo, hi)
        if hi != X_RANGE[1]:
            xs[-1] = np.nextafter(hi, lo)
        found.append(xs)
    return found


def title(setting: KerasReluSetting) -> str:
    """``a = 0.2, m = 4, t = 1.5`` (m = none without a cap)."""
    instance_of(setting, KerasReluSetting, "setting", "a KerasReluSetting")
    m = "none" if setting.max_value is None else f"{setting.max_value:g}"
    return f"a = {setting.negative_slope:g}, m = {m}, t = {setting.threshold:g}"


def draw_keras_relu(ax: Axes, negative_slope: float = 0.0, max_value: float | None = None,
                    threshold: float = 0.0, *, legend: bool = True) -> None:
    """Draw the generalised ReLU (solid) and its derivative (dashed), ReLU dotted, dots at the boundaries."""
    instance_of(ax, Axes, "ax", "a matplotlib Axes")
    setting = setting_for(negative_slope, max_value, threshold)
    params = setting.kwargs
    draw_axes_through_origin(ax)
    grid = np.linspace(*X_RANGE, 2 * POINTS_PER_PIECE)
    ax.plot(grid, relu(grid), color=PALETTE["blocked"], linestyle=":", linewidth=1.2, label="ReLU")
    for i, xs in enumerate(pieces(setting)):
        ax.plot(xs, keras_relu_reference(xs, **params), color=PALETTE["function"], linestyle="-",
                label="f(x)" if i == 0 else "_f(x)")
        ax.plot(xs, keras_relu_reference_derivative(xs, **params), color=PALETTE["derivative"], linestyle="--",
                label="f′(x)" if i == 0 else "_f′(x)")
    b = np.array(boundaries(setting))
    ax.plot(b, keras_relu_reference(b, **params), "o", color=PALETTE["function"], label="f at a boundary")
    ax.plot(b, keras_relu_reference_derivative(b, **params), "s", color=PALETTE["derivative"],
            label="f′ at a boundary")
    ax.set(xlim=X_RANGE, ylim=Y_LIMITS, xlabel="x", title=title(setting))
    if legend:
        ax.legend(loc="upper left", fontsize=8)


def keras_relu_panel(negative_slope: float = 0.0, max_value: float | None = None,
                     threshold: float = 0.0) -> Figure:
    """The explorer's update function: one setting of the three sliders."""
    fig, ax = figure(width=PANEL_WIDTH * 1.4, height=PANEL_HEIGHT * 1.2)
    draw_keras_relu(ax, negative_slope, max_value, threshold)
    return fig


def _legend_handles() -> list[Line2D]:
    return [Line2D([], [], color=PALETTE["function"], linestyle="-", label="f(x)"),
            Line2D([], [], color=PALETTE["derivative"], linestyle="--", label="f′(x)"),
            Line2D([], [], color=PALETTE["blocked"], linestyle=":", label="ReLU"),
            Line2D([], [], color=PALETTE["function"], marker="o", linestyle="", label="f at a boundary"),
            Line2D([], [], color=PALETTE["derivative"], marker="s", linestyle="", label="f′ at a boundary")]


def keras_relu_small_multiples(settings: Sequence[tuple[float, float | None, float]] | None = None,
                               ncols: int = 3) -> Figure:
    """Static rendition of the explorer: one panel per (negative_slope, max_value, threshold)."""
    settings = SMALL_MULTIPLES if settings is None else tuple(settings)
    if not settings or any(not isinstance(s, (tuple, list)) or len(s) != 3 for s in settings):
        raise ValueError("settings must be a non-empty sequence of (negative_slope, max_value, threshold)")
    ncols = positive_int(ncols, "ncols")
    nrows = -(-len(settings) // ncols)
    fig, axes = figure(ncols=ncols, nrows=nrows, sharex=True, sharey=True, width=2.9 * ncols,
                       height=2.3 * nrows + 0.5)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(settings):]:
        ax.set_visible(False)
    for ax, (a, m, t) in zip(axes, settings):
        draw_keras_relu(ax, a, m, t, legend=False)
        ax.set_xlabel("")
    fig.legend(handles=_legend_handles(), loc="outside lower center", ncols=5, fontsize=8)
    return fig


@live_explorer
def keras_relu_explorer() -> Any:
    """Live explorer: sliders for negative_slope and threshold, a slider and a switch for max_value."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    sliders = {name: widgets.FloatSlider(value=default, min=rng.low, max=rng.high, step=rng.step,
                                         description=name, continuous_update=False)
               for (name, rng), default in zip(SLIDERS.items(), (0.0, 6.0, 0.0))}
    capped = widgets.Checkbox(value=False, description="cap at max_value")
    out = widgets.Output()

    def redraw(*_: Any) -> None:
        sliders["max_value"].disabled = not capped.value
        with out:
            out.clear_output(wait=True)
            fig = keras_relu_panel(sliders["negative_slope"].value,
                                   sliders["max_value"].value if capped.value else None,
                                   sliders["threshold"].value)
            plt.show()
            plt.close(fig)

    for control in (*sliders.values(), capped):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([sliders["negative_slope"], sliders["threshold"], capped, sliders["max_value"], out])
