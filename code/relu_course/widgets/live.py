"""Live explorers need ipywidgets; where it is missing they say so instead of failing.

ipywidgets comes with the package's ``widgets`` extra (``pip install "relu-course[widgets]"``, which a
chapter's first cell runs on Colab). JupyterLite's Pyodide does not ship it, and a plain
``pip install relu-course`` does not install it: there the explorer cell shows a short note with the
command that adds it, and the rest of the notebook runs on. The static figures beside each explorer
show the same views.
"""
from __future__ import annotations

import functools
import importlib.util
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

NOTE = ("This live explorer needs ipywidgets, which is not installed in this kernel. "
        "Install it with `%pip install ipywidgets` and run this cell again. "
        "The figures next to this cell show what the explorer shows.")


class IpywidgetsMissing:
    """What a live explorer returns without ipywidgets: a note that Jupyter shows as the cell's output."""

    def __init__(self, explorer: str) -> None:
        self.explorer = explorer

    def __repr__(self) -> str:
        return f"{self.explorer}: {NOTE}"

    def _repr_markdown_(self) -> str:
        return f"**{self.explorer}**: {NOTE}"


def ipywidgets_available() -> bool:
    """True when ipywidgets can be imported here (without importing it)."""
    return importlib.util.find_spec("ipywidgets") is not None


def live_explorer(build: F) -> F:
    """Decorate a function that builds an ipywidgets explorer: without ipywidgets it returns the note."""
    if not callable(build):
        raise TypeError(f"build must be the function that builds the explorer, got {type(build).__name__}")

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not ipywidgets_available():
            return IpywidgetsMissing(build.__name__)
        return build(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
