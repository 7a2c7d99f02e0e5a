"""Self-checks of chapter 13: right answers pass, typical wrong answers get the right hint, the
placeholder and generic broken answers are tested for every exercise in test_checks_contract.py."""
import numpy as np
import pytest

from relu_course.checks import EXERCISES
from relu_course.checks.registry import run_check
from relu_course.mistakes_numerical import relu_layer_outputs

from check_helpers import failed_parts

STDS = "ex-common-mistakes-activation-stds"


def check(func):
    return run_check(STDS, {"activation_stds": func})


def test_exercise_is_registered_for_this_chapter():
    assert EXERCISES[STDS].chapter == "13_common_mistakes"
    assert EXERCISES[STDS].function_name == "activation_stds"


def loop_answer(x, weights):
    stds, h = [], np.asarray(x, dtype=float)
    for W in weights:
        h = np.maximum(h @ W, 0.0)
        stds.append(h.std())
    return np.array(stds)


@pytest.mark.parametrize("func", [
    loop_answer,
    lambda x, weights: [float(np.std(h)) for h in relu_layer_outputs(x, weights)],
    lambda x, weights: np.array([np.sqrt(np.var(h)) for h in relu_layer_outputs(x, weights)]),
    lambda x, weights: tuple(np.std(h.ravel()) for h in relu_layer_outputs(x, weights)),
])
def test_correct_answers_pass(func):
    report = check(func)
    assert report.passed and report.score == 1.0, report.to_text()


def test_the_checks_reference_agrees_with_a_hand_computation():
    # relu([[1, -2], [3, 0.5]]) = [[1, 0], [3, 0.5]]: mean 1.125, population variance
    # (0.125² + 1.125² + 1.875² + 0.625²) / 4 = 1.296875
    report = check(lambda x, weights: [np.sqrt(1.296875)] if len(weights) == 1 and x[0, 1] == -2 else
                   loop_answer(x, weights))
    assert report.passed, report.to_text()


def no_relu(x, weights):
    h, stds = x, []
    for W in weights:
        h = h @ W
        stds.append(h.std())
    return stds


def pre_activation(x, weights):
    h, stds = x, []
    for W in weights:
        z = h @ W
        stds.append(z.std())
        h = np.maximum(z, 0)
    return stds


def per_axis(axis):
    def answer(x, weights):
        return [h.std(axis=axis).mean() for h in relu_layer_outputs(x, weights)]
    return answer


def sample_std(x, weights):
    return [h.std(ddof=1) for h in relu_layer_outputs(x, weights)]


def with_input(x, weights):
    return [np.std(x)] + [h.std() for h in relu_layer_outputs(x, weights)]


def per_unit_arrays(x, weights):
    return np.stack([h.std(axis=0)[:2] for h in relu_layer_outputs(x, weights)])


def each_from_x(x, weights):
    return [np.maximum(x @ W, 0).std() for W in weights]


@pytest.mark.parametrize("wrong, failing, hint_word", [
    (no_relu, "three layers of different widths (4 -> 6 -> 5 -> 3)", "no ReLU at all"),
    (no_relu, "one identity layer: the std of relu(x)", "ReLU"),
    (pre_activation, "three layers of different widths (4 -> 6 -> 5 -> 3)", "pre-activations"),
    (per_axis(0), "a shrinking stack: four 8 x 8 layers with small weights", "axis 0"),
    (per_axis(1), "three layers of different widths (4 -> 6 -> 5 -> 3)", "axis 1"),
    (sample_std, "a shrinking stack: four 8 x 8 layers with small weights", "ddof"),
    (with_input, "three layers of different widths (4 -> 6 -> 5 -> 3)", "leave the input out"),
    (per_unit_arrays, "three layers of different widths (4 -> 6 -> 5 -> 3)", "one number per layer"),
    (each_from_x, "three layers of different widths (4 -> 6 -> 5 -> 3)", "raised ValueError"),
    (lambda x, w: [1.0] * len(w), "a shrinking stack: four 8 x 8 layers with small weights", "layer 1 is off"),
])
def test_wrong_answers_get_a_specific_hint(wrong, failing, hint_word):
    report = check(wrong)
    parts = failed_parts(report)
    assert not report.passed and 0 <= report.score < 1
    assert failing in parts, report.to_text()
    assert hint_word in parts[failing], parts[failing]


def test_in_place_answer_is_caught():
    def in_place(x, weights):
        stds = loop_answer(x, weights)
        x *= 0.0
        return stds

    parts = failed_parts(check(in_place))
    assert list(parts) == ["leaves x and the weights unchanged"]


@pytest.mark.parametrize("func, word", [(lambda x: x, "raised TypeError")])
def test_broken_functions_are_reported_not_raised(func, word):
    report = check(func)
    assert report.status == "failed"
    assert any(word in p.hint for p in report.parts), report.to_text()


def test_feedback_never_shows_a_solution():
    for func in (no_relu, pre_activation, per_axis(0), lambda x, w: 0.0):
        text = check(func).to_text()
        assert "np.maximum(h @ W" not in text and "stds.append" not in text and "def " not in text
