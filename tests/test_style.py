"""The course figure style: palette, sizes and the figure helper."""
import re

import matplotlib as mpl
import numpy as np
import pytest

from relu_course import style


def test_palette_is_valid_and_distinct():
    colours = list(style.PALETTE.values())
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in colours)
    assert len(set(c.lower() for c in colours)) == len(colours)


def test_cycle_pairs_colour_with_a_distinct_line_style():
    """So that lines stay distinguishable in greyscale."""
    assert len(style.COLOR_CYCLE) == len(style.LINESTYLE_CYCLE)
    assert len({str(ls) for ls in style.LINESTYLE_CYCLE}) == len(style.LINESTYLE_CYCLE)


def test_figure_applies_style_and_sizes():
    fig, axes = style.figure(ncols=3, nrows=2)
    assert axes.shape == (2, 3)
    assert tuple(fig.get_size_inches()) == pytest.approx((3 * style.PANEL_WIDTH, 2 * style.PANEL_HEIGHT))
    assert mpl.rcParams["axes.spines.top"] is False
    fig, ax = style.figure()
    assert hasattr(ax, "plot")


@pytest.mark.parametrize("kwargs, error", [({"ncols": 0}, ValueError), ({"nrows": -1}, ValueError),
                                           ({"ncols": 1.5}, TypeError), ({"ncols": "2"}, TypeError),
                                           ({"width": -3.0}, ValueError), ({"width": 0}, ValueError),
                                           ({"height": "tall"}, TypeError)])
def test_figure_rejects_bad_layout(kwargs, error):
    with pytest.raises(error, match="ncols|nrows|width|height"):
        style.figure(**kwargs)


def test_plot_function_and_derivative_draws_two_labelled_lines():
    fig, ax = style.figure()
    x = np.linspace(-1, 1, 5)
    style.plot_function_and_derivative(ax, x, x, np.ones_like(x), name="f")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "f(x)" in labels and "f'(x)" in labels
