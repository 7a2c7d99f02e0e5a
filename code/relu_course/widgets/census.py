"""The architecture explorer of chapter 9: which activation sits where in a real network.

Each activation site of a :class:`relu_course.architecture_census.Census` is drawn as a marker at its
depth (the share of the model's entries before it). Every kind has its own colour *and* marker shape,
so the figure also reads in greyscale. The panel shows one architecture in lanes by role (hidden,
squeeze-and-excitation squeeze and gate, classifier); the static rendition shows every architecture as
one row of a single figure. Nothing here builds a model: the chapter builds them once and passes the
censuses in.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_course.architecture_census import ROLES, Census, display_name
from relu_course.style import PALETTE, figure
from relu_course.widgets.live import live_explorer

#: Colour and marker of every kind the census knows; other kinds get FALLBACK_STYLES in turn.
KIND_STYLES: dict[str, tuple[str, str]] = {
    "relu": (PALETTE["function"], "s"),
    "relu6": (PALETTE["pass"], "D"),
    "leaky_relu": (PALETTE["reference"], "<"),
    "hard_silu": (PALETTE["derivative"], "^"),
    "silu": (PALETTE["accent"], "v"),
    "gelu": (PALETTE["extra"], "o"),
    "sigmoid": (PALETTE["ink"], "x"),
    "hard_sigmoid": (PALETTE["blocked"], "P"),
    "softmax": (PALETTE["ink"], "*"),
}
FALLBACK_STYLES: tuple[tuple[str, str], ...] = ((PALETTE["reference"], "p"), (PALETTE["extra"], "h"),
                                                (PALETTE["accent"], "8"), (PALETTE["pass"], "d"))
#: Lanes of the single-architecture panel, top to bottom, and the roles drawn in each.
LANES: tuple[tuple[str, tuple[str, ...]], ...] = (("hidden", ("hidden",)), ("SE squeeze", ("squeeze",)),
                                                 ("SE gate", ("gate",)), ("classifier", ("head",)))
#: Vertical offset of the squeeze-and-excitation markers below an architecture's row in the overview.
SE_OFFSET = 0.32


def kind_style(kind: str, kinds_seen: Sequence[str] = ()) -> tuple[str, str]:
    """(colour, marker) of ``kind``; unknown kinds take the fallback styles in the order they appear in
    ``kinds_seen``."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string such as 'relu', got {type(kind).__name__}")
    if kind in KIND_STYLES:
        return KIND_STYLES[kind]
    unknown = [k for k in dict.fromkeys(kinds_seen) if k not in KIND_STYLES]
    position = unknown.index(kind) if kind in unknown else len(unknown)
    return FALLBACK_STYLES[position % len(FALLBACK_STYLES)]


def _check(censuses: Any) -> Mapping[str, Census]:
    if not isinstance(censuses, Mapping) or not censuses:
        raise TypeError("censuses must be a non-empty mapping from architecture name to Census")
    for name, c in censuses.items():
        if not isinstance(c, Census):
            raise TypeError(f"censuses[{name!r}] must be a Census, got {type(c).__name__}")
    return censuses


def _kinds(censuses: Mapping[str, Census]) -> list[str]:
    return list(dict.fromkeys(s.kind for c in censuses.values() for s in c.sites))


def _scatter(ax: Any, census: Census, roles: Sequence[str], y: float, size: float, gid: str,
             kinds_seen: Sequence[str]) -> None:
    for kind in dict.fromkeys(s.kind for s in census.sites if s.role in roles):
        x = np.array([s.index / census.n_layers for s in census.sites if s.role in roles and s.kind == kind])
        colour, marker = kind_style(kind, kinds_seen)
        unfilled = marker in ("x", "+", "P", "*")
        ax.scatter(x, np.full(x.shape, y), s=size, marker=marker, color=colour, linewidths=0.8,
                   edgecolors=PALETTE["ink"] if not unfilled else None, zorder=3,
                   label=display_name(kind), gid=f"{gid}|{kind}")


def _legend(fig: Figure, kinds: Sequence[str], ncols: int) -> None:
    handles = []
    for kind in kinds:
        colour, marker = kind_style(kind, kinds)
        unfilled = marker in ("x", "+", "P", "*")
        handles.append(Line2D([], [], linestyle="none", marker=marker, color=colour, markersize=7,
                              markeredgecolor=None if unfilled else PALETTE["ink"], label=display_name(kind)))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(ncols, len(handles)))


def census_panel(censuses: Mapping[str, Census], architecture: str) -> Figure:
    """The explorer's update function: the activation sites of one architecture along its depth, one
    lane per role. A dotted line marks where the last hidden kind takes over, when the network switches
    kinds on the way (MobileNetV3's h-swish)."""
    censuses = _check(censuses)
    if architecture not in censuses:
        raise ValueError(f"architecture must be one of {list(censuses)}, got {architecture!r}")
    census = censuses[architecture]
    kinds = _kinds({architecture: census})
    fig, ax = figure(width=8.0, height=3.0)
    for row, (lane, roles) in enumerate(LANES):
        ax.axhline(row, color=PALETTE["blocked"], linewidth=0.6, zorder=1)
        _scatter(ax, census, roles, row, 46, f"{architecture}|{lane}", kinds)
    hidden = census.select("hidden")
    if len({s.kind for s in hidden}) > 1:
        last = hidden[-1].kind
        where = census.takeover_fraction(last)
        ax.axvline(where, color=PALETTE["ink"], linestyle=":", linewidth=1.2, gid="takeover",
                   label=f"{display_name(last)} from here on")
        ax.annotate(f"{display_name(last)} from here on", (where, -0.45), xytext=(4, 0),
                    textcoords="offset points", fontsize=8, va="center")
    ax.set_yticks(range(len(LANES)), [lane for lane, _ in LANES])
    ax.set_ylim(len(LANES) - 0.5, -0.7)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("depth: share of the model's layers before the activation")
    ax.grid(False)
    n_se = len(census.select("squeeze")) + len(census.select("gate"))
    ax.set_title(f"{architecture}: {len(hidden)} hidden activations, {n_se} in squeeze-and-excitation "
                 f"branches, {census.n_layers} entries")
    _legend(fig, kinds, 6)
    return fig


def census_small_multiples(censuses: Mapping[str, Census], architectures: Sequence[str] | None = None) -> Figure:
    """Static rendition: every architecture as one row of a single figure. Hidden and classifier
    activations sit on the row; squeeze-and-excitation activations (smaller) just below it."""
    censuses = _check(censuses)
    names = list(censuses) if architectures is None else list(architectures)
    if not names:
        raise ValueError("architectures must not be empty")
    for name in names:
        if name not in censuses:
            raise ValueError(f"architecture must be one of {list(censuses)}, got {name!r}")
    chosen = {n: censuses[n] for n in names}
    kinds = _kinds(chosen)
    fig, ax = figure(width=9.0, height=0.5 * len(names) + 1.6)
    for row, name in enumerate(names):
        census = chosen[name]
        ax.axhline(row, color=PALETTE["blocked"], linewidth=0.6, zorder=1)
        _scatter(ax, census, ("hidden", "head"), row, 30, f"{name}|main", kinds)
        _scatter(ax, census, ("squeeze", "gate"), row + SE_OFFSET, 14, f"{name}|se", kinds)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlim(-0.02, 1.02)
    ax.grid(False)
    ax.set_xlabel("depth: share of the model's layers before the activation\n"
                  "(smaller markers just below a row: squeeze-and-excitation branches)")
    _legend(fig, kinds, 5)
    return fig


@live_explorer
def census_explorer(censuses: Mapping[str, Census]) -> Any:
    """Live explorer: a menu of architectures redraws :func:`census_panel`. Needs ipywidgets."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    censuses = _check(censuses)

    def update(architecture: str) -> None:
        census_panel(censuses, architecture)
        plt.show()

    names = list(censuses)
    return widgets.interactive(update, architecture=widgets.Dropdown(options=names, value=names[0],
                                                                     description="architecture"))


__all__ = ["KIND_STYLES", "LANES", "ROLES", "census_explorer", "census_panel", "census_small_multiples",
           "kind_style"]
