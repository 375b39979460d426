# skmkit: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JOBS   ?= 2

.PHONY: demo test bench lock clean install dev

install: $(VENV)/.installed

# Install exactly the locked set (with hashes), then skmkit itself without deps.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

demo: install
	$(BIN)/skmkit demo --out outputs --jobs $(JOBS)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/ikm_vs_pandas.py
	$(BIN)/python benchmarks/batch_vs_naive.py --units 24

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock:
	uv pip compile pyproject.toml --extra test --python-version 3.11 \
	  --generate-hashes --no-header -o requirements.lock

dev: install
	$(BIN)/pip install --quiet -e '.[dev]'

clean:
	rm -rf $(VENV) outputs/* .pytest_cache
