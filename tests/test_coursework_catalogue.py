"""The instructor page's tables: read from the chapters and the check registry."""
from pathlib import Path

import nbformat
import pytest

from relu_course.checks.registry import EXERCISES
from relu_course.coursework.catalogue import WORDS_PER_MINUTE, ChapterEntry, catalogue

ROOT = Path(__file__).resolve().parents[1]


def test_every_exercise_of_every_chapter_is_listed_once():
    chapters, exercises = catalogue(ROOT / "chapters")
    ids = [e.exercise_id for e in exercises]
    assert len(ids) == len(set(ids))
    assert set(EXERCISES) <= set(ids)                       # every checked exercise appears
    for e in exercises:
        assert (e.kind == "coding (checked)") == (e.exercise_id in EXERCISES)
        assert (e.covers != "") == (e.exercise_id in EXERCISES)
    for c in chapters:
        mine = [e for e in exercises if e.chapter == c.chapter]
        assert c.coding + c.written == len(mine) >= 2


def test_counts_come_from_a_notebook(tmp_path):
    cells = [nbformat.v4.new_markdown_cell("# A title\n\n" + "word " * 301),
             nbformat.v4.new_markdown_cell(":::{exercise} Think\n:label: ex-x-think\n\nWhy?\n:::"),
             nbformat.v4.new_code_cell("from relu_course.quiz import show_quiz\nshow_quiz('x')")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "01_x.ipynb")
    chapters, exercises = catalogue(tmp_path)
    (c,) = chapters
    assert (c.title, c.code_cells, c.coding, c.written, c.has_quiz) == ("A title", 1, 0, 1, True)
    assert 301 < c.words < 320
    assert [e.exercise_id for e in exercises] == ["ex-x-think"]


@pytest.mark.parametrize("words, minutes", [(0, 5), (WORDS_PER_MINUTE * 5, 5), (WORDS_PER_MINUTE * 5 + 1, 10),
                                            (WORDS_PER_MINUTE * 12, 15)])
def test_reading_time_rounds_up_to_five_minutes(words, minutes):
    assert ChapterEntry("c", "t", words, 0, 0, 0, False).reading_minutes == minutes


def test_a_missing_folder_is_named():
    with pytest.raises(ValueError, match="chapters_dir"):
        catalogue(ROOT / "no-such-folder")
