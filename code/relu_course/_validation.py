"""Turn user input into float arrays, or fail with a message that names the argument.

Every public function of the package validates through here, so a learner who passes a string,
a ragged list or a complex number gets the same clear kind of error everywhere.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any, Mapping, Sequence

import numpy as np


def as_real_array(value: Any, name: str) -> np.ndarray:
    """Return `value` as a floating-point ndarray, or raise a TypeError/ValueError naming `name`.

    Accepted: real scalars, nested sequences of real numbers, integer and floating arrays.
    Integer input becomes float64; floating input keeps its dtype (float16/32/64).
    Rejected: booleans (a gate mask is not a number), complex numbers, strings, None,
    object arrays and ragged lists.
    """
    if value is None:
        raise TypeError(f"{name} must be a real number or an array of real numbers, got None")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got a boolean ({value!r})")
    try:
        array = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of real numbers; got a ragged sequence ({err})"
        ) from None
    kind = array.dtype.kind
    if kind in "iu":
        return array.astype(np.float64)
    if kind == "f":
        return array
    described = {
        "b": "booleans",
        "c": "complex numbers (ReLU is defined on real numbers)",
        "U": "strings",
        "S": "bytes",
        "O": "Python objects (is it a ragged list, or does it contain None or strings?)",
    }.get(kind, f"dtype {array.dtype}")
    raise TypeError(f"{name} must be a real number or an array of real numbers, got {described}")


def real_scalar(value: Any, name: str, *, low: float | None = None, high: float | None = None) -> float:
    """Return `value` as a finite float within [low, high], or raise naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} ({value!r})")
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{name} must be a number, got NaN")
    if (low is not None and number < low) or (high is not None and number > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in [{lo}, {hi}], got {number:g}")
    return number


def positive_int(value: Any, name: str) -> int:
    """Return `value` as a positive int, or raise naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} ({value!r})")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def int_in_range(value: Any, name: str, low: int, high: int) -> int:
    """Return ``value`` as an int in [low, high] (e.g. a slider's range), or raise naming ``name``."""
    number = positive_int(value, name) if low > 0 else _int(value, name)
    if not low <= number <= high:
        raise ValueError(f"{name} must lie in [{low}, {high}], got {number}")
    return number


def _int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} ({value!r})")
    return int(value)


def classification_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a classification data set: ``X`` 2-D real (examples x features), ``y`` one integer label per row."""
    features = as_real_array(X, "X")
    labels = np.asarray(y)
    if features.ndim != 2:
        raise ValueError(f"X must be a 2-D array (examples x features), got shape {features.shape}")
    if labels.shape != (features.shape[0],) or labels.dtype.kind not in "iu":
        raise ValueError(f"y must be a 1-D integer array with one label per row of X, got shape "
                         f"{labels.shape} and dtype {labels.dtype}")
    return features, labels


def choice(value: Any, options: Sequence[str], name: str) -> str:
    """``value`` if it is one of the strings ``options``; TypeError/ValueError naming ``name`` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(options)}, got {type(value).__name__} ({value!r:.60})")
    if value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
    return value


def instance_of(value: Any, types: type | tuple[type, ...], name: str, expected: str) -> Any:
    """``value`` if it is an instance of ``types``; else a TypeError saying what ``name`` must be."""
    if not isinstance(value, types):
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return value


def mapping_of(value: Any, types: type | tuple[type, ...], name: str, expected: str) -> Mapping[Any, Any]:
    """``value`` if it is a mapping whose values are all ``types``; TypeError naming ``name`` otherwise."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of {expected}, got {type(value).__name__}")
    for key, item in value.items():
        if not isinstance(item, types):
            raise TypeError(f"{name}[{key!r}] must be {expected}, got {type(item).__name__}")
    return value


def sequence_of(value: Any, types: type | tuple[type, ...], name: str, expected: str) -> list[Any]:
    """``value`` as a list if it is a non-string sequence of ``types``; TypeError naming ``name`` otherwise."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of {expected}, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, types):
            raise TypeError(f"{name}[{i}] must be {expected}, got {type(item).__name__}")
    return list(value)
