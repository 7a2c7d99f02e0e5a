"""Chapter 13's numerical mistakes: signal sizes through badly scaled ReLU stacks, the `>=` derivative
mask, and a ReLU that turns NaN into 0."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_course import mistakes_numerical as mn
from relu_course.activations import relu, relu_derivative


def test_he_kernels_have_the_he_standard_deviation_and_are_drawn_layer_by_layer():
    kernels = mn.he_kernels([500, 400, 300], scale=1.0, seed=2)
    assert [W.shape for W in kernels] == [(500, 400), (400, 300)]
    assert kernels[0].std() == pytest.approx(math.sqrt(2 / 500), rel=0.01)
    assert kernels[1].std() == pytest.approx(math.sqrt(2 / 400), rel=0.01)
    shallow = mn.he_kernels([500, 400], scale=1.0, seed=2)
    np.testing.assert_array_equal(shallow[0], kernels[0])
    np.testing.assert_allclose(mn.he_kernels([500, 400], scale=0.3, seed=2)[0], 0.3 * kernels[0])


def test_relu_layer_outputs_is_a_plain_loop():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 3))
    kernels = [rng.standard_normal((3, 4)), rng.standard_normal((4, 2))]
    first = np.maximum(x @ kernels[0], 0)
    outputs = mn.relu_layer_outputs(x, kernels)
    np.testing.assert_array_equal(outputs[0], first)
    np.testing.assert_array_equal(outputs[1], np.maximum(first @ kernels[1], 0))


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(0.1, 10.0), depth=st.integers(1, 12))
def test_scaling_every_kernel_scales_layer_l_by_scale_to_the_l(scale, depth):
    # positive homogeneity of a bias-free ReLU stack: relu(s z) = s relu(z) for s > 0
    x = np.random.default_rng(1).standard_normal((40, 5))
    base = mn.activation_statistics(x, scale=1.0, depth=depth, width=16, seed=3)
    scaled = mn.activation_statistics(x, scale=scale, depth=depth, width=16, seed=3)
    np.testing.assert_allclose(scaled.std, base.std * scale ** np.arange(1, depth + 1), rtol=1e-9)
    np.testing.assert_array_equal(scaled.zero_share, base.zero_share)
    np.testing.assert_array_equal(scaled.dead_share, base.dead_share)


def test_activation_statistics_by_definition():
    x = np.random.default_rng(4).standard_normal((50, 6))
    stats = mn.activation_statistics(x, scale=1.3, depth=3, width=8, seed=5)
    outputs = mn.relu_layer_outputs(x, mn.he_kernels([6, 8, 8, 8], scale=1.3, seed=5))
    for i, h in enumerate(outputs):
        assert stats.std[i] == pytest.approx(math.sqrt(np.mean((h - h.mean()) ** 2)))
        assert stats.zero_share[i] == np.count_nonzero(h == 0) / h.size
        assert stats.dead_share[i] == sum(np.all(h[:, j] == 0) for j in range(8)) / 8
    assert np.all(stats.dead_share <= stats.zero_share)      # a dead unit's outputs are all zeros
    assert stats.scale == 1.3


def test_about_half_of_a_symmetric_first_layer_is_zero():
    x = np.random.default_rng(0).standard_normal((2000, 10))
    stats = mn.activation_statistics(x, scale=1.0, depth=1, width=200, seed=0)
    assert stats.zero_share[0] == pytest.approx(0.5, abs=0.03)


def test_mask_from_the_output_with_greater_than_is_relus_derivative():
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.standard_normal(50), [0.0, -0.0]])
    g = rng.standard_normal(z.size)
    np.testing.assert_array_equal(mn.relu_backward_from_output(relu(z), g), g * relu_derivative(z))
    np.testing.assert_array_equal(mn.relu_backward_from_output(relu(z), g, comparison=">="), g)  # identity's
    with pytest.raises(ValueError, match="comparison"):
        mn.relu_backward_from_output(relu(z), g, comparison="!=")
    with pytest.raises(ValueError, match="shape"):
        mn.relu_backward_from_output(relu(z), g[:3])


def test_the_gradient_check_passes_the_right_mask_and_fails_the_wrong_one():
    right, wrong = mn.mask_gradient_check(">"), mn.mask_gradient_check(">=")
    assert right.relative_error < 1e-7 and wrong.relative_error > 1e-2
    assert wrong.mask_share == 1.0 and 0 < right.mask_share < 1
    assert right.kink_distance > 1e-4            # central differences with step 1e-6 stay on one side
    assert right.kink_distance == wrong.kink_distance


def test_relu_where_agrees_with_relu_on_numbers_and_hides_nan():
    x = np.array([-np.inf, -2.0, -0.0, 0.0, 1.5, np.inf, np.nan])
    np.testing.assert_array_equal(mn.relu_where(x)[:-1], relu(x)[:-1])
    assert mn.relu_where(x)[-1] == 0.0 and np.isnan(relu(x)[-1])


def test_nan_hiding_counts():
    values = [2.0, -1.0, 0.5, -3.0]
    kept, hidden = mn.nan_hiding(values)
    assert kept.nan_in == hidden.nan_in == 2
    assert kept.nan_out == 2 and math.isnan(kept.loss)
    assert hidden.nan_out == 0
    assert hidden.loss == pytest.approx((math.log(2.0) + 0.0) / 4)   # log(0.5) < 0 is cut to 0 as well


@pytest.mark.parametrize("call, error, match", [
    (lambda: mn.he_kernels([3]), ValueError, "sizes"),
    (lambda: mn.he_kernels("33"), TypeError, "sizes"),
    (lambda: mn.he_kernels([3, 2], scale=-1), ValueError, "scale"),
    (lambda: mn.relu_layer_outputs(np.ones(3), [np.ones((3, 2))]), ValueError, "2-D"),
    (lambda: mn.relu_layer_outputs(np.ones((2, 3)), [np.ones((4, 2))]), ValueError, "rows"),
    (lambda: mn.relu_layer_outputs(np.ones((2, 3)), 5), TypeError, "kernels"),
    (lambda: mn.activation_statistics(np.ones((2, 3)), scale=1.0, depth=0, width=4), ValueError, "depth"),
    (lambda: mn.relu_where("x"), TypeError, "x"),
])
def test_arguments_are_validated(call, error, match):
    with pytest.raises(error, match=match):
        call()
