"""Shared test settings: the same quiet, headless environment that `make test` exports."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from relu_course.kernel_polling import poll_in_slices  # noqa: E402

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
# the book build's own, independent execution.
NBMAKE_GLUE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_build", "nbmake-glue")


def glue_values(nb) -> dict:
    """The text of every value a notebook glued (myst_nb.glue), by name."""
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


WITHOUT_FRAMEWORKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "without_frameworks")


def lite_chapters() -> list:
    """The chapters offered in JupyterLite (_config.yml), which nbmake runs without the frameworks."""
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
        stem = os.path.splitext(os.path.basename(str(self.filename)))[0]
        saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "RELU_COURSE_HIDE_FRAMEWORKS")}
        if stem in lite_chapters():            # run as JupyterLite would: no TensorFlow, Keras, PyTorch
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [WITHOUT_FRAMEWORKS, saved["PYTHONPATH"]]))
            os.environ["RELU_COURSE_HIDE_FRAMEWORKS"] = "1"
        try:
            result = original(self, *args, **kwargs)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        import json
        os.makedirs(NBMAKE_GLUE_DIR, exist_ok=True)
        target = os.path.join(NBMAKE_GLUE_DIR, f"{stem}.json")
        with open(target + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(glue_values(result.nb), handle, indent=1, sort_keys=True)
        os.replace(target + ".tmp", target)
        return result

    execute._records_glue = True
    nb_run.NotebookRun.execute = execute


_record_nbmake_glue()
