"""What every exercise's check does with the same kinds of broken answer: a missing function or the
untouched placeholder is "not attempted"; a value that is not a function, a function that raises,
returns None or text, or takes no arguments is "failed" with a hint that says what went wrong; and
no check ever raises. Chapter-specific hints are tested in tests/test_checks_chNN.py."""
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

ALL = sorted(EXERCISES)


def _hints(report) -> str:
    return " ".join(p.hint for p in report.parts if not p.passed) + " " + report.message


def _placeholder(*args, **kwargs):
    raise NotImplementedError()


def _raises(*args, **kwargs):
    raise ValueError("boom")


@pytest.mark.parametrize("exercise_id", ALL)
def test_missing_function_and_placeholder_are_not_attempted(exercise_id):
    name = EXERCISES[exercise_id].function_name
    for namespace in ({}, {name: _placeholder}):
        report = run_check(exercise_id, namespace)
        assert report.status == "not attempted" and report.score == 0, report.to_text()
        assert name in report.message


@pytest.mark.parametrize("exercise_id", ALL)
@pytest.mark.parametrize("answer, words", [
    (3, ["not a function"]),
    (_raises, ["ValueError", "boom"]),
    (lambda *args, **kwargs: None, ["None"]),
    (lambda *args, **kwargs: "text", ["text"]),
    (lambda: 0.0, ["argument"]),
], ids=["not-callable", "raises", "returns-None", "returns-text", "no-arguments"])
def test_broken_answers_fail_with_a_hint_and_never_raise(exercise_id, answer, words):
    report = run_check(exercise_id, {EXERCISES[exercise_id].function_name: answer})
    assert report.status == "failed" and report.score < 1, report.to_text()
    hints = _hints(report)
    assert hints.strip(), f"{exercise_id}: a failed check must say why"
    for word in words:
        assert word in hints, (exercise_id, hints)
