"""The dying-ReLU explorer: its update function over every cell of a grid, and the static rendition.
The grid is made of synthetic runs, so these tests need no TensorFlow and check exactly what is drawn."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.dead_units import DeadUnitHistory
from relu_course.tips_experiments import TipRun, TipSetting
from relu_course.widgets import dying

RATES = [0.1, 0.001, 0.01]
INITS = ["He", "bias -1"]


def fake_run(rate, init, seed, layers=("relu_1", "relu_2"), accuracy=None):
    """Dead shares that encode the cell, the seed, the layer and the epoch, so each line is identifiable."""
    epochs = np.arange(4)
    code = RATES.index(rate) * 0.1 + INITS.index(init) * 0.3
    dead = np.column_stack([np.clip(code + 0.05 * seed + 0.01 * (i + 1) * epochs, 0, 1)
                            for i in range(len(layers))])
    masks = tuple(np.zeros((4, 3), bool) for _ in layers)
    history = DeadUnitHistory(tuple(layers), (3,) * len(layers), epochs, dead, dead, masks, 10)
    acc = 0.5 + code if accuracy is None else accuracy
    return TipRun(TipSetting(f"{init} {rate}", rate), seed, history, np.ones(3), acc)


def make_grid(**overrides):
    grid = {(r, i): [fake_run(r, i, 0), fake_run(r, i, 1)] for r in RATES for i in INITS}
    grid.update(overrides)
    return grid


def test_grid_axes_sort_rates_and_keep_init_order():
    assert dying.grid_axes(make_grid()) == (sorted(RATES), INITS)


def test_panel_for_every_cell_draws_the_seed_mean_per_layer():
    grid = make_grid()
    for rate in RATES:
        for init in INITS:
            fig = dying.dying_panel(grid, rate, init)
            ax = fig.axes[0]
            runs = grid[(rate, init)]
            thick = [line for line in ax.lines if line.get_label().startswith("layer")]
            assert [line.get_label() for line in thick] == ["layer 1", "layer 2"]
            for i, line in enumerate(thick):
                expected = (runs[0].history.dead[:, i] + runs[1].history.dead[:, i]) / 2
                np.testing.assert_allclose(line.get_ydata(), expected)
            assert len(ax.lines) == 2 * 3   # per layer: two seeds and their mean
            acc = np.mean([r.test_accuracy for r in runs])
            assert ax.get_title() == f"learning rate {rate:g}, {init}: acc {acc:.2f}"
            plt.close(fig)


def test_diverged_cell_says_so():
    grid = make_grid(**{})
    grid[(0.1, "He")] = [fake_run(0.1, "He", 0, accuracy=float("nan")), fake_run(0.1, "He", 1)]
    assert dying.dying_panel(grid, 0.1, "He").axes[0].get_title().endswith("diverged")


def test_small_multiples_has_one_panel_per_cell_in_grid_order():
    grid = make_grid()
    fig = dying.dying_small_multiples(grid)
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert len(axes) == len(RATES) * len(INITS)
    for ax, (init, rate) in zip(axes, [(i, r) for i in INITS for r in sorted(RATES)]):
        assert ax.get_title().startswith(f"lr {rate:g}:")
        mean = dying.mean_dead_per_layer(grid[(rate, init)])
        np.testing.assert_allclose(ax.lines[2].get_ydata(), mean[:, 0])
    sub = dying.dying_small_multiples(grid, learning_rates=[0.01], inits=["bias -1"])
    assert len([ax for ax in sub.axes if ax.get_title()]) == 1


@pytest.mark.parametrize("grid, error, word", [
    ({}, TypeError, "grid"),
    ([1, 2], TypeError, "grid"),
    ({"He": [fake_run(0.1, "He", 0)]}, TypeError, "pairs"),
    ({(0.1, "He"): []}, TypeError, "TipRun"),
    ({(0.1, "He"): "runs"}, TypeError, "TipRun"),
    ({(0.1, "He"): [fake_run(0.1, "He", 0)], (0.01, "bias -1"): [fake_run(0.01, "bias -1", 0)]},
     ValueError, "missing"),
    ({(0.1, "He"): [fake_run(0.1, "He", 0)], (0.01, "He"): [fake_run(0.01, "He", 0, layers=("a",))]},
     ValueError, "same layers"),
])
def test_invalid_grids_are_rejected(grid, error, word):
    with pytest.raises(error, match=word):
        dying.dying_panel(grid, 0.1, "He")


@pytest.mark.parametrize("rate, init, error, word", [
    (0.5, "He", ValueError, "learning_rate"),
    ("0.1", "He", TypeError, "learning_rate"),
    (True, "He", TypeError, "learning_rate"),
    (0.1, "Glorot", ValueError, "init"),
])
def test_values_outside_the_grid_are_rejected(rate, init, error, word):
    with pytest.raises(error, match=word):
        dying.dying_panel(make_grid(), rate, init)
    with pytest.raises(error, match=word):
        dying.dying_small_multiples(make_grid(), learning_rates=[rate], inits=[init])


def test_small_multiples_rejects_empty_selections():
    with pytest.raises(ValueError, match="empty"):
        dying.dying_small_multiples(make_grid(), learning_rates=[])


def test_live_explorer_offers_exactly_the_grid():
    pytest.importorskip("ipywidgets")
    grid = make_grid()
    w = dying.dying_explorer(grid)
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    assert [value for _, value in controls["learning rate"].options] == sorted(RATES)
    assert list(controls["init"].options) == INITS
    controls["learning rate"].value = 0.1
    controls["init"].value = "bias -1"
    w.update()   # redraws from the precomputed grid; nothing is trained
