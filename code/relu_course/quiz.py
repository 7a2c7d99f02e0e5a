"""Multiple-choice quizzes that work offline, in JupyterLab and on the static site alike.

A quiz is plain HTML with a few lines of inline JavaScript: nothing is fetched, no kernel is needed,
and choosing an answer shows whether it is right and *why* (every option carries its own feedback).
Options keep their order, and element ids derive from the quiz's name, so a rebuilt page is identical.
The questions themselves live in :mod:`relu_course.quiz_bank`.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Sequence

QUIZ_CLASS = "relu-quiz"


@dataclass(frozen=True)
class Option:
    """One answer: its text, whether it is correct, and the feedback shown when it is chosen."""

    text: str
    correct: bool
    feedback: str

    def __post_init__(self) -> None:
        for name in ("text", "feedback"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        if not isinstance(self.correct, bool):
            raise TypeError(f"correct must be True or False, got {self.correct!r}")


@dataclass(frozen=True)
class Question:
    """A question with two or more options, exactly one of them correct."""

    prompt: str
    options: tuple[Option, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.prompt, str) or not self.prompt.strip():
            raise ValueError(f"prompt must be a non-empty string, got {self.prompt!r}")
        if not isinstance(self.options, tuple) or not all(isinstance(o, Option) for o in self.options):
            raise TypeError("options must be a tuple of Option")
        if len(self.options) < 2:
            raise ValueError(f"options must hold at least two answers, got {len(self.options)}")
        n_correct = sum(o.correct for o in self.options)
        if n_correct != 1:
            raise ValueError(f"options must hold exactly one correct answer, got {n_correct} ({self.prompt[:40]!r})")


_SCRIPT = """<script>
(function () {
  var quiz = document.getElementById("%(id)s");
  if (!quiz || quiz.dataset.ready) { return; }
  quiz.dataset.ready = "1";
  quiz.querySelectorAll("button[data-correct]").forEach(function (button) {
    button.addEventListener("click", function () {
      var question = button.closest("fieldset");
      question.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      var box = question.querySelector(".relu-quiz-feedback");
      var right = button.dataset.correct === "1";
      box.textContent = (right ? "Correct. " : "Not quite. ") + button.dataset.feedback;
      box.className = "relu-quiz-feedback " + (right ? "relu-quiz-right" : "relu-quiz-wrong");
    });
  });
})();
</script>"""

_STYLE = """<style>
.relu-quiz fieldset { border: 1px solid #999; border-radius: 6px; margin: 0.8em 0; padding: 0.6em 1em; }
.relu-quiz legend { font-weight: 600; padding: 0 0.3em; }
.relu-quiz button { display: block; width: 100%%; text-align: left; margin: 0.3em 0; padding: 0.4em 0.6em;
  border: 1px solid #777; border-radius: 4px; background: #fff; color: #111; cursor: pointer; font: inherit; }
.relu-quiz button[aria-pressed="true"] { border-width: 3px; }
.relu-quiz-feedback { margin-top: 0.4em; min-height: 1.2em; }
.relu-quiz-right { color: #005a32; } .relu-quiz-right::before { content: "\\2713  "; }
.relu-quiz-wrong { color: #8b0000; } .relu-quiz-wrong::before { content: "\\2717  "; }
</style>"""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "quiz"


def quiz_html(name: str, questions: Sequence[Question]) -> str:
    """The quiz as self-contained HTML (style, questions, script); ``name`` makes its ids unique."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    questions = tuple(questions)
    if not questions or not all(isinstance(q, Question) for q in questions):
        raise TypeError("questions must be a non-empty sequence of Question")
    quiz_id = f"quiz-{_slug(name)}"
    parts = [_STYLE % {}, f'<div class="{QUIZ_CLASS}" id="{quiz_id}">']
    for n, q in enumerate(questions, 1):
        parts.append(f'<fieldset><legend>Question {n}. {html.escape(q.prompt)}</legend>')
        for o in q.options:
            parts.append(f'<button type="button" aria-pressed="false" data-correct="{int(o.correct)}" '
                         f'data-feedback="{html.escape(o.feedback, quote=True)}">{html.escape(o.text)}</button>')
        parts.append('<p class="relu-quiz-feedback" role="status" aria-live="polite"></p></fieldset>')
    parts.append("</div>")
    parts.append(_SCRIPT % {"id": quiz_id})
    return "\n".join(parts)


def show_quiz(chapter: str) -> Any:
    """The quiz of ``chapter`` (e.g. ``"01_what_is_relu"``) as an IPython HTML object, for a notebook cell."""
    from IPython.display import HTML

    from relu_course.quiz_bank import QUIZZES

    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a chapter name such as '01_what_is_relu', got {type(chapter).__name__}")
    if chapter not in QUIZZES:
        raise ValueError(f"chapter {chapter!r} has no quiz; chapters with quizzes: {', '.join(sorted(QUIZZES))}")
    return HTML(quiz_html(chapter, QUIZZES[chapter]))
