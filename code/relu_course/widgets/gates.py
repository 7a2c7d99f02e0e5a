"""The gate explorer of chapter 1: input x and a bias shift decide which ReLU units pass."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from relu_course._validation import as_real_array
from relu_course.gates import GateLayer, draw_gates, example_layer, gate_legend_handles
from relu_course.style import PANEL_HEIGHT, PANEL_WIDTH, figure
from relu_course.widgets.live import live_explorer

#: Slider ranges of the gate explorer: (min, max, step).
GATE_X_RANGE = (-3.0, 3.0, 0.1)
GATE_SHIFT_RANGE = (-2.0, 2.0, 0.1)


def gate_panel(x: float, shift: float = 0.0, layer: GateLayer | None = None) -> Figure:
    """The gate explorer's update function: one figure for input ``x`` and bias ``shift``."""
    layer = layer or example_layer()
    fig, ax = figure(width=PANEL_WIDTH * 1.5, height=PANEL_HEIGHT)
    draw_gates(ax, layer, x, shift)
    ax.legend(handles=gate_legend_handles(), loc="lower right")
    return fig


def gate_small_multiples(xs: Sequence[float], shifts: Sequence[float],
                         layer: GateLayer | None = None) -> Figure:
    """Static rendition of the gate explorer: one panel per (shift, x) pair, rows by shift."""
    xs_arr = as_real_array(xs, "xs")
    shifts_arr = as_real_array(shifts, "shifts")
    if xs_arr.ndim != 1 or shifts_arr.ndim != 1 or xs_arr.size == 0 or shifts_arr.size == 0:
        raise ValueError("xs and shifts must be non-empty 1-D sequences of numbers")
    layer = layer or example_layer()
    fig, axes = figure(ncols=xs_arr.size, nrows=shifts_arr.size, sharey=True,
                       height=PANEL_HEIGHT * shifts_arr.size * 0.9)
    axes = np.atleast_2d(axes).reshape(shifts_arr.size, xs_arr.size)
    for row, shift in enumerate(shifts_arr):
        for col, x in enumerate(xs_arr):
            draw_gates(axes[row, col], layer, float(x), float(shift))
            if col:
                axes[row, col].set_ylabel("")
    fig.legend(handles=gate_legend_handles(), loc="outside lower center", ncols=2)
    return fig


@live_explorer
def gate_explorer(layer: GateLayer | None = None) -> Any:
    """Live explorer: sliders for ``x`` and ``shift`` redraw :func:`gate_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    layer = layer or example_layer()

    def update(x: float, shift: float) -> None:
        gate_panel(x, shift, layer)
        plt.show()

    return widgets.interactive(
        update,
        x=widgets.FloatSlider(value=1.0, min=GATE_X_RANGE[0], max=GATE_X_RANGE[1], step=GATE_X_RANGE[2],
                              description="input x"),
        shift=widgets.FloatSlider(value=0.0, min=GATE_SHIFT_RANGE[0], max=GATE_SHIFT_RANGE[1],
                                  step=GATE_SHIFT_RANGE[2], description="bias shift"),
    )
