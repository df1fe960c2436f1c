# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test lint bench bench-quick install-desktop package-test clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	# The pip of a new 3.11 venv mis-resolves lxml's extras: upgrade it first.
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . || \
		$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/reviewapp

# Runs the whole suite inside a private D-Bus session with a real, unlocked gnome-keyring when
# the machine has one (CI does), so the keyring tests meet a real Secret Service.
test: $(STAMP)
	@if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then \
		sh tests/with-secret-service $(PY) -m pytest $(PYTEST_ARGS); \
	else \
		echo "note: no dbus-run-session/gnome-keyring-daemon here; Secret Service tests will be skipped"; \
		$(PY) -m pytest $(PYTEST_ARGS); \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check reviewapp tests benchmarks packaging
	$(VENV)/bin/ruff format --check reviewapp tests benchmarks packaging
	$(VENV)/bin/mypy reviewapp  # every package; ui too, since launch imports it

# Every benchmarks/bench_*.py, its figures written to benchmarks/RESULTS.md (run_all.py).
# Every benchmark accepts --quick: bench-quick runs them all that way (CI, after the tests) so
# that none rots; it judges no time.
bench: $(STAMP)
	$(PY) benchmarks/run_all.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run_all.py --quick

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

install-desktop: $(STAMP)
	sh packaging/install-desktop.sh $(VENV)/bin/reviewapp

# Builds the one-folder app with PyInstaller and runs its self-test (reviewapp --self-test).
package-test: $(STAMP)
	packaging/build
