"""The claims ledger: sound data (verdicts, chapters, section headings, citation keys, verbatim quotes)
and a validator that catches each kind of drift."""
import dataclasses
import re
from pathlib import Path

import pytest

from relu_course import claims
from relu_course.claims import CLAIMS, SECTIONS, VERDICTS, Claim

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT.parent / "shared" / "source-guide" / "relu-guide.txt"


def test_the_ledger_is_sound():
    assert claims.validate() == []


def test_the_ledger_covers_the_guide():
    assert 40 <= len(CLAIMS) <= 80
    assert set(claims.by_section()) == set(SECTIONS), "every guide section has at least one claim"
    assert {c.verdict for c in CLAIMS} == set(VERDICTS), "every verdict is used"


@pytest.mark.skipif(not GUIDE.exists(), reason="the source guide is not beside this checkout")
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.quote[:30])
def test_every_quote_is_in_the_guide(claim):
    assert claims.quote_in_guide(claim, GUIDE.read_text(encoding="utf-8"))


def test_a_made_up_quote_is_not_in_the_guide():
    guide = "ReLU(x) = max(0, x)\nNegative values are\n-\nignored"
    assert claims.quote_in_guide(dataclasses.replace(CLAIMS[0], quote="Negative values are - ignored"), guide)
    assert not claims.quote_in_guide(dataclasses.replace(CLAIMS[0], quote="ReLU is smooth"), guide)


def test_counts_add_up_and_match_a_direct_count():
    counts = claims.verdict_counts()
    assert list(counts) == list(VERDICTS)
    assert sum(counts.values()) == len(CLAIMS)
    for verdict in VERDICTS:
        assert counts[verdict] == len([c for c in CLAIMS if c.verdict == verdict])
    assert claims.summary_rows()[-1][1] == len(CLAIMS)


def test_grouping_keeps_every_claim_in_the_guide_order():
    groups = claims.by_section()
    assert sum(len(v) for v in groups.values()) == len(CLAIMS)
    order = [s for s in SECTIONS if s in groups]
    assert list(groups) == order
    for section, members in groups.items():
        assert all(c.section == section for c in members)


def test_headings_are_read_from_the_chapter_markdown():
    headings = claims.chapter_headings(ROOT / "chapters" / "01_what_is_relu.ipynb")
    assert "The definition" in headings
    assert not any(h.startswith("#") for h in headings)


def _one(**changes) -> list[str]:
    return claims.validate([dataclasses.replace(CLAIMS[0], **changes)])


@pytest.mark.parametrize("changes, fragment", [
    ({"verdict": "mostly right"}, "verdict"),
    ({"chapter": "99_no_such_chapter"}, "does not exist"),
    ({"heading": "A section that was renamed"}, "has no section"),
    ({"citations": ("nobody2099",)}, "not in references.bib"),
    ({"section": "20. Not a section"}, "SECTIONS"),
    ({"chapter": None, "heading": None, "citations": ()}, "settled nowhere"),
    ({"heading": None}, "heading"),
    ({"correction": "  "}, "empty"),
])
def test_the_validator_catches_each_kind_of_drift(changes, fragment):
    problems = _one(**changes)
    assert problems and any(fragment in p for p in problems), problems


def test_duplicates_are_caught():
    assert any("duplicate" in p for p in claims.validate([CLAIMS[0], CLAIMS[0]]))


def test_validate_refuses_non_claims():
    with pytest.raises(TypeError, match="Claim"):
        claims.validate(["not a claim"])


def test_where_settled_links_the_chapter_and_cites():
    c = Claim(SECTIONS[0], "q", "wrong", "fix", "05_math_properties", "Non-linearity", ("he2015", "lu2020"))
    text = claims.where_settled(c)
    assert "{doc}`05_math_properties`" in text and "'Non-linearity'" in text
    assert "{cite:p}`he2015,lu2020`" in text
    row = claims.ledger_rows([c])[0]
    assert len(row) == 4 and "wrong" in row[1]


def test_no_measured_number_is_typed_into_a_correction():
    # decimals with three or more digits or percentages would be measurements; quoted defaults
    # (0.01, 0.25, years) are from cited sources
    for c in CLAIMS:
        assert not re.search(r"\d+(\.\d+)?\s*%|\d\.\d{3,}", c.correction), c.correction
