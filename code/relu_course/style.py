"""One figure style for the whole course: a colour-blind-safe palette, sizes, and a figure helper.

Every chapter draws through :func:`figure` so that all plots share fonts, sizes and colours.
The palette is Okabe & Ito's (2008), which stays distinguishable for the common forms of colour
blindness; line styles are varied as well so that figures also read in greyscale.
"""
from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_course._validation import positive_int, real_scalar

#: Okabe-Ito colours by role. ``function`` for an activation, ``derivative`` for its slope, and so on.
PALETTE: dict[str, str] = {
    "function": "#0072B2",    # blue
    "derivative": "#D55E00",  # vermillion
    "pass": "#009E73",        # bluish green: a unit whose input passes the gate
    "blocked": "#999999",     # grey: a unit whose input is set to zero
    "accent": "#E69F00",      # orange
    "reference": "#56B4E9",   # sky blue
    "extra": "#CC79A7",       # reddish purple
    "ink": "#000000",
}
#: The same colours as a cycle, in the order plots use them, paired with distinct line styles.
COLOR_CYCLE: list[str] = [PALETTE[k] for k in ("function", "derivative", "pass", "accent", "extra", "reference")]
LINESTYLE_CYCLE: list[str] = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1))]  # type: ignore[list-item]

#: Width of one panel in inches, and its height. A row of panels is ``ncols`` panels wide.
PANEL_WIDTH = 4.0
PANEL_HEIGHT = 3.0

RC_PARAMS: dict[str, Any] = {
    "axes.prop_cycle": mpl.cycler(color=COLOR_CYCLE, linestyle=LINESTYLE_CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 2.0,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
}


def use_course_style() -> None:
    """Apply the course style to matplotlib globally (idempotent)."""
    mpl.rcParams.update(RC_PARAMS)


def figure(ncols: int = 1, nrows: int = 1, *, width: float | None = None,
           height: float | None = None, **subplot_kw: Any) -> tuple[Figure, Any]:
    """Create a figure in the course style: ``fig, axes = figure(ncols=2)``.

    Returns ``(fig, ax)`` for one panel and ``(fig, array_of_axes)`` otherwise, like
    ``plt.subplots``. Size defaults to PANEL_WIDTH x PANEL_HEIGHT per panel.
    """
    ncols = positive_int(ncols, "ncols")
    nrows = positive_int(nrows, "nrows")
    size = (PANEL_WIDTH * ncols if width is None else real_scalar(width, "width", low=0.5, high=50.0),
            PANEL_HEIGHT * nrows if height is None else real_scalar(height, "height", low=0.5, high=50.0))
    use_course_style()
    return plt.subplots(nrows, ncols, figsize=size, squeeze=True, **subplot_kw)


ZERO_LINE: dict[str, Any] = {"color": PALETTE["ink"], "linewidth": 0.8, "alpha": 0.6, "zorder": 0}


def draw_zero_line(ax: Axes) -> None:
    """Draw a thin y = 0 line."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    ax.axhline(0.0, **ZERO_LINE)


def draw_axes_through_origin(ax: Axes) -> None:
    """Draw thin x = 0 and y = 0 lines, the frame of reference for an activation plot."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    draw_zero_line(ax)
    ax.axvline(0.0, **ZERO_LINE)


def plot_function_and_derivative(ax: Axes, x: np.ndarray, f: np.ndarray, df: np.ndarray, *,
                                 name: str) -> None:
    """Plot an activation and its derivative on one axis, with legend and labelled axes."""
    draw_axes_through_origin(ax)
    ax.plot(x, f, color=PALETTE["function"], linestyle="-", label=f"{name}(x)")
    ax.plot(x, df, color=PALETTE["derivative"], linestyle="--", label=f"{name}'(x)")
    ax.set_xlabel("x")
    ax.legend(loc="upper left")
