"""Markdown tables built from computed values."""
import pytest

from relu_course.tables import markdown_table


def test_rows_and_escaping():
    text = markdown_table(("a", "b"), [(1, "x|y"), ("z", 2.5), ("two\nlines", None)])
    assert text.splitlines() == ["| a | b |", "|---|---|", "| 1 | x\\|y |", "| z | 2.5 |", "| two lines | None |"]


@pytest.mark.parametrize("header, rows, word", [(("a", "b"), [(1,)], "rows"), ("ab", [], "header"),
                                                ((), [], "header"), (("a",), "x", "rows")])
def test_bad_shapes_are_rejected(header, rows, word):
    with pytest.raises(ValueError, match=word):
        markdown_table(header, rows)
