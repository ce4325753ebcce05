# Spectrogram Lab: `make lab` to learn, `make test` to check. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= test,lint,classroom,docs
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: lab test test-fast test-forward lint notebooks bench data student assignments wheelhouse book clean

# (Re)create the environment when it is missing or older than pyproject.toml.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Spectrogram Lab needs Python 3.11 or newer; run make PYTHON=python3.12"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/00_setup.ipynb --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) $(LAB_ARGS)

# Everything: unit, property, bad-input, doctests, nbgrader, site, browser, and nbval on every notebook.
# PYTEST_ARGS narrows it, e.g. make test PYTEST_ARGS="-m 'not slow'".
PYTEST_ARGS ?=
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick part: unit tests only, no notebooks, no browser, nothing marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -o addopts='-p no:cacheprovider' -m 'not slow and not browser'

# Forward compatibility: Python 3.12 with librosa 1.0 (the pins stay on 0.11.0). Unit tests and
# doctests with librosa's FutureWarnings as errors, then every notebook executed (outputs not compared:
# they were made with 0.11; `--nbval-lax` still fails on any error).
PYTHON312 ?= python3.12
FORWARD := .venv-librosa1
test-forward:
	test -x $(FORWARD)/bin/python || $(PYTHON312) -m venv $(FORWARD)
	$(FORWARD)/bin/python -m pip install --quiet -e '.[test,classroom,docs]'
	$(FORWARD)/bin/python -m pip install --quiet librosa==1.0.0  # pip notes the pin it overrides
	$(FORWARD)/bin/python -m pytest tests -o addopts='-p no:cacheprovider' -W error::FutureWarning -m 'not browser and not slow' \
	  --deselect tests/test_project.py::test_installed_packages_match_the_pins \
	  --deselect tests/test_project.py::test_pins_come_from_the_installed_metadata_and_agree_with_pyproject  # librosa is off its pin on purpose
	$(FORWARD)/bin/python -m pytest notebooks -o addopts='-p no:cacheprovider' --nbval-lax --nbval-current-env

# Lint, import order and formatting (ruff; `make test` checks the same). `ruff format .` formats;
# the checkers' hint tables and the notebooks are left as laid out (see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-execute every notebook in place (outputs are committed; nbval compares against them).
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False $(or $(NB),$(NOTEBOOKS))

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# Regenerate the bundled audio (needs Debian's espeak-ng for the speech parts).
data: $(STAMP)
	$(BIN)/python scripts/make_samples.py
	$(BIN)/python scripts/make_digits.py

# Student copies in build/student/: no solution cells, no outputs, no widget state.
student: $(STAMP)
	$(BIN)/python scripts/make_student.py $(NOTEBOOKS)

# An nbgrader course in build/nbgrader/, generated from the notebooks.
assignments: $(STAMP)
	$(BIN)/python scripts/make_assignments.py

# Every wheel the course needs, for lab machines without internet: build/wheelhouse/.
wheelhouse: $(STAMP)
	$(BIN)/python scripts/make_wheelhouse.py

# The course site in build/html/, from the committed notebooks and their outputs.
book: $(STAMP)
	$(BIN)/python scripts/make_book.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
