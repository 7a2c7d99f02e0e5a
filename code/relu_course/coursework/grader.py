"""The batch grader: execute every submission of a folder in isolation and write a score table.

``python -m relu_course.coursework.grader SUBMISSIONS [--out DIR]`` (``make grade SUBMISSIONS=dir``)
grades every file in the folder (subfolders too: ``alice/01_what_is_relu.ipynb`` is Alice's). Each
submission runs in a process of its own (:mod:`relu_course.coursework.execution`) with a time limit
per cell and one for the whole notebook, so a syntax error, an exception, an endless loop, a dead
kernel, deleted or reordered cells, a renamed file, huge outputs or a file that is not a notebook cost
that submission only, and each gets a score and a reason.

Written to ``--out`` (default ``_build/grades``):

- ``results/<submission>.json``: one per submission, as soon as it is graded (nothing is lost if the
  grader itself is stopped);
- ``grades.csv``: one row per student, submission and exercise (score 0-1, status, reason);
- ``summary.md``: a readable table per submission, with totals.

Every file is written through a temporary file and renamed, so none is ever half-written.
"""
from __future__ import annotations

import argparse
import csv
import inspect
import io
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from relu_course._validation import positive_int
from relu_course.coursework.notebooks import chapter_exercises, write_text_atomically

CSV_COLUMNS = ("student", "submission", "chapter", "exercise", "score", "status", "reason")


@dataclass(frozen=True)
class Row:
    """One line of the grade table."""

    student: str
    submission: str
    chapter: str
    exercise: str
    score: float
    status: str
    reason: str


def submissions_in(folder: Path) -> list[Path]:
    """Every regular, non-hidden file under ``folder`` (any name: renamed notebooks are graded too)."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) \
                and ".ipynb_checkpoints" not in rel.parts:
            found.append(path)
    return found


def student_of(path: Path, folder: Path) -> str:
    """The student a submission belongs to: its top-level subfolder, or the file's name without suffix."""
    rel = path.relative_to(folder)
    return rel.parts[0] if len(rel.parts) > 1 else rel.name.split(".")[0]


def _safe_name(rel: Path) -> str:
    return re.sub(r"[^\w.-]+", "_", rel.as_posix())


def run_one(path: Path, result_path: Path, *, cell_timeout: int, notebook_timeout: int,
            check_timeout: int = 60) -> dict[str, Any]:
    """Grade one submission in a subprocess; a crash or a timeout of that process becomes a reason."""
    command = [sys.executable, "-m", "relu_course.coursework.execution", str(path), str(result_path),
               "--cell-timeout", str(cell_timeout), "--check-timeout", str(check_timeout)]
    env = {k: v for k, v in os.environ.items() if k != "RELU_COURSE_STRICT_CHECKS"}
    result_path.unlink(missing_ok=True)
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=notebook_timeout,
                              start_new_session=True)
    except subprocess.TimeoutExpired:
        return {"chapter": None, "reason": f"the notebook ran longer than {notebook_timeout} s in total",
                "exercises": {}, "cell_errors": []}
    if result_path.exists():
        return json.loads(result_path.read_text(encoding="utf-8"))
    tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
    return {"chapter": None, "reason": f"the grading process failed (exit {done.returncode}: {tail[0]})",
            "exercises": {}, "cell_errors": []}


def rows_for(student: str, submission: str, outcome: dict[str, Any]) -> list[Row]:
    """The grade-table rows of one submission: one per exercise of its chapter (or one row if ungraded)."""
    chapter = outcome.get("chapter") or ""
    reason = outcome.get("reason", "")
    errors = outcome.get("cell_errors", [])
    note = "; ".join(x for x in (reason, ("errors in " + ", ".join(errors[:5])) if errors else "") if x)
    if not chapter:
        return [Row(student, submission, "", "", 0.0, "ungraded", note)]
    checked = outcome.get("exercises", {})
    rows = []
    for eid in chapter_exercises(chapter):
        entry = checked.get(eid, {"status": "error", "score": 0.0, "message": "not checked"})
        why = "; ".join(x for x in (entry.get("message", ""), note) if x)
        rows.append(Row(student, submission, chapter, eid, round(float(entry.get("score", 0.0)), 4),
                        entry.get("status", "error"), why))
    return rows


def csv_text(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.student, r.submission, r.chapter, r.exercise, f"{r.score:g}", r.status, r.reason])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_text(rows: Sequence[Row], seconds: float) -> str:
    """A Markdown summary: one line per submission with its total, then every exercise's status."""
    by_submission: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by_submission.setdefault((r.student, r.submission), []).append(r)
    lines = [f"# Grades: {len(by_submission)} submissions, graded in {seconds:.0f} s", "",
             "| student | submission | chapter | score | exercises |", "|---|---|---|---|---|"]
    for (student, submission), group in sorted(by_submission.items()):
        total = sum(r.score for r in group)
        possible = sum(1 for r in group if r.exercise)
        detail = ", ".join(f"{r.exercise}: {r.status}" for r in group if r.exercise) or _cell(group[0].reason)
        lines.append(f"| {_cell(student)} | {_cell(submission)} | {group[0].chapter or '?'} | "
                     f"{total:.2f} / {possible} | {_cell(detail)} |")
    return "\n".join(lines) + "\n"


def grade_folder(submissions: Path | str, out: Path | str, *, cell_timeout: int = 120,
                 notebook_timeout: int = 900, check_timeout: int = 60, jobs: int = 1) -> list[Row]:
    """Grade every submission under ``submissions``; write results, grades.csv and summary.md to ``out``."""
    folder, out = Path(submissions), Path(out)
    if not folder.is_dir():
        raise ValueError(f"submissions {str(folder)!r} is not a folder")
    cell_timeout = positive_int(cell_timeout, "cell_timeout")
    notebook_timeout = positive_int(notebook_timeout, "notebook_timeout")
    check_timeout = positive_int(check_timeout, "check_timeout")
    jobs = positive_int(jobs, "jobs")
    paths = submissions_in(folder)
    results_dir = out / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def grade(path: Path) -> list[Row]:
        rel = path.relative_to(folder)
        result_path = results_dir / f"{_safe_name(rel)}.json"
        try:
            outcome = run_one(path, result_path, cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                              check_timeout=check_timeout)
        except Exception as err:  # never lose the other submissions because of one
            outcome = {"chapter": None, "reason": f"grader error: {type(err).__name__}: {err}", "exercises": {}}
        write_text_atomically(result_path, json.dumps(outcome, indent=1))
        return rows_for(student_of(path, folder), rel.as_posix(), outcome)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = [row for group in pool.map(grade, paths) for row in group]
    rows.sort(key=lambda r: (r.student, r.submission, r.exercise))
    write_text_atomically(out / "grades.csv", csv_text(rows))
    write_text_atomically(out / "summary.md", summary_text(rows, time.perf_counter() - start))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="relu-course-grade", description=__doc__.split("\n")[0])
    parser.add_argument("submissions", help="folder of submitted notebooks (subfolders per student allowed)")
    parser.add_argument("--out", default="_build/grades", help="folder for grades.csv and summary.md")
    defaults = {name: p.default for name, p in inspect.signature(grade_folder).parameters.items()}
    parser.add_argument("--cell-timeout", type=int, default=defaults["cell_timeout"], help="seconds one cell may run")
    parser.add_argument("--notebook-timeout", type=int, default=defaults["notebook_timeout"],
                        help="seconds one notebook may run")
    parser.add_argument("--check-timeout", type=int, default=defaults["check_timeout"],
                        help="seconds one exercise's check may run")
    parser.add_argument("--jobs", type=int, default=defaults["jobs"], help="submissions graded at the same time")
    args = parser.parse_args(argv)
    try:
        rows = grade_folder(args.submissions, args.out, cell_timeout=args.cell_timeout,
                            notebook_timeout=args.notebook_timeout, check_timeout=args.check_timeout,
                            jobs=args.jobs)
    except (TypeError, ValueError, OSError) as err:
        print(f"relu-course-grade: {err}", file=sys.stderr)
        return 2
    print((Path(args.out) / "summary.md").read_text(encoding="utf-8"))
    print(f"{len(rows)} rows written to {Path(args.out) / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
