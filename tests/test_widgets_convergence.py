"""The convergence explorer of chapter 4, driven over its slider range with synthetic curves (no
training): titles, first-reach markers and the target line follow from the curves."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.widgets import convergence as cw


def slider_values(lo, hi, step, every=4):
    return np.round(np.arange(lo, hi + step / 2, step * every), 6)


def synthetic_curves():
    epochs = np.arange(1, 11)
    return {"relu": np.stack([0.8 * np.exp(-r * epochs) for r in (0.5, 0.6)]),
            "tanh": np.stack([0.3 * np.exp(-r * epochs) for r in (0.2, 0.25)])}


def first_epoch(row, target):
    hits = [i + 1 for i, e in enumerate(row) if e <= target]
    return hits[0] if hits else None


def test_panel_over_the_slider_range():
    curves = synthetic_curves()
    for target_pct in slider_values(*cw.TARGET_RANGE):
        fig = cw.convergence_panel(curves, float(target_pct))
        ax = fig.axes[0]
        title = ax.get_title()
        assert f"target {target_pct:g} %" in title
        expected = {k: [first_epoch(row, target_pct / 100) for row in v] for k, v in curves.items()}
        for name, label in (("relu", "ReLU"), ("tanh", "tanh")):
            epochs = expected[name]
            if None in epochs:
                assert f"{label} {epochs.count(None)} of {len(epochs)} never" in title
            else:
                assert f"{label} {np.mean(epochs):.1f}" in title
        if None in expected["relu"] + expected["tanh"]:
            assert "undefined" in title
        else:
            ratio = np.mean([t / r for r, t in zip(expected["relu"], expected["tanh"])])
            assert f"tanh / ReLU {ratio:.2f}" in title
        target_line = next(line for line in ax.lines if line.get_label() == "target")
        assert set(target_line.get_ydata()) == {target_pct}
        markers = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
        marked = sorted(int(x) for line in markers for x in line.get_xdata())
        assert marked == sorted(e for v in expected.values() for e in v if e is not None)
        assert ax.get_yscale() == "log"
        plt.close(fig)


def test_panel_draws_one_line_per_seed_in_percent():
    curves = synthetic_curves()
    fig = cw.convergence_panel(curves, 5.0)
    ax = fig.axes[0]
    solid = [line for line in ax.lines if line.get_linestyle() == "-" and line.get_marker() in ("None", "")]
    assert len(solid) == 2
    np.testing.assert_allclose(sorted(line.get_ydata()[0] for line in solid),
                               sorted(100 * curves["relu"][:, 0]))


@pytest.mark.parametrize("target, error", [("5", TypeError), (np.nan, ValueError), (-1.0, ValueError),
                                           (101.0, ValueError)])
def test_panel_rejects_bad_targets(target, error):
    with pytest.raises(error, match="target_percent"):
        cw.convergence_panel(synthetic_curves(), target)


def test_panel_rejects_bad_curves():
    with pytest.raises((TypeError, ValueError), match="curves"):
        cw.convergence_panel({"relu": [[2.0]]}, 5.0)


def test_summary_lines():
    lines = cw.summary_lines({"relu": [[0.5, 0.01]], "tanh": [[0.5, 0.02]]}, 5.0)
    assert lines == ["target 5 %", "epochs: ReLU 2.0, tanh 2.0", "tanh / ReLU 1.00"]
    assert cw.summary({"relu": [[0.5, 0.01]]}, 5.0) == "target 5 %; epochs: ReLU 2.0"


def test_small_multiples_has_one_panel_per_target():
    fig = cw.convergence_small_multiples(synthetic_curves(), [25.0, 5.0, 2.0])
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 3
    assert [t.splitlines()[0] for t in titles] == ["target 25 %", "target 5 %", "target 2 %"]


@pytest.mark.parametrize("targets", [[], [[5.0]], "5"])
def test_small_multiples_rejects_bad_targets(targets):
    with pytest.raises((TypeError, ValueError), match="targets_percent"):
        cw.convergence_small_multiples(synthetic_curves(), targets)


def test_live_explorer_has_the_documented_slider():
    pytest.importorskip("ipywidgets")
    w = cw.convergence_explorer(synthetic_curves())
    slider = next(c for c in w.children if getattr(c, "description", "") == "target (%)")
    assert (slider.min, slider.max, slider.step) == cw.TARGET_RANGE
    slider.value = cw.TARGET_RANGE[0]
    w.update()
    with pytest.raises(TypeError, match="curves"):
        cw.convergence_explorer([[0.1]])
