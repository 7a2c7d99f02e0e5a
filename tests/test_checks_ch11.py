"""Self-checks of chapter 11's coding exercises: right answers pass, typical mistakes get their hint,
the placeholder and generic broken answers are tested in test_checks_contract.py."""
import math
import statistics

import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

SPREAD_ID, SPREAD = "ex-mini-experiment-mean-and-spread", "mean_and_spread"
SPEED_ID, SPEED = "ex-mini-experiment-epochs-to-accuracy", "epochs_to_accuracy"


def test_registered_under_the_chapter():
    for exercise_id, name in ((SPREAD_ID, SPREAD), (SPEED_ID, SPEED)):
        assert EXERCISES[exercise_id].chapter == "11_mini_experiment"
        assert EXERCISES[exercise_id].function_name == name


# ------------------------------------------------------------------ mean_and_spread
def numpy_answer(values):
    a = np.asarray(values, dtype=float)
    return a.mean(), a.std(ddof=1)


def stdlib_answer(values):
    values = list(values)
    if any(math.isnan(v) for v in values):
        return math.nan, math.nan
    return statistics.fmean(values), statistics.stdev(values)


@pytest.mark.parametrize("right", [numpy_answer, stdlib_answer, lambda v: np.array(numpy_answer(v))])
def test_right_spread_answers_pass(right):
    report = run_check(SPREAD_ID, {SPREAD: right})
    assert report.passed and report.score == 1.0, report.to_text()


MEAN = "returns the mean as its first number"
STD = "returns the sample standard deviation (ddof = 1) as its second number"
LIST = "accepts a plain Python list"
NAN = "keeps a diverged run (NaN) visible: the mean is NaN"
UNTOUCHED = "leaves its input unchanged"


def sorts_in_place(values):
    values.sort()
    return numpy_answer(values)


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda v: (np.mean(v), np.std(v)), STD, "ddof=1"),
    (lambda v: (np.mean(v), np.max(v) - np.min(v)), STD, "range"),
    (lambda v: (np.mean(v), np.var(v, ddof=1)), STD, "variance"),
    (lambda v: (np.nanmean(v), np.nanstd(v, ddof=1)), NAN, "np.nanmean"),
    (lambda v: (np.median(v), np.std(v, ddof=1)), MEAN, "mean"),
    (lambda v: np.mean(v), MEAN, "two numbers"),
    (lambda v: (v.mean(), v.std(ddof=1)), LIST, "np.asarray"),
    (sorts_in_place, UNTOUCHED, "changed"),
])
def test_typical_spread_mistakes_get_their_hint(wrong, failing, hint_word):
    report = run_check(SPREAD_ID, {SPREAD: wrong})
    parts = failed_parts(report)
    assert not report.passed
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_population_std_passes_everything_but_the_spread():
    report = run_check(SPREAD_ID, {SPREAD: lambda v: (np.mean(v), np.std(v))})
    assert set(failed_parts(report)) == {STD}


# ------------------------------------------------------------------ epochs_to_accuracy
def loop_answer(curve, target):
    for epoch, accuracy in enumerate(curve):
        if accuracy >= target:
            return epoch
    return float("nan")


def numpy_epochs(curve, target):
    hits = np.flatnonzero(np.asarray(curve) >= target)
    return float(hits[0]) if hits.size else np.nan


@pytest.mark.parametrize("right", [loop_answer, numpy_epochs])
def test_right_speed_answers_pass(right):
    report = run_check(SPEED_ID, {SPEED: right})
    assert report.passed and report.score == 1.0, report.to_text()


FIRST = "returns the first epoch that reaches the target"
EQUAL = "counts an accuracy exactly equal to the target as reached"
DIP = "returns the first crossing even if the curve dips again"
ZERO = "returns 0 when the untrained network is already there"
NEVER = "returns NaN when the target is never reached"


def one_based(curve, target):
    e = loop_answer(curve, target)
    return e + 1


def strict(curve, target):
    return loop_answer([c - 1e-12 if c == target else c for c in curve], target)


def last_crossing(curve, target):
    hits = [i for i, c in enumerate(curve) if c >= target]
    return hits[-1] if hits else float("nan")


def minus_one(curve, target):
    e = loop_answer(curve, target)
    return -1 if math.isnan(e) else e


def returns_none(curve, target):
    e = loop_answer(curve, target)
    return None if math.isnan(e) else e


def returns_accuracy(curve, target):
    e = loop_answer(curve, target)
    return curve[e] if not math.isnan(e) else e


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (one_based, FIRST, "do not add 1"),
    (one_based, ZERO, "do not add 1"),
    (strict, EQUAL, ">="),
    (last_crossing, DIP, "first reached"),
    (minus_one, NEVER, "float('nan')"),
    (returns_none, NEVER, "returned None"),
    (returns_accuracy, FIRST, "that is the accuracy"),
    (lambda curve: 0, FIRST, "def epochs_to_accuracy(curve, target)"),
    (lambda c, t: [loop_answer(c, t)] * 2, FIRST, "one number"),
])
def test_typical_speed_mistakes_get_their_hint(wrong, failing, hint_word):
    report = run_check(SPEED_ID, {SPEED: wrong})
    parts = failed_parts(report)
    assert not report.passed
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]
