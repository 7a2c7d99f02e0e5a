"""The comparison explorer: its update function over every choice of the drop-downs, the static
rendition, and input validation."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course import comparison as cmp
from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.widgets import comparison as wc


@pytest.fixture(scope="module")
def rows():
    return cmp.measure_all(np.random.default_rng(1).standard_normal(2**12))


def _table_texts(fig):
    texts = []
    for ax in fig.axes:
        for table in ax.tables:
            texts.append([[cell.get_text().get_text() for (r, c), cell in sorted(table.get_celld().items()) if r == i]
                          for i in range(3)])
    return texts


@pytest.mark.parametrize("second", list(ACTIVATIONS))
def test_panel_for_every_choice_draws_both_curves_and_rows(second, rows):
    fig = wc.comparison_panel("relu", second, rows)
    ax_f, ax_d = fig.axes[0], fig.axes[1]
    for ax, attr in ((ax_f, "function"), (ax_d, "derivative")):
        curves = [line for line in ax.get_lines() if len(line.get_xdata()) == wc.X_GRID.size]
        assert len(curves) == 2
        for line, key in zip(curves, ("relu", second)):
            act = get_activation(key)
            expected = act(wc.X_GRID) if attr == "function" else act.grad(wc.X_GRID)
            np.testing.assert_allclose(line.get_ydata(), expected)
    (table,) = _table_texts(fig)
    assert table[0] == list(wc.TABLE_COLUMNS)
    assert table[1] == wc.table_cells(rows["relu"])
    assert table[2] == wc.table_cells(rows[second])
    assert get_activation(second).name in ax_f.get_title()
    plt.close(fig)


def test_panel_measures_rows_it_was_not_given():
    fig = wc.comparison_panel("sigmoid", "tanh")
    (table,) = _table_texts(fig)
    assert table[1][:3] == ["Sigmoid", "(0, 1)", "(0, 0.25]"]
    assert table[2][:2] == ["Tanh", "(\u22121, 1)"]
    plt.close(fig)


def test_small_multiples_has_one_block_per_pair(rows):
    pairs = [("relu", "gelu"), ("sigmoid", "tanh")]
    fig = wc.comparison_small_multiples(pairs, rows)
    assert len(fig.axes) == 3 * len(pairs)
    tables = _table_texts(fig)
    assert [t[1][0] for t in tables] == ["ReLU", "Sigmoid"]
    assert [t[2][0] for t in tables] == ["GELU", "Tanh"]
    plt.close(fig)


def test_default_pairs_are_valid_keys():
    assert all(k in ACTIVATIONS for pair in wc.DEFAULT_PAIRS for k in pair)


def test_curves_fit_the_fixed_limits():
    """Every registry curve on the grid stays inside the panels' fixed vertical ranges."""
    for act in ACTIVATIONS.values():
        f, d = act(wc.X_GRID), act.grad(wc.X_GRID)
        assert wc.FUNCTION_LIMITS[0] <= f.min() and f.max() <= wc.FUNCTION_LIMITS[1], act.key
        assert wc.DERIVATIVE_LIMITS[0] <= d.min() and d.max() <= wc.DERIVATIVE_LIMITS[1], act.key


@pytest.mark.parametrize("call, exc, word", [
    (lambda: wc.comparison_panel("relu", "swoosh"), ValueError, "second"),
    (lambda: wc.comparison_panel(3, "relu"), TypeError, "first"),
    (lambda: wc.comparison_panel("relu", "tanh", rows=[1]), TypeError, "rows"),
    (lambda: wc.comparison_small_multiples("relu"), TypeError, "pairs"),
    (lambda: wc.comparison_small_multiples([("relu",)]), ValueError, "pairs"),
    (lambda: wc.comparison_small_multiples([]), ValueError, "pairs"),
    (lambda: wc.comparison_small_multiples([("relu", "nope")]), ValueError, "pairs"),
    (lambda: wc.table_cells("relu"), TypeError, "row"),
])
def test_bad_choices_are_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()
    plt.close("all")


def test_live_explorer_offers_every_activation(rows):
    pytest.importorskip("ipywidgets")
    w = wc.comparison_explorer(rows)
    drops = {c.description: c for c in w.children if hasattr(c, "options")}
    for name in ("first", "second"):
        assert [value for _, value in drops[name].options] == list(wc.COMPARISON_KEYS)
    drops["second"].value = "mish"   # the interactive redraws without error
    w.update()
    plt.close("all")
