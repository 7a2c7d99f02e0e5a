"""A short, corrected history of ReLU as data: one record per milestone, a table and a timeline.

Every year and attribution the history chapter shows comes from :data:`MILESTONES`, so a correction
is made once, here, and the tests compare each year with the ``year`` field of ``references.bib``.
Where the source guide gives a different year, the record keeps it in ``guide_year`` so that the
chapter can show the correction next to the evidence.
"""
from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_course.bibliography import BIBLIOGRAPHY
from relu_course.style import PALETTE, PANEL_WIDTH, figure

#: The three eras of the timeline, in order, with their legend text.
ERAS: dict[str, str] = {
    "precursor": "precursors (neuroscience, circuits)",
    "adoption": "adoption in deep learning",
    "variant": "variants and successors",
}
ERA_STYLE: dict[str, dict[str, Any]] = {
    "precursor": {"color": PALETTE["blocked"], "marker": "s"},
    "adoption": {"color": PALETTE["function"], "marker": "o"},
    "variant": {"color": PALETTE["derivative"], "marker": "^"},
}

#: An open marker for a year the source guide gives wrongly.
GUIDE_STYLE: dict[str, Any] = {"color": PALETTE["ink"], "marker": "o", "markerfacecolor": "white"}


@dataclass(frozen=True)
class Milestone:
    """One dated contribution: who, what, the bibliography key that documents it, and its era.

    ``guide_year`` is the year the source guide gives when it differs from the record, else None.
    """

    year: int
    who: str
    contribution: str
    key: str
    era: str
    guide_year: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1900 <= self.year <= 2100:
            raise ValueError(f"year must be an integer year in [1900, 2100], got {self.year!r}")
        for name in ("who", "contribution", "key"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise TypeError(f"{name} must be a non-empty string, got {value!r}")
        if self.era not in ERAS:
            raise ValueError(f"era must be one of {tuple(ERAS)}, got {self.era!r}")
        if self.guide_year is not None and (isinstance(self.guide_year, bool)
                                            or not isinstance(self.guide_year, int)):
            raise TypeError(f"guide_year must be an integer or None, got {self.guide_year!r}")


#: The milestones, sorted by year. Wording follows the fact-check (FACTS.md, section 1).
MILESTONES: tuple[Milestone, ...] = (
    Milestone(1941, "Householder",
              "A thresholded linear (rectifier-like) model of steady-state activity in nerve-fibre "
              "networks; a model of neurons, not a ReLU network", "householder1941", "precursor",
              guide_year=1949),
    Milestone(1969, "Fukushima",
              "A multilayered network of analog threshold elements for visual feature extraction; "
              "that each element computes max(0, weighted sum) is how secondary accounts describe it",
              "fukushima1969", "precursor"),
    Milestone(2000, "Hahnloser, Sarpeshkar, Mahowald, Douglas & Seung",
              "Recurrent linear-threshold (rectifying) neurons built in a silicon circuit; "
              "neuroscience and hardware, not a deep-learning paper", "hahnloser2000", "precursor"),
    Milestone(2009, "Jarrett, Kavukcuoglu, Ranzato & LeCun",
              "Rectification plus local contrast normalisation is the most important ingredient of "
              "their vision systems; their best rectifier is |tanh(x)|, not max(0, x)",
              "jarrett2009", "adoption"),
    Milestone(2010, "Nair & Hinton",
              "Noisy rectified linear units in restricted Boltzmann machines: the name "
              "'rectified linear unit'", "nair2010", "adoption"),
    Milestone(2011, "Glorot, Bordes & Bengio",
              "Deep sparse rectifier networks, equal to or better than tanh networks; about half "
              "of the hidden outputs are exact zeros at initialisation", "glorot2011", "adoption"),
    Milestone(2012, "Krizhevsky, Sutskever & Hinton (AlexNet)",
              "ReLU in the large CNN that won the ImageNet challenge; a four-layer CNN reached 25 % "
              "training error on CIFAR-10 six times faster (in epochs) with ReLU than with tanh",
              "krizhevsky2012", "adoption"),
    Milestone(2013, "Maas, Hannun & Ng",
              "Leaky ReLU: a small slope for negative inputs, in speech recognition", "maas2013",
              "variant"),
    Milestone(2015, "He, Zhang, Ren & Sun",
              "PReLU (a learned negative slope) and the He initialisation for rectifier networks",
              "he2015", "variant"),
    Milestone(2016, "Clevert, Unterthiner & Hochreiter",
              "ELU: an exponential for negative inputs that pushes mean activations towards zero",
              "clevert2016", "variant"),
    Milestone(2016, "Hendrycks & Gimpel",
              "GELU, x·Φ(x): weights inputs by their value instead of gating them by their sign",
              "hendrycks2016", "variant"),
    Milestone(2017, "Klambauer, Unterthiner, Mayr & Hochreiter",
              "SELU: a scaled ELU whose activations self-normalise", "klambauer2017", "variant"),
    Milestone(2017, "Ramachandran, Zoph & Le",
              "Swish, x·σ(βx), found by an automated search over activation functions",
              "ramachandran2017", "variant"),
    Milestone(2018, "Elfwing, Uchibe & Doya",
              "SiLU, x·σ(x), in reinforcement learning", "elfwing2018", "variant"),
)


def as_milestones(milestones: Any) -> tuple[Milestone, ...]:
    """Return ``milestones`` as a non-empty tuple of :class:`Milestone`, or raise naming the argument."""
    if isinstance(milestones, (str, bytes)) or not hasattr(milestones, "__iter__"):
        raise TypeError(f"milestones must be a sequence of Milestone records, got {type(milestones).__name__}")
    records = tuple(milestones)
    if not records:
        raise ValueError("milestones must hold at least one Milestone")
    bad = [type(m).__name__ for m in records if not isinstance(m, Milestone)]
    if bad:
        raise TypeError(f"milestones must hold only Milestone records, got {bad[0]}")
    return records


def by_key(key: str, milestones: Sequence[Milestone] = MILESTONES) -> Milestone:
    """The milestone documented by bibliography key ``key``."""
    if not isinstance(key, str):
        raise TypeError(f"key must be a string, got {type(key).__name__}")
    for m in as_milestones(milestones):
        if m.key == key:
            return m
    raise ValueError(f"key {key!r} is not the key of any milestone")


def find_bibliography() -> Path:
    """The course's ``references.bib``, which the package carries (see :mod:`relu_course.bibliography`)."""
    return BIBLIOGRAPHY


def bib_years(bib_text: str) -> dict[str, int]:
    """The ``year`` field of every entry of a BibTeX text, by citation key (entries without one are left out)."""
    if not isinstance(bib_text, str):
        raise TypeError(f"bib_text must be the text of a .bib file, got {type(bib_text).__name__}")
    years = {}
    # An entry runs from "@type{key," to the next "@" at the start of a line.
    for match in re.finditer(r"^@\w+\s*\{\s*([^,\s]+)\s*,(.*?)(?=^@|\Z)", bib_text, re.M | re.S):
        year = re.search(r"^\s*year\s*=\s*[{\"]?\s*(\d{4})", match.group(2), re.M | re.I)
        if year:
            years[match.group(1)] = int(year.group(1))
    return years


def year_mismatches(milestones: Sequence[Milestone], bib_text: str) -> list[str]:
    """Problems between the milestones and a bibliography: missing keys and years that differ."""
    records = as_milestones(milestones)
    years = bib_years(bib_text)
    problems = []
    for m in records:
        if m.key not in years:
            problems.append(f"{m.key}: not in the bibliography (or it has no year)")
        elif years[m.key] != m.year:
            problems.append(f"{m.key}: the timeline says {m.year}, the bibliography {years[m.key]}")
    return problems


def guide_corrections(milestones: Sequence[Milestone] = MILESTONES) -> tuple[Milestone, ...]:
    """The milestones whose year the source guide gets wrong."""
    return tuple(m for m in as_milestones(milestones) if m.guide_year is not None and m.guide_year != m.year)


def timeline_markdown(milestones: Sequence[Milestone] = MILESTONES) -> str:
    """A MyST Markdown table of the milestones (year, who, contribution, citation role).

    A year the guide gets wrong is shown as ``1941 (guide: 1949)``. Meant for myst-nb's
    ``{glue:md}`` with ``:format: myst``, so that the citation roles are resolved.
    """
    records = as_milestones(milestones)
    rows = ["| Year | Who | What they contributed | Source |", "|---|---|---|---|"]
    for m in records:
        year = str(m.year)
        if m.guide_year is not None and m.guide_year != m.year:
            year += f" (guide: {m.guide_year})"
        cells = [year, m.who, m.contribution, f"{{cite:p}}`{m.key}`"]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def _short_name(who: str) -> str:
    """'Glorot, Bordes & Bengio' -> 'Glorot et al.'; 'Nair & Hinton' stays; a bracket note is kept."""
    note = re.search(r"\(.*\)", who)
    names = re.sub(r"\s*\(.*\)", "", who)
    authors = re.split(r",\s*|\s*&\s*", names)
    short = authors[0] if len(authors) == 1 else (" & ".join(authors) if len(authors) == 2
                                                  else f"{authors[0]} et al.")
    return f"{short} {note.group(0)}" if note else short


def plot_timeline(milestones: Sequence[Milestone] = MILESTONES, *, split_year: int = 2005) -> Figure:
    """A dot plot of the milestones against their years, one row each, with a broken year axis.

    The left panel covers the years up to ``split_year``, the right one those after it, so that the
    decades between the precursors and the deep-learning papers do not squeeze the recent ones.
    """
    records = as_milestones(milestones)
    if isinstance(split_year, bool) or not isinstance(split_year, (int, np.integer)):
        raise TypeError(f"split_year must be an integer year, got {split_year!r}")
    years = np.array([m.year for m in records])
    early, late = years <= split_year, years > split_year
    if not early.any() or not late.any():
        raise ValueError(f"split_year must leave milestones on both sides, got {split_year} for years "
                         f"{years.min()}..{years.max()}")
    rows = np.arange(len(records))[::-1]  # first milestone at the top
    fig, axes = figure(ncols=2, width=PANEL_WIDTH * 2.6, height=0.32 * len(records) + 1.2, sharey=True,
                       gridspec_kw={"width_ratios": [1, 1.6]})
    spans = [(years[early].min() - 5, years[early].max() + 5), (years[late].min() - 1, years[late].max() + 1)]
    for ax, mask, span in zip(axes, (early, late), spans):
        for era, style in ERA_STYLE.items():
            pick = mask & np.array([m.era == era for m in records])
            if pick.any():
                ax.plot(years[pick], rows[pick], linestyle="none", markersize=8, **style)
        for m, r in zip(np.array(records, dtype=object)[mask], rows[mask]):
            label, at = str(m.year), m.year
            if m.guide_year is not None and m.guide_year != m.year:  # the guide's year, an arrow to the record's
                ax.plot([m.guide_year], [r], linestyle="none", markersize=8, **GUIDE_STYLE)
                ax.annotate("", (m.year, r), xytext=(m.guide_year, r),
                            arrowprops={"arrowstyle": "->", "lw": 1.0, "shrinkA": 5, "shrinkB": 5})
                label, at = f"{m.year} (guide: {m.guide_year})", max(m.year, m.guide_year)
            ax.annotate(label, (at, r), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_xlim(span[0], span[1] + (span[1] - span[0]) * 0.12)
        ax.grid(axis="x", visible=False)
    axes[0].set_yticks(rows, [_short_name(m.who) for m in records])
    axes[0].set_ylim(-0.7, len(records) - 0.3)
    axes[1].spines["left"].set_visible(False)
    axes[1].tick_params(axis="y", left=False)
    axes[0].set_xlabel("year")
    axes[1].set_xlabel(f"year (after {split_year}; the axis is broken)")
    handles = [Line2D([], [], linestyle="none", markersize=8, label=ERAS[e], **ERA_STYLE[e]) for e in ERAS]
    if guide_corrections(records):
        handles.append(Line2D([], [], linestyle="none", markersize=8, label="year the guide gives",
                              **GUIDE_STYLE))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig
