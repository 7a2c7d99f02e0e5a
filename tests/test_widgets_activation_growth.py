"""The activation-growth explorer: its update function over the slider ranges, its numbers against an
independent forward pass and against positive homogeneity, and the static rendition."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.backprop import random_mlp_parameters
from relu_course.datasets import digits
from relu_course.widgets import activation_growth as ag


def slider_values(lo, hi, step, every):
    return np.round(np.arange(lo, hi + step / 2, step * every), 6)


def independent_rms(depth, scale, activation):
    """The same network rebuilt from its definition, with NumPy's own functions."""
    X, _ = digits(ag.EXPLORER_BATCH, seed=ag.EXPLORER_SEED)
    params = random_mlp_parameters([64, *([ag.EXPLORER_WIDTH] * depth)], init="he", gain=scale,
                                   seed=ag.EXPLORER_SEED)
    f = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh}[activation]
    h, out = X, [np.sqrt(np.mean(X ** 2))]
    for W, b in params:
        h = f(h @ W + b)
        out.append(np.sqrt(np.mean(h ** 2)))
    return np.array(out)


def test_panel_over_the_slider_ranges():
    for depth in slider_values(*ag.GROWTH_DEPTH_RANGE, every=6).astype(int):
        for scale in slider_values(*ag.GROWTH_SCALE_RANGE, every=5):
            fig = ag.growth_panel(int(depth), float(scale))
            ax = fig.axes[0]
            assert [line.get_label() for line in ax.lines] == ["ReLU", "Tanh"]
            for line in ax.lines:
                y = np.asarray(line.get_ydata())
                assert y.shape == (depth + 1,) and np.all(np.isfinite(y)) and np.all(y > 0)
            assert ax.get_yscale() == "log"
            assert f"{depth} layers, weight scale {scale:.1f}" in ax.get_title()
            assert f"ReLU {ax.lines[0].get_ydata()[-1]:.2g}" in ax.get_title()
            plt.close(fig)


@pytest.mark.parametrize("depth, scale", [(1, 0.5), (12, 1.0), (40, 2.0), (25, 1.3)])
def test_rms_matches_an_independent_forward_pass(depth, scale):
    for activation in ag.GROWTH_ACTIVATIONS:
        np.testing.assert_allclose(ag.layer_rms(depth, scale, activation),
                                   independent_rms(depth, scale, activation), rtol=1e-10)


def test_relu_growth_is_exactly_geometric_and_tanh_is_bounded():
    # bias-free ReLU network: scaling every weight by a scales layer l by a**l (positive homogeneity)
    base = ag.layer_rms(30, 1.0, "relu")
    for scale in (0.5, 1.5, 2.0):
        got = ag.layer_rms(30, scale, "relu")
        np.testing.assert_allclose(got, base * scale ** np.arange(31), rtol=1e-9)
        assert ag.growth_per_layer(got) == pytest.approx(scale * ag.growth_per_layer(base), rel=1e-9)
        assert np.all(ag.layer_rms(30, scale, "tanh")[1:] <= 1.0)


def test_deeper_network_extends_the_shallower_one():
    np.testing.assert_array_equal(ag.layer_rms(40, 1.2)[:11], ag.layer_rms(10, 1.2))


def test_layer_rms_returns_a_copy():
    rms = ag.layer_rms(5, 1.0)
    rms[0] = -1.0
    assert ag.layer_rms(5, 1.0)[0] > 0


def test_growth_per_layer():
    assert ag.growth_per_layer([5.0, 1.0, 2.0, 4.0, 8.0]) == pytest.approx(2.0)
    for bad in ([1.0, 2.0], [1.0, 0.0, 2.0], [[1.0, 2.0, 3.0]], [1.0, 2.0, np.inf]):
        with pytest.raises(ValueError, match="rms"):
            ag.growth_per_layer(bad)


@pytest.mark.parametrize("args, error, match", [
    ((0,), ValueError, "depth"), ((41,), ValueError, "depth"), ((3.0,), TypeError, "depth"),
    ((5, 0.4), ValueError, "scale"), ((5, 2.5), ValueError, "scale"), ((5, "big"), TypeError, "scale"),
])
def test_panel_validates(args, error, match):
    with pytest.raises(error, match=match):
        ag.growth_panel(*args)


def test_layer_rms_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        ag.layer_rms(5, 1.0, "sigmoid")


def test_small_multiples_one_panel_per_scale():
    fig = ag.growth_small_multiples([0.8, 1.0, 1.5], depth=20)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [f"20 layers, weight scale {s:.1f}" for s in (0.8, 1.0, 1.5)]
    assert len(fig.legends) == 1


@pytest.mark.parametrize("scales, depth, error", [([], 10, ValueError), ("1.0", 10, TypeError),
                                                  ([3.0], 10, ValueError), ([1.0], 0, ValueError)])
def test_small_multiples_rejects_bad_grids(scales, depth, error):
    with pytest.raises(error, match="scale|depth"):
        ag.growth_small_multiples(scales, depth)


def test_live_explorer_has_the_documented_controls():
    pytest.importorskip("ipywidgets")
    w = ag.growth_explorer()
    controls = {c.description: c for c in w.children if hasattr(c, "description") and c.description}
    assert (controls["layers"].min, controls["layers"].max) == ag.GROWTH_DEPTH_RANGE[:2]
    assert (controls["weight scale"].min, controls["weight scale"].max) == ag.GROWTH_SCALE_RANGE[:2]
    controls["layers"].value = 3
    w.update()
