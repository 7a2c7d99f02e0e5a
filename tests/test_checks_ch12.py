"""Self-check of chapter 12's coding exercise: the right answer passes, typical mistakes get their hint."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

EXERCISE = "ex-implementations-backward-bug"
NAME = "relu_backward"

POSITIVE = "passes grad_output through unchanged where output > 0"
ZERO = "returns 0 where the output is exactly 0"
NEG_ZERO = "returns 0 where the output is -0.0 (a negative zero is still zero)"
BATCH_1D = "multiplies the incoming gradient by the mask on a realistic batch"
BATCH_2D = "works on a 2-D batch and keeps its shape"
UNTOUCHED = "leaves grad_output and output unchanged"


def test_registered_under_its_chapter():
    assert EXERCISES[EXERCISE].chapter == "12_implementations"
    assert EXERCISES[EXERCISE].function_name == NAME


def loop_version(grad_output, output):
    out = np.zeros(np.shape(output))
    for i, y in np.ndenumerate(np.asarray(output)):
        out[i] = np.asarray(grad_output)[i] if y > 0 else 0.0
    return out


@pytest.mark.parametrize("right", [
    lambda g, y: g * (y > 0),
    lambda g, y: np.where(np.asarray(y) > 0, g, 0.0),
    loop_version,
    lambda grad_output, output: np.asarray(grad_output) * (np.asarray(output) > 0).astype(np.float32),
])
def test_right_answers_pass_with_full_score(right):
    report = run_check(EXERCISE, {NAME: right})
    assert report.passed and report.score == 1.0, report.to_text()


def in_place(g, y):
    g[y <= 0] = 0.0
    return g


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda g, y: g * (y >= 0), ZERO, "`output >= 0`"),
    (lambda g, y: g * (y >= 0), NEG_ZERO, "`output >= 0`"),
    (lambda g, y: g * (y >= 0), BATCH_1D, "mask is all ones"),
    (lambda g, y: (y > 0).astype(float), POSITIVE, "mask alone"),
    (lambda g, y: (y > 0).astype(float), BATCH_1D, "not the gradient"),
    (lambda g, y: g * y, POSITIVE, "multiplied grad_output by the output"),
    (lambda g, y: np.maximum(g, 0) * (y > 0), POSITIVE, "negative gradients were dropped"),
    (lambda g, y: g * (np.signbit(y) | (y > 0)), NEG_ZERO, "exactly 0 means the unit was off"),
    (lambda g, y: np.array([gv * (yv > 0) for gv, yv in zip(np.ravel(g), np.ravel(y))]), BATCH_2D, "shape"),
    (in_place, UNTOUCHED, "changed"),
])
def test_typical_mistakes_get_their_hint(wrong, failing, hint_word):
    report = run_check(EXERCISE, {NAME: wrong})
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_the_ge_hint_appears_only_for_an_all_ones_mask():
    parts = failed_parts(run_check(EXERCISE, {NAME: lambda g, y: g * (y > 0) + 1.0}))
    assert parts and not any(">=" in hint for hint in parts.values())


@pytest.mark.parametrize("func, word", [
    (lambda y: y, "def relu_backward(grad_output, output)"),
])
def test_broken_functions_are_reported_not_raised(func, word):
    report = run_check(EXERCISE, {NAME: func})
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_the_solution():
    for wrong in (lambda g, y: g * (y >= 0), lambda g, y: (y > 0).astype(float), lambda g, y: g * y):
        text = run_check(EXERCISE, {NAME: wrong}).to_text()
        assert "grad_output * (output > 0)" not in text and "np.where(output > 0" not in text
