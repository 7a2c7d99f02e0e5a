"""JupyterLite for the chapters that run without TensorFlow (relu_course.lite_site). The stand-in kernel
that runs those chapters as Pyodide would is tested in test_launch_paths.py."""
from pathlib import Path

import pytest

from relu_course.lite_site import build_lite, chapter_names, configured_chapters, inputs_digest, lite_url

ROOT = Path(__file__).resolve().parents[1]
LITE = configured_chapters(ROOT)


def test_configured_chapters_needs_the_book(tmp_path):
    with pytest.raises(ValueError, match="book_root"):
        configured_chapters(tmp_path)
    (tmp_path / "_config.yml").write_text("title: x\n")
    assert configured_chapters(tmp_path) == []


def test_the_lite_chapters_are_chapters_of_the_book():
    assert LITE and chapter_names(LITE) == LITE
    assert all((ROOT / "chapters" / f"{name}.ipynb").is_file() for name in LITE)


@pytest.mark.parametrize("bad, error", [("01_what_is_relu", TypeError), (["chapters/01"], ValueError),
                                        (["01.ipynb"], ValueError), ([3], ValueError)])
def test_bad_chapter_lists_are_named(bad, error):
    with pytest.raises(error, match="chapters"):
        chapter_names(bad)


def test_the_launch_link_is_relative_to_the_page():
    def pathto(target, resource):
        assert resource == 1
        return f"../{target}"
    assert lite_url("chapters/01_what_is_relu", "01_what_is_relu", pathto) == \
        "../lite/notebooks/index.html?path=01_what_is_relu.ipynb"


def test_the_digest_follows_chapters_and_package(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "code" / "relu_course").mkdir(parents=True)
    (tmp_path / "chapters" / "01_a.ipynb").write_text("{}")
    (tmp_path / "code" / "relu_course" / "m.py").write_text("x = 1\n")
    first = inputs_digest(tmp_path, ["01_a"])
    assert inputs_digest(tmp_path, ["01_a"]) == first
    (tmp_path / "code" / "relu_course" / "m.py").write_text("x = 2\n")
    second = inputs_digest(tmp_path, ["01_a"])
    (tmp_path / "chapters" / "01_a.ipynb").write_text('{"cells": []}')
    assert len({first, second, inputs_digest(tmp_path, ["01_a"])}) == 3


def test_an_unchanged_build_is_not_redone_and_a_missing_chapter_is_named(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01_a.ipynb").write_text("{}")
    (tmp_path / "code").mkdir()
    out = tmp_path / "html"
    (out / "lite").mkdir(parents=True)
    (out / "lite" / ".relu-course-lite-inputs").write_text(inputs_digest(tmp_path, ["01_a"]))
    assert build_lite(tmp_path, out, ["01_a"]) is False
    with pytest.raises(ValueError, match="02_b"):
        build_lite(tmp_path, out, ["02_b"])
