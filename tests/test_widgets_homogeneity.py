"""The homogeneity explorer of chapter 5: its update function over the whole slider range, the
static rendition, and the live widget."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.activations import relu
from relu_course.widgets import homogeneity as hw


def slider_values(lo, hi, step, every=5):
    return np.round(np.arange(lo, hi + step / 2, step * every), 6)


def test_toy_network_shapes_and_reproducibility():
    net = hw.toy_network(width=5, seed=3)
    assert [k.shape for k, _ in net] == [(1, 5), (5, 5), (5, 1)]
    assert all(b is not None and b.shape == (k.shape[1],) for k, b in net)
    again = hw.toy_network(width=5, seed=3)
    assert all(np.array_equal(k1, k2) and np.array_equal(b1, b2) for (k1, b1), (k2, b2) in zip(net, again))
    assert not np.array_equal(hw.toy_network(width=5, seed=4)[0][0], net[0][0])


@pytest.mark.parametrize("kwargs, word", [({"width": 0}, "width"), ({"width": 2.5}, "width"),
                                          ({"seed": -1}, "seed"), ({"seed": "0"}, "seed")])
def test_toy_network_rejects_bad_arguments(kwargs, word):
    with pytest.raises((TypeError, ValueError), match=word):
        hw.toy_network(**kwargs)


def independent_gap(scale, use_bias, net):
    """max |f(a x) - a f(x)| on the panel's grid, computed here with a plain loop over layers."""
    def f(x):
        h = x[:, None]
        for i, (k, b) in enumerate(net):
            h = h @ k + (b if use_bias else 0.0)
            if i < len(net) - 1:
                h = relu(h)
        return h[:, 0]
    return np.max(np.abs(f(scale * hw.X_GRID) - scale * f(hw.X_GRID)))


def test_panel_over_the_slider_range_with_both_bias_settings():
    net = hw.toy_network()
    for scale in slider_values(*hw.SCALE_RANGE):
        for use_bias in (False, True):
            fig = hw.homogeneity_panel(float(scale), use_bias, net)
            title = fig.axes[0].get_title()
            gap = hw.homogeneity_gap(float(scale), use_bias, net)
            assert gap == pytest.approx(independent_gap(scale, use_bias, net), abs=1e-12)
            holds = (not use_bias and scale >= 0) or scale == 1.0
            assert (gap < hw.HOLDS_BELOW) == holds, (scale, use_bias, gap)
            assert ("holds" in title) == holds
            assert f"a = {scale:+.1f}" in title and ("biases on" in title) == use_bias
            plt.close(fig)


def test_panel_draws_both_curves_and_the_gap():
    fig = hw.homogeneity_panel(-1.0, True)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "f(a·x)" in labels and "a·f(x)" in labels
    assert ax.collections, "the gap is shaded"
    solid = next(line for line in ax.get_lines() if line.get_label() == "f(a·x)")
    dashed = next(line for line in ax.get_lines() if line.get_label() == "a·f(x)")
    gap = np.max(np.abs(solid.get_ydata() - dashed.get_ydata()))
    assert gap == pytest.approx(hw.homogeneity_gap(-1.0, True))


@pytest.mark.parametrize("scale, use_bias, error, word", [("1", False, TypeError, "scale"),
                                                         (np.nan, False, ValueError, "scale"),
                                                         (1.0, "yes", TypeError, "use_bias")])
def test_panel_rejects_bad_arguments(scale, use_bias, error, word):
    with pytest.raises(error, match=word):
        hw.homogeneity_panel(scale, use_bias)


def test_panel_rejects_a_bad_network():
    with pytest.raises((TypeError, ValueError), match="params"):
        hw.homogeneity_panel(1.0, False, network=[(np.ones((2, 3)), None)] * 2)


def test_small_multiples_has_one_panel_per_pair():
    fig = hw.homogeneity_small_multiples([-1.0, 0.5, 2.0])
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titled) == 6
    assert sum("holds" in t for t in titled) == 2  # bias-free row, positive scales
    fig = hw.homogeneity_small_multiples([1.0], bias_options=[True])
    assert len([ax for ax in fig.axes if ax.get_title()]) == 1


@pytest.mark.parametrize("scales, options", [([], (False,)), ([[1.0]], (False,)), ("a", (False,)),
                                             ([1.0], ()), ([1.0], ("on",)), ([1.0], "on")])
def test_small_multiples_rejects_bad_grids(scales, options):
    with pytest.raises((TypeError, ValueError), match="scales|bias_options"):
        hw.homogeneity_small_multiples(scales, options)


def test_live_explorer_has_the_documented_controls():
    pytest.importorskip("ipywidgets")
    w = hw.homogeneity_explorer()
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    assert (controls["scale a"].min, controls["scale a"].max, controls["scale a"].step) == hw.SCALE_RANGE
    assert controls["biases"].value is False
    controls["scale a"].value = -2.0
    controls["biases"].value = True
    w.update()
