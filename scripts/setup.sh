#!/usr/bin/env bash
# Install everything Dialoogtafel needs from the project's own files:
#   - a virtualenv in .venv with the Python package (and its dev extra with --dev)
#   - the front-end libraries from the npm registry (package-lock.json), copied into static/vendor/
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.installed${extra:+-dev}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extra}"
  touch "$stamp"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p static/vendor
cp node_modules/socket.io-client/dist/socket.io.esm.min.js static/vendor/socket.io.esm.min.js
cp node_modules/socket.io-client/dist/socket.io.esm.min.js.map static/vendor/socket.io.esm.min.js.map 2>/dev/null || true
if [ -f node_modules/axe-core/axe.min.js ]; then
  # axe-core is only used by the browser tests; it is never served to participants.
  mkdir -p tests/vendor && cp node_modules/axe-core/axe.min.js tests/vendor/axe.min.js
fi
