"""Self-checks of chapter 6: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check

from check_helpers import failed_parts

DEAD = "ex-pros-cons-dead-units"


def check(func):
    return run_check(DEAD, {"dead_unit_share": func})


def test_exercise_is_registered_for_this_chapter():
    assert EXERCISES[DEAD].chapter == "06_advantages_disadvantages"
    assert EXERCISES[DEAD].function_name == "dead_unit_share"


@pytest.mark.parametrize("func", [
    lambda a: np.mean(np.all(np.asarray(a) == 0, axis=0)),
    lambda a: float(np.sum(~np.any(np.asarray(a) != 0, axis=0))) / np.shape(a)[1],
    lambda a: np.count_nonzero(np.abs(np.asarray(a)).max(axis=0) == 0) / np.shape(a)[1],
    lambda a: sum(all(v == 0 for v in col) for col in np.asarray(a).T) / len(np.asarray(a).T),
])
def test_correct_answers_pass(func):
    report = check(func)
    assert report.passed and report.score == 1.0, report.to_text()


def test_the_answer_agrees_with_the_package_measurement_on_a_layer():
    rng = np.random.default_rng(0)
    h = np.maximum(rng.standard_normal((50, 20)) - 1.5, 0.0)
    h[:, [2, 7, 11]] = 0.0
    expected = np.mean([np.all(h[:, j] == 0) for j in range(h.shape[1])])
    assert np.mean(np.all(h == 0, axis=0)) == expected
    assert check(lambda a: np.mean(np.all(np.asarray(a) == 0, axis=0))).passed


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda a: np.sum(np.all(np.asarray(a) == 0, axis=0)),
     "gives the share of dead units, a number between 0 and 1", "Divide"),
    (lambda a: np.mean(np.all(np.asarray(a) == 0, axis=1)),
     "looks at units (columns), not examples (rows)", "Rows are examples"),
    (lambda a: np.mean(np.any(np.asarray(a) == 0, axis=0)),
     "needs a unit to be 0 for every example, not just for some", "np.all"),
    (lambda a: np.mean(np.all(np.isclose(a, 0), axis=0)),
     "counts exact zeros only: a tiny positive output is alive", "np.isclose"),
    (lambda a: np.mean(np.all((np.asarray(a) == 0) & ~np.signbit(a), axis=0)),
     "counts -0.0 as zero", "-0.0 == 0"),
    (lambda a: np.mean(np.asarray(a) == 0),
     "gives the share of dead units, a number between 0 and 1", "sparsity"),
    (lambda a: np.mean(np.asarray(a) == 0),
     "looks at units (columns), not examples (rows)", "a whole column must be zero"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_per_unit_array_instead_of_one_number_is_explained():
    report = check(lambda a: np.all(np.asarray(a) == 0, axis=0).astype(float))
    hints = failed_parts(report).values()
    assert hints and all("one number" in h or "returned" in h for h in hints)
    assert any("Reduce over the examples first" in h for h in hints)


def test_in_place_answer_is_caught():
    def in_place(a):
        a[a == 0] = np.nan
        return float(np.mean(np.all(np.isnan(a), axis=0)))

    parts = failed_parts(check(in_place))
    assert "leaves its input array unchanged" in parts


@pytest.mark.parametrize("func, word", [(lambda a: a[5, 5], "raised IndexError")])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_a_solution():
    texts = [check(lambda a: 0.0).to_text(), check(lambda a: np.mean(np.asarray(a) == 0)).to_text(),
             check(lambda a: 7).to_text()]
    for text in texts:
        assert "axis=0" not in text and "np.mean(" not in text and "== 0, axis" not in text
