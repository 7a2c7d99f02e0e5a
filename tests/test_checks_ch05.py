"""Self-checks of chapter 5: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.activations import relu
from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

ABS = "ex-math-properties-abs-via-relu"
ZEROS = "ex-math-properties-share-of-zeros"


def check(exercise_id, func):
    return run_check(exercise_id, {EXERCISES[exercise_id].function_name: func})


def test_exercises_are_registered_for_this_chapter():
    for exercise_id, name in [(ABS, "abs_via_relu"), (ZEROS, "my_share_of_zeros")]:
        assert EXERCISES[exercise_id].chapter == "05_math_properties"
        assert EXERCISES[exercise_id].function_name == name


@pytest.mark.parametrize("func", [lambda x: relu(x) + relu(-x),
                                  lambda x: np.maximum(x, 0) + np.maximum(-x, 0),
                                  np.abs])
def test_correct_abs_passes(func):
    report = check(ABS, func)
    assert report.passed and report.score == 1.0, report.to_text()


@pytest.mark.parametrize("func", [lambda a: np.mean(np.asarray(a) == 0),
                                  lambda a: 1 - np.count_nonzero(a) / np.size(a),
                                  lambda a: float(np.sum(np.asarray(a) == 0)) / np.asarray(a).size])
def test_correct_share_passes(func):
    report = check(ZEROS, func)
    assert report.passed and report.score == 1.0, report.to_text()


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda x: relu(x) - relu(-x), "turns negative inputs into positive ones", "added, not subtracted"),
    (lambda x: relu(x), "turns negative inputs into positive ones", "relu(-x)"),
    (lambda x: 2 * (relu(x) + relu(-x)), "turns negative inputs into positive ones", "twice"),
    (lambda x: -x, "keeps positive inputs unchanged", "x itself"),
    (lambda x: relu(x) + 0.5 * relu(-x), "turns negative inputs into positive ones", "same size"),
    (lambda x: relu(x) + relu(-x) + 1e-9, "returns 0 at x = 0 and x = -0.0", "|0| is 0"),
    (lambda x: np.where(x > 0, x, 0.0) + np.where(x < 0, -x, 0.0), "keeps NaN as NaN", "NaN"),
    (lambda x: np.where(x > 0, x, 0.0), "turns negative inputs into positive ones", "relu(-x)"),
    (lambda x: [abs(v) for v in np.ravel(x)], "works on a 2-D NumPy array and keeps its shape", "shape"),
    (lambda x: np.minimum(np.abs(x), 10.0), "keeps positive inputs unchanged", "x itself"),
])
def test_wrong_abs_gets_a_specific_hint(wrong, failing, hint_word):
    report = check(ABS, wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_in_place_abs_is_caught():
    def in_place(x):
        x[x < 0] *= -1
        return x

    assert list(failed_parts(check(ABS, in_place))) == ["leaves its input array unchanged"]


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda a: np.sum(np.asarray(a) == 0), "gives the share, a number between 0 and 1", "Divide"),
    (lambda a: np.mean(np.isclose(a, 0)), "counts exact zeros only, not tiny positive values", "np.isclose"),
    (lambda a: np.mean(np.asarray(a) <= 0), "does not count negative values as zeros", "<= 0"),
    (lambda a: np.mean(np.asarray(a) == 0, axis=0), "uses every entry of a 2-D array", "one axis"),
    (lambda a: np.mean(np.asarray(a)[0] == 0), "uses every entry of a 2-D array", "whole array"),
    (lambda a: np.mean(~np.signbit(a) & (np.asarray(a) == 0)), "counts -0.0 as a zero", "-0.0 == 0"),
])
def test_wrong_share_gets_a_specific_hint(wrong, failing, hint_word):
    report = check(ZEROS, wrong)
    parts = failed_parts(report)
    assert not report.passed
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_feedback_never_shows_a_solution():
    texts = [check(ABS, lambda x: x).to_text(), check(ABS, lambda x: 0 * x).to_text(),
             check(ZEROS, lambda a: 3).to_text()]
    for text in texts:
        assert "relu(x) + relu(-x)" not in text
        assert "np.mean(" not in text and "== 0)" not in text
