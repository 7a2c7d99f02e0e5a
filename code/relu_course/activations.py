"""ReLU and its derivative in NumPy: the reference implementation that the course measures against.

Conventions (each one tested in tests/test_activations.py):

* ``relu(x) = max(x, 0)`` elementwise. NaN stays NaN. ``relu(+inf) = +inf``, ``relu(-inf) = 0``.
* ``relu(-0.0)`` is ``+0.0``. TensorFlow's ``tf.nn.relu`` can return either sign (``-0.0`` for a lone
  value, ``+0.0`` inside a larger vectorised block; see framework_agreement.py); the two compare
  equal, only the sign bit differs.
* ReLU has no derivative at 0; any value in [0, 1] is a valid subgradient there.
  ``relu_derivative`` uses ``at_zero`` (default 0, as TensorFlow and PyTorch do) for both
  ``+0.0`` and ``-0.0``. The derivative is 1 at ``+inf``, 0 at ``-inf`` and NaN at NaN.
* Integer input is computed in float64; float16/32/64 input keeps its dtype.
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from relu_course._validation import as_real_array, real_scalar


def _probe(dtype: np.dtype) -> list[np.ndarray]:
    """Arrays that send np.maximum down each of its code paths: 0-d, short and long, contiguous,
    strided and misaligned, each holding -0.0, NaN and ordinary values."""
    long = np.full(1031, -0.0, dtype)
    long[::3], long[1::5], long[2::7] = np.nan, -1.5, 2.0
    return [np.array(-0.0, dtype), np.array(np.nan, dtype), long[:1], long[:7], long[:16], long, long[1:],
            long[::2], long[1::3]]


@functools.lru_cache(maxsize=None)
def _single_pass_order(dtype: np.dtype, blocks: bool = False) -> str | None:
    """Which argument order of ``np.maximum`` gives +0.0 for -0.0 and keeps NaN for this dtype.

    IEEE 754 leaves the sign of max(-0.0, +0.0) open, and NumPy's kernels answer differently by
    dtype and code path. Measured once per dtype on every path: against a scalar zero, or with
    ``blocks`` against an array of zeros on contiguous input (the path of :func:`_relu_blocks`).
    None when neither order is right everywhere; then :func:`relu` makes a second pass.
    """
    for order in ("x, 0", "0, x"):
        good = True
        for v in _probe(dtype):
            if blocks and not (v.ndim and v.flags.c_contiguous):
                continue
            zero = np.zeros_like(v) if blocks else dtype.type(0)
            r = np.maximum(v, zero) if order == "x, 0" else np.maximum(zero, v)
            if np.any(np.signbit(r) & (r == 0)) or not np.array_equal(np.isnan(r), np.isnan(v)):
                good = False
                break
        if good:
            return order
    return None


_BLOCK_BYTES = 1 << 18  # 256 KiB: one block of x and one of zeros fit in a core's L2 cache together
_BLOCKS_FROM = 1 << 13  # elements; below this the Python-level loop costs more than the faster kernel saves


@functools.lru_cache(maxsize=None)
def _zero_block(dtype: np.dtype) -> np.ndarray:
    block = np.zeros(_BLOCK_BYTES // dtype.itemsize, dtype)
    block.flags.writeable = False
    return block


def _relu_blocks(x: np.ndarray, out: np.ndarray) -> bool:
    """ReLU of C-contiguous ``x`` into C-contiguous ``out`` (``x`` itself for in place), block by block.

    Why: NumPy's ``maximum`` against a broadcast scalar zero ran slower than against a contiguous
    array of zeros on the machine we measured, in cache and on arrays far larger than cache (`make
    bench` shows the plain ``np.maximum(x, 0, out=x)`` beside this). A whole array of zeros would add
    a second stream of reads, so each block of x meets the same cached block of zeros.
    Returns False, doing nothing, where this path does not apply.
    """
    if x.size < _BLOCKS_FROM or not (x.flags.c_contiguous and out.flags.c_contiguous):
        return False
    order = _single_pass_order(x.dtype, blocks=True)
    if order is None:
        return False
    zeros, src, dst = _zero_block(x.dtype), x.reshape(-1), out.reshape(-1)
    for start in range(0, src.size, zeros.size):
        block, zero = src[start:start + zeros.size], zeros[:src.size - start]
        if order == "x, 0":
            np.maximum(block, zero, out=dst[start:start + zeros.size])
        else:
            np.maximum(zero, block, out=dst[start:start + zeros.size])
    return True


def relu(x: Any) -> np.ndarray | np.floating:
    """Rectified linear unit, ``max(x, 0)`` elementwise.

    Returns an array of x's shape, or a NumPy scalar when x is a scalar.
    Raises TypeError for non-real input (strings, None, booleans, complex) and
    ValueError for ragged sequences. One pass over the data where NumPy allows (see
    :func:`_single_pass_order`), so it runs at about the speed of a copy.
    """
    values = as_real_array(x, "x")
    if values.size >= _BLOCKS_FROM and values.flags.c_contiguous:
        result = np.empty_like(values)
        if _relu_blocks(values, result):
            return result
    zero = values.dtype.type(0)
    order = _single_pass_order(values.dtype)
    if order == "x, 0":
        return np.maximum(values, zero)  # propagates NaN (np.fmax would not)
    if order == "0, x":
        return np.maximum(zero, values)
    result = np.maximum(values, zero)
    if result.ndim:  # adding +0.0 turns -0.0 into +0.0 and changes nothing else
        result += 0
        return result
    return result + zero


def relu_inplace(x: np.ndarray) -> np.ndarray:
    """ReLU written into ``x`` itself (no new array), with the conventions of :func:`relu`; returns ``x``.

    ``x`` must be a writable floating-point ndarray: in-place work cannot change a dtype or a list.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a floating-point numpy array, got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if not x.flags.writeable:
        raise ValueError("x must be writable; relu_inplace writes its result into x")
    if _relu_blocks(x, x):
        return x
    zero = x.dtype.type(0)
    order = _single_pass_order(x.dtype)
    if order == "0, x":
        np.maximum(zero, x, out=x)
    else:
        np.maximum(x, zero, out=x)
        if order is None:
            x += 0
    return x


def relu_derivative(x: Any, at_zero: float = 0.0) -> np.ndarray | np.floating:
    """Derivative of ReLU: 1 where x > 0, 0 where x < 0, ``at_zero`` where x == 0, NaN where x is NaN.

    ``at_zero`` must lie in [0, 1] (the subgradients of ReLU at 0). The default 0 matches
    TensorFlow's and PyTorch's autodiff.
    """
    values = as_real_array(x, "x")
    slope_at_zero = real_scalar(at_zero, "at_zero", low=0.0, high=1.0)
    dtype = values.dtype.type
    grad = np.where(values > 0, dtype(1.0), dtype(0.0))
    grad = np.where(values == 0, dtype(slope_at_zero), grad)
    grad = np.where(np.isnan(values), dtype(np.nan), grad)
    return grad[()] if grad.ndim == 0 else grad
