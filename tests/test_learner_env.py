"""tests/learner_env.py: the learner's environment is built from the package's declarations, pinned."""
from packaging.requirements import Requirement

import learner_env


def test_constraints_pin_what_applies_here_and_tensorflow_like_tensorflow_cpu():
    pins = [Requirement(r) for r in ('numpy==2.4.6; python_version >= "3.0"', 'numpy==1.0; python_version < "3.0"',
                                     "tensorflow-cpu==2.21.0", "ipywidgets==8.1.9")]
    assert learner_env.constraints(pins) == ["numpy==2.4.6", "tensorflow-cpu==2.21.0", "tensorflow==2.21.0",
                                             "ipywidgets==8.1.9"]


def test_torch_joins_the_extras_only_where_the_test_requirements_install_it():
    assert learner_env.extras([Requirement('torch==2.13.0; python_version < "3.0"')]) == list(learner_env.EXTRAS)
    assert learner_env.extras([Requirement("torch==2.13.0")])[-1] == "torch"


def test_the_real_pins_cover_the_declared_packages():
    """Every package the course package declares (and ipykernel) has a pin, so versions match the book's."""
    import importlib.metadata

    from packaging.utils import canonicalize_name

    pinned = {canonicalize_name(line.split("=")[0].split("<")[0].split(">")[0])
              for line in learner_env.constraints(learner_env.pinned_requirements())}
    declared = {canonicalize_name(Requirement(r).name)
                for r in importlib.metadata.metadata("relu-course").get_all("Requires-Dist")}
    assert declared | {"ipykernel"} <= pinned | {"torch"}, sorted(declared - pinned)


def test_the_packages_digest_follows_its_files():
    files = learner_env.package_files()
    assert any(p.name == "pyproject.toml" for p in files) and any(p.name == "activations.py" for p in files)
    assert not any("__pycache__" in p.parts or p.suffix == ".pyc" for p in files)
