"""Self-check of chapter 3's coding exercise: the right answer passes, typical mistakes get their hint."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

EXERCISE = "ex-forward-backward-relu-backward"
NAME = "relu_backward"


def test_registered_under_its_chapter():
    assert EXERCISES[EXERCISE].chapter == "03_forward_backward"
    assert EXERCISES[EXERCISE].function_name == NAME


@pytest.mark.parametrize("right", [
    lambda g, x: g * (x > 0),
    lambda g, x: np.where(np.asarray(x) > 0, g, 0.0),
    lambda g, x: np.asarray(g) * np.heaviside(x, 0.0),
])
def test_right_answers_pass_with_full_score(right):
    report = run_check(EXERCISE, {NAME: right})
    assert report.passed and report.score == 1.0, report.to_text()


PASS = "passes grad_out through unchanged where x > 0"
BLOCK = "blocks the gradient (returns 0) where x < 0"
ZERO = "returns 0 at exactly x = 0 and x = -0.0 (the course convention)"
BATCH = "works on a batch (2-D arrays) and keeps its shape"
UNTOUCHED = "leaves grad_out and x unchanged"


def in_place(g, x):
    g[x <= 0] = 0.0
    return g


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda g, x: g * (x >= 0), ZERO, "`x >= 0`"),
    (lambda g, x: (x > 0).astype(float), PASS, "slope alone"),
    (lambda g, x: g * np.maximum(x, 0.0), PASS, "not by relu(x)"),
    (lambda g, x: g * (g > 0), PASS, "sign of x"),
    (lambda g, x: np.maximum(g, 0.0), BLOCK, "flat for negative"),
    (lambda g, x: g, BLOCK, "no gradient flows back"),
    (lambda g, x: np.array([gi * (xi > 0) for gi, xi in zip(np.ravel(g), np.ravel(x))]), BATCH, "shape"),
    (lambda g, x: np.sum(g * (x > 0)), PASS, "one entry per input"),
    (in_place, UNTOUCHED, "changed"),
])
def test_typical_mistakes_get_their_hint(wrong, failing, hint_word):
    report = run_check(EXERCISE, {NAME: wrong})
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_zero_hint_without_the_ge_diagnosis_when_it_does_not_apply():
    parts = failed_parts(run_check(EXERCISE, {NAME: lambda g, x: np.ones_like(g)}))
    assert ZERO in parts and ">=" not in parts[ZERO]


@pytest.mark.parametrize("func, word", [
    (lambda x: x, "def relu_backward(grad_out, x)"),
])
def test_broken_functions_are_reported_not_raised(func, word):
    report = run_check(EXERCISE, {NAME: func})
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_the_solution():
    for wrong in (lambda g, x: g, lambda g, x: (x > 0).astype(float), lambda g, x: g * (x >= 0)):
        text = run_check(EXERCISE, {NAME: wrong}).to_text()
        assert "grad_out * (x > 0)" not in text and "np.where" not in text
