"""What a check tells a learner: which parts are right, and a hint for each part that is not."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["passed", "failed", "not attempted", "error"]


@dataclass(frozen=True)
class Part:
    """One property of the answer: its description, whether it holds, and a hint when it does not."""

    description: str
    passed: bool
    hint: str = ""


@dataclass(frozen=True)
class CheckReport:
    """The result of checking one exercise; displayed in the notebook as readable text."""

    exercise_id: str
    status: Status
    parts: tuple[Part, ...] = field(default_factory=tuple)
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> float:
        """Fraction of parts that pass (0 when not attempted or on error)."""
        if self.status in ("not attempted", "error") or not self.parts:
            return 0.0
        return sum(p.passed for p in self.parts) / len(self.parts)

    def to_text(self) -> str:
        if self.status in ("not attempted", "error"):
            return f"{self.exercise_id}: {self.status}. {self.message}"
        n_ok = sum(p.passed for p in self.parts)
        head = (f"{self.exercise_id}: all {n_ok} checks pass. Well done."
                if self.passed else f"{self.exercise_id}: {n_ok} of {len(self.parts)} checks pass.")
        lines = [head]
        for p in self.parts:
            mark = "✓" if p.passed else "✗"
            lines.append(f"  {mark} {p.description}" + ("" if p.passed or not p.hint else f"\n      hint: {p.hint}"))
        return "\n".join(lines)

    def __repr__(self) -> str:  # what Jupyter shows when a check cell ends with the report
        return self.to_text()


def report_from_parts(exercise_id: str, parts: list[Part]) -> CheckReport:
    """A report whose status follows from its parts."""
    status: Status = "passed" if parts and all(p.passed for p in parts) else "failed"
    return CheckReport(exercise_id, status, tuple(parts))
