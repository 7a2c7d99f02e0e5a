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

from typing import Any

import numpy as np

from relu_course._validation import as_real_array, real_scalar


def relu(x: Any) -> np.ndarray | np.floating:
    """Rectified linear unit, ``max(x, 0)`` elementwise.

    Returns an array of x's shape, or a NumPy scalar when x is a scalar.
    Raises TypeError for non-real input (strings, None, booleans, complex) and
    ValueError for ragged sequences.
    """
    values = as_real_array(x, "x")
    result = np.maximum(values, 0)  # propagates NaN (np.fmax would not)
    # np.maximum may return either signed zero for -0.0; adding +0.0 makes it +0.0 and changes nothing else.
    if result.ndim:
        result += 0
        return result
    return result + values.dtype.type(0)


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
