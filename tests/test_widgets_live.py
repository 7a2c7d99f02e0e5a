"""Live explorers without ipywidgets show a note (with the command that adds it) instead of failing."""
import pytest

from relu_course.widgets import live
from relu_course.widgets.live import IpywidgetsMissing, live_explorer


def test_without_ipywidgets_the_explorer_returns_the_note(monkeypatch):
    calls = []

    @live_explorer
    def some_explorer(x=1):
        calls.append(x)
        return "widget"

    monkeypatch.setattr(live, "ipywidgets_available", lambda: False)
    note = some_explorer(2)
    assert isinstance(note, IpywidgetsMissing) and calls == []
    assert "%pip install ipywidgets" in note._repr_markdown_() and "some_explorer" in repr(note)
    monkeypatch.setattr(live, "ipywidgets_available", lambda: True)
    assert some_explorer(3) == "widget" and calls == [3]
    assert some_explorer.__name__ == "some_explorer"


def test_every_live_explorer_of_the_package_is_guarded(monkeypatch):
    import importlib
    import inspect
    import pkgutil

    import relu_course.widgets as widgets

    monkeypatch.setattr(live, "ipywidgets_available", lambda: False)
    found = []
    for info in pkgutil.iter_modules(widgets.__path__, "relu_course.widgets."):
        module = importlib.import_module(info.name)
        for name, func in vars(module).items():
            if name.endswith("_explorer") and name != "live_explorer" and inspect.isfunction(func) \
                    and func.__module__ == module.__name__:
                found.append(name)
                assert getattr(func, "__wrapped__", None) is not None, f"{info.name}.{name} is not @live_explorer"
    assert len(found) >= 10


def test_a_non_function_is_refused():
    with pytest.raises(TypeError, match="build"):
        live_explorer("not a function")
