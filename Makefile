# ReLU, Deeply: two commands on a fresh clone, `make book` and `make test` (see README.md).
# Both create the virtual environment .venv if it is missing and reinstall when a requirements file changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Same environment for the book, the tests and JupyterLab: quiet TensorFlow and debugger, and the
# venv's own python3 kernel first. (MPLBACKEND is not set here: kernels must keep their inline backend
# so that figures appear in JupyterLab and in the book; tests/conftest.py sets Agg for pytest itself.)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export JUPYTER_PREFER_ENV_PATH := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test test-site bench lab student grade clean clean-all venv learner-env

venv: $(STAMP)

# The learner's environment (tests/learner_env.py): only what a chapter's first cell installs on Colab,
# the course package with its extras, plus ipykernel; none of the book's stack. Installed once (again when
# code/pyproject.toml or a requirements file changes); the course package is reinstalled from a wheel
# when its files change. `make test` executes every chapter in its kernel, `relu-learner`.
LEARNER ?= .venv-learner
learner-env: $(STAMP)
	$(BIN)/python tests/learner_env.py --venv $(LEARNER)

$(STAMP): requirements.txt requirements-test.txt code/pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "Python 3.10-3.13 is needed, found %d.%d (set PYTHON=python3.X)" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ReLU, Deeply)" > /dev/null
	touch $(STAMP)

# First the notebooks whose code changed are executed into the build's cache, several at a time
# (relu_course.execution_cache; myst-nb alone runs them one after another), then Jupyter Book renders.
# BOOK: another book's folder (tests/test_incremental_build.py); BOOK_JOBS: notebooks run at once
# (default: the number of CPUs, at most 4).
BOOK ?= .
BOOK_JOBS ?=
book: $(STAMP)
	RELU_COURSE_STRICT_CHECKS=1 $(BIN)/python -m relu_course.execution_cache $(BOOK) $(if $(BOOK_JOBS),--jobs $(BOOK_JOBS))
	RELU_COURSE_STRICT_CHECKS=1 $(BIN)/jupyter-book build $(BOOK) -W --keep-going
	@echo "The site: $(abspath $(BOOK))/_build/html/index.html"

# Every test (unit, property, structure, the book build, every notebook through nbmake in the learner's
# kernel, the chapters offered in JupyterLite in a stand-in for Pyodide), then the
# determinism check that compares the two executions of each chapter (nbmake's and the book's) and the
# site's browser tests (tests/check_site.py: every page in headless Chromium, links, weight, quizzes,
# animations, the explorer; skipped with a reason where no Chromium is installed, unless
# RELU_COURSE_REQUIRE_BROWSER=1). The wall time is recorded for `make bench`.
test: $(STAMP) learner-env
	@mkdir -p _build/timings
	@start=$$(date +%s); \
	JUPYTER_PATH=$(abspath $(LEARNER))/kernelspec/share/jupyter RELU_COURSE_STRICT_CHECKS=1 \
	  $(BIN)/python -m pytest --nbmake-kernel=relu-learner && \
	RELU_COURSE_REQUIRE_TWO_RUNS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider -o addopts="-ra" tests/check_determinism.py tests/check_site.py; \
	status=$$?; echo $$(( $$(date +%s) - start )) > _build/timings/make-test-seconds; exit $$status

# Only the browser tests, against the site that `make book` last built.
test-site: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider -o addopts="-ra" tests/check_site.py

# Speed figures (ReLU vs copy bandwidth, every activation vs ReLU, chapter times); not part of `make test`.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --out _build/bench/results.md

# Student versions of every chapter (solutions replaced by placeholders, hidden answers removed).
student: $(STAMP)
	$(BIN)/python -m relu_course.coursework.student chapters _build/student

# Grade a folder of submitted notebooks: make grade SUBMISSIONS=path/to/folder [GRADE_JOBS=2]
SUBMISSIONS ?=
GRADE_JOBS ?= 1
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=path/to/folder"; exit 2; }
	$(BIN)/python -m relu_course.coursework.grader "$(SUBMISSIONS)" --out _build/grades --jobs $(GRADE_JOBS)

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

clean:
	rm -rf _build .pytest_cache .hypothesis

clean-all: clean
	rm -rf $(VENV) $(LEARNER)
