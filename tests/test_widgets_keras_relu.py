"""The Keras ReLU explorer of chapter 12: its update function over the slider ranges, the static rendition
and the live widget. Expected curves come from the case definition of keras.activations.relu."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.activations import relu
from relu_course.widgets import keras_relu as kw


def f(v, a, m, t):
    if v > t:
        return v if m is None else min(v, m)
    return a * (v - t)


def df(v, a, m, t):
    if v > t:
        return 1.0 if (m is None or v < m) else 0.0
    return a


def lines(ax, label):
    """The x and y data of every piece of one curve (pieces after the first have a '_' label)."""
    found = [line for line in ax.lines if line.get_label() in (label, "_" + label)]
    return (np.concatenate([line.get_xdata() for line in found]),
            np.concatenate([line.get_ydata() for line in found]))


def check_panel(ax, a, m, t):
    xs, ys = lines(ax, "f(x)")
    assert np.allclose(ys, [f(v, a, m, t) for v in xs], rtol=0, atol=1e-12)
    xs, ys = lines(ax, "f′(x)")
    assert np.array_equal(ys, [df(v, a, m, t) for v in xs])
    # no piece crosses a boundary: the jump at t and the corner at m are not joined by a line
    special = [t] + ([m] if m is not None and m > t else [])
    for line in ax.lines:
        if line.get_label().lstrip("_") in ("f(x)", "f′(x)"):
            x = line.get_xdata()
            assert not any(x[0] < b < x[-1] for b in special)
    dots_x, dots_y = (np.asarray(v) for v in next(line.get_data() for line in ax.lines
                                                  if line.get_label() == "f at a boundary"))
    assert dots_x.tolist() == special and np.allclose(dots_y, [f(b, a, m, t) for b in special])
    slope_y = next(line.get_ydata() for line in ax.lines if line.get_label() == "f′ at a boundary")
    assert list(slope_y) == [df(b, a, m, t) for b in special]
    relu_x, relu_y = (np.asarray(v) for v in next(line.get_data() for line in ax.lines if line.get_label() == "ReLU"))
    assert np.array_equal(relu_y, relu(relu_x))
    assert ax.get_xlim() == kw.X_RANGE


@pytest.mark.parametrize("name", list(kw.SLIDERS))
def test_panel_over_each_whole_slider(name):
    base = {"negative_slope": 0.2, "max_value": 6.0, "threshold": 1.0}
    for value in kw.SLIDERS[name].all_values():
        p = {**base, name: float(value)}
        fig = kw.keras_relu_panel(**p)
        ax = fig.axes[0]
        check_panel(ax, p["negative_slope"], p["max_value"], p["threshold"])
        plt.close(fig)


@pytest.mark.parametrize("a", kw.SLIDERS["negative_slope"].values(2))
@pytest.mark.parametrize("m", [None, *kw.SLIDERS["max_value"].values(3)])
@pytest.mark.parametrize("t", kw.SLIDERS["threshold"].values(3))
def test_panel_at_the_corners_of_the_slider_box(a, m, t):
    fig = kw.keras_relu_panel(float(a), None if m is None else float(m), float(t))
    ax = fig.axes[0]
    check_panel(ax, float(a), None if m is None else float(m), float(t))
    m_text = "none" if m is None else f"{m:g}"
    assert ax.get_title() == f"a = {a:g}, m = {m_text}, t = {t:g}"
    plt.close(fig)


def test_a_cap_below_the_threshold_leaves_one_boundary():
    setting = kw.setting_for(0.2, 1.0, 2.0)
    assert kw.boundaries(setting) == [2.0]
    fig = kw.keras_relu_panel(0.2, 1.0, 2.0)
    check_panel(fig.axes[0], 0.2, 1.0, 2.0)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"negative_slope": 0.6}, ValueError, "negative_slope"), ({"max_value": 0.0}, ValueError, "max_value"),
    ({"threshold": 3.5}, ValueError, "threshold"), ({"threshold": "1"}, TypeError, "threshold"),
    ({"max_value": math.nan}, ValueError, "max_value"),
])
def test_values_outside_the_sliders_are_refused(kwargs, error, word):
    with pytest.raises(error, match=word):
        kw.keras_relu_panel(**kwargs)


def test_slider_values_lie_on_their_steps():
    for rng in kw.SLIDERS.values():
        values = rng.all_values()
        assert values[0] == rng.low and values[-1] == pytest.approx(rng.high)
        assert np.allclose(np.diff(values), rng.step)
        assert list(rng.values(2)) == [rng.low, rng.high]
    with pytest.raises(ValueError, match="n"):
        kw.SLIDERS["threshold"].values(0)


def test_small_multiples_draw_one_panel_per_setting():
    fig = kw.keras_relu_small_multiples()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(kw.SMALL_MULTIPLES) and len(fig.legends) == 1
    for ax, (a, m, t) in zip(visible, kw.SMALL_MULTIPLES):
        check_panel(ax, a, m, t)
        assert ax.get_legend() is None
    plt.close(fig)
    fig = kw.keras_relu_small_multiples([(0.0, None, 0.0)] * 4, ncols=3)
    assert sum(ax.get_visible() for ax in fig.axes) == 4
    for bad in ([], [(0.1, 2.0)], "abc"):
        with pytest.raises(ValueError, match="settings"):
            kw.keras_relu_small_multiples(bad)


def test_live_explorer_redraws_with_and_without_a_cap():
    pytest.importorskip("ipywidgets")
    box = kw.keras_relu_explorer()
    slope, threshold, capped, cap, out = box.children
    assert cap.disabled and not capped.value
    capped.value = True
    assert not cap.disabled
    for value in (cap.min, cap.max):
        cap.value = value
    threshold.value = threshold.max
    slope.value = slope.max
    plt.close("all")
