"""The variants explorer of chapter 7: its update function over every variant and the whole slider range,
the gallery, the static rendition, the RReLU figure and the live widget."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.activation_registry import ACTIVATIONS
from relu_course.activations import relu
from relu_course.widgets import variants as vw


def slider_values(rng):
    return np.round(np.arange(rng.low, rng.high + rng.step / 2, rng.step), 10)


def curves(ax):
    """The three curves of a panel by label: ReLU (reference), f(x), f'(x)."""
    return {line.get_label(): line for line in ax.lines if line.get_label() in ("ReLU", "f(x)", "f'(x)")}


def test_variant_keys_come_from_the_registry():
    assert set(vw.VARIANT_KEYS) == set(ACTIVATIONS) - {"relu", "sigmoid", "tanh"}
    assert set(vw.PARAMETER_RANGES) <= set(vw.VARIANT_KEYS)
    for key, rng in vw.PARAMETER_RANGES.items():
        default = ACTIVATIONS[key].params[rng.name]
        assert rng.low <= default <= rng.high, key  # the course default is on the slider


@pytest.mark.parametrize("key", sorted(vw.PARAMETER_RANGES))
def test_panel_over_the_whole_slider_range(key):
    rng = vw.PARAMETER_RANGES[key]
    x = vw.X_GRID
    for value in slider_values(rng):
        fig = vw.variant_panel(key, float(value))
        ax = fig.axes[0]
        lines = curves(ax)
        # independent expectations from the definitions, not from the package
        a = float(value)
        expected = {
            "leaky_relu": lambda: np.where(x > 0, x, a * x), "prelu": lambda: np.where(x > 0, x, a * x),
            "elu": lambda: np.where(x > 0, x, a * np.expm1(np.minimum(x, 0))),
            "silu": lambda: x / (1 + np.exp(-a * x)), "softplus": lambda: np.log1p(np.exp(a * x)) / a,
        }[key]()
        np.testing.assert_allclose(lines["f(x)"].get_ydata(), expected, rtol=1e-9, atol=1e-12)
        slope = np.gradient(expected, x)
        smooth = np.abs(x) > 0.05  # central differences are wrong right at a kink
        np.testing.assert_allclose(lines["f'(x)"].get_ydata()[smooth], slope[smooth], atol=2e-3)
        np.testing.assert_array_equal(lines["ReLU"].get_ydata(), relu(x))
        assert f"= {a:g}" in ax.get_title() and ACTIVATIONS[key].name in ax.get_title()
        plt.close(fig)


@pytest.mark.parametrize("key", [k for k in vw.VARIANT_KEYS if k not in vw.PARAMETER_RANGES])
def test_panel_of_variants_without_a_parameter_uses_the_registry(key):
    fig = vw.variant_panel(key)
    ax = fig.axes[0]
    lines = curves(ax)
    act = ACTIVATIONS[key]
    np.testing.assert_array_equal(lines["f(x)"].get_ydata(), act(vw.X_GRID))
    np.testing.assert_array_equal(lines["f'(x)"].get_ydata(), act.grad(vw.X_GRID))
    assert ax.get_title() == act.name
    plt.close(fig)
    with pytest.raises(ValueError, match="value"):
        vw.variant_panel(key, 0.5)


@pytest.mark.parametrize("call, error, word", [
    (lambda: vw.variant_panel("relu"), ValueError, "key"), (lambda: vw.variant_panel(3), ValueError, "key"),
    (lambda: vw.variant_panel("elu", 5.0), ValueError, "value"),
    (lambda: vw.variant_panel("leaky_relu", "0.1"), TypeError, "value"),
    (lambda: vw.variants_gallery([]), ValueError, "keys"), (lambda: vw.variants_gallery(ncols=0), ValueError, "ncols"),
    (lambda: vw.variant_small_multiples(["gelu"]), ValueError, "keys"),
    (lambda: vw.variant_small_multiples(n_values=0), ValueError, "n_values"),
    (lambda: vw.rrelu_slopes_figure(size=0), ValueError, "size"),
    (lambda: vw.rrelu_slopes_figure(seed=-1), ValueError, "seed"),
])
def test_bad_arguments_name_themselves(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_parameter_values_span_the_slider_on_its_step():
    for rng in vw.PARAMETER_RANGES.values():
        values = rng.values(3)
        assert values[0] == rng.low and values[-1] == pytest.approx(rng.high)
        assert np.allclose(np.round(values / rng.step), values / rng.step)
    assert list(vw.PARAMETER_RANGES["leaky_relu"].values(1)) == [0.0]


def test_gallery_has_one_panel_per_variant_in_registry_order():
    fig = vw.variants_gallery()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [ACTIVATIONS[k].name for k in vw.VARIANT_KEYS]
    assert all(ax.get_legend() is None for ax in visible) and len(fig.legends) == 1
    plt.close(fig)


def test_small_multiples_rows_are_variants_and_columns_span_the_range():
    fig = vw.variant_small_multiples(n_values=3)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 3 * len(vw.PARAMETER_RANGES)
    for row, (key, rng) in enumerate(vw.PARAMETER_RANGES.items()):
        for col, value in enumerate(rng.values(3)):
            assert titles[3 * row + col] == f"{ACTIVATIONS[key].name}, {rng.symbol} = {value:g}"
    plt.close(fig)


def test_rrelu_figure_marks_both_conventions():
    fig = vw.rrelu_slopes_figure(size=2000, seed=1)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("test slope 0.182" in t for t in labels)  # the paper's 2 / (3 + 8)
    assert any("test slope 0.229" in t for t in labels)  # PyTorch's (1/8 + 1/3) / 2
    assert any("mean training slope 0.196" in t for t in labels)  # ln(8/3) / 5
    plt.close(fig)


def test_live_explorer_switches_the_slider_with_the_variant():
    pytest.importorskip("ipywidgets")
    box = vw.variant_explorer()
    menu, slider, _ = box.children
    for key in vw.VARIANT_KEYS:
        menu.value = key
        rng = vw.PARAMETER_RANGES.get(key)
        assert slider.disabled == (rng is None)
        if rng is not None:
            assert (slider.min, slider.max) == (rng.low, rng.high)
            assert slider.value == ACTIVATIONS[key].params[rng.name]
            slider.value = rng.high
    plt.close("all")
