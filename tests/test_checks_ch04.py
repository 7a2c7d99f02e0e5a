"""Self-check of chapter 4: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

EPOCHS = "ex-history-epochs-to-target"


def check(func):
    return run_check(EPOCHS, {"epochs_to_target": func})


def loop(errors, target):
    for epoch, error in enumerate(errors, start=1):
        if error <= target:
            return epoch
    return None


def vectorised(errors, target):
    hits = np.flatnonzero(np.asarray(errors) <= target)
    return int(hits[0]) + 1 if hits.size else None


def argmax_guarded(errors, target):
    mask = np.asarray(errors) <= target
    return int(np.argmax(mask)) + 1 if mask.any() else None


def test_exercise_is_registered_for_this_chapter():
    assert EXERCISES[EPOCHS].chapter == "04_history"
    assert EXERCISES[EPOCHS].function_name == "epochs_to_target"


@pytest.mark.parametrize("func", [loop, vectorised, argmax_guarded,
                                  lambda e, t: float(vectorised(e, t)) if vectorised(e, t) else None,
                                  lambda e, t: np.int64(vectorised(e, t)) if vectorised(e, t) else None])
def test_correct_answers_pass(func):
    report = check(func)
    assert report.passed and report.score == 1.0, report.to_text()


def zero_based(errors, target):
    hits = np.flatnonzero(np.asarray(errors) <= target)
    return int(hits[0]) if hits.size else None


def strict(errors, target):
    hits = np.flatnonzero(np.asarray(errors) < target)
    return int(hits[0]) + 1 if hits.size else None


def unguarded_argmax(errors, target):
    return int(np.argmax(np.asarray(errors) <= target)) + 1


def stays_below(errors, target):
    errors = np.asarray(errors)
    for i in range(len(errors)):
        if np.all(errors[i:] <= target):
            return i + 1
    return None


def best_epoch(errors, target):
    errors = np.asarray(errors)
    return int(np.argmin(errors)) + 1 if errors.min() <= target else None


def skips_first(errors, target):
    for i in range(1, len(errors)):
        if errors[i] <= target:
            return i + 1
    return None


def never_as_length(errors, target):
    found = loop(errors, target)
    return len(errors) if found is None else found


def never_as_minus_one(errors, target):
    found = loop(errors, target)
    return -1 if found is None else found


def list_only_fails(errors, target):
    if isinstance(errors, list):
        raise TypeError("expected an array")
    return vectorised(errors, target)


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (zero_based, "counts epochs from 1", "counted from 0"),
    (strict, "counts an error equal to the target as reached", "error <= target"),
    (unguarded_argmax, "returns None when the target is never reached", "all-False"),
    (stays_below, "returns the first epoch that reaches the target, not a later one", "rises again"),
    (best_epoch, "returns the first epoch that reaches the target, not a later one", "lowest"),
    (skips_first, "finds a target reached in the very first epoch", "skip the first"),
    (never_as_length, "returns None when the target is never reached", "last epoch"),
    (never_as_minus_one, "returns None when the target is never reached", "-1"),
    (list_only_fails, "accepts a plain list as well as a NumPy array", "np.asarray"),
    (lambda e, t: float("nan"), "returns None when the target is never reached", "return None"),
    (lambda e, t: True, "counts epochs from 1", "boolean"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_zero_based_answer_is_explained_in_every_case_it_fails():
    parts = failed_parts(check(zero_based))
    assert {"counts epochs from 1", "counts an error equal to the target as reached",
            "finds a target reached in the very first epoch"} <= set(parts)
    assert all("counted from 0" in hint for d, hint in parts.items() if "None" not in d)


@pytest.mark.parametrize("func, word", [(lambda e, t: "three", "return an int"),
                                        (lambda e, t: [1, 2], "return an int"),
                                        (lambda e: 1, "raised TypeError")])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_the_learners_input_is_a_copy():
    seen = []

    def mutating(errors, target):
        seen.append(errors)
        errors[:] = 0
        return vectorised(errors, target)

    check(mutating)
    check(vectorised)  # later checks see fresh inputs: the cases are untouched
    assert check(vectorised).passed


def test_feedback_never_shows_a_solution():
    for wrong in (zero_based, strict, unguarded_argmax, lambda e, t: 0):
        text = check(wrong).to_text()
        assert "flatnonzero" not in text and "enumerate" not in text and "+ 1" not in text
