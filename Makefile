# The two commands of the README. Both install from the project's own files first.
HOST ?= 0.0.0.0
PORT ?= 5000

.PHONY: run test setup

run:
	./scripts/setup.sh
	.venv/bin/python app.py --host $(HOST) --port $(PORT)

test:
	./scripts/setup.sh --dev
	.venv/bin/python -m pytest $(PYTEST_ARGS)
