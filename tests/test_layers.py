"""The pure core imports no web, database or async package (DESIGN.md, Layers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"
#: modules as paths below facilitator/, without ".py"; a package's own modules are listed
#: one by one (export/service.py and export/job.py read the database and are not pure)
PURE = ["programme", "activities", "aggregate", "snapshot", "qr", "stopwords", "colour", "schema",
        "export/common", "export/data", "export/charts", "export/xlsx", "export/report",
        "export/bundle", "export/formats", "export/pdf", "export/__init__"] \
    + sorted(f"kinds/{p.stem}" for p in (PACKAGE / "kinds").glob("*.py"))
FORBIDDEN = {"flask", "flask_socketio", "flask_babel", "sqlalchemy", "eventlet", "gevent",
             "socketio", "engineio", "werkzeug"}
PURE_SIBLINGS = {m.removesuffix("/__init__") for m in PURE}


# A line scan rather than ast.parse: CPython 3.11's parser is not safe to use while another
# thread compiles (Jinja in the app threads), and imports are one per line in this code base.
IMPORT = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))",
                    re.MULTILINE)
#: the names of ``from .. import a, b`` (a relative import of the package's own modules)
FROM_PACKAGE = re.compile(r"^\s*from\s+(\.+)\s+import\s+\(?\s*([\w\s,]+?)\s*\)?\s*(?:#.*)?$",
                          re.MULTILINE)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    text = path.read_text()
    for m in IMPORT.finditer(text):
        if m.group(1) is not None:
            names.add(m.group(1))
        else:
            names.update(n.strip() for n in m.group(2).split(","))
    for m in FROM_PACKAGE.finditer(text):  # "from .. import kinds": the module is "..kinds"
        names.discard(m.group(1))
        names.update(m.group(1) + n.strip() for n in m.group(2).split(",") if n.strip())
    return names


def resolve(module: str, relative: str) -> str:
    """The path below facilitator/ of a relative import in ``module`` ("export/xlsx" and
    "..kinds" -> "kinds"; "export/xlsx" and ".data" -> "export/data"); a name that is no
    module (``from . import register``) is the package's own."""
    level = len(relative) - len(relative.lstrip("."))
    package = module.split("/")[:-1]
    base = package[:len(package) - (level - 1)]
    path = base + relative[level:].split(".")[:1]
    if not (PACKAGE.joinpath(*path).with_suffix(".py").exists() or PACKAGE.joinpath(*path).is_dir()):
        path = base
    return "/".join(path)


@pytest.mark.parametrize("module", PURE)
def test_pure_core_imports_no_web_or_database_package(module: str) -> None:
    found = imported_modules(PACKAGE / f"{module}.py")
    top = {name.split(".")[0] for name in found if not name.startswith(".")}
    assert top & FORBIDDEN == set()
    relative = {resolve(module, name) for name in found if name.startswith(".")}
    assert relative <= PURE_SIBLINGS, f"{module} imports non-pure siblings {relative - PURE_SIBLINGS}"


@pytest.mark.parametrize("module", [m for m in PURE if m.startswith("kinds/")])
def test_kinds_write_exports_through_the_interface_only(module: str) -> None:
    """A kind writes its XLSX sheet and report block through kinds/exporting.py's protocols:
    no spreadsheet or template package, nothing from the export package."""
    found = imported_modules(PACKAGE / f"{module}.py")
    top = {name.split(".")[0] for name in found if not name.startswith(".")}
    assert top & {"xlsxwriter", "jinja2", "markupsafe"} == set()
    relative = {resolve(module, name) for name in found if name.startswith(".")}
    assert not any(r == "export" or r.startswith("export/") for r in relative), relative


def test_layer_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app\nfrom .store import x\nfrom .. import store, qr\n")
    assert imported_modules(bad) == {"flask", ".store", "..store", "..qr"}
    assert resolve("export/data", "..store") == "store"
    assert resolve("export/data", ".common") == "export/common"
    assert resolve("aggregate", ".store") == "store"


def test_only_broadcast_emits() -> None:
    """Every emit names its audience and lives in broadcast.py."""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "broadcast.py":
            continue
        assert "socketio.emit(" not in path.read_text(), path
        assert "emit(" not in path.read_text().replace("send_snapshot", ""), path
