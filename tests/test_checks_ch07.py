"""Self-check of chapter 7's coding exercise: the right answer passes, typical mistakes get their hint."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check
from relu_course.variants import leaky_relu_derivative

from check_helpers import failed_parts

EXERCISE = "ex-variants-leaky-derivative"
NAME = "my_leaky_relu_derivative"

NEGATIVES = "is the negative slope a for every x < 0 (tried a = 0.01, 0.2, 0.3)"
POSITIVES = "is 1 for x > 0"
ZERO = "is the slope a at exactly x = 0 and -0.0 (the TensorFlow and PyTorch convention)"
NAN = "keeps NaN as NaN"
NUMBERS = "returns numbers, not True/False (even with negative_slope=0)"
SHAPE = "works on a 2-D NumPy array and keeps its shape"
UNTOUCHED = "leaves its input array unchanged"


def test_registered_under_its_chapter():
    assert EXERCISES[EXERCISE].chapter == "07_variants"
    assert EXERCISES[EXERCISE].function_name == NAME


def with_nan(x, a):
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x), np.nan, np.where(x > 0, 1.0, a))


def loop_version(x, a):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i, value in np.ndenumerate(x):
        out[i] = value if np.isnan(value) else (1.0 if value > 0 else a)
    return out


@pytest.mark.parametrize("right", [with_nan, loop_version, lambda x, a: leaky_relu_derivative(x, a),
                                   lambda x, negative_slope=0.01: with_nan(x, negative_slope)])
def test_right_answers_pass_with_full_score(right):
    report = run_check(EXERCISE, {NAME: right})
    assert report.passed and report.score == 1.0, report.to_text()


def in_place(x, a):
    nan = np.isnan(x)
    x[~nan] = np.where(x[~nan] > 0, 1.0, a)
    return x


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda x, a: np.where(np.asarray(x) > 0, 1.0, a), NAN, "np.isnan"),
    (lambda x, a: with_nan(x, a) + (np.asarray(x) == 0) * (1 - a), ZERO, "`x >= 0`"),
    (lambda x, a: (np.asarray(x) > 0).astype(float), NEGATIVES, "ReLU's slope"),
    (lambda x, a: np.where(np.asarray(x) > 0, 1.0, a * np.asarray(x)), NEGATIVES, "not its slope"),
    (lambda x, a: with_nan(x, 0.01), NEGATIVES, "does not follow the argument"),
    (lambda x, a: with_nan(x, a) * 2 - (np.asarray(x) <= 0) * a, POSITIVES, "slope there is 1"),
    (lambda x, a: np.asarray(x) > 0, NUMBERS, "boolean"),
    (lambda x, a: np.array([with_nan(v, a) for v in np.ravel(x)]), SHAPE, "shape"),
    (in_place, UNTOUCHED, "changed"),
])
def test_typical_mistakes_get_their_hint(wrong, failing, hint_word):
    report = run_check(EXERCISE, {NAME: wrong})
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_hints_name_only_the_mistakes_that_apply():
    minus_a = failed_parts(run_check(EXERCISE, {NAME: lambda x, a: np.where(np.asarray(x) > 0, 1.0, -a)}))
    assert ">=" not in minus_a[ZERO] and "np.isnan" not in minus_a[NAN]
    assert "ReLU's slope" not in minus_a[NEGATIVES] and "-0.01" in minus_a[NEGATIVES]


@pytest.mark.parametrize("func, word", [
    (lambda x: x, "def my_leaky_relu_derivative(x, negative_slope)"),
])
def test_broken_functions_are_reported_not_raised(func, word):
    report = run_check(EXERCISE, {NAME: func})
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_the_solution():
    for wrong in (lambda x, a: np.where(np.asarray(x) > 0, 1.0, a), lambda x, a: np.asarray(x) > 0):
        text = run_check(EXERCISE, {NAME: wrong}).to_text()
        assert "np.where(np.isnan" not in text and "np.where(x > 0, 1.0, negative_slope)" not in text
