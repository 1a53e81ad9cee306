"""The layers of docs/architecture.md, checked on the tree as it is (no hand-kept list of modules here).

- The **pure core** imports no web, database or async package, and of the package only other
  pure modules. Which modules are pure is said once, in pyproject.toml: the modules that mypy
  checks strictly (``facilitator.kinds.*``, ``facilitator.export.*``, programme, aggregate, ...).
  A new module in ``facilitator/kinds/`` or ``facilitator/export/`` is pure by its folder.
- The **handlers** (``facilitator/views/*`` for HTTP, ``facilitator/events`` for Socket.IO in)
  go through the use cases (``facilitator/live``) and never use ``store`` themselves.
- Only broadcast emits.
- **One kind, one place**: a kind's tally class lives in its module in ``facilitator/kinds/``;
  nothing outside that package names one, tests a tally's class (``isinstance``) or probes it
  (``hasattr``/``getattr``): it calls the hooks every ``Tally`` has (``kinds/tally.py``). The
  kinds package imports nothing of ``facilitator.aggregate`` (which imports it).
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests import markers

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "facilitator"
FORBIDDEN = {
    "flask",
    "flask_socketio",
    "flask_babel",
    "sqlalchemy",
    "eventlet",
    "gevent",
    "socketio",
    "engineio",
    "werkzeug",
}
#: the handler layer: these packages and modules (a module may become a package of that name)
HANDLERS = ("views", "events")


def module_name(path: Path) -> str:
    """``facilitator/kinds/scale.py`` -> ``facilitator.kinds.scale`` (a package: its name)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def strict_patterns() -> list[str]:
    """The modules mypy checks strictly (pyproject.toml): the pure core."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    found: list[str] = []
    for override in config["tool"]["mypy"]["overrides"]:
        if override.get("disallow_untyped_defs"):
            names = override["module"]
            found.extend([names] if isinstance(names, str) else names)
    return found


def matches(name: str, pattern: str) -> bool:
    """mypy's rule: ``a.b.*`` is ``a.b`` and everything below it."""
    if pattern.endswith(".*"):
        return name == pattern[:-2] or name.startswith(pattern[:-1])
    return fnmatch.fnmatchcase(name, pattern)


PURE_PATTERNS = strict_patterns()
PURE = sorted(n for n in MODULES if any(matches(n, p) for p in PURE_PATTERNS))
HANDLER_MODULES = sorted(n for n in MODULES if n.split(".")[1:2] and n.split(".")[1] in HANDLERS)


# ast.parse runs in a child process: CPython 3.11's parser is not safe to use while another
# thread compiles (Jinja in the app threads of the tests that ran before).
_SCAN = r"""
import ast, json, sys
out = {}
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    imports, store, names, types, probes, classes = [], [], [], [], [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.append([node.id, node.lineno])
        elif isinstance(node, ast.Attribute):
            names.append([node.attr, node.lineno])
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                classes.append([node.name + ":" + ast.unparse(base).split(".")[-1], node.lineno])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            if node.func.id == "isinstance" and len(node.args) == 2:
                for sub in ast.walk(node.args[1]):
                    if isinstance(sub, ast.Name | ast.Attribute):
                        types.append([sub.id if isinstance(sub, ast.Name) else sub.attr,
                                      node.lineno])
            elif node.func.id in ("hasattr", "getattr"):
                probes.append([node.func.id + "(" + ast.unparse(node.args[0]) + ")",
                               node.lineno])
        if isinstance(node, ast.Import):
            for a in node.names:
                imports.append([a.name, node.lineno])
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            imports.append([base, node.lineno])
            for a in node.names:  # from .. import store
                imports.append([base + ("" if base.endswith(".") else ".") + a.name,
                                node.lineno])
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "store"):
            store.append(["store." + node.attr, node.lineno])
    out[path] = {"imports": imports, "store": store, "names": names, "types": types,
                 "probes": probes, "classes": classes}
print(json.dumps(out))
"""


def scan(*paths: Path) -> dict[Path, dict[str, list[tuple[str, int]]]]:
    done = subprocess.run(
        [sys.executable, "-c", _SCAN, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {
        Path(p): {k: [(str(n), int(line)) for n, line in v] for k, v in found.items()}
        for p, found in json.loads(done.stdout).items()
    }


SCANNED = scan(*MODULES.values())


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (relative ones with their dots; ``from a import b``
    counts as ``a`` and ``a.b``)."""
    found = SCANNED.get(path) or scan(path)[path]
    return {name for name, _ in found["imports"]}


def absolute(name: str, importer: str) -> str:
    """A relative import resolved against the importing module ``importer``."""
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    is_package = MODULES[importer].name == "__init__.py" if importer in MODULES else False
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    rest = name[level:]
    return ".".join(base + ([rest] if rest else []))


def store_uses(path: Path) -> list[str]:
    """Where a file imports ``store`` or calls into it (``store.x``), as 'line: what'."""
    found = SCANNED.get(path) or scan(path)[path]
    name = module_name(path) if path.is_relative_to(ROOT) else "facilitator.views.x"
    uses = [
        f"{line}: import {n}"
        for n, line in found["imports"]
        if absolute(n, name) == "facilitator.store"
        or absolute(n, name).startswith("facilitator.store.")
    ]
    uses += [f"{line}: {what}" for what, line in found["store"]]
    return sorted(set(uses), key=lambda u: (int(u.split(":")[0]), u))


# ------------------------------------------------------------------------------ the tree


def test_the_tree_is_classified() -> None:
    """The pure core and the handlers come from the tree; both are there (a renamed folder or
    a lost pyproject.toml section would otherwise check nothing)."""
    assert {"facilitator.programme", "facilitator.aggregate", "facilitator.kinds"} <= set(PURE)
    assert {"facilitator.views", "facilitator.events"} & set(HANDLER_MODULES)
    assert not set(PURE) & set(HANDLER_MODULES)
    for future in ("facilitator.kinds.anything", "facilitator.export.xlsx", "facilitator.export"):
        assert any(matches(future, p) for p in PURE_PATTERNS), future
    assert not any(matches("facilitator.live.answers", p) for p in PURE_PATTERNS)
    assert not any(matches("facilitator.exports", p) for p in PURE_PATTERNS)


# ----------------------------------------------------------------------------- pure core


@pytest.mark.parametrize("module", PURE)
def test_pure_core_imports_no_web_or_database_package(module: str) -> None:
    found = imported_modules(MODULES[module])
    top = {name.split(".")[0] for name in found if not name.startswith(".")}
    assert top & FORBIDDEN == set()
    inside = {absolute(n, module) for n in found}
    inside = {n for n in inside if n.startswith("facilitator.") or n == "facilitator"}
    # `from . import x` counts as the package and the module: judge the most precise name
    impure = {
        n
        for n in inside
        if n in MODULES
        and n not in PURE
        and not any(m.startswith(n + ".") and m in inside for m in MODULES)
    }
    assert impure == set(), f"{module} imports modules outside the pure core: {sorted(impure)}"


@pytest.mark.parametrize("module", [m for m in PURE if m.startswith("facilitator.kinds.")])
def test_kinds_write_exports_through_the_interface_only(module: str) -> None:
    """A kind writes its XLSX sheet and report block through kinds/exporting.py's protocols:
    no spreadsheet or template package, nothing from the export package."""
    found = imported_modules(MODULES[module])
    top = {name.split(".")[0] for name in found if not name.startswith(".")}
    assert top & {"xlsxwriter", "jinja2", "markupsafe"} == set()
    inside = {absolute(n, module) for n in found}
    assert not any(
        n == "facilitator.export" or n.startswith("facilitator.export.") for n in inside
    ), sorted(inside)


def test_layer_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app\nfrom .store import x\n")
    assert imported_modules(bad) == {"flask", "flask.current_app", ".store", ".store.x"}


# -------------------------------------------------------------------------------- handlers


@pytest.mark.parametrize("module", HANDLER_MODULES)
def test_handlers_never_use_store(module: str) -> None:
    """Views and events call the use cases (live), never the store."""
    assert store_uses(MODULES[module]) == [], module


def test_store_check_catches_every_form(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from .. import live, store\n"
        "from ..store import normalise_code\n"
        "import facilitator.store\n"
        "from facilitator import store as s\n"
        "x = store.list_lives()\n"
        "y: store.LiveSummary\n"
        "no = 'no-store'\n"
    )
    assert store_uses(bad) == [
        "1: import ..store",
        "2: import ..store",
        "2: import ..store.normalise_code",
        "3: import facilitator.store",
        "4: import facilitator.store",
        "5: store.list_lives",
        "6: store.LiveSummary",
    ]


# ------------------------------------------------------------------------------ the kinds

#: what kinds/tally.py defines for every kind: the names code outside the kinds package uses
GENERIC_TALLIES = {"Tally", "Moderated", "QuestionBoard"}


def kind_tallies() -> set[str]:
    """The kinds' own tally classes, from the tree: every class in ``facilitator/kinds/`` that
    derives (through any chain) from ``Tally``, but for the generic ones."""
    bases: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        if name.startswith("facilitator.kinds."):
            for pair, _line in SCANNED[path]["classes"]:
                cls, base = pair.split(":")
                bases.setdefault(cls, set()).add(base)
    found: set[str] = set()
    grew = True
    while grew:
        new = {c for c, b in bases.items() if b & (GENERIC_TALLIES | found)} - found
        found |= new
        grew = bool(new)
    return found - GENERIC_TALLIES


KIND_TALLIES = kind_tallies()


def kind_specific(name: str) -> bool:
    """A kind's own tally class (or a name that looks like one: ``...Tally``)."""
    return name in KIND_TALLIES or (name.endswith("Tally") and name != "Tally")


def tally_probes(path: Path) -> list[str]:
    """Where a file outside the kinds package tells kinds apart by their tally, as 'line:
    what': a kind's tally class named (imported, referenced, ``isinstance``), ``isinstance``
    with ``Moderated``, or ``hasattr``/``getattr`` on a tally or board."""
    found = SCANNED.get(path) or scan(path)[path]
    uses = [
        f"{line}: import {n}" for n, line in found["imports"] if kind_specific(n.rsplit(".", 1)[-1])
    ]
    uses += [f"{line}: {n}" for n, line in found["names"] if kind_specific(n)]
    uses += [
        f"{line}: isinstance {n}"
        for n, line in found["types"]
        if kind_specific(n) or n == "Moderated"
    ]
    uses += [
        f"{line}: {probe}"
        for probe, line in found["probes"]
        if "tally" in probe.lower() or "board" in probe.lower()
    ]
    return sorted(set(uses), key=lambda u: (int(u.split(":")[0]), u))


def test_the_kinds_tallies_are_found() -> None:
    """The kind-specific tally classes come from the tree (a renamed base class would
    otherwise check nothing)."""
    assert {"ChoiceTally", "ScaleTally", "TextTally", "WordCloudTally"} <= KIND_TALLIES
    assert {"RankingTally", "MatrixTally", "TableReportTally"} <= KIND_TALLIES
    assert not KIND_TALLIES & GENERIC_TALLIES


@pytest.mark.parametrize(
    "module", [m for m in MODULES if not (m + ".").startswith("facilitator.kinds.")]
)
def test_only_the_kinds_know_their_tallies(module: str) -> None:
    """Outside ``facilitator/kinds/`` a tally is a ``Tally`` (or, for a kind with
    ``questions``, a ``QuestionBoard``): asked through its hooks, never by its class."""
    assert tally_probes(MODULES[module]) == [], module


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("facilitator.kinds")])
def test_the_kinds_import_nothing_of_aggregate(module: str) -> None:
    """``facilitator.aggregate`` imports the kinds; the kinds take the generic tally from
    ``kinds/tally.py`` (no cycle, no import hidden inside a function)."""
    inside = {absolute(n, module) for n in imported_modules(MODULES[module])}
    assert not any(
        n == "facilitator.aggregate" or n.startswith("facilitator.aggregate.") for n in inside
    )


def test_tally_check_catches_every_form(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from ..aggregate import QuestionBoard, ScaleTally, Tally\n"
        "from ..kinds.table_report import TableReportTally as T\n"
        "from ..kinds import tally\n"
        "ok = isinstance(b, QuestionBoard)\n"
        "x = isinstance(t, ScaleTally | tally.Moderated)\n"
        "if hasattr(tally, 'set_status'): pass\n"
        "y = getattr(board, 'whys', {})\n"
        "z = aggregate.WordCloudTally\n"
        "fine = hasattr(info, 'x')\n"
    )
    assert tally_probes(bad) == [
        "1: import ..aggregate.ScaleTally",
        "2: import ..kinds.table_report.TableReportTally",
        "5: ScaleTally",
        "5: isinstance Moderated",
        "5: isinstance ScaleTally",
        "6: hasattr(tally)",
        "7: getattr(board)",
        "8: WordCloudTally",
    ]


# -------------------------------------------------------------------------------- broadcast


def test_only_broadcast_emits() -> None:
    """Every emit names its audience and lives in broadcast.py."""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "broadcast.py":
            continue
        assert "socketio.emit(" not in path.read_text(), path
        assert "emit(" not in path.read_text().replace("send_snapshot", ""), path


# ---------------------------------------------------------------------------------- markers


def test_starting_a_server_or_chromium_needs_its_marker() -> None:
    """tests/conftest.py marks by fixture; a test that starts app.py or Chromium some other way
    without the marker fails, so the fast tier never starts either."""
    with pytest.raises(AssertionError, match=r"starts the real server .* not marked 'server'"):
        markers.require("server", "the real server (app.py)")
    with pytest.raises(AssertionError, match=r"starts Chromium but is not marked 'browser'"):
        markers.require("browser", "Chromium")
