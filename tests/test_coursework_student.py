"""Student versions: no solution text, placeholders that report 'not attempted', everything else identical."""
import re
from pathlib import Path

import nbformat
import pytest

from relu_course.checks.registry import EXERCISES
from relu_course.coursework import nbgrader_tags, student
from relu_course.coursework.notebooks import BEGIN, END, METADATA_KEY, check_cells, chapter_of, read_notebook

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


# ----------------------------------------------------------------------------- the code transformation
def test_a_solution_region_becomes_the_placeholder_at_its_indentation():
    source = "def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n"
    assert student.strip_solution_code(source) == (
        "def f(x):\n    \"\"\"doc\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()\n")


def test_every_region_of_a_cell_is_replaced_and_the_rest_kept():
    source = "a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n  ### BEGIN SOLUTION\n  d = 4\n  ### END SOLUTION"
    out = student.strip_solution_code(source)
    assert out.splitlines() == ["a = 1", "# YOUR CODE HERE", "raise NotImplementedError()", "c = 3",
                                "  # YOUR CODE HERE", "  raise NotImplementedError()"]


@pytest.mark.parametrize("source, problem", [
    (f"{BEGIN}\nx = 1\n", "without"), (f"x = 1\n{END}\n", "without"), (f"{BEGIN}\n{BEGIN}\n{END}\n", "nested"),
])
def test_unbalanced_markers_are_refused(source, problem):
    with pytest.raises(ValueError, match=problem):
        student.strip_solution_code(source)


def test_markdown_solutions_and_fences_are_removed():
    text = ("Intro.\n\n:::{exercise} T\n:label: ex-a\n\nDo it.\n:::\n\n:::{solution} ex-a\n:class: dropdown\n\n"
            "The answer is 42.\n:::\n\n:::{solution-start} ex-b\n:class: dropdown\n:::\n\nAfter.")
    out = student.strip_solution_markdown(text)
    assert "42" not in out and "solution" not in out
    assert out.startswith("Intro.") and ":::{exercise} T" in out and out.endswith("After.")


def test_a_longer_fence_closes_only_on_its_own_length():
    text = "::::{solution} ex-a\n\n:::{note}\ninner\n:::\nsecret\n::::\nkept"
    assert student.strip_solution_markdown(text) == "kept"


def test_an_unclosed_solution_is_refused_and_types_are_checked():
    with pytest.raises(ValueError, match="never closed"):
        student.strip_solution_markdown(":::{solution} ex-a\nsecret")
    with pytest.raises(TypeError, match="source"):
        student.strip_solution_markdown(None)
    with pytest.raises(TypeError, match="source"):
        student.strip_solution_code(["x"])
    with pytest.raises(TypeError, match="chapter"):
        student.student_notebook(nbformat.v4.new_notebook(), "")


# ----------------------------------------------------------------------------- every chapter
def _solution_lines(nb):
    """Non-trivial lines inside solution regions (code) and solution directives (Markdown) of a master."""
    code, prose = set(), set()
    outside = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            inside = False
            for line in cell.source.splitlines():
                s = line.strip()
                if s in (BEGIN, END):
                    inside = s == BEGIN
                elif s:
                    (code if inside else outside).add(s)
        else:
            pattern = r"^(:{3,})\{solution\}[^\n]*\n(.*?)^\1\s*$"
            for body in re.findall(pattern, cell.source, re.M | re.S):
                prose.update(s.strip() for s in body[1].splitlines()
                             if len(s.strip()) > 20 and not s.strip().startswith(":class:"))
            outside.update(s.strip() for s in re.sub(pattern, "", cell.source, flags=re.M | re.S).splitlines())
    trivial = {"return x", "pass", "return result", "return out", "return y"}
    return {s for s in code - outside if s not in trivial}, prose - outside


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_version_holds_no_solution_and_keeps_everything_else(path):
    master = read_notebook(path)
    version = student.student_notebook(master, path.stem)
    code_lines, prose_lines = _solution_lines(master)
    student_code = "\n".join(c.source for c in version.cells if c.cell_type == "code")
    student_text = "\n".join(c.source for c in version.cells if c.cell_type == "markdown")
    assert BEGIN not in student_code and END not in student_code
    student_lines = {line.strip() for line in (student_code + "\n" + student_text).splitlines()}
    leaked = [s for s in code_lines | prose_lines if s in student_lines]
    assert not leaked, leaked
    assert not re.search(r"\{solution(-start|-end)?\}", student_text)
    master_code = [c for c in master.cells if c.cell_type == "code"]
    student_cells = [c for c in version.cells if c.cell_type == "code"]
    assert len(master_code) == len(student_cells)
    for m, s in zip(master_code, student_cells):
        assert s.metadata == m.metadata and s.get("id") == m.get("id")
        assert s.source == m.source or BEGIN in m.source
        assert not s.outputs and s.execution_count is None
    assert version.metadata[METADATA_KEY] == {"chapter": path.stem, "version": "student"}
    assert chapter_of(version) == path.stem
    assert sorted(check_cells(version).values()) == sorted(check_cells(master).values())


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_only_solution_and_check_cells_call_a_learner_function(path):
    """Otherwise the student version would stop at that cell: the learner's function is a placeholder."""
    nb = read_notebook(path)
    names = {e.function_name for e in EXERCISES.values() if e.chapter == path.stem}
    checks = check_cells(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or BEGIN in cell.source or i in checks:
            continue
        used = [n for n in names if re.search(rf"\b{n}\s*\(", cell.source)]
        if used:
            assert "except NotImplementedError" in cell.source, (
                f"cell {i} calls {used} without handling the student placeholder (NotImplementedError)")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_master_cells_carry_nbgrader_metadata(path):
    nb = read_notebook(path)
    expected = nbgrader_tags.expected_tags(nb, path.stem)
    assert expected, "a chapter has graded cells"
    wrong = [i for i, meta in expected.items() if nb.cells[i].metadata.get("nbgrader") != meta]
    assert not wrong, (f"cells {wrong} lack nbgrader metadata; run "
                       f"`.venv/bin/python -m relu_course.coursework.nbgrader_tags {path.relative_to(ROOT)}`")
    ids = {meta["grade_id"] for meta in expected.values() if meta["solution"]}
    assert ids == {e.exercise_id for e in EXERCISES.values() if e.chapter == path.stem}


def test_write_student_versions_writes_every_chapter(tmp_path):
    paths = student.write_student_versions(ROOT / "chapters", tmp_path / "student")
    assert [p.name for p in paths] == [p.name for p in CHAPTERS]
    assert not list((tmp_path / "student").glob(".*.tmp"))
    assert read_notebook(paths[0]).metadata[METADATA_KEY]["version"] == "student"


def test_write_student_versions_refuses_bad_folders(tmp_path):
    with pytest.raises(ValueError, match="chapters_dir"):
        student.write_student_versions(tmp_path / "missing", tmp_path / "out")
    with pytest.raises(ValueError, match="no chapter notebooks"):
        student.write_student_versions(tmp_path, tmp_path / "out")
    assert student.main([str(tmp_path / "missing"), str(tmp_path / "out")]) == 2


def test_a_broken_master_leaves_no_partial_set(tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01_a.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{BEGIN}\nx = 1")])
    (chapters / "02_b.ipynb").write_text(nbformat.writes(bad))
    with pytest.raises(ValueError):
        student.write_student_versions(chapters, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
