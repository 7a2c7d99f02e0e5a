"""The NumPy reference of Keras's generalised ReLU, and its comparison with Keras at the boundaries.

Expected values come from the case definition read in the Keras source (Python scalars), or from
gradients taken directly with tf.GradientTape, never from a run of the package.
"""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relu_course import keras_reference as kref
from relu_course.tf_loader import load_keras, load_tensorflow, tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


def same(a, b) -> bool:
    """Equal values, NaN equal to NaN, the sign of zero ignored."""
    return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True))


def keras_scalar(v, a, m, t):
    """keras/src/activations/activations.py, case by case: x > t gives min(x, m), else a (x - t)."""
    if math.isnan(v):
        return math.nan
    if v > t:
        return v if m is None else min(v, m)
    return 0.0 if a == 0 else a * (v - t)


def keras_slope(v, a, m, t):
    if math.isnan(v):
        return math.nan
    if v > t:
        return 1.0 if (m is None or v < m) else 0.0
    return a


params = st.tuples(st.sampled_from([0.0, 0.125, 0.25, 0.5]), st.sampled_from([None, 0.5, 4.0, 6.0]),
                   st.sampled_from([0.0, 1.0, 1.5]))


@given(hnp.arrays(np.float64, 12, elements=st.floats(allow_nan=True, allow_infinity=True)), params)
def test_keras_reference_is_the_case_definition(x, p):
    a, m, t = p
    y = kref.keras_relu_reference(x, a, m, t)
    d = kref.keras_relu_reference_derivative(x, a, m, t)
    assert same(y, [keras_scalar(v, a, m, t) for v in x.tolist()])
    assert same(d, [keras_slope(v, a, m, t) for v in x.tolist()])


def test_keras_reference_at_its_boundaries():
    t = 1.5
    at = np.array([t, np.nextafter(t, 9.0)])
    assert kref.keras_relu_reference(at, threshold=t).tolist() == [0.0, np.nextafter(t, 9.0)]  # a jump of t
    assert kref.keras_relu_reference_derivative(np.array([t]), 0.25, None, t).tolist() == [0.25]
    assert kref.keras_relu_reference_derivative(np.array([4.0]), 0.0, 4.0, 0.0).tolist() == [0.0]
    assert kref.keras_relu_reference(np.array([-np.inf]), 0.0).tolist() == [0.0]
    assert kref.keras_relu_reference(np.array([-np.inf]), 0.5).tolist() == [-np.inf]
    assert kref.keras_relu_reference(np.float32(2.0), max_value=1.0).dtype == np.float32


@pytest.mark.parametrize("kwargs, error, word", [
    ({"negative_slope": -0.1}, ValueError, "negative_slope"), ({"max_value": -1.0}, ValueError, "max_value"),
    ({"threshold": -1.0}, ValueError, "threshold"), ({"max_value": "6"}, TypeError, "max_value"),
    ({"negative_slope": math.nan}, ValueError, "negative_slope"),
])
def test_keras_parameters_are_validated_like_the_layer(kwargs, error, word):
    with pytest.raises(error, match=word):
        kref.keras_relu_reference([1.0], **kwargs)


def test_settings_name_the_path_keras_takes():
    S = kref.KerasReluSetting
    assert S(0.25).leaky_path and not S(0.25, 6.0).leaky_path and not S(0.25, None, 1.0).leaky_path
    assert S(max_value=6.0).relu6_path and not S(max_value=6.0, threshold=1.0).relu6_path
    assert S(max_value=5.0).clip_path and not S(max_value=6.0).clip_path and not S().clip_path
    assert S(0.5, 4.0, 1.5).keras_path == "clip(where(x > t, x, 0), 0, m) − a·relu(t − x)"
    assert S().label == "defaults" and S(0.5, 4.0, 1.5).label == "negative_slope=0.5, max_value=4, threshold=1.5"
    paths = {s.keras_path.split(" ")[0] for s in kref.KERAS_SETTINGS}
    assert {"relu(x)", "leaky_relu(x)", "relu6(x)", "clip(relu(x),", "where(x", "clip(where(x"} <= paths


def test_keras_grid_holds_the_boundaries_and_their_neighbours():
    setting = kref.KerasReluSetting(0.5, 4.0, 1.5)
    for dtype in kref.DTYPES:
        grid = kref.keras_grid(setting, dtype)
        kind = np.dtype(dtype).type
        for b in (kind(1.5), kind(4.0)):
            assert {b, np.nextafter(b, kind(9)), np.nextafter(b, kind(-9))} <= set(grid.tolist())
        finite = grid[~np.isnan(grid)]
        assert np.all(np.diff(finite) >= 0) and math.isnan(grid[-1]) and grid.dtype == dtype
        zeros = grid[grid == 0]
        assert zeros.size == 2 and np.signbit(zeros[0]) and not np.signbit(zeros[1])


@needs_tf
def test_keras_agrees_with_the_reference_except_for_documented_boundaries():
    audit = kref.keras_audit()
    assert not audit.unexplained, audit.unexplained[:5]
    for rule in kref.KERAS_RULES:
        assert audit.occurrences(rule) > 0, f"stale rule: {rule.where}"
    assert audit.comparisons == sum(2 * kref.keras_grid(s, d).size for s in kref.KERAS_SETTINGS
                                    for d in kref.DTYPES) * len(kref.KERAS_APIS)
    table = kref.keras_rules_table(audit)
    assert table.count("\n") == len(kref.KERAS_RULES) + 1


@needs_tf
def test_the_boundary_conventions_measured_directly():
    """Read from the Keras and TensorFlow source: clip passes the gradient at its bound, relu6 does not."""
    tf, keras = load_tensorflow(), load_keras()

    def slope(x, **kw):
        t = tf.constant([x])
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = keras.activations.relu(t, **kw)
        return float(tape.gradient(y, t).numpy()[0])

    assert slope(5.0, max_value=5.0) == 1.0 and slope(6.0, max_value=6.0) == 0.0
    assert slope(0.0, negative_slope=0.25) == 0.25 and slope(0.0, negative_slope=0.25, max_value=5.0) == 0.0
    assert kref.keras_value_at_threshold(1.0) == 0.0 == kref.keras_relu_reference(1.0, threshold=1.0)


def test_grid_helpers():
    grid = kref.sorted_grid([1.0, math.nan, -0.0, 0.0, 1.0, -2.0, 0.0], "float64")
    assert grid.tolist()[:4] == [-2.0, -0.0, 0.0, 1.0] and np.signbit(grid[1]) and not np.signbit(grid[2])
    assert grid.size == 5 and math.isnan(grid[-1])
    assert kref.is_subnormal(1e-45, "float32") and not kref.is_subnormal(1e-45, "float64")
    assert not kref.is_subnormal(0.0, "float32") and kref.is_subnormal(-5e-324, "float64")
    with pytest.raises(ValueError, match="dtype"):
        kref.sorted_grid([1.0], "float16")
    with pytest.raises(ValueError, match="dtype"):
        kref.keras_grid(kref.KerasReluSetting(), "int32")


@pytest.mark.parametrize("call, error, word", [
    (lambda: kref.keras_rules_table(None), TypeError, "audit"),
    (lambda: kref.make_keras_relu("keras.relu", kref.KerasReluSetting()), ValueError, "api"),
    (lambda: kref.make_keras_relu("keras.layers.ReLU", (0.0, None, 0.0)), TypeError, "setting"),
    (lambda: kref.keras_grid((0, None, 0)), TypeError, "setting"),
])
def test_bad_arguments_name_themselves(call, error, word):
    with pytest.raises(error, match=word):
        call()
