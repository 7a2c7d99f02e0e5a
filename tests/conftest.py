"""Shared test settings: the same quiet, headless environment that `make test` exports."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from relu_course.kernel_polling import poll_in_slices  # noqa: E402

# No per-example deadline: on a loaded 2-core machine an example may take longer than Hypothesis's 200 ms
# default, which would fail a correct test (speed is measured by `make bench`, not by tests).
settings.register_profile("relu-course", deadline=None)
settings.load_profile("relu-course")

# nbmake executes the chapters with nbclient in this process: without this, a cell's reply is now and
# then noticed only when the cell's time limit (300 s here) runs out (see poll_in_slices).
poll_in_slices()


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test starts and ends with no open matplotlib figures."""
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- determinism
# nbmake keeps no outputs; record the glued values of each notebook it executes so that
# tests/check_determinism.py (run by `make test` after pytest) can compare them with the values of
# the book build's own, independent execution. `make test` runs nbmake in the learner's kernel
# (`relu-learner`, tests/learner_env.py), which has no myst-nb: there relu_course.glue writes each value
# to the file named by RELU_COURSE_GLUE_RECORD; in a kernel with myst-nb they are in the outputs.
NBMAKE_GLUE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_build", "nbmake-glue")


def glue_values(nb) -> dict:
    """The text of every value a notebook glued with myst-nb, by name."""
    prefix = "application/papermill.record/"
    values = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            data = {k[len(prefix):] if k.startswith(prefix) else k: v for k, v in out.get("data", {}).items()}
            values[name] = data.get("text/plain", "")
    return values


def recorded_values(path: str) -> dict:
    """The values relu_course.glue wrote to its record file (one JSON object a line), by name."""
    import json
    values = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                entry = json.loads(line)
                values[entry["name"]] = entry["text/plain"]
    return values


def lite_chapters() -> list:
    """The chapters offered in JupyterLite (_config.yml), which nbmake runs in the Pyodide stand-in."""
    from pathlib import Path
    from relu_course.lite_site import configured_chapters
    return configured_chapters(Path(__file__).resolve().parents[1])


def _record_nbmake_glue() -> None:
    try:
        from nbmake import nb_run
    except ImportError:
        return
    original = nb_run.NotebookRun.execute
    if getattr(original, "_records_glue", False):
        return

    def execute(self, *args, **kwargs):
        import json
        import shutil
        import tempfile
        from pathlib import Path
        from pyodide_env import standin_environment
        stem = os.path.splitext(os.path.basename(str(self.filename)))[0]
        os.makedirs(NBMAKE_GLUE_DIR, exist_ok=True)
        record = os.path.join(NBMAKE_GLUE_DIR, f"{stem}.jsonl")
        if os.path.exists(record):
            os.remove(record)
        lite = stem in lite_chapters()             # run as JupyterLite would: only what Pyodide provides
        changes = {"RELU_COURSE_GLUE_RECORD": record, **(standin_environment() if lite else {})}
        saved = {k: os.environ.get(k) for k in changes}
        os.environ.update(changes)
        # The notebook runs alone in an empty folder, as on Colab or in JupyterLite: nothing of the
        # course's clone (bibliography, other chapters) is within its reach but the installed package.
        # Only a page that is about the course's files (the instructor guide reads the chapters) says so in
        # its metadata, "needs_the_course_folder": true, and runs where it is.
        source, alone = self.filename, Path(tempfile.mkdtemp(prefix=f"relu-nbmake-{stem}-"))
        if not json.loads(Path(source).read_text(encoding="utf-8"))["metadata"].get("needs_the_course_folder"):
            self.filename = alone / Path(str(source)).name
            shutil.copy2(source, self.filename)
        try:
            result = original(self, *args, **kwargs)
        finally:
            self.filename = source
            shutil.rmtree(alone, ignore_errors=True)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        in_outputs, in_record = glue_values(result.nb), recorded_values(record)
        summary = {"kernel": self.kernel or "python3", "pyodide_standin": lite,
                   "glued_by": "myst-nb" if in_outputs else "relu_course.glue record" if in_record else "nothing",
                   "values": {**in_outputs, **in_record}}
        target = os.path.join(NBMAKE_GLUE_DIR, f"{stem}.json")
        with open(target + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=1, sort_keys=True)
        os.replace(target + ".tmp", target)
        return result

    execute._records_glue = True
    nb_run.NotebookRun.execute = execute


_record_nbmake_glue()
