"""The history data: sorted years, keys and years that agree with references.bib (parsed here,
independently of the package), the guide's wrong year read from the guide itself, the table and
the timeline figure."""
import re
from pathlib import Path

import numpy as np
import pytest

from relu_course import history
from relu_course.history import MILESTONES, Milestone
from relu_course.bibliography import bibliography_text

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT.parent / "shared" / "source-guide" / "relu-guide.txt"


def bib_entries() -> dict[str, str]:
    """Every entry of references.bib by key, as its raw text (a plain split on '@' at line starts)."""
    text = bibliography_text()
    entries = {}
    for chunk in re.split(r"^(?=@)", text, flags=re.M):
        head = re.match(r"@\w+\{([^,]+),", chunk)
        if head:
            entries[head.group(1).strip()] = chunk
    return entries


def bib_year(key: str) -> int:
    (year,) = re.findall(r"\byear\s*=\s*\{(\d{4})\}", bib_entries()[key])
    return int(year)


def test_years_are_sorted_and_keys_unique():
    years = [m.year for m in MILESTONES]
    assert years == sorted(years)
    keys = [m.key for m in MILESTONES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("milestone", MILESTONES, ids=lambda m: m.key)
def test_every_key_is_in_the_bibliography_with_the_same_year(milestone):
    assert milestone.key in bib_entries()
    assert milestone.year == bib_year(milestone.key)


def test_the_required_milestones_are_there():
    keys = {m.key for m in MILESTONES}
    assert {"householder1941", "fukushima1969", "hahnloser2000", "jarrett2009", "nair2010",
            "glorot2011", "krizhevsky2012"} <= keys


def test_householder_is_corrected_against_the_bibliography_and_the_guide():
    record = history.by_key("householder1941")
    assert record.year == bib_year("householder1941")
    assert record.guide_year != record.year
    assert history.guide_corrections() == (record,)
    if GUIDE.exists():  # the year the guide really gives
        (given,) = re.findall(r"Householder \((\d{4})\)", GUIDE.read_text())
        assert record.guide_year == int(given)


def test_wording_follows_the_fact_check():
    assert "thresholded linear" in history.by_key("householder1941").contribution
    assert "secondary" in history.by_key("fukushima1969").contribution
    assert "not a deep-learning paper" in history.by_key("hahnloser2000").contribution
    assert "|tanh(x)|" in history.by_key("jarrett2009").contribution
    assert "training error" in history.by_key("krizhevsky2012").contribution


def test_bib_years_parses_the_year_field_only():
    text = """@article{a2001,
  title = {Published 1999 in a year = 1998 note},
  year  = {2001}
}
@misc{b,
  year = "1987",
}
@book{noyear,
  title = {Undated}
}
"""
    assert history.bib_years(text) == {"a2001": 2001, "b": 1987}
    assert history.bib_years(bibliography_text())["householder1941"] == bib_year(
        "householder1941")
    with pytest.raises(TypeError, match="bib_text"):
        history.bib_years(None)


def test_year_mismatches_finds_missing_keys_and_wrong_years():
    bib = "@article{x,\n  year = {2000}\n}\n"
    right = Milestone(2000, "X", "thing", "x", "adoption")
    wrong = Milestone(2001, "X", "thing", "x", "adoption")
    missing = Milestone(2000, "Y", "thing", "y", "adoption")
    assert history.year_mismatches([right], bib) == []
    assert "2001" in history.year_mismatches([wrong], bib)[0]
    assert "not in the bibliography" in history.year_mismatches([missing], bib)[0]
    assert history.year_mismatches(MILESTONES, bibliography_text()) == []


@pytest.mark.parametrize("kwargs, error, word", [
    ({"year": "1941"}, ValueError, "year"), ({"year": True}, ValueError, "year"),
    ({"year": 1800}, ValueError, "year"), ({"who": ""}, TypeError, "who"),
    ({"key": None}, TypeError, "key"), ({"era": "modern"}, ValueError, "era"),
    ({"guide_year": "1949"}, TypeError, "guide_year")])
def test_milestone_rejects_bad_fields(kwargs, error, word):
    fields = {"year": 2000, "who": "A", "contribution": "B", "key": "k", "era": "variant"} | kwargs
    with pytest.raises(error, match=word):
        Milestone(**fields)


@pytest.mark.parametrize("value, error", [("abc", TypeError), ([], ValueError), ([1, 2], TypeError), (None, TypeError)])
def test_functions_reject_bad_milestone_sequences(value, error):
    with pytest.raises(error, match="milestones"):
        history.timeline_markdown(value)
    with pytest.raises(error, match="milestones"):
        history.plot_timeline(value)


def test_by_key():
    assert history.by_key("nair2010").who == "Nair & Hinton"
    with pytest.raises(ValueError, match="key"):
        history.by_key("nobody1900")
    with pytest.raises(TypeError, match="key"):
        history.by_key(2010)


def split_row(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_table_has_one_row_per_milestone_from_the_data():
    lines = history.timeline_markdown().splitlines()
    assert len(lines) == len(MILESTONES) + 2
    for m, row in zip(MILESTONES, lines[2:]):
        year, who, contribution, source = split_row(row)
        assert year.startswith(str(m.year)) and who == m.who and source == f"{{cite:p}}`{m.key}`"
        assert ("guide:" in year) == (m.guide_year is not None)
        assert contribution == m.contribution.replace("|", "\\|")
    first = split_row(lines[2])[0]
    record = MILESTONES[0]
    assert first == f"{record.year} (guide: {record.guide_year})"


def test_markdown_escapes_pipes():
    row = history.timeline_markdown([Milestone(2000, "A", "uses |x| here", "k", "variant")]).splitlines()[2]
    assert len(split_row(row)) == 4


def test_short_names():
    assert history._short_name("Householder") == "Householder"
    assert history._short_name("Nair & Hinton") == "Nair & Hinton"
    assert history._short_name("Glorot, Bordes & Bengio") == "Glorot et al."
    assert history._short_name("Krizhevsky, Sutskever & Hinton (AlexNet)") == "Krizhevsky et al. (AlexNet)"


def test_timeline_figure_places_every_milestone_in_its_panel():
    fig = history.plot_timeline(split_year=2005)
    left, right = fig.axes[:2]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert len(labels) == len(MILESTONES) and labels[0] == "Householder"

    def points(ax):
        xs = []
        for line in ax.lines:
            if line.get_markerfacecolor() != "white":
                xs += list(np.asarray(line.get_xdata()))
        return sorted(xs)

    assert points(left) == sorted(m.year for m in MILESTONES if m.year <= 2005)
    assert points(right) == sorted(m.year for m in MILESTONES if m.year > 2005)
    opened = [x for line in left.lines if line.get_markerfacecolor() == "white" for x in line.get_xdata()]
    assert opened == [history.by_key("householder1941").guide_year]
    texts = [t.get_text() for ax in (left, right) for t in ax.texts]
    assert all(str(m.year) in " ".join(texts) for m in MILESTONES)


@pytest.mark.parametrize("split, error", [(1900, ValueError), (2100, ValueError), (2005.5, TypeError),
                                          (True, TypeError)])
def test_timeline_rejects_a_split_that_empties_a_panel(split, error):
    with pytest.raises(error, match="split_year"):
        history.plot_timeline(split_year=split)


def test_the_bibliography_is_the_packages_own_wherever_the_chapter_runs(tmp_path, monkeypatch):
    from relu_course.bibliography import BIBLIOGRAPHY
    from relu_course.history import find_bibliography
    monkeypatch.chdir(tmp_path)                     # a notebook opened alone (Colab): no clone around it
    assert find_bibliography() == BIBLIOGRAPHY and BIBLIOGRAPHY.is_file()
    assert "relu_course" in BIBLIOGRAPHY.parts
