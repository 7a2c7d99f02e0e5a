"""ReLU from scratch, in Keras/TensorFlow and in PyTorch: values, gradients and their agreement.
(Keras's generalised ReLU is tested in test_keras_reference.py.)

Expected values come from the definitions (Python scalars, loops) or from finite differences, never
from a run of the package.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relu_course import framework_agreement as fa
from relu_course import implementations as impl
from relu_course.tf_loader import tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
floats = st.floats(allow_nan=True, allow_infinity=True, width=32)
arrays = hnp.arrays(np.float32, hnp.array_shapes(max_dims=2, max_side=6), elements=floats)


def scalar_relu(v: float) -> float:
    return v if (math.isnan(v) or v > 0) else 0.0


def same(a, b) -> bool:
    """Equal values, NaN equal to NaN, the sign of zero ignored."""
    return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True))


# ----------------------------------------------------------------------------- NumPy from scratch
@given(arrays)
def test_forward_is_max_with_zero_and_leaves_x_alone(x):
    before = x.copy()
    y = impl.relu_forward(x)
    assert y.dtype == np.float32 and y.shape == x.shape and y is not x
    assert same(y, np.vectorize(scalar_relu, otypes=[float])(x.astype(float)))
    assert same(x, before)


@given(arrays)
def test_inplace_writes_the_same_values_into_x(x):
    expected = impl.relu_forward(x)
    out = impl.relu_inplace(x)
    assert out is x and same(x, expected)


def test_forward_converts_integers_and_keeps_nan():
    assert impl.relu_forward([-2, 3]).dtype == np.float64
    assert math.isnan(impl.relu_forward(np.array([np.nan]))[0])


@pytest.mark.parametrize("x, error, words", [
    ([1.0, -2.0], TypeError, "NumPy array"), (np.array([1, -2]), TypeError, "floating-point"),
    (np.array([True]), TypeError, "floating-point"), (3.0, TypeError, "NumPy array"),
])
def test_inplace_refuses_what_it_cannot_overwrite(x, error, words):
    with pytest.raises(error, match=words) as info:
        impl.relu_inplace(x)
    assert "x " in str(info.value) or str(info.value).startswith("x")


def test_inplace_refuses_a_read_only_array():
    x = np.array([-1.0, 2.0])
    x.flags.writeable = False
    with pytest.raises(ValueError, match="x is read-only"):
        impl.relu_inplace(x)


@given(arrays, st.data())
def test_both_backward_passes_are_the_masked_gradient(x, data):
    g = data.draw(hnp.arrays(np.float32, x.shape, elements=st.floats(-10, 10, width=32)))
    loop = np.array([gv if xv > 0 else 0.0 for gv, xv in zip(g.ravel().tolist(), x.ravel().tolist())]).reshape(x.shape)
    from_input = impl.relu_backward_from_input(g, x)
    from_output = impl.relu_backward_from_output(g, impl.relu_forward(x))
    assert same(from_input, loop) and same(from_output, loop)
    assert from_input.dtype == np.float32  # a boolean mask keeps the gradient's dtype


@given(hnp.arrays(np.float64, 20, elements=st.floats(-1e6, 1e6)))
def test_the_buggy_mask_is_all_ones(x):
    g = np.arange(1.0, 21.0)
    assert same(impl.relu_backward_from_output_buggy(g, impl.relu_forward(x)), g)


def test_backward_checks_shapes_and_names_arguments():
    with pytest.raises(ValueError, match="grad_output and output must have the same shape"):
        impl.relu_backward_from_output(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="grad_output"):
        impl.relu_backward_from_input("g", [1.0])


def test_the_guides_derivative_is_an_integer_that_hides_nan():
    d = impl.guide_relu_derivative(np.array([-1.0, 0.0, 2.0, np.nan], dtype=np.float32))
    assert d.dtype.kind == "i" and d.tolist() == [0, 0, 1, 0]
    assert (np.ones(4, dtype=np.float32) * d).dtype == np.float64  # the gradient is promoted
    assert impl.where_relu(np.array([np.nan, -1.0, 2.0])).tolist()[1:] == [0.0, 2.0]
    assert impl.where_relu(np.array([np.nan]))[0] == 0.0


def test_finite_differences_catch_the_bug_and_pass_the_fix():
    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], 12) * rng.uniform(0.1, 2.0, 12)  # at least 0.1 from the kink
    upstream = rng.standard_normal(12)
    good = impl.gradient_check_backward(impl.relu_backward_from_output, x, upstream)
    from_input = impl.gradient_check_backward(impl.relu_backward_from_input, x, upstream, from_output=False)
    bad = impl.gradient_check_backward(impl.relu_backward_from_output_buggy, x, upstream)
    assert good.max_abs_difference < 1e-8 and from_input.max_abs_difference < 1e-8
    # the bug passes upstream where x < 0: the difference is the largest |upstream| there
    assert bad.max_abs_difference == pytest.approx(np.max(np.abs(upstream[x < 0])), rel=1e-6)
    with pytest.raises(TypeError, match="backward"):
        impl.gradient_check_backward("f", x, upstream)
    with pytest.raises(ValueError, match="upstream"):
        impl.gradient_check_backward(impl.relu_backward_from_output, x, upstream[:3])


# ----------------------------------------------------------------------------- Keras and TensorFlow
@needs_tf
def test_dense_then_relu_equals_dense_with_relu_activation():
    result = impl.dense_relu_equivalence(n_inputs=8, units=16, batch=32, seed=3)
    assert result.max_output_difference == 0.0 and result.max_kernel_gradient_difference == 0.0
    assert result.params_separate == result.params_fused == 8 * 16 + 16
    assert 0.2 < result.share_of_zero_outputs < 0.8
    with pytest.raises(ValueError, match="units"):
        impl.dense_relu_equivalence(units=0)
    with pytest.raises(ValueError, match="seed"):
        impl.dense_relu_equivalence(seed=-1)


@needs_tf
@pytest.mark.parametrize("dtype", impl.DTYPES)
def test_the_custom_gradient_relu_matches_tf_nn_relu(dtype):
    result = impl.check_custom_gradient(dtype)
    assert result.max_value_difference == 0.0 and result.max_gradient_difference == 0.0
    assert result.same_nan_and_inf and result.n_points == impl.agreement_grid(dtype).size
    tf = impl.load_tensorflow()
    custom = impl.make_custom_gradient_relu()
    x = tf.constant(np.array([-2.0, -0.0, 0.0, 0.5, 3.0], dtype=dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = custom(x)
    upstream = tf.constant(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype=dtype))
    assert tape.gradient(y, x, output_gradients=upstream).numpy().tolist() == [0.0, 0.0, 0.0, 4.0, 5.0]


# ----------------------------------------------------------------------------- agreement
def test_agreement_grid_holds_the_difficult_inputs():
    for dtype in impl.DTYPES:
        grid = impl.agreement_grid(dtype)
        info = np.finfo(dtype)
        for v in (info.max, -info.max, info.tiny, info.smallest_subnormal, -info.smallest_subnormal, np.inf):
            assert v in grid.tolist()
        base = np.array([v for v in fa.GRID if not math.isnan(v)], dtype=dtype)
        assert set(base.tolist()) <= set(grid.tolist()) and math.isnan(grid[-1])
        assert grid.size == base.size + 6 + 1  # six extremes and NaN, nothing twice
    with pytest.raises(ValueError, match="dtype"):
        impl.agreement_grid("float16")


def test_numpy_implementations_agree_except_for_the_gradient_at_nan():
    for implementation in impl.implementations(include_torch=False)[:3]:
        for dtype in impl.DTYPES:
            row = impl.compare_implementation(implementation, dtype)
            assert row.max_value_difference == 0.0 and row.max_gradient_difference == 0.0
            assert [(d.quantity, math.isnan(d.x), d.got) for d in row.disagreements] == [("derivative", True, 0.0)]
            assert row.disagreements[0].rule is not None


@needs_tf
def test_every_tensorflow_disagreement_is_explained_and_small():
    rows = impl.agreement(include_torch=False)
    assert {r.name for r in rows} == {i.name for i in impl.implementations(include_torch=False)}
    for row in rows:
        assert all(d.rule is not None and d.quantity == "derivative" for d in row.disagreements), row
        # values differ at most by a flushed subnormal (TensorFlow flushes them to zero)
        assert row.max_value_difference <= float(np.finfo(row.dtype).smallest_subnormal)
    table = impl.agreement_table(rows)
    assert "unexplained" not in table and all(f"`{i.name}`" in table for i in impl.implementations(False))


def test_no_torch_path(monkeypatch):
    monkeypatch.setattr(fa, "torch_available", lambda: False)
    assert impl.torch_status() == "not installed"
    assert impl.torch_inplace_demo() is None
    text = impl.torch_inplace_table(None)
    assert impl.TORCH_INSTALL_COMMAND in text and "not installed" in text
    assert all(i.framework != "torch" for i in impl.implementations())


@pytest.mark.parametrize("call, error, word", [
    (lambda: impl.compare_implementation("relu"), TypeError, "implementation"),
    (lambda: impl.implementations(include_torch="yes"), TypeError, "include_torch"),
    (lambda: impl.agreement_table([]), TypeError, "rows"),
    (lambda: impl.torch_inplace_table("demo"), TypeError, "demo"),
    (lambda: impl.torch_inplace_demo([]), ValueError, "values"),
    (lambda: impl.keras_relus("int32"), ValueError, "dtype"),
])
def test_bad_arguments_name_themselves(call, error, word):
    with pytest.raises(error, match=word):
        call()


# ----------------------------------------------------------------------------- PyTorch, when installed
def test_torch_inplace_overwrites_its_input_and_autograd_still_works():
    pytest.importorskip("torch")
    values = (-1.5, -0.0, 0.0, 0.5, 2.0)
    demo = impl.torch_inplace_demo(values)
    assert demo.before == values and same(demo.after, [scalar_relu(v) for v in values])
    assert demo.returns_its_input and demo.same_memory
    assert demo.gradient == demo.expected_gradient == (0.0, 0.0, 0.0, 1.0, 1.0)
    assert "leaf" in demo.leaf_error and "inplace operation" in demo.saved_output_error
    assert impl.torch_status().startswith("installed (torch ")
    assert "| `y is h` | True |" in impl.torch_inplace_table(demo)


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float32, 7, elements=st.floats(-1e3, 1e3, width=32)))
def test_torch_relus_match_the_from_scratch_backward(x):
    pytest.importorskip("torch")
    for name, function in impl.torch_relus().items():
        values, grads = impl.torch_forward_backward(function, x)
        assert same(values, impl.relu_forward(x)), name
        assert same(grads, impl.relu_backward_from_input(np.ones_like(x), x)), name


def test_torch_disagreements_are_only_the_gradient_at_nan():
    pytest.importorskip("torch")
    for implementation in impl.implementations(include_torch=True):
        if implementation.framework != "torch":
            continue
        for dtype in impl.DTYPES:
            row = impl.compare_implementation(implementation, dtype)
            assert row.max_value_difference == 0.0 and row.max_gradient_difference == 0.0
            assert [(math.isnan(d.x), d.got) for d in row.disagreements] == [(True, 1.0)]
            assert "threshold_backward" in row.disagreements[0].rule.reason
