"""Run inside a submission's kernel, after its cells: check every exercise of the chapter, save the result.

The grader appends one cell that calls :func:`write_report`. Results go to a JSON file rather than to
the cell's output, so a submission that prints megabytes cannot bury them. Each exercise's check runs
under its own time limit, so a learner function that never returns costs that exercise
only. Nothing here raises: whatever goes wrong is recorded as that exercise's status.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from relu_course.checks.registry import run_check
from relu_course.coursework.notebooks import chapter_exercises, write_text_atomically


def _run(exercise_id: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    try:
        report = run_check(exercise_id, namespace)
    except BaseException as err:  # run_check reports the learner's errors itself; this is a last resort
        return {"status": "error", "score": 0.0, "message": f"the check stopped: {type(err).__name__}: {err}"}
    failed = [p.description for p in report.parts if not p.passed]
    message = report.message or ("; ".join(f"fails: {d}" for d in failed) if failed else "")
    return {"status": report.status, "score": report.score, "message": message}


def check_with_limit(exercise_id: str, namespace: Mapping[str, Any], seconds: float) -> dict[str, Any]:
    """One exercise's result as a dict (status, score, message); never raises.

    The check runs in a daemon thread (ipykernel may run cells outside the main thread, where
    SIGALRM cannot be used); if it has not finished after ``seconds`` it is abandoned, still
    running, and the kernel is shut down after the report is written.
    """
    box: dict[str, dict[str, Any]] = {}
    worker = threading.Thread(target=lambda: box.setdefault("result", _run(exercise_id, namespace)), daemon=True)
    try:
        worker.start()
        worker.join(seconds)
    except BaseException as err:  # the grader's cell time limit interrupted us
        return {"status": "error", "score": 0.0, "message": f"the check was interrupted ({type(err).__name__})"}
    if worker.is_alive():
        return {"status": "error", "score": 0.0,
                "message": f"the check ran longer than {seconds:g} s (an endless loop in the function?)"}
    return box["result"]


def write_report(chapter: str, namespace: Mapping[str, Any], path: str, seconds_per_exercise: float = 60) -> None:
    """Check every exercise of ``chapter`` against ``namespace`` and write the results to ``path`` (JSON)."""
    results = {eid: check_with_limit(eid, namespace, seconds_per_exercise) for eid in chapter_exercises(chapter)}
    write_text_atomically(Path(path), json.dumps({"chapter": chapter, "exercises": results}))
