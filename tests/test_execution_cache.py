"""make book's first step: the book's notebooks executed several at a time into myst-nb's cache.
(That Jupyter Book then finds every notebook cached is checked on the real book by test_book_build
and on a small one by test_incremental_build.)"""
from pathlib import Path

import nbformat
import pytest
import yaml

from relu_course import execution_cache as ec

ROOT = Path(__file__).resolve().parents[1]


def _book(folder: Path, notebooks: dict[str, str], execute: dict | None = None) -> Path:
    folder.mkdir()
    config = {"title": "t", "execute": {"execute_notebooks": "cache", "timeout": 60, **(execute or {})},
              "sphinx": {"config": {"nb_kernel_rgx_aliases": {".*": "python3"}}}}
    (folder / "_config.yml").write_text(yaml.safe_dump(config))
    names = list(notebooks)
    toc = {"format": "jb-book", "root": names[0], "chapters": [{"file": n} for n in names[1:]]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc))
    for name, code in notebooks.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                      metadata={"kernelspec": {"name": "some-other-kernel", "display_name": "x",
                                                               "language": "python"}})
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def test_settings_of_the_course_book():
    s = ec.settings(ROOT)
    assert s.mode == "cache" and s.allow_errors is False and s.in_temp is False
    assert s.cache == ROOT / "_build" / ".jupyter_cache"     # Jupyter Book's default place for it
    assert s.timeout == yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["timeout"]


def test_toc_notebooks_are_the_course_notebooks_in_toc_order():
    found = ec.toc_notebooks(ROOT)
    assert found[0].name == "01_what_is_relu.ipynb"
    assert {p.name for p in found} == {p.name for p in (ROOT / "chapters").glob("*.ipynb")}
    assert not any(p.suffix != ".ipynb" for p in found)     # markdown pages are not executed


def test_fills_the_cache_once_and_myst_nb_finds_every_notebook(tmp_path):
    from jupyter_cache import get_cache

    book = _book(tmp_path / "book", {"a": "print(1 + 1)", "b": "x = 3\nx"})
    lines = []
    assert ec.fill_cache(book, jobs=2, log=lines.append) == 0
    assert "executing 2, 2 at a time" in lines[0]
    cache = get_cache(str(ec.settings(book).cache))
    for name, shown in (("a", "2"), ("b", "3")):
        nb = ec._read_as_myst_nb_does(book / f"{name}.ipynb", {".*": "python3"})
        assert nb.metadata.kernelspec.name == "python3"          # the alias, as myst-nb applies it
        record = cache.match_cache_notebook(nb)                # the lookup myst-nb makes; KeyError if missing
        (output,) = cache.get_cache_bundle(record.pk).nb.cells[0].outputs
        assert output.get("text", output.get("data", {}).get("text/plain", "")).strip() == shown
    lines.clear()
    assert ec.fill_cache(book, log=lines.append) == 0
    assert lines == ["execution cache: 2 of 2 notebooks cached, nothing to execute"]


def test_a_notebook_that_raises_is_reported_and_not_cached(tmp_path):
    book = _book(tmp_path / "book", {"good": "1", "bad": "raise RuntimeError('broken on purpose')"})
    lines = []
    assert ec.fill_cache(book, jobs=2, log=lines.append) == 1
    report = "\n".join(lines)
    assert "bad.ipynb could not be executed" in report and "broken on purpose" in report
    assert "good.ipynb executed" in report and "bad.ipynb executed" not in report
    lines.clear()
    ec.fill_cache(book, log=lines.append)
    assert "1 of 2 notebooks cached, executing 1," in lines[0]      # the failed one is tried again


def test_nothing_to_do_unless_the_book_uses_the_cache(tmp_path):
    book = _book(tmp_path / "book", {"a": "1"}, execute={"execute_notebooks": "force"})
    lines = []
    assert ec.fill_cache(book, log=lines.append) == 0
    assert "not 'cache'" in lines[0] and not (book / "_build").exists()


@pytest.mark.parametrize("book, error", [(None, TypeError), (3, TypeError), ("no/such/folder", ValueError)])
def test_bad_book_names_the_argument(book, error):
    with pytest.raises(error, match="book"):
        ec.fill_cache(book)


def test_bad_jobs_names_the_argument(tmp_path):
    book = _book(tmp_path / "book", {"a": "1"})
    for jobs in (0, -1, 1.5, "2"):
        with pytest.raises((TypeError, ValueError), match="jobs"):
            ec.fill_cache(book, jobs=jobs)


def test_cli_reports_a_bad_folder(capsys):
    assert ec.main(["no/such/folder"]) == 2
    assert "book" in capsys.readouterr().err


def test_a_kernel_that_cannot_start_is_reported_not_raised(tmp_path):
    book = _book(tmp_path / "book", {"a": "1"})
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["sphinx"]["config"]["nb_kernel_rgx_aliases"] = {".*": "no-such-kernel"}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    lines = []
    assert ec.fill_cache(book, log=lines.append) == 1
    assert "a.ipynb could not be executed" in lines[1] and "no-such-kernel" in lines[1]
