"""Self-check of chapter 8: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check
from relu_course.properties import one_sided_derivatives

from check_helpers import failed_parts

JUMP = "ex-comparisons-slope-jump"
KINK = "finds ReLU's kink at 0 (the slope jumps from 0 to 1)"
FLAT = "gives 0 where ReLU is a straight line (x0 = 2)"
SIGN = "keeps the sign: at 6 the slope of ReLU6 drops from 1 to 0"
SMOOTH = "gives about 0 for a smooth function (tanh at 0)"
STEP = "uses the step h it is given (x**2 at 0 with h = 0.5)"


def check(func):
    return run_check(JUMP, {"slope_jump": func})


def right(f, x0, h):
    return (f(x0 + h) - f(x0)) / h - (f(x0) - f(x0 - h)) / h


def test_exercise_is_registered_for_this_chapter():
    assert EXERCISES[JUMP].chapter == "08_comparisons"
    assert EXERCISES[JUMP].function_name == "slope_jump"


@pytest.mark.parametrize("func", [
    right,
    lambda f, x0, h: float(np.subtract(*one_sided_derivatives(f, x0, h)[::-1])),
    lambda f, x0, h: float((f(np.float64(x0) + h) - 2 * f(np.float64(x0)) + f(np.float64(x0) - h)) / h),
    lambda f, x0, h: np.array([right(f, x0, h)]),
])
def test_correct_answers_pass(func):
    report = check(func)
    assert report.passed and report.score == 1.0, report.to_text()


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda f, x0, h: -right(f, x0, h), KINK, "wrong sign"),
    (lambda f, x0, h: abs(right(f, x0, h)), SIGN, "absolute value"),
    (lambda f, x0, h: h * right(f, x0, h), KINK, "Divide each difference by h"),
    (lambda f, x0, h: (f(x0 + h) - f(x0 - h)) / (2 * h) - (f(x0 + h) - f(x0 - h)) / (2 * h), KINK,
     "central difference"),
    (lambda f, x0, h: right(f, x0, 1e-6), STEP, "fixed step"),
    (lambda f, x0, h: right(f, 0.0, h), FLAT, "around x0"),
    (lambda f, x0, h: right(f, x0, h) + 0.1, SMOOTH, "no kink"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_several_numbers_are_reported():
    parts = failed_parts(check(lambda f, x0, h: np.array([1.0, 2.0])))
    assert "single number" in parts[KINK]


@pytest.mark.parametrize("func, word", [(lambda f: 1.0, "raised TypeError"),
                                        (lambda f, x0, h: float("nan"), "returned nan")])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_a_solution():
    for wrong in (lambda f, x0, h: 0.0, lambda f, x0, h: -1.0, lambda f, x0, h: 5.0):
        text = check(wrong).to_text()
        assert "f(x0 + h) - f(x0)" not in text and "/ h -" not in text
