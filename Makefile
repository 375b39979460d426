# skmkit: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check
JOBS   ?= 2

# Three locked sets, resolved for Windows, macOS and Linux (uv --universal), with hashes:
#   requirements.lock       what skmkit needs to run (make install, make demo)
#   requirements-lab.lock   the same + JupyterLab: workshop laptops and make dev (no test tools)
#   requirements-test.lock  the same runtime + the test tools (make test)
# The runtime pins are equal in all three (the lab and runtime sets are compiled against the test set).
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --no-header

.PHONY: demo test bench lock clean install dev wheelhouse

install: $(VENV)/.installed

# Install exactly the locked set (with hashes), then skmkit itself without deps.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(PIP) --require-hashes -r requirements-test.lock
	touch $@

$(VENV)/.installed-lab: requirements-lab.lock $(VENV)/.installed
	$(PIP) --require-hashes -r requirements-lab.lock
	touch $@

demo: install
	$(BIN)/skmkit demo --out outputs --jobs $(JOBS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/ikm_vs_pandas.py
	$(BIN)/python benchmarks/batch_vs_naive.py --units 24

# Regenerate the lock files after changing dependencies in pyproject.toml (uv is in the test set).
lock: $(VENV)/.installed-test
	$(LOCK) --extra test -o requirements-test.lock
	$(LOCK) -c requirements-test.lock -o requirements.lock
	$(LOCK) --extra dev -c requirements-test.lock -o requirements-lab.lock

# JupyterLab at the version workshop laptops get.
dev: $(VENV)/.installed-lab

# An offline wheelhouse of the participants' set for workshop laptops of another system (default Windows 64-bit,
# Python 3.11.9, python.org's last Windows installer of 3.11), built on this machine: see docs/pelatihan.md.
# pip download picks the platform's wheels but judges environment markers for this machine, so uv first writes
# the set with the target's markers evaluated (the full Python version matters: soupsieve forks at 3.11.5).
WHEEL_PLATFORM ?= win_amd64
UV_PLATFORM    ?= x86_64-pc-windows-msvc
WHEEL_PYTHON   ?= 3.11.9
wheelhouse: $(VENV)/.installed-test
	mkdir -p wheelhouse
	$(BIN)/uv pip compile requirements-lab.lock --python-platform $(UV_PLATFORM) --python-version $(WHEEL_PYTHON) \
	  --generate-hashes --no-header -o wheelhouse/requirements-$(WHEEL_PLATFORM).txt
	$(BIN)/pip download --quiet --platform $(WHEEL_PLATFORM) --python-version $(WHEEL_PYTHON) --only-binary=:all: \
	  --no-deps -r wheelhouse/requirements-$(WHEEL_PLATFORM).txt -d wheelhouse
	$(BIN)/pip wheel --quiet --no-deps . -w wheelhouse
	cp requirements-lab.lock wheelhouse/
	$(BIN)/uv pip install --dry-run --quiet --offline --no-index --find-links wheelhouse --python-platform $(UV_PLATFORM) \
	  --python-version $(WHEEL_PYTHON) --require-hashes -r requirements-lab.lock --target $(VENV)/wheelhouse-check

clean:
	rm -rf $(VENV) outputs/* .pytest_cache
