"""The gradient-flow explorer: its update function over the slider ranges, and the static rendition."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.backprop import mlp_gradients, random_mlp_parameters
from relu_course.datasets import digits
from relu_course.widgets import gradient_flow as gf


def slider_values(lo, hi, step, every):
    return np.round(np.arange(lo, hi + step / 2, step * every), 6)


def independent_norms(depth, init, gain, activation):
    """The same network rebuilt from its definition, gradients taken layer by layer."""
    X, y = digits(gf.EXPLORER_BATCH, seed=gf.EXPLORER_SEED)
    sizes = [64, *([gf.EXPLORER_WIDTH] * depth), 10]
    params = random_mlp_parameters(sizes, init=init, gain=gain, seed=gf.EXPLORER_SEED)
    _, grads = mlp_gradients(params, X.astype(np.float64), y, activation)
    return np.array([np.sqrt(np.sum(dW * dW)) for dW, _ in grads])


def test_panel_over_the_slider_ranges():
    for depth in slider_values(*gf.GRADIENT_FLOW_DEPTH_RANGE, every=4).astype(int):
        for init in gf.GRADIENT_FLOW_INITS:
            for gain in slider_values(*gf.GRADIENT_FLOW_GAIN_RANGE, every=5):
                fig = gf.gradient_flow_panel(int(depth), init, float(gain))
                ax = fig.axes[0]
                assert [line.get_label() for line in ax.lines] == list(gf.GRADIENT_FLOW_ACTIVATIONS)
                for line in ax.lines:
                    y = np.asarray(line.get_ydata())
                    assert y.shape == (depth + 1,) and np.all(np.isfinite(y)) and np.all(y > 0)
                    assert f"{line.get_label()} {y[0] / y[-1]:.1e}" in ax.get_title()
                assert f"{depth} hidden layers, {init}" in ax.get_title()
                plt.close(fig)


@pytest.mark.parametrize("depth, init, gain", [(2, "he", 1.0), (12, "glorot", 0.7), (30, "he", 1.5)])
def test_plotted_norms_match_an_independent_computation(depth, init, gain):
    norms = gf.explorer_gradient_norms(depth, init, gain)
    for activation, values in norms.items():
        np.testing.assert_allclose(values, independent_norms(depth, init, gain, activation), rtol=1e-10)
    norms["relu"][0] = -1.0  # a copy: the cache is untouched
    assert gf.explorer_gradient_norms(depth, init, gain)["relu"][0] > 0


def test_sigmoid_gradient_vanishes_towards_the_input_and_he_relu_does_not():
    # each sigmoid layer multiplies the backward signal by sigma' <= 1/4 (times the weights)
    norms = gf.explorer_gradient_norms(20, "he", 1.0)
    assert gf.first_to_last_ratio(norms["sigmoid"]) < 1e-3
    assert 0.05 < gf.first_to_last_ratio(norms["relu"]) < 20


def test_first_to_last_ratio():
    assert gf.first_to_last_ratio([2.0, 5.0, 8.0]) == 0.25
    with pytest.raises(ValueError, match="norms"):
        gf.first_to_last_ratio([1.0])


@pytest.mark.parametrize("args, error, match", [
    ((1,), ValueError, "depth"), ((31,), ValueError, "depth"), (("5",), TypeError, "depth"),
    ((5, "lecun"), ValueError, "init"), ((5, "he", 3.0), ValueError, "gain"),
    ((5, "he", "big"), TypeError, "gain"),
])
def test_panel_validates(args, error, match):
    with pytest.raises(error, match=match):
        gf.gradient_flow_panel(*args)


def test_small_multiples_one_panel_per_depth_and_init():
    fig = gf.gradient_flow_small_multiples([4, 16, 28], ["glorot", "he"])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 6
    assert titles[0] == "4 hidden layers, glorot init" and titles[-1] == "28 hidden layers, he init"


@pytest.mark.parametrize("depths, inits, error", [([], ["he"], ValueError), ([4], [], ValueError),
                                                  ("4", ["he"], TypeError), ([4], "he", TypeError),
                                                  ([40], ["he"], ValueError)])
def test_small_multiples_rejects_bad_grids(depths, inits, error):
    with pytest.raises(error, match="depth|init"):
        gf.gradient_flow_small_multiples(depths, inits)


def test_live_explorer_has_the_documented_controls():
    pytest.importorskip("ipywidgets")
    w = gf.gradient_flow_explorer()
    controls = {c.description: c for c in w.children if hasattr(c, "description") and c.description}
    assert (controls["hidden layers"].min, controls["hidden layers"].max) == gf.GRADIENT_FLOW_DEPTH_RANGE[:2]
    assert (controls["weight scale"].min, controls["weight scale"].max) == gf.GRADIENT_FLOW_GAIN_RANGE[:2]
    assert tuple(controls["init"].options) == gf.GRADIENT_FLOW_INITS
    controls["hidden layers"].value = 3
    w.update()
