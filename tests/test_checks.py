"""Self-checks: right answers pass, wrong answers get the right hint, nothing crashes."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES, check_exercise
from relu_course.checks.registry import STRICT_ENV, run_check

from check_helpers import failed_parts

IMPLEMENT = "ex-what-is-relu-implement"
DERIVATIVE = "ex-what-is-relu-derivative"


def good_relu(x):
    return np.maximum(x, 0.0)


def good_derivative(x):
    return (np.asarray(x) > 0).astype(float)


def test_correct_answers_pass_with_full_score():
    for exercise_id, func in [(IMPLEMENT, good_relu), (DERIVATIVE, good_derivative)]:
        name = EXERCISES[exercise_id].function_name
        report = run_check(exercise_id, {name: func})
        assert report.passed and report.score == 1.0, report.to_text()
        assert "all" in report.to_text()


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda x: x, "sends negative inputs to 0", "negative"),
    (lambda x: np.abs(x), "sends negative inputs to 0", "-1000000.0"),
    (lambda x: np.where(x > 0, x, 0.0), "keeps NaN as NaN", "NaN"),
    (lambda x: np.maximum(x, 1e-9), "returns 0 at x = 0", "max(0, 0)"),
    (lambda x: np.clip(x, 0, 1), "passes positive inputs through unchanged", "input itself"),
    (lambda x: [max(v, 0) for v in np.ravel(x)], "works on a 2-D NumPy array and keeps its shape", "shape"),
])
def test_wrong_relu_gets_a_specific_hint(wrong, failing, hint_word):
    report = run_check(IMPLEMENT, {"my_relu": wrong})
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing]


def test_in_place_relu_is_caught():
    def in_place(x):
        x[x < 0] = 0
        return x

    parts = failed_parts(run_check(IMPLEMENT, {"my_relu": in_place}))
    assert list(parts) == ["leaves its input array unchanged"]


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (lambda x: (np.asarray(x) >= 0).astype(float), "is 0 at exactly x = 0 (the TensorFlow and PyTorch convention)", ">= 0"),
    (lambda x: np.asarray(x) > 0, "returns numbers, not True/False", "boolean"),
    (lambda x: np.maximum(x, 0), "is 1 for positive inputs", "slope is 1"),
])
def test_wrong_derivative_gets_a_specific_hint(wrong, failing, hint_word):
    parts = failed_parts(run_check(DERIVATIVE, {"my_relu_derivative": wrong}))
    assert failing in parts
    assert hint_word in parts[failing]


def test_placeholder_and_non_function_messages_name_the_cause():
    """Beyond tests/test_checks_contract.py: the message names NotImplementedError, the hint the type."""
    def placeholder(x):
        raise NotImplementedError()

    assert "NotImplementedError" in run_check(IMPLEMENT, {"my_relu": placeholder}).message
    assert "int" in run_check(IMPLEMENT, {"my_relu": 3}).to_text()


def test_feedback_never_shows_a_solution():
    texts = [run_check(IMPLEMENT, {"my_relu": lambda x: x}).to_text(),
             run_check(DERIVATIVE, {"my_relu_derivative": lambda x: x}).to_text()]
    for text in texts:
        assert "np.maximum" not in text and "np.where(" not in text and "astype(" not in text


def test_unknown_exercise_and_bad_namespace_are_clear_errors():
    with pytest.raises(ValueError, match="exercise_id .* known ids: ex-"):
        run_check("ex-nope", {})
    with pytest.raises(TypeError, match="exercise_id"):
        run_check(3, {})
    with pytest.raises(TypeError, match="namespace"):
        run_check(IMPLEMENT, ["my_relu"])


def test_strict_mode_raises_only_when_a_check_does_not_pass(monkeypatch, capsys):
    monkeypatch.setenv(STRICT_ENV, "1")
    assert check_exercise(IMPLEMENT, {"my_relu": good_relu}).passed
    with pytest.raises(AssertionError, match=IMPLEMENT):
        check_exercise(IMPLEMENT, {"my_relu": lambda x: x})
    assert "hint" in capsys.readouterr().out
    monkeypatch.setenv(STRICT_ENV, "0")
    assert not check_exercise(IMPLEMENT, {"my_relu": lambda x: x}).passed
