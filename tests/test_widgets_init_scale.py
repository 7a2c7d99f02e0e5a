"""The initialisation-scale explorer of chapter 13: its update function over the slider ranges, the
values it draws against an independent forward pass, and the static rendition."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.datasets import digits
from relu_course.widgets import init_scale as w

SCALES = 10.0 ** np.arange(w.SCALE_LOG10_RANGE[0], w.SCALE_LOG10_RANGE[1] + 1e-9, 0.25)
DEPTHS = [w.DEPTH_RANGE[0], 7, 30, w.DEPTH_RANGE[1]]


def independent_stds(scale, depth):
    """The explorer's network rebuilt from its documented definition: He-normal kernels times scale,
    drawn layer after layer from default_rng(seed), no biases, on the digit batch."""
    X, _ = digits(w.EXPLORER_BATCH, seed=w.EXPLORER_SEED)
    rng = np.random.default_rng(w.EXPLORER_SEED)
    h, stds = X, []
    for _ in range(depth):
        W = rng.standard_normal((h.shape[1], w.EXPLORER_WIDTH)) * scale * np.sqrt(2 / h.shape[1])
        h = np.maximum(h @ W, 0)
        stds.append(np.sqrt(np.mean((h - h.mean()) ** 2)))
    return np.array(stds)


def test_panel_over_the_slider_ranges():
    for scale in SCALES:
        for depth in DEPTHS:
            fig = w.init_scale_panel(float(scale), depth)
            ax_std, ax_zero = fig.axes
            he_line, scale_line = ax_std.lines
            assert scale_line.get_label() == "this scale" and he_line.get_label() == "He (scale 1)"
            stds = np.asarray(scale_line.get_ydata())
            assert stds.shape == (depth,) and np.all(np.isfinite(stds)) and np.all(stds > 0)
            for line in ax_zero.lines:
                shares = np.asarray(line.get_ydata())
                assert shares.shape == (depth,) and np.all((0 <= shares) & (shares <= 1))
            assert f"{depth} layers" in ax_std.get_title() and f"{stds[-1]:.2e}" in ax_std.get_title()
            plt.close(fig)


@pytest.mark.parametrize("scale, depth", [(0.1, 50), (0.5, 12), (1.0, 30), (3.0, 5), (10.0, 50)])
def test_plotted_values_match_an_independent_forward_pass(scale, depth):
    stats = w.init_scale_statistics(scale, depth)
    np.testing.assert_allclose(stats.std, independent_stds(scale, depth), rtol=1e-9)


def test_shallower_stacks_are_the_beginning_of_deeper_ones_and_copies():
    deep, shallow = w.init_scale_statistics(0.8, 40), w.init_scale_statistics(0.8, 10)
    np.testing.assert_array_equal(deep.std[:10], shallow.std)
    shallow.std[0] = -1.0
    assert w.init_scale_statistics(0.8, 10).std[0] > 0


def test_scale_moves_the_signal_by_scale_to_the_depth_and_not_the_zeros():
    he, half = w.init_scale_statistics(1.0, 30), w.init_scale_statistics(0.5, 30)
    np.testing.assert_allclose(half.std / he.std, 0.5 ** np.arange(1, 31), rtol=1e-9)
    np.testing.assert_array_equal(half.zero_share, he.zero_share)
    assert he.std.max() / he.std.min() < 3          # He keeps the signal's size within a small factor


@pytest.mark.parametrize("args, error, match", [
    ((0.05, 10), ValueError, "scale"), ((20.0, 10), ValueError, "scale"), (("big", 10), TypeError, "scale"),
    ((1.0, 0), ValueError, "depth"), ((1.0, 51), ValueError, "depth"), ((1.0, 2.5), TypeError, "depth"),
])
def test_panel_validates(args, error, match):
    with pytest.raises(error, match=match):
        w.init_scale_panel(*args)


def test_small_multiples_one_column_per_scale_with_a_shared_axis():
    fig = w.init_scale_small_multiples([0.5, 1.0, 2.0], 30)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["scale 0.5 × He, 30 layers", "scale 1 × He, 30 layers", "scale 2 × He, 30 layers"]
    top = [ax for ax in fig.axes if ax.get_title()]
    assert len({ax.get_ylim() for ax in top}) == 1
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 4


@pytest.mark.parametrize("scales, error", [([], ValueError), ("1", TypeError), ([0.01], ValueError)])
def test_small_multiples_rejects_bad_scales(scales, error):
    with pytest.raises(error, match="scale"):
        w.init_scale_small_multiples(scales)


def test_live_explorer_has_the_documented_controls():
    pytest.importorskip("ipywidgets")
    explorer = w.init_scale_explorer()
    controls = {c.description: c for c in explorer.children if getattr(c, "description", "")}
    assert (controls["scale × He"].min, controls["scale × He"].max) == w.SCALE_LOG10_RANGE[:2]
    assert (controls["layers"].min, controls["layers"].max) == w.DEPTH_RANGE[:2]
    controls["layers"].value = 4
    explorer.update()
