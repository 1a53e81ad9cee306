"""The pure core imports no web, database or async package (DESIGN.md, Layers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"
PURE = ["programme", "activities", "aggregate", "snapshot", "qr", "stopwords", "colour", "export",
        "export_xlsx", "export_report", "pdf", "schema", "kinds"]
#: the activity kinds' package is pure core too, every module of it
KINDS = sorted(f"kinds/{p.stem}" for p in (PACKAGE / "kinds").glob("*.py"))
FORBIDDEN = {"flask", "flask_socketio", "flask_babel", "sqlalchemy", "eventlet", "gevent",
             "socketio", "engineio", "werkzeug"}
PURE_SIBLINGS = set(PURE)


# A line scan rather than ast.parse: CPython 3.11's parser is not safe to use while another
# thread compiles (Jinja in the app threads), and imports are one per line in this code base.
IMPORT = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))",
                    re.MULTILINE)
#: ``from . import a, b``: the sibling modules a and b
FROM_PACKAGE = re.compile(r"^\s*from\s+\.\s+import\s+([\w]+(?:\s*,\s*\w+)*)", re.MULTILINE)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    text = path.read_text()
    for m in IMPORT.finditer(text):
        if m.group(1) == ".":
            continue  # the names are the modules (FROM_PACKAGE)
        if m.group(1) is not None:
            names.add(m.group(1))
        else:
            names.update(n.strip() for n in m.group(2).split(","))
    for m in FROM_PACKAGE.finditer(text):
        names.update("." + n.strip() for n in m.group(1).split(","))
    return names


@pytest.mark.parametrize("module", [m for m in PURE if m != "kinds"] + KINDS)
def test_pure_core_imports_no_web_or_database_package(module: str) -> None:
    found = imported_modules(PACKAGE / f"{module}.py")
    top = {name.split(".")[0] for name in found if not name.startswith(".")}
    assert top & FORBIDDEN == set()
    if module.startswith("kinds/"):  # one dot is the kinds package itself, two its parent
        found = {name[1:] for name in found if name.startswith("..")} | {
            ".kinds" for name in found if name.startswith(".") and not name.startswith("..")}
    relative = {name[1:].split(".")[0] for name in found if name.startswith(".")}
    assert relative <= PURE_SIBLINGS, f"{module} imports non-pure siblings {relative - PURE_SIBLINGS}"


def test_layer_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app\nfrom .store import x\n")
    assert imported_modules(bad) == {"flask", ".store"}


def test_only_broadcast_emits() -> None:
    """Every emit names its audience and lives in broadcast.py."""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "broadcast.py":
            continue
        assert "socketio.emit(" not in path.read_text(), path
        assert "emit(" not in path.read_text().replace("send_snapshot", ""), path
