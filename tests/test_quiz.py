"""Offline quizzes: validated questions, self-contained deterministic HTML, one quiz per chapter that shows it."""
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from relu_course.quiz import Option, Question, quiz_html, show_quiz
from relu_course.quiz_bank import QUIZZES

ROOT = Path(__file__).resolve().parents[1]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fieldsets, self.buttons, self.scripts_with_src = 0, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.fieldsets += 1
        if tag == "button":
            self.buttons.append((self.fieldsets, attrs))
        if tag == "script" and "src" in attrs:
            self.scripts_with_src += 1


def _q(*flags):
    return Question("Pick one", tuple(Option(f"answer {i}", f, f"because {i}") for i, f in enumerate(flags)))


def test_a_question_needs_exactly_one_correct_option_and_two_options():
    _q(True, False)
    with pytest.raises(ValueError, match="exactly one correct"):
        _q(True, True)
    with pytest.raises(ValueError, match="exactly one correct"):
        _q(False, False)
    with pytest.raises(ValueError, match="at least two"):
        _q(True)
    with pytest.raises(ValueError, match="feedback"):
        Option("a", True, " ")
    with pytest.raises(TypeError, match="correct"):
        Option("a", 1, "why")
    with pytest.raises(TypeError, match="options"):
        Question("Pick", [Option("a", True, "x"), Option("b", False, "y")])


def test_html_has_one_button_per_option_and_marks_the_right_one():
    questions = (_q(False, True, False), _q(True, False))
    page = quiz_html("Demo quiz", questions)
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.fieldsets == 2 and len(parsed.buttons) == 5
    for n, q in enumerate(questions, 1):
        marks = [a["data-correct"] for f, a in parsed.buttons if f == n]
        assert marks == ["1" if o.correct else "0" for o in q.options]
        assert [a["data-feedback"] for f, a in parsed.buttons if f == n] == [o.feedback for o in q.options]
    assert 'id="quiz-demo-quiz"' in page and page == quiz_html("Demo quiz", questions)


def test_text_is_escaped_and_nothing_is_fetched():
    q = Question("Is <b> & \"x\" safe?", (Option("<script>", True, 'say "yes" & <go>'), Option("no", False, "n")))
    page = quiz_html("x", [q])
    assert page.count("<script>") == 1 and "&lt;script&gt;" in page
    assert "&lt;b&gt; &amp;" in page
    assert not re.search(r"https?://", page)


def test_bad_quiz_arguments_are_named():
    with pytest.raises(ValueError, match="name"):
        quiz_html("", [_q(True, False)])
    with pytest.raises(TypeError, match="questions"):
        quiz_html("x", [])
    with pytest.raises(ValueError, match="has no quiz"):
        show_quiz("99_nothing")


@pytest.mark.parametrize("chapter", sorted(QUIZZES))
def test_every_quiz_belongs_to_a_chapter_that_shows_it(chapter):
    notebook = ROOT / "chapters" / f"{chapter}.ipynb"
    assert notebook.exists()
    sources = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    assert any(f'show_quiz("{chapter}")' in s for s in sources)
    assert "relu-quiz" in show_quiz(chapter).data


def test_quiz_questions_type_no_measured_numbers():
    """Numbers belong in the chapters, glued from cells; quizzes ask about ideas (small integers are fine)."""
    for questions in QUIZZES.values():
        for q in questions:
            for text in [q.prompt] + [o.text + " " + o.feedback for o in q.options]:
                assert not re.search(r"\d+\.\d*[1-9]\d*|\d+ ?%", text.replace("0.5", "")), text
