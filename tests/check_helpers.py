"""Helpers shared by the self-check tests (tests/test_checks*.py)."""
from relu_course.checks.report import CheckReport


def failed_parts(report: CheckReport) -> dict[str, str]:
    """The hint of every part of ``report`` that did not pass, by the part's description."""
    return {p.description: p.hint for p in report.parts if not p.passed}
