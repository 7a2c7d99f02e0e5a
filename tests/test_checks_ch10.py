"""Self-check of chapter 10's coding exercise: right answers pass, typical mistakes get their hint,
the placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check
from relu_course.dead_units import inactive_fractions

from check_helpers import failed_parts

EXERCISE = "ex-dying-relu-dead-fraction"
NAME = "dead_fraction"
RELU = "finds the dead units of a ReLU batch (examples x units)"
LEAKY = "counts negative outputs (Leaky ReLU) as inactive too"
NONE_DEAD = "gives 0.0 when every unit is active somewhere"
ALL_DEAD = "gives 1.0 when the whole layer is dead"
NUMBER = "returns a single number (a float), not an array"
UNTOUCHED = "leaves outputs unchanged"


def check(func):
    return run_check(EXERCISE, {NAME: func})


def test_registered_under_its_chapter():
    assert EXERCISES[EXERCISE].chapter == "10_dying_relu_training_tips"
    assert EXERCISES[EXERCISE].function_name == NAME


@pytest.mark.parametrize("right", [
    lambda a: float(np.mean(np.all(np.asarray(a) <= 0, axis=0))),
    lambda a: inactive_fractions(a)[0],
    lambda a: sum(all(v <= 0 for v in col) for col in np.asarray(a).T) / np.asarray(a).shape[1],
    lambda a: np.mean(np.max(a, axis=0) <= 0),
])
def test_right_answers_pass_with_full_score(right):
    report = check(right)
    assert report.passed and report.score == 1.0, report.to_text()


def in_place(a):
    a[a < 0] = 0.0
    return float(np.mean(np.all(a <= 0, axis=0)))


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda a: float(np.sum(np.all(a <= 0, axis=0))), RELU, "number of dead units"),
    (lambda a: float(np.mean(a <= 0)), RELU, "share of all outputs"),
    (lambda a: float(np.mean(np.all(a <= 0, axis=1))), RELU, "axis 0"),
    (lambda a: float(np.mean(np.any(a <= 0, axis=0))), RELU, "*some* example"),
    (lambda a: float(np.mean(np.any(a > 0, axis=0))), RELU, "alive"),
    (lambda a: float(np.mean(np.all(a == 0, axis=0))), LEAKY, "<= 0"),
    (lambda a: np.all(a <= 0, axis=0).astype(float), RELU, "one number"),
    (lambda a: np.all(a <= 0, axis=0).mean(keepdims=True), NUMBER, "float("),
    (lambda a: 0.4, NONE_DEAD, "no unit is dead"),
    (lambda a: float(np.mean(np.all(a < 0, axis=0))), ALL_DEAD, "share is 1"),
    (in_place, UNTOUCHED, "changed"),
])
def test_typical_mistakes_get_their_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


@pytest.mark.parametrize("func, word", [
    (lambda a, b: 0.0, "raised TypeError"),
])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_the_solution():
    for wrong in (lambda a: float(np.mean(a <= 0)), lambda a: 0.0, lambda a: float(np.sum(a))):
        text = check(wrong).to_text()
        assert "all(" not in text and "axis=0" not in text and "np.mean" not in text
