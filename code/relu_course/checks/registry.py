"""Every checkable exercise of the course, by its stable id, and the one entry point that runs them."""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
from collections.abc import Mapping
from typing import Any

import relu_course.checks as _checks_package
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted
from relu_course.checks.report import CheckReport, Part, report_from_parts

STRICT_ENV = "RELU_COURSE_STRICT_CHECKS"
CHAPTER_MODULE = re.compile(r"ch\d\d_\w+")


def _collect() -> dict[str, Exercise]:
    """Every ``EXERCISES`` list of the chapter modules ``checks/chNN_*.py``, by exercise id."""
    found: dict[str, Exercise] = {}
    for info in sorted(pkgutil.iter_modules(_checks_package.__path__), key=lambda m: m.name):
        if not CHAPTER_MODULE.fullmatch(info.name):
            continue
        module = importlib.import_module(f"{_checks_package.__name__}.{info.name}")
        for exercise in module.EXERCISES:
            if exercise.exercise_id in found:
                raise RuntimeError(f"exercise id {exercise.exercise_id!r} is defined twice")
            found[exercise.exercise_id] = exercise
    return found


EXERCISES: dict[str, Exercise] = _collect()


def run_check(exercise_id: str, namespace: Mapping[str, Any]) -> CheckReport:
    """Check exercise ``exercise_id`` against the function of the expected name in ``namespace``."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string such as 'ex-what-is-relu-implement', got {exercise_id!r}")
    if exercise_id not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"exercise_id {exercise_id!r} is not a known exercise; known ids: {known}")
    if not isinstance(namespace, Mapping):
        raise TypeError(f"namespace must be a mapping such as globals(), got {type(namespace).__name__}")
    exercise = EXERCISES[exercise_id]
    name = exercise.function_name
    if name not in namespace:
        return CheckReport(exercise_id, "not attempted",
                           message=f"No `{name}` is defined yet. Run the cell that defines it (and check the spelling).")
    func = namespace[name]
    if not callable(func):
        return CheckReport(exercise_id, "failed",
                           (Part(f"`{name}` is a function", False,
                                 f"`{name}` is a {type(func).__name__}, not a function; define it with `def {name}(x):`."),))
    try:
        parts = exercise.checker(func, name)
    except NotAttempted:
        return CheckReport(exercise_id, "not attempted",
                           message=f"`{name}` still raises NotImplementedError: replace that line with your code.")
    return report_from_parts(exercise_id, parts)


def check_exercise(exercise_id: str, namespace: Mapping[str, Any]) -> CheckReport:
    """Run a check and return its report (shown by Jupyter). Strict mode raises if it does not pass."""
    report = run_check(exercise_id, namespace)
    if os.environ.get(STRICT_ENV) == "1" and not report.passed:
        print(report.to_text())
        raise AssertionError(f"{exercise_id} did not pass and {STRICT_ENV}=1")
    return report
