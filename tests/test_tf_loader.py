"""TensorFlow is imported only on demand, and quietly."""
import os
import subprocess
import sys

import pytest

from relu_course.tf_loader import QUIET_ENVIRONMENT, tensorflow_available

NUMPY_ONLY_MODULES = ["relu_course", "relu_course.activations", "relu_course.style", "relu_course.seeding", "relu_course.datasets", "relu_course.models", "relu_course.variants", "relu_course.activation_registry", "relu_course.dead_units",
                      "relu_course.tips_experiments", "relu_course.widgets.dying", "relu_course.benchmark",
                      "relu_course.comparison", "relu_course.framework_agreement", "relu_course.mini_experiment",
                      "relu_course.history", "relu_course.tables",
                      "relu_course.gates", "relu_course.widgets", "relu_course.checks", "relu_course.tf_loader",
                      "relu_course.implementations", "relu_course.keras_reference", "relu_course.widgets.keras_relu",
                      "relu_course.checks.ch12_implementations", "relu_course.architecture_census",
                      "relu_course.input_sign", "relu_course.widgets.census", "relu_course.quiz",
                      "relu_course.quiz_bank", "relu_course.coursework.student", "relu_course.coursework.grader",
                      "relu_course.coursework.catalogue", "relu_course.coursework.kernel_report",
                      "relu_course.coursework.nbgrader_tags", "relu_course.coursework.execution",
                      "relu_course.mistakes", "relu_course.mistakes_mlp", "relu_course.mistakes_numerical",
                      "relu_course.explorer", "relu_course.site_assets", "relu_course.lite_site", "relu_course.execution_cache", "relu_course.kernel_polling",
                      "relu_course.widgets.animation", "relu_course.widgets.regions",
                      "relu_course.widgets.init_scale", "relu_course.edge_semantics", "relu_course.claims"]


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENVIRONMENT}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_numpy_only_modules_never_import_tensorflow():
    imports = "; ".join(f"import {m}" for m in NUMPY_ONLY_MODULES)
    out = run_python(f"import sys; {imports}; print(sorted(m for m in ('tensorflow', 'keras', 'ipywidgets') if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
def test_load_tensorflow_sets_quiet_environment_and_prints_nothing():
    code = ("import os; from relu_course.tf_loader import load_tensorflow; tf = load_tensorflow(); "
            "print(tf.nn.relu([-1.0, 2.0]).numpy().tolist()); "
            "print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])")
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[0.0, 2.0]", "3 0"]
    assert out.stderr.strip() == "", f"TensorFlow leaked log lines: {out.stderr[:500]}"


def test_the_message_says_where_tensorflow_cannot_exist(monkeypatch):
    from relu_course import tf_loader

    monkeypatch.setattr(tf_loader.sys, "platform", "emscripten")
    assert "JupyterLite" in tf_loader.missing_tensorflow_message() and "Colab" in tf_loader.missing_tensorflow_message()
    monkeypatch.setattr(tf_loader.sys, "platform", "linux")
    assert "relu-course[tensorflow]" in tf_loader.missing_tensorflow_message()


def test_user_settings_are_kept():
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '1'; import relu_course.tf_loader as t; "
            "import importlib.util; importlib.util.find_spec = lambda name: None; "
            "\ntry:\n    t.load_tensorflow()\nexcept ImportError as e:\n    print('ImportError', 'relu-course[tensorflow]' in str(e))"
            "\nprint(os.environ['TF_CPP_MIN_LOG_LEVEL'])")
    out = run_python(code)
    assert out.stdout.split() == ["ImportError", "True", "1"], out.stderr


@pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
def test_training_through_the_package_prints_nothing():
    """model.fit must not leak TensorFlow's C++ log lines (they would become build errors in the book)."""
    code = ("from relu_course.datasets import xor_blobs; from relu_course.models import mlp, train_classifier; "
            "X, y = xor_blobs(20, seed=0); run = train_classifier(mlp(2, [8], 2), X, y, epochs=2, "
            "learning_rate=0.01); print(len(run.loss))")
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2"
    assert out.stderr.strip() == "", f"training leaked log lines: {out.stderr[:500]}"
