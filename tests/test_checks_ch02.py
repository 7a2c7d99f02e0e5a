"""Chapter 2's self-check: right answers pass, typical wrong answers get the right hint, nothing crashes."""
from functools import reduce

import numpy as np
import pytest

from relu_course.checks import EXERCISES, check_exercise
from relu_course.checks.registry import STRICT_ENV, run_check

from check_helpers import failed_parts

COMPOSE = "ex-why-activations-compose"
NAME = "compose_linear"


def loop_product(weights):
    result = weights[0]
    for matrix in weights[1:]:
        result = result @ matrix
    return result


def test_the_exercise_is_registered_for_chapter_2():
    exercise = EXERCISES[COMPOSE]
    assert exercise.function_name == NAME and exercise.chapter == "02_why_activations"


@pytest.mark.parametrize("right", [
    loop_product,
    lambda ws: reduce(np.matmul, ws),
    lambda ws: np.linalg.multi_dot(ws) if len(ws) > 1 else ws[0],
    lambda ws: reduce(lambda a, b: a @ b, ws[::-1][::-1]).tolist(),  # a nested list is fine too
    lambda ws: ws[0] @ reduce(np.matmul, ws[1:]) if len(ws) > 1 else ws[0],  # other bracketing
])
def test_correct_answers_pass_with_full_score(right):
    report = run_check(COMPOSE, {NAME: right})
    assert report.passed and report.score == 1.0, report.to_text()


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda ws: reduce(np.matmul, ws[::-1]),
     "equals applying the layers one after another (3 square layers)", "reverse order"),
    (lambda ws: reduce(np.matmul, ws[::-1]),
     "returns one matrix of shape (inputs of the first, outputs of the last)", "order the input meets"),
    (lambda ws: sum(ws), "equals applying the layers one after another (3 square layers)", "added"),
    (lambda ws: reduce(np.multiply, ws), "equals applying the layers one after another (3 square layers)",
     "element by element"),
    (lambda ws: ws[-1], "equals applying the layers one after another (3 square layers)", "one of the matrices"),
    (lambda ws: ws[-1], "returns one matrix of shape (inputs of the first, outputs of the last)", "(2, 1)"),
    (lambda ws: reduce(np.matmul, ws[:2]), "works for a deep stack (20 layers)", "differs"),
    (lambda ws: ws[0] @ ws[1], "works for a single layer", "IndexError"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = run_check(COMPOSE, {NAME: wrong})
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_changing_the_callers_list_is_caught():
    def popping(weights):
        result = weights.pop(0)
        while weights:
            result = result @ weights.pop(0)
        return result

    def in_place(weights):
        for matrix in weights[1:]:
            weights[0] @= matrix
        return weights[0]

    assert list(failed_parts(run_check(COMPOSE, {NAME: popping}))) == [
        "leaves the list and its matrices unchanged"]
    parts = failed_parts(run_check(COMPOSE, {NAME: in_place}))  # `@=` also fails for non-square
    assert "leaves the list and its matrices unchanged" in parts and "`W @= ...`" in parts[
        "leaves the list and its matrices unchanged"]


def test_feedback_never_shows_a_solution():
    for wrong in (lambda ws: ws[-1], lambda ws: sum(ws), lambda ws: reduce(np.matmul, ws[::-1])):
        text = run_check(COMPOSE, {NAME: wrong}).to_text()
        assert "for matrix in" not in text and "reduce" not in text and "multi_dot" not in text


def test_strict_mode_raises_only_when_the_check_does_not_pass(monkeypatch, capsys):
    monkeypatch.setenv(STRICT_ENV, "1")
    assert check_exercise(COMPOSE, {NAME: loop_product}).passed
    with pytest.raises(AssertionError, match=COMPOSE):
        check_exercise(COMPOSE, {NAME: lambda ws: ws[-1]})
    assert "hint" in capsys.readouterr().out
