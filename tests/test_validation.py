"""The shared argument validators: errors name the argument."""
import numpy as np
import pytest

from relu_course._validation import int_in_range


def test_int_in_range_accepts_the_bounds_and_numpy_ints():
    assert int_in_range(1, "depth", 1, 40) == 1 and int_in_range(np.int64(40), "depth", 1, 40) == 40
    assert int_in_range(0, "seed", 0, 20) == 0


@pytest.mark.parametrize("value, error", [(0, ValueError), (41, ValueError), (2.0, TypeError), ("3", TypeError),
                                          (True, TypeError), (None, TypeError)])
def test_int_in_range_rejects_with_the_name(value, error):
    with pytest.raises(error, match="depth"):
        int_in_range(value, "depth", 1, 40)
    with pytest.raises((TypeError, ValueError), match="seed"):
        int_in_range(-1 if value == 0 else value, "seed", 0, 20)
