"""The book's conventions: every chapter in the table of contents, clean notebooks, exercise ids
that match the checks, citations that exist in references.bib."""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from relu_course import execution_cache
from relu_course.checks import EXERCISES
from relu_course.bibliography import bibliography_text

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
COURSE_CHECK = ROOT.parent / "shared" / "tools" / "course_check.py"


def toc_entries() -> list[str]:
    return execution_cache.toc_entries(ROOT)


def read(nb_path: Path):
    return nbformat.read(nb_path, as_version=4)


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_there_are_chapters():
    assert CHAPTERS, "chapters/ holds no notebook"


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=lambda p: p.name)
def test_every_notebook_is_in_the_toc(nb_path):
    assert nb_path.relative_to(ROOT).with_suffix("").as_posix() in toc_entries()


def test_every_toc_entry_exists():
    for entry in toc_entries():
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".ipynb", ".md")), entry


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=lambda p: p.name)
def test_notebooks_are_committed_clean_and_valid(nb_path):
    nb = read(nb_path)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} carry outputs; notebooks are committed without outputs"


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_shape(nb_path):
    nb = read(nb_path)
    text = markdown(nb)
    if nb.metadata.get("reference_page"):
        return
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "Learning objectives" in text and "Key takeaways" in text
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "hide-input" in code[0].metadata.get("tags", []), "the setup cell is hidden on the site"
    assert len(re.findall(r":::\{exercise\}", text)) >= 2, "a chapter has at least two exercises"
    assert any("### BEGIN SOLUTION" in c.source for c in code), "at least one coding exercise"


def exercise_labels(nb) -> list[str]:
    return re.findall(r":::\{exercise\}[^\n]*\n:label: (\S+)", markdown(nb))


def test_exercise_labels_are_unique_and_readable():
    labels = [label for p in CHAPTERS for label in exercise_labels(read(p))]
    assert len(labels) == len(set(labels)), labels
    assert all(re.fullmatch(r"ex-[a-z0-9]+(-[a-z0-9]+)+", label) for label in labels), labels


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_check_belongs_to_an_exercise_in_its_chapter(exercise_id):
    exercise = EXERCISES[exercise_id]
    nb = read(ROOT / "chapters" / f"{exercise.chapter}.ipynb")
    assert exercise_id in exercise_labels(nb)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    defining = [s for s in sources if f"def {exercise.function_name}(" in s]
    assert len(defining) == 1 and "### BEGIN SOLUTION" in defining[0] and "### END SOLUTION" in defining[0]
    assert any(f'check_exercise("{exercise_id}", globals())' in s for s in sources)


def test_every_coding_exercise_has_a_check():
    for p in CHAPTERS:
        nb = read(p)
        for cell in nb.cells:
            if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
                name = re.search(r"def (\w+)\(", cell.source).group(1)
                assert any(e.function_name == name for e in EXERCISES.values()), f"{p.name}: {name} has no check"


def test_citations_exist_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", bibliography_text(), re.M))
    pages = [markdown(read(p)) for p in CHAPTERS] + [p.read_text() for p in ROOT.glob("*.md")]
    cited = {k.strip() for text in pages for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)
             for k in group.split(",")}
    assert cited, "no citations found"
    assert cited <= keys, f"unknown citation keys: {sorted(cited - keys)}"


@pytest.mark.skipif(not COURSE_CHECK.exists(), reason="the shared course checker is not beside this checkout")
def test_course_conventions_checker_finds_nothing():
    out = subprocess.run([sys.executable, str(COURSE_CHECK), str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
