# The two commands in README.md. Both work from a clean clone with only
# Python 3.11+ and pip: they create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast test-explore bench clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

demo: $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) examples/quickstart.py

test: $(PY)
	$(PY) -m pip install --quiet -e ".[test,docs,dask,spark]"
	@# headless Chromium renders the model report (tests/scorecard/test_report_browser.py)
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make test: no chromium and no apt-get (not Debian); the browser tests will skip."; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei \
	  || echo "make test: installing chromium failed; the browser tests will skip."; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei \
	  || echo "make test: installing chromium failed; the browser tests will skip."; \
	else \
	  echo "make test: chromium is not installed and cannot be installed here (not root, no passwordless sudo); the browser tests will skip. Install it with: sudo apt-get install chromium"; \
	fi
	$(PY) -m ruff check .
	$(PY) -m mypy --strict jiebei_credit
	@# line coverage of the package, reported and held above fail_under ([tool.coverage.report])
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadgroup --cov --cov-report=term:skip-covered
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html

# The inner loop (under 2 minutes on 2 cores): no slow tests (engines, the README and demo
# scripts, long reference checks), few Hypothesis examples, stop at the first failure.
test-fast: $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	HYPOTHESIS_PROFILE=fast $(PY) -m pytest -q -x -m "not slow" -p no:cacheprovider -n auto --maxprocesses 4

# Random Hypothesis seeds and many more examples; record what it finds as @example.
test-explore: $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q tests

bench: $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	OPENBLAS_NUM_THREADS=1 $(PY) -m benchmarks --output benchmarks/results/report.txt

clean:
	rm -rf docs/_build docs/api/generated docs/jupyter_execute .pytest_cache .mypy_cache .ruff_cache .hypothesis
