"""The gate layer of chapter 1: pre-activations, gates and the drawing."""
import numpy as np
import pytest

from relu_course.gates import GateLayer, draw_gates, example_layer
from relu_course.style import figure


def test_pre_activations_and_outputs_follow_the_formula():
    layer = GateLayer(weights=np.array([1.0, -2.0, 0.5]), biases=np.array([0.0, 1.0, -1.0]))
    z = layer.pre_activations(2.0, shift=0.5)
    assert list(z) == [1.0 * 2 + 0 + 0.5, -2.0 * 2 + 1 + 0.5, 0.5 * 2 - 1 + 0.5]
    assert list(layer.outputs(2.0, 0.5)) == [2.5, 0.0, 0.5]
    assert list(layer.passing(2.0, 0.5)) == [True, False, True]


def test_example_layer_is_reproducible():
    a, b, c = example_layer(seed=3), example_layer(seed=3), example_layer(seed=4)
    assert np.array_equal(a.weights, b.weights) and not np.array_equal(a.weights, c.weights)
    assert example_layer(n_units=9).n_units == 9


@pytest.mark.parametrize("x", [-3.0, -0.4, 0.0, 1.3, 3.0])
@pytest.mark.parametrize("shift", [-2.0, 0.0, 2.0])
def test_drawing_reports_the_units_that_pass(x, shift):
    layer = example_layer()
    fig, ax = figure()
    n = draw_gates(ax, layer, x, shift)
    assert n == int(layer.passing(x, shift).sum())
    assert f"{n} of {layer.n_units} gates open" in ax.get_title()
    assert len(ax.patches) == layer.n_units


@pytest.mark.parametrize("weights, biases", [([], []), ([1.0, 2.0], [1.0]), ([[1.0]], [[1.0]])])
def test_bad_layer_shapes_are_rejected(weights, biases):
    with pytest.raises(ValueError, match="weights and biases"):
        GateLayer(np.array(weights), np.array(biases))


@pytest.mark.parametrize("kwargs, error", [({"n_units": 0}, ValueError), ({"n_units": "6"}, TypeError),
                                           ({"seed": -1}, ValueError), ({"seed": 1.5}, ValueError)])
def test_bad_example_layer_arguments(kwargs, error):
    with pytest.raises(error, match="n_units|seed"):
        example_layer(**kwargs)


def test_bad_input_value_names_the_argument():
    with pytest.raises(TypeError, match="shift"):
        example_layer().pre_activations(1.0, shift="big")
    with pytest.raises(ValueError, match="x"):
        example_layer().pre_activations(float("nan"))
