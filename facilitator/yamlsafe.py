"""A safety screen for YAML before it is parsed: size, tags, nesting depth, anchor bombs and
keys written twice, found from PyYAML's event stream (a state machine: no recursion, no objects
built), so that a hostile programme file gets a clear problem naming the file instead of a
RecursionError, minutes of parsing or a huge value in memory.

Used by ``programme.load_programme`` / ``parse_programme_text`` (every programme file the server
or the command line reads) and by the editor (``editor/yamlio.py``). Pure core.
"""

from __future__ import annotations

import io
from typing import Any

import yaml

from .kinds.base import shown
from .programme import Problem

#: an uploaded or saved programme is at most this big (the largest built-in one is ~60 KB)
MAX_BYTES = 1024 * 1024
#: mappings and lists inside each other (a programme needs about 10)
MAX_DEPTH = 32
#: values after expanding every alias (*name): stops "billion laughs" anchor bombs
MAX_NODES = 200_000
#: tags a plain-data programme may carry (``!!str "1.0"`` is fine, ``!!python/...`` never)
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
} | {"!"}


def _where(path: list[Any]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part) if len(str(part)) <= 40 else shown(part)
            out += f".{text}" if out else text
    return out or "file"


def screen(text: str, filename: str = "<programme>") -> list[str]:
    """Problems that make ``text`` unsafe or unusable to load at all, each as
    ``"<file>: <field path>: <message>"`` like the programme check's: too big, not YAML,
    a tag (``!!python/object``), nesting deeper than MAX_DEPTH, anchors that expand to more
    than MAX_NODES values, a key written twice. Empty when it may be parsed."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        return [
            Problem(
                filename,
                "file",
                f"{size / 1024:.0f} KB is too big (at most {MAX_BYTES // 1024} KB)",
                "yaml",
            )
        ]
    problems: list[str] = []

    def fail(path: list[Any], message: str) -> None:
        problems.append(Problem(filename, _where(path), message, "yaml"))

    # a frame per open mapping/list: [kind, path, key or index, expecting a key, keys seen,
    # anchor, node count at start]
    stack: list[list[Any]] = []
    anchors: dict[str, int] = {}
    total = 0
    try:
        for event in yaml.parse(io.StringIO(text), Loader=yaml.SafeLoader):
            if (
                isinstance(event, yaml.NodeEvent)
                and not isinstance(event, yaml.AliasEvent)
                or isinstance(event, yaml.AliasEvent)
            ):
                frame = stack[-1] if stack else None
                if frame is not None and frame[0] == "map" and frame[3]:
                    # a mapping key
                    if not isinstance(event, yaml.ScalarEvent):
                        fail(frame[1], "a key must be a plain word, not a list, mapping or alias")
                        return problems
                    if event.value in frame[4]:
                        fail(
                            frame[1] + [event.value],
                            f"the key {shown(event.value)} is written twice (keep one)",
                        )
                    frame[4].add(event.value)
                    frame[2] = event.value
                    frame[3] = False
                    total += 1
                    continue
                if frame is None:
                    path: list[Any] = []
                elif frame[0] == "map":
                    path = frame[1] + [frame[2]]
                    frame[3] = True
                else:
                    frame[2] += 1
                    path = frame[1] + [frame[2]]
                tag = getattr(event, "tag", None)
                if tag is not None and tag not in _PLAIN_TAGS:
                    fail(
                        path,
                        f"the YAML tag {shown(tag)} is not allowed: a programme is plain "
                        "data (texts, numbers, lists, mappings)",
                    )
                    return problems
                if isinstance(event, yaml.AliasEvent):
                    total += anchors.get(event.anchor or "", 1)
                elif isinstance(event, yaml.ScalarEvent):
                    total += 1
                    if event.anchor:
                        anchors[event.anchor] = 1
                else:
                    total += 1
                    kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                    stack.append(
                        [
                            kind,
                            path,
                            -1 if kind == "seq" else None,
                            True,
                            set(),
                            event.anchor,
                            total,
                        ]
                    )
                    if len(stack) > MAX_DEPTH:
                        fail(
                            path,
                            f"nested deeper than {MAX_DEPTH} levels (a programme needs about 10)",
                        )
                        return problems
                if total > MAX_NODES:
                    fail(
                        path,
                        f"anchors and aliases (*name) expand to more than {MAX_NODES} "
                        "values: write the content out, or use an option set",
                    )
                    return problems
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame[5]:
                    anchors[frame[5]] = total - frame[6] + 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [Problem(filename, "file", f"not valid YAML{where}: {problem}", "yaml")]
    return problems
