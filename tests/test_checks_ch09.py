"""Self-checks of chapter 9: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
from collections import Counter, defaultdict

import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

COUNTS = "ex-when-to-use-activation-counts"


def check(func):
    return run_check(COUNTS, {"activation_counts": func})


def master(sequence):
    body = sequence[:-1] if sequence and sequence[-1] == "softmax" else sequence
    return dict(Counter(k for k in body if k != "linear"))


def with_loop(sequence):
    counts = {}
    for i, kind in enumerate(sequence):
        if kind == "linear" or (kind == "softmax" and i == len(sequence) - 1):
            continue
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def with_defaultdict(sequence):
    counts = defaultdict(int)
    n = len(sequence) - (1 if sequence[-1:] == ["softmax"] else 0)
    for kind in sequence[:n]:
        counts[kind] += kind != "linear"
    return counts   # zero entries for 'linear' are tolerated


def test_exercise_is_registered_for_this_chapter():
    assert EXERCISES[COUNTS].chapter == "09_when_to_use"
    assert EXERCISES[COUNTS].function_name == "activation_counts"


@pytest.mark.parametrize("func", [master, with_loop, with_defaultdict, lambda s: Counter(master(s))])
def test_correct_answers_pass(func):
    report = check(func)
    assert report.passed and report.score == 1.0, report.to_text()


def test_the_answer_works_on_a_real_census_sequence():
    from relu_course.architecture_census import Census, Site

    sites = (Site(1, "a", "ReLU", "relu", "ReLU()", "hidden"), Site(3, "b", "ReLU", "relu6", "ReLU(max_value=6.0)", "gate"),
             Site(4, "c", "Dense", "softmax", "Dense(activation='softmax')", "head"))
    census = Census("x", 5, sites)
    assert master(census.sequence()) == {"relu": 1, "relu6": 1}
    assert master(census.sequence()) == {k: v for k, v in census.counts(None).items() if k != "softmax"}


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda s: dict(Counter(s[:-1] if s and s[-1] == "softmax" else s)),
     "counts the activations of a small classifier", "counts 'linear' too"),
    (lambda s: dict(Counter(k for k in s if k != "linear")),
     "counts the activations of a small classifier", "counts the final 'softmax'"),
    (lambda s: dict(Counter(k for k in s if k not in ("linear", "softmax"))),
     "leaves out only the final softmax, not a softmax inside the network", "leaves out every 'softmax'"),
    (lambda s: dict(Counter(k for k in s[:-1] if k != "linear")),
     "counts every activation of a model without a classifier", "always drops the last entry"),
    (lambda s: dict(Counter(s)),
     "counts the activations of a small classifier", "counts every entry"),
    (lambda s: {k: 1 for k in master(s)},
     "counts the activations of a small classifier", "count each name"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_popping_the_classifier_off_the_callers_list_is_caught():
    def pops(sequence):
        if sequence and sequence[-1] == "softmax":
            sequence.pop()
        return dict(Counter(k for k in sequence if k != "linear"))

    parts = failed_parts(check(pops))
    assert list(parts) == ["leaves the caller's list unchanged"]
    assert "pop()" in parts["leaves the caller's list unchanged"]


@pytest.mark.parametrize("func, word", [
    (lambda s: [("relu", 2)], "return a dict"),
    (lambda s: None, "return a dict"),
    (lambda s: {"relu": 2.0} if s else {}, "whole number"),
    (lambda s: {"relu": True}, "whole number"),
    (lambda s: s[10], "raised IndexError"),
    (lambda s: s.counts(), "raised AttributeError"),
])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_a_solution():
    texts = [check(lambda s: {}).to_text(), check(lambda s: dict(Counter(s))).to_text(),
             check(lambda s: 7).to_text()]
    for text in texts:
        assert "Counter(" not in text and "[:-1]" not in text and "!= \"linear\"" not in text
