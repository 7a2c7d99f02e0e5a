"""``glue``: hand a computed value to the book's prose, and do nothing where there is no book.

The chapters write numbers into their prose with myst-nb's ``{glue:text}`` roles. myst-nb is a build
tool (it pulls in Sphinx): the book build has it, a learner's kernel on Colab, in JupyterLite or after
``pip install relu-course`` does not. Chapters therefore import ``glue`` from here:

- where myst-nb is installed (the book build, the maintainers' ``.venv``), the call is myst-nb's own,
  so the book's values are glued exactly as myst-nb glues them;
- where it is not, the call shows nothing and records nothing in the notebook: no error, no warning,
  no stray output. With ``display=True`` the value is shown, as myst-nb would show it.

Only for the course's tests: when ``RELU_COURSE_GLUE_RECORD`` names a file and myst-nb is absent,
each value is appended to it as one JSON line, formatted as myst-nb would store it (IPython's
``text/plain``), so that a run in the learner's environment can be compared with the book's run.
"""
from __future__ import annotations

import importlib.util
import json
import os
from typing import Any

#: Environment variable naming a JSON-lines file for the tests' record of glued values.
RECORD_VARIABLE = "RELU_COURSE_GLUE_RECORD"


def myst_nb_available() -> bool:
    """True when myst-nb is installed in this kernel (the book build), without importing it."""
    return importlib.util.find_spec("myst_nb") is not None


def text_plain(value: Any) -> str:
    """The ``text/plain`` form of ``value`` that IPython displays and myst-nb stores."""
    from IPython.core.formatters import format_display_data

    data, _ = format_display_data(value)
    return data.get("text/plain", "")


def glue(name: str, value: Any, display: bool = False) -> None:
    """Glue ``value`` under ``name`` for the book's ``{glue:...}`` roles (see the module docstring)."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string (the name the prose refers to), got {name!r}")
    if not isinstance(display, bool):
        raise TypeError(f"display must be True or False, got {display!r}")
    if myst_nb_available():
        from myst_nb import glue as myst_nb_glue

        myst_nb_glue(name, value, display=display)
        return
    record = os.environ.get(RECORD_VARIABLE)
    if record:
        with open(record, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"name": name, "text/plain": text_plain(value)}) + "\n")
    if display:
        from IPython.display import display as show

        show(value)
