"""The linear-pieces explorer: its update function over the slider ranges, and its static rendition."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.linear_regions import linear_pieces_1d, random_layers
from relu_course.widgets import regions


def slider_values(lo, hi, step, every):
    values = list(range(lo, hi + 1, step * every))
    return values if values[-1] == hi else values + [hi]


@pytest.mark.parametrize("depth", range(regions.REGION_DEPTH_RANGE[0], regions.REGION_DEPTH_RANGE[1] + 1))
def test_panel_over_the_slider_range(depth):
    for width in slider_values(*regions.REGION_WIDTH_RANGE, every=5):
        for seed in slider_values(*regions.REGION_SEED_RANGE, every=10):
            fig = regions.regions_panel(width, depth, seed)
            layers = random_layers([1] + [width] * depth + [1], seed=seed)
            expected = linear_pieces_1d(layers, np.linspace(*regions.REGION_X_LIMITS,
                                                            regions.REGION_GRID_POINTS)).n_pieces
            title = fig.axes[0].get_title()
            assert f"{expected} linear piece" in title and f"{depth} x {width} units, seed {seed}" in title
            if depth == 1:
                assert expected <= width + 1 and f"(at most {width + 1})" in title
            plt.close(fig)


def test_pieces_grow_with_width_on_average():
    mean = {w: np.mean([regions.region_pieces(w, 1, s).n_pieces for s in range(5)]) for w in (2, 32)}
    assert mean[32] > mean[2]


@pytest.mark.parametrize("kwargs, error", [
    ({"width": 0, "depth": 1}, ValueError), ({"width": 33, "depth": 1}, ValueError),
    ({"width": 4, "depth": 5}, ValueError), ({"width": 4.0, "depth": 1}, TypeError),
    ({"width": 4, "depth": 1, "seed": -1}, ValueError), ({"width": True, "depth": 1}, TypeError)])
def test_out_of_range_settings_are_rejected_by_name(kwargs, error):
    with pytest.raises(error, match="width|depth|seed"):
        regions.region_pieces(**kwargs)


def test_small_multiples_has_one_panel_per_setting():
    fig = regions.regions_small_multiples([2, 8], [1, 2, 3], seed=1)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 6
    assert sum("2 x 8 units" in t for t in titles) == 1


@pytest.mark.parametrize("widths, depths", [([], [1]), ([[2]], [1]), ([2], "a"), ([2.5], [1])])
def test_small_multiples_rejects_bad_grids(widths, depths):
    with pytest.raises((ValueError, TypeError), match="widths|depths"):
        regions.regions_small_multiples(widths, depths)


def test_live_explorer_has_three_sliders_with_the_documented_ranges():
    pytest.importorskip("ipywidgets")
    w = regions.regions_explorer()
    sliders = {c.description: c for c in w.children if hasattr(c, "min")}
    for name, bounds in [("width", regions.REGION_WIDTH_RANGE), ("depth", regions.REGION_DEPTH_RANGE),
                         ("seed", regions.REGION_SEED_RANGE)]:
        assert (sliders[name].min, sliders[name].max, sliders[name].step) == bounds
    sliders["depth"].value = 3  # the interactive redraws without error
    w.update()
