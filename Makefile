# Spectrogram Lab: `make lab` to learn, `make test` to check. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: lab test notebooks bench data student clean

# (Re)create the environment when it is missing or older than pyproject.toml.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Spectrogram Lab needs Python 3.11 or newer; run make PYTHON=python3.12"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

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

# Student copies: solution cells and outputs removed.
student: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --output-dir=build/student \
	  --TagRemovePreprocessor.enabled=True --TagRemovePreprocessor.remove_cell_tags=solution \
	  --ClearOutputPreprocessor.enabled=True $(NOTEBOOKS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
