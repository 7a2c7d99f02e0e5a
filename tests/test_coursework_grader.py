"""The batch grader on a prepared class: correct, partly wrong, unattempted and every kind of broken submission."""
import csv
import json
from pathlib import Path

import pytest

from relu_course.coursework import grader
from relu_course.coursework.notebooks import read_notebook
from relu_course.coursework.student import student_notebook

import coursework_samples as samples

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    student = student_notebook(read_notebook(ROOT / "chapters" / f"{samples.CHAPTER}.ipynb"), samples.CHAPTER)
    expected = samples.build(student, base / "submissions")
    rows = grader.grade_folder(base / "submissions", base / "grades", cell_timeout=10, check_timeout=3,
                               notebook_timeout=300, jobs=2)
    return expected, rows, base / "grades"


def test_every_submission_grades_to_the_expected_table(graded):
    expected, rows, _ = graded
    by_submission = {}
    for r in rows:
        by_submission.setdefault(r.submission, []).append(r)
    assert set(by_submission) == set(expected)
    for submission, want in expected.items():
        got = by_submission[submission]
        statuses = {r.exercise: r.status for r in got if r.exercise}
        assert statuses == want.statuses, submission
        reasons = " ".join(r.reason for r in got)
        assert want.reason in reasons, (submission, reasons)
        for r in got:
            if r.status == "passed":
                assert r.score == 1.0
            elif r.exercise in want.partial:
                assert 0 < r.score < 1, (submission, r)
            else:
                assert r.score == 0.0, (submission, r)
            if r.exercise in want.message:
                assert want.message[r.exercise] in r.reason, (submission, r.reason)
        if not want.statuses:
            assert [r.status for r in got] == ["ungraded"]


def test_students_are_named_by_folder_or_file(graded):
    _, rows, _ = graded
    students = {r.student for r in rows}
    assert "alice" in students and "bob" in students and "Judy's homework (final)" in students


def test_files_written_are_complete_and_small(graded):
    expected, rows, out = graded
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows) and list(table[0]) == list(grader.CSV_COLUMNS)
    assert (out / "grades.csv").stat().st_size < 20_000          # ken's 30 MB of output stays out
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"{len(expected)} submissions" in summary and "| alice |" in summary
    results = list((out / "results").glob("*.json"))
    assert len(results) == len(expected)
    assert all(json.loads(p.read_text(encoding="utf-8"))["reason"] is not None for p in results)
    assert not list(out.rglob("*.tmp"))


def test_bad_arguments_name_the_argument(tmp_path):
    with pytest.raises(ValueError, match="submissions"):
        grader.grade_folder(tmp_path / "missing", tmp_path / "out")
    with pytest.raises(ValueError, match="cell_timeout"):
        grader.grade_folder(tmp_path, tmp_path / "out", cell_timeout=0)
    with pytest.raises(TypeError, match="jobs"):
        grader.grade_folder(tmp_path, tmp_path / "out", jobs="two")


def test_cli_reports_a_missing_folder(tmp_path, capsys):
    assert grader.main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder" in capsys.readouterr().err
