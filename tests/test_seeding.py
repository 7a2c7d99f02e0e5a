"""seed_everything makes every RNG the course uses repeatable."""
import random
import subprocess
import sys

import numpy as np
import pytest

from relu_course.seeding import MAX_SEED, seed_everything


def draws(seed):
    rng = seed_everything(seed)
    return rng.standard_normal(3).tolist(), np.random.rand(2).tolist(), random.random()


def test_same_seed_same_draws_different_seed_different_draws():
    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (MAX_SEED + 1, ValueError), (1.0, TypeError),
                                         ("3", TypeError), (None, TypeError), (True, TypeError)])
def test_bad_seed_names_the_argument(seed, error):
    with pytest.raises(error, match="seed"):
        seed_everything(seed)


def test_seeding_does_not_import_tensorflow():
    code = "import sys; from relu_course.seeding import seed_everything; seed_everything(0); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
