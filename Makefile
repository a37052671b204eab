# The two commands of the README: `make demo` (install, index the demo corpus, serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX := var/demo-index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install index lock clean

install: $(VENV)/.installed

# The exact versions the tests passed with (requirements.lock, test and scale extras included), then the project itself
# without resolving anything again. torch is the local CPU build (torch==2.13.0+cpu), which pip finds in
# /opt/wheels. `pip check` fails when pyproject.toml asks for something the lock lacks: run `make lock`.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

# Refreshes requirements.lock on purpose (never done by `install`): resolves pyproject.toml with the test and
# scale extras (the scale engines' tests run against the real Milvus Lite and Ray) in a new, empty venv and pins
# every package pip installed. Run it after changing the dependencies, then `make test` and commit the lock.
LOCK_VENV := var/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e ".[test,scale]"
	{ echo "# The tested versions: pyproject.toml with the test and scale extras, resolved by pip in a new venv."; \
	  echo "# Written by \`make lock\`; \`make install\` installs exactly these. Do not edit by hand."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > requirements.lock.tmp
	grep -q '^torch==2.13.0+cpu$$' requirements.lock.tmp  # the local CPU build ...
	! grep -Eiq '^(nvidia|triton|cuda)' requirements.lock.tmp  # ... and nothing of a CUDA build
	mv requirements.lock.tmp requirements.lock
	rm -rf $(LOCK_VENV)

index: install
	$(BIN)/verifier index corpus/demo.jsonl --index $(INDEX)

# Ends with the web app and API serving the demo corpus on http://$(HOST):$(PORT)/ (Ctrl+C stops it).
demo: index
	$(BIN)/verifier check "Over 1,000 Afghan troops fled into Tajikistan" --index $(INDEX) -k 3
	$(BIN)/verifier serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache
