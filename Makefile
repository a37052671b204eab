# The two commands of the README: `make demo` (install, index the demo corpus, serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX := var/demo-index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install index clean

install: $(VENV)/.installed

# torch is pinned in pyproject.toml to the local CPU build (torch==2.13.0); pip finds it in /opt/wheels.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

index: install
	$(BIN)/verifier index corpus/demo.jsonl --index $(INDEX)

# Ends with the web app and API serving the demo corpus on http://$(HOST):$(PORT)/ (Ctrl+C stops it).
demo: index
	$(BIN)/verifier check "Over 1,000 Afghan troops fled into Tajikistan" --index $(INDEX) -k 3
	$(BIN)/verifier serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache
