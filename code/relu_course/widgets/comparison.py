"""The comparison explorer of chapter 8: two activations overlaid, with their measured table rows.

Pick two activations of the registry; the left panel overlays the functions, the right panel their
derivatives, and a small table underneath repeats the two rows of the chapter's measured table
(relu_course.comparison), so the picture and the figures can be read together.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.comparison import ShapeRow, format_mean, format_smooth, measure
from relu_course.style import PALETTE, draw_axes_through_origin, figure
from relu_course.widgets.live import live_explorer

#: The activations one can pick: every registry entry, in registry order.
COMPARISON_KEYS: tuple[str, ...] = tuple(ACTIVATIONS)
#: Where the curves are drawn, and the common vertical ranges of the two panels.
X_GRID = np.linspace(-4.0, 4.0, 801)
FUNCTION_LIMITS = (-2.0, 4.5)
DERIVATIVE_LIMITS = (-0.7, 1.9)
#: The pairs of the static rendition: the guide's two headline match-ups and the classic pair.
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (("relu", "gelu"), ("relu", "elu"), ("sigmoid", "tanh"))
#: Columns of the small table under each pair.
TABLE_COLUMNS = ("activation", "output range", "f\u2032 range", "smooth?", "negative?", "mean on N(0, 1)")
#: Font size of the small table (points); the figure is FIGURE_WIDTH inches wide to keep it legible.
TABLE_FONT_SIZE = 9.5
FIGURE_WIDTH = 7.5
#: The two curves of a pair: (colour, line style).
STYLES = ((PALETTE["function"], "-"), (PALETTE["derivative"], "--"))
#: Inputs for the mean output when a row has to be measured here (rows passed in are used as they are).
SAMPLE_SIZE = 2**16


def _key(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be an activation key such as 'relu', got {type(value).__name__} ({value!r})")
    if value not in COMPARISON_KEYS:
        raise ValueError(f"{name} must be one of {', '.join(COMPARISON_KEYS)}; got {value!r}")
    return value


def _rows(rows: Any) -> Mapping[str, ShapeRow]:
    if rows is None:
        return {}
    if not isinstance(rows, Mapping) or not all(isinstance(r, ShapeRow) for r in rows.values()):
        raise TypeError("rows must be a mapping of key -> ShapeRow (see relu_course.comparison.measure_all), or None")
    return rows


def _row(key: str, rows: Mapping[str, ShapeRow]) -> ShapeRow:
    if key in rows:
        return rows[key]
    samples = np.random.default_rng(0).standard_normal(SAMPLE_SIZE)
    return measure(key, samples)


def table_cells(row: ShapeRow) -> list[str]:
    """The cells of one row of the small table, in TABLE_COLUMNS order."""
    if not isinstance(row, ShapeRow):
        raise TypeError(f"row must be a ShapeRow, got {type(row).__name__}")
    return [row.name, str(row.output), str(row.slope), format_smooth(row), "yes" if row.negative_outputs else "no",
            format_mean(row)]


def _draw_pair(ax_f: Axes, ax_d: Axes, ax_t: Axes, keys: tuple[str, str], rows: Mapping[str, ShapeRow]) -> None:
    for ax in (ax_f, ax_d):
        draw_axes_through_origin(ax)
        ax.set_xlabel("x")
    for key, (colour, style) in zip(keys, STYLES):
        act = get_activation(key)
        ax_f.plot(X_GRID, act(X_GRID), color=colour, linestyle=style, label=act.name)
        ax_d.plot(X_GRID, act.grad(X_GRID), color=colour, linestyle=style, label=act.name)
    names = " vs ".join(get_activation(k).name for k in keys)
    ax_f.set(ylim=FUNCTION_LIMITS, title=f"{names}: f(x)")
    ax_d.set(ylim=DERIVATIVE_LIMITS, title="slope f\u2032(x)")
    ax_f.legend(loc="upper left")
    ax_t.axis("off")
    cells = [table_cells(_row(k, rows)) for k in keys]
    chars = [max(len(text) for text in column) + 2 for column in zip(TABLE_COLUMNS, *cells)]
    table = ax_t.table(cellText=cells, colLabels=list(TABLE_COLUMNS), cellLoc="center",
                       colWidths=[c / sum(chars) for c in chars], bbox=[0.0, 0.0, 1.0, 1.0])
    table.auto_set_font_size(False)
    table.set_fontsize(TABLE_FONT_SIZE)
    for (r, _), cell in table.get_celld().items():
        cell.set_edgecolor(PALETTE["blocked"])
        if r == 0:
            cell.set_text_props(weight="bold")
        else:
            cell.get_text().set_color(STYLES[r - 1][0])


def _pair_figure(pairs: list[tuple[str, str]], rows: Mapping[str, ShapeRow]) -> Figure:
    n = len(pairs)
    fig, axes = figure(ncols=2, nrows=2 * n, width=FIGURE_WIDTH, height=3.7 * n,
                       gridspec_kw={"height_ratios": [2.6, 1.1] * n})
    axes = np.asarray(axes).reshape(2 * n, 2)
    grid = axes[0, 0].get_gridspec()
    for i, pair in enumerate(pairs):
        for ax in axes[2 * i + 1]:
            ax.remove()
        table_ax = fig.add_subplot(grid[2 * i + 1, :])
        _draw_pair(axes[2 * i, 0], axes[2 * i, 1], table_ax, pair, rows)
    return fig


def comparison_panel(first: str, second: str, rows: Mapping[str, ShapeRow] | None = None) -> Figure:
    """The explorer's update function: ``first`` and ``second`` overlaid (functions left, slopes right)
    above their rows of the measured table (taken from ``rows`` when given, else measured here)."""
    pair = (_key(first, "first"), _key(second, "second"))
    return _pair_figure([pair], _rows(rows))


def comparison_small_multiples(pairs: Sequence[Sequence[str]] = DEFAULT_PAIRS,
                               rows: Mapping[str, ShapeRow] | None = None) -> Figure:
    """Static rendition of the explorer: one block (functions, slopes, table rows) per pair."""
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise TypeError(f"pairs must be a sequence of (first, second) keys, got {pairs!r}")
    checked = []
    for pair in pairs:
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"pairs must hold (first, second) pairs of activation keys, got {pair!r}")
        checked.append((_key(pair[0], "pairs"), _key(pair[1], "pairs")))
    if not checked:
        raise ValueError("pairs must hold at least one (first, second) pair")
    return _pair_figure(checked, _rows(rows))


@live_explorer
def comparison_explorer(rows: Mapping[str, ShapeRow] | None = None) -> Any:
    """Live explorer: two drop-downs pick the activations that :func:`comparison_panel` draws.
    Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    rows = _rows(rows)
    options = [(get_activation(k).name, k) for k in COMPARISON_KEYS]

    def update(first: str, second: str) -> None:
        comparison_panel(first, second, rows)
        plt.show()

    return widgets.interactive(
        update,
        first=widgets.Dropdown(options=options, value="relu", description="first"),
        second=widgets.Dropdown(options=options, value="gelu", description="second"),
    )
