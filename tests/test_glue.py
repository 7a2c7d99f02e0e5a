"""relu_course.glue: myst-nb's glue where myst-nb is installed, silence where it is not."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from relu_course import glue as glue_module
from relu_course.glue import RECORD_VARIABLE, glue, myst_nb_available, text_plain

# Runs `code` in a fresh Python in which myst-nb cannot be found, as in a learner's kernel.
WITHOUT_MYST_NB = """
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "myst_nb":
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Hide())
import importlib.util
_find = importlib.util.find_spec
importlib.util.find_spec = lambda name, package=None: None if name == "myst_nb" else _find(name, package)
"""


def _without_myst_nb(code: str, record: str | None, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != RECORD_VARIABLE}
    if record:
        env[RECORD_VARIABLE] = record
    return subprocess.run([sys.executable, "-W", "error", "-c", WITHOUT_MYST_NB + code],
                          capture_output=True, text=True, env=env, timeout=60, cwd=cwd)


def test_without_myst_nb_it_shows_and_records_nothing(tmp_path):
    out = _without_myst_nb("from relu_course.glue import glue, myst_nb_available\n"
                           "print(myst_nb_available())\nglue('share', 0.5, display=False)\nglue('n', 3)\n", None, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "False\n" and out.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_without_myst_nb_the_tests_record_goes_to_the_named_file(tmp_path):
    record = tmp_path / "glue.jsonl"
    out = _without_myst_nb("import numpy as np\nfrom relu_course.glue import glue\n"
                           "glue('share', np.float64(0.25), display=False)\nglue('words', 'four units')\n", str(record))
    assert out.returncode == 0 and out.stdout == "", out.stderr
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert lines == [{"name": "share", "text/plain": text_plain(np.float64(0.25))},
                     {"name": "words", "text/plain": "'four units'"}]


def test_without_myst_nb_display_true_shows_the_value():
    out = _without_myst_nb("from relu_course.glue import glue\nglue('n', 42, display=True)\n", None)
    assert out.returncode == 0 and out.stdout.strip() == "42", out.stderr


def test_with_myst_nb_the_call_is_myst_nbs_own(monkeypatch):
    if not myst_nb_available():
        pytest.skip("myst-nb is not installed here")
    import myst_nb

    calls = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: calls.append((name, value, display)))
    glue("share", 0.5, display=False)
    glue("n", 3)
    assert calls == [("share", 0.5, False), ("n", 3, False)]


def test_the_record_formats_values_as_myst_nb_stores_them():
    if not myst_nb_available():
        pytest.skip("myst-nb is not installed here")
    from IPython.core.formatters import format_display_data

    for value in (np.float64(1 / 3), 7, "text", [1.5, 2.0], np.array([0.0, 1.0])):
        assert text_plain(value) == format_display_data(value)[0]["text/plain"]


@pytest.mark.parametrize("name, display, argument", [(None, False, "name"), ("", False, "name"), (3, False, "name"),
                                                     ("n", "yes", "display"), ("n", None, "display")])
def test_bad_arguments_are_named(name, display, argument):
    with pytest.raises(TypeError, match=argument):
        glue(name, 1.0, display=display)


def test_the_record_variable_is_documented():
    assert RECORD_VARIABLE in glue_module.__doc__
