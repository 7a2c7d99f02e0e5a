"""Explorer widgets: the update functions over their whole slider range, and the static renditions."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course import widgets
from relu_course.gates import example_layer


def slider_values(lo, hi, step, every=5):
    return np.round(np.arange(lo, hi + step / 2, step * every), 6)


def test_gate_panel_over_the_slider_range():
    layer = example_layer()
    for x in slider_values(*widgets.GATE_X_RANGE):
        for shift in slider_values(*widgets.GATE_SHIFT_RANGE, every=10):
            fig = widgets.gate_panel(float(x), float(shift), layer)
            title = fig.axes[0].get_title()
            assert f"{int(layer.passing(x, shift).sum())} of {layer.n_units} gates open" in title
            plt.close(fig)


def test_small_multiples_has_one_panel_per_parameter_pair():
    fig = widgets.gate_small_multiples([-1.0, 0.0, 1.0, 2.0], [-1.0, 1.0])
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert len(titled) == 8


@pytest.mark.parametrize("xs, shifts", [([], [0.0]), ([[1.0]], [0.0]), ([1.0], "a")])
def test_small_multiples_rejects_bad_grids(xs, shifts):
    with pytest.raises((ValueError, TypeError), match="xs|shifts"):
        widgets.gate_small_multiples(xs, shifts)


def test_live_explorer_has_both_sliders_with_the_documented_ranges():
    pytest.importorskip("ipywidgets")
    w = widgets.gate_explorer()
    sliders = {c.description: c for c in w.children if hasattr(c, "min")}
    assert (sliders["input x"].min, sliders["input x"].max) == widgets.GATE_X_RANGE[:2]
    assert (sliders["bias shift"].min, sliders["bias shift"].max) == widgets.GATE_SHIFT_RANGE[:2]
    sliders["input x"].value = -2.0  # the interactive redraws without error
    w.update()
