"""The range of one explorer slider, shared by the explorers and their static renditions."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relu_course._validation import positive_int


@dataclass(frozen=True)
class SliderRange:
    """One slider: the parameter it sets, its range and step, and its symbol in titles."""

    name: str
    low: float
    high: float
    step: float
    symbol: str

    def values(self, n: int) -> np.ndarray:
        """``n`` evenly spaced values from low to high, on the slider's step (for small multiples)."""
        n = positive_int(n, "n")
        raw = np.linspace(self.low, self.high, n) if n > 1 else np.array([self.low])
        return np.round(np.round(raw / self.step) * self.step, 10)

    def all_values(self) -> np.ndarray:
        """Every value the slider can take (for tests that drive an explorer over its whole range)."""
        return np.round(np.arange(self.low, self.high + self.step / 2, self.step), 10)
