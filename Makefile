# The two commands of the README. Both install from the project's own files first.
HOST ?= 0.0.0.0
PORT ?= 5000
# the fast tier: no real server process, no browser, nothing marked slow
FAST = not slow and not server and not browser

.PHONY: run test check fast setup-dev

run:
	./scripts/setup.sh
	.venv/bin/python app.py --host $(HOST) --port $(PORT)

setup-dev:
	./scripts/setup.sh --dev

# lint, format and types (configured in pyproject.toml); `make test` runs these first
check: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

test: check
	.venv/bin/python -m pytest $(PYTEST_ARGS)

# the fast tier of the tests, for while you work (under a minute: on both cores, pytest-xdist)
fast: setup-dev
	.venv/bin/python -m pytest -n 2 -m "$(FAST)" $(PYTEST_ARGS)
