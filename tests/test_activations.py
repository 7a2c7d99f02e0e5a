"""ReLU and its derivative: definition, properties, edge cases and input validation."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays, floating_dtypes

from relu_course.activations import relu, relu_derivative

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
any_float_array = arrays(dtype=floating_dtypes(), shape=st.integers(0, 50))


def test_definition_on_hand_picked_points():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert np.array_equal(relu(x), np.array([0.0, 0.0, 0.0, 0.5, 2.0]))
    assert np.array_equal(relu_derivative(x), np.array([0.0, 0.0, 0.0, 1.0, 1.0]))


@given(any_float_array)
def test_non_negative_or_nan(x):
    y = relu(x)
    assert np.all((y >= 0) | np.isnan(y))


@given(any_float_array)
def test_idempotent(x):
    np.testing.assert_array_equal(relu(relu(x)), relu(x))


@given(arrays(np.float64, st.integers(0, 50), elements=finite))
def test_difference_of_mirrored_relus_is_identity(x):
    np.testing.assert_array_equal(relu(x) - relu(-x), x)


@given(arrays(np.float64, st.integers(0, 50), elements=finite),
       st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_positive_homogeneity(x, a):
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(relu(a * x), a * relu(x))


def test_homogeneity_fails_for_negative_scale():
    assert relu(-2.0 * 1.0) != -2.0 * relu(1.0)


@given(st.floats(min_value=1e-3, max_value=1e3) | st.floats(min_value=-1e3, max_value=-1e-3))
def test_derivative_matches_central_difference_away_from_zero(x):
    h = 1e-6 * abs(x)
    numeric = (relu(x + h) - relu(x - h)) / (2 * h)
    assert relu_derivative(x) == pytest.approx(numeric, abs=1e-6)


@given(any_float_array)
def test_derivative_only_takes_subgradient_values(x):
    d = relu_derivative(x)
    assert np.all(np.isin(d, [0.0, 1.0]) | np.isnan(x))


def test_nan_propagates():
    assert np.isnan(relu(np.nan))
    assert np.isnan(relu_derivative(np.nan))
    out = relu(np.array([1.0, np.nan, -1.0]))
    assert np.isnan(out[1]) and out[0] == 1.0 and out[2] == 0.0


def test_infinities():
    assert relu(np.inf) == np.inf
    assert relu(-np.inf) == 0.0
    assert relu_derivative(np.inf) == 1.0
    assert relu_derivative(-np.inf) == 0.0


def test_negative_zero_gives_positive_zero():
    y = relu(-0.0)
    assert y == 0.0 and not np.signbit(y)
    assert not np.any(np.signbit(relu(np.array([-0.0, 0.0], dtype=np.float32))))


@pytest.mark.parametrize("at_zero", [0.0, 0.5, 1.0])
def test_value_at_zero_is_a_parameter_for_both_signed_zeros(at_zero):
    d = relu_derivative(np.array([-0.0, 0.0, -1.0, 1.0]), at_zero=at_zero)
    assert list(d) == [at_zero, at_zero, 0.0, 1.0]


def test_default_value_at_zero_is_zero_like_tensorflow_and_pytorch():
    assert relu_derivative(0.0) == 0.0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_is_kept(dtype):
    x = np.array([-1.0, 2.0], dtype=dtype)
    assert relu(x).dtype == dtype
    assert relu_derivative(x).dtype == dtype


def test_integers_and_lists_become_float64():
    assert relu([-1, 2]).dtype == np.float64
    assert relu_derivative(np.array([-1, 2], dtype=np.int32)).dtype == np.float64


def test_scalar_in_scalar_out_and_shape_kept():
    assert np.ndim(relu(-3.0)) == 0 and np.ndim(relu_derivative(3)) == 0
    assert relu(np.zeros((2, 3, 4))).shape == (2, 3, 4)
    assert relu_derivative(np.zeros((0, 3))).shape == (0, 3)


def test_input_not_modified():
    x = np.array([-1.0, 0.0, 1.0])
    relu(x)
    relu_derivative(x)
    assert list(x) == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("bad, error", [
    ("1.0", TypeError), (None, TypeError), (["a", "b"], TypeError), ([[1.0, 2.0], [3.0]], ValueError),
    (1 + 2j, TypeError), (np.array([1j]), TypeError), (True, TypeError), (np.array([True, False]), TypeError),
    (np.array([1.0, None], dtype=object), TypeError),
])
@pytest.mark.parametrize("func", [relu, relu_derivative])
def test_bad_input_names_the_argument(func, bad, error):
    with pytest.raises(error, match=r"\bx\b"):
        func(bad)


@pytest.mark.parametrize("at_zero, error", [(-0.1, ValueError), (1.5, ValueError), (np.nan, ValueError),
                                             ("0", TypeError), (None, TypeError), (True, TypeError)])
def test_bad_at_zero_names_the_argument(at_zero, error):
    with pytest.raises(error, match="at_zero"):
        relu_derivative([0.0], at_zero=at_zero)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_inplace_writes_the_same_values_into_x(dtype):
    from relu_course.activations import relu_inplace
    rng = np.random.default_rng(0)
    x = rng.standard_normal(1001).astype(dtype)
    x[::7], x[1::11], x[2::13] = -0.0, np.nan, -np.inf
    expected = relu(x.copy())
    out = relu_inplace(x)
    assert out is x
    np.testing.assert_array_equal(x, expected)
    assert not np.any(np.signbit(x[x == 0]))
    view = np.zeros((4, 6), dtype)[:, ::2]                      # strided views work too
    view[:] = -1.0
    relu_inplace(view)
    assert np.all(view == 0) and not np.any(np.signbit(view))


def test_relu_inplace_refuses_what_it_cannot_write():
    from relu_course.activations import relu_inplace
    with pytest.raises(TypeError, match="x"):
        relu_inplace([1.0, -1.0])
    with pytest.raises(TypeError, match="x"):
        relu_inplace(np.array([1, -1]))
    frozen = np.array([1.0, -1.0])
    frozen.setflags(write=False)
    with pytest.raises(ValueError, match="x"):
        relu_inplace(frozen)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_one_pass_order_is_checked_on_every_path(dtype):
    from relu_course.activations import _probe, _single_pass_order
    order = _single_pass_order(np.dtype(dtype))
    assert order in ("x, 0", "0, x", None)
    for v in _probe(np.dtype(dtype)):
        r = relu(v)
        assert not np.any(np.signbit(r) & (r == 0)) and np.array_equal(np.isnan(r), np.isnan(v))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("layout", ["flat", "2-D", "misaligned", "fortran", "strided"])
def test_block_path_gives_the_one_pass_results_across_block_edges(dtype, layout):
    """Large contiguous arrays go through `_relu_blocks` (a cached block of zeros); their values and
    signs of zero must be those of the plain definition, at every block edge and in the short last block."""
    from relu_course.activations import _BLOCKS_FROM, _relu_blocks, _zero_block, relu_inplace
    block = _zero_block(np.dtype(dtype)).size
    n = 2 * block + 7
    rng = np.random.default_rng(1)
    buf = rng.standard_normal(n + 1).astype(dtype)
    buf[::5], buf[1::7], buf[2::11], buf[3::13] = -0.0, np.nan, -np.inf, np.inf
    buf[block - 1:block + 2] = [-0.0, np.nan, -1.0]                   # around the first block edge
    x = {"flat": buf[:n], "2-D": buf[:n - 1].reshape(-1, 2), "misaligned": buf[1:],
         "fortran": np.asfortranarray(buf[:n - 1].reshape(-1, 2)), "strided": buf[::2]}[layout]
    assert x.size >= _BLOCKS_FROM
    expected = np.where(np.isnan(x), x, np.where(x > 0, x, dtype(0)))  # +0.0 for every zero, NaN kept
    took_blocks = _relu_blocks(x, np.empty_like(x, order="K"))
    assert took_blocks == (layout in ("flat", "2-D", "misaligned"))
    for result in (relu(x), relu_inplace(x.copy(order="K"))):
        assert result.shape == x.shape and result.dtype == x.dtype
        np.testing.assert_array_equal(result, expected)
        assert not np.any(np.signbit(result) & (result == 0))
