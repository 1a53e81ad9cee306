"""YAML in and out for the editor: a safety screen before anything is parsed, and round-trip
writing that keeps a hand-written file's comments, quoting and key order where nothing changed.

Pure core: PyYAML (its event parser, to screen) and ruamel.yaml (round-trip), no Flask.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from ..yamlsafe import MAX_BYTES, MAX_DEPTH, MAX_NODES, screen

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "dump", "load_roundtrip", "screen"]

#: the screen before parsing (size, tags, depth, anchors, keys twice) is shared with the
#: programme check: ``facilitator/yamlsafe.py``
# --------------------------------------------------------------------------- round trip


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a long line the author wrote on one
    y.indent(mapping=2, sequence=4, offset=2)
    # null as the format's documentation writes it ("year: null"), not an empty value
    y.representer.add_representer(
        type(None), lambda r, d: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return y


def load_roundtrip(text: str) -> Any:
    """The document as ruamel's round-trip tree (call ``screen`` first)."""
    return _yaml().load(text)


def dump(doc: Any) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
#: words YAML 1.1 readers (PyYAML, the programme check) take for booleans or null
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain_small(value: dict[str, Any]) -> bool:
    return (
        bool(value)
        and all(
            isinstance(v, str | int | float | bool) and not (isinstance(v, str) and "\n" in v)
            for v in value.values()
        )
        and sum(len(str(k)) + len(str(v)) for k, v in value.items()) < 100
    )


def _new(value: Any) -> Any:
    """A round-trip node for a value the editor sent: small mappings of plain values in flow
    style (``{nl: "Ja", en: "Yes"}``), multi-line strings as ``|`` blocks, other strings
    quoted unless they are a plain word (an id, a kind)."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _new(v)
        if _plain_small(value):
            m.fa.set_flow_style()
        return m
    if isinstance(value, list):
        s = CommentedSeq(_new(v) for v in value)
        if value and all(isinstance(v, str) and len(v) < 20 for v in value):
            s.fa.set_flow_style()
        return s
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    if isinstance(value, str) and (not _WORD.match(value) or value in _YAML11_WORDS):
        # quoted, as the format advises for every text ("Yes", "1.0", "a: b" stay strings)
        return DoubleQuotedScalarString(value)
    return value


def _same_scalar(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, str) and isinstance(new, str):
        # a "|" block ends with a newline the editor's text field may not carry
        return str(old) == new or ("\n" in new and str(old).rstrip("\n") == new.rstrip("\n"))
    if isinstance(old, int | float) and isinstance(new, int | float):
        return old == new and isinstance(old, float) == isinstance(new, float)
    return old is None and new is None


def _ids(items: list[Any]) -> list[Any] | None:
    ids = [x.get("id") if isinstance(x, dict) else None for x in items]
    return ids if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids) else None


def merge(old: Any, new: Any) -> Any:
    """``new`` (plain data from the editor) written over ``old`` (a round-trip node): what is
    unchanged keeps its node (its comments, quoting, flow style and place); list items with
    an ``id`` are matched by id, so moving an activity moves its comments with it."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = merge(old[key], value) if key in old else _new(value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        old_ids, new_ids = _ids(list(old)), _ids(new)
        if old_ids is not None and new_ids is not None:
            by_id = dict(zip(old_ids, old, strict=True))
            items = [
                merge(by_id[i], v) if i in by_id else _new(v)
                for i, v in zip(new_ids, new, strict=True)
            ]
            if old_ids == new_ids:
                for i, item in enumerate(items):
                    old[i] = item
                return old
            seq = CommentedSeq(items)
            seq._yaml_format = old.fa  # type: ignore[attr-defined]  # keep block or flow style
            _move_comments(old, seq, old_ids, new_ids)
            return seq
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = merge(old[i], value)
            else:
                old.append(_new(value))
        del old[len(new) :]
        return old
    if isinstance(old, CommentedMap | CommentedSeq) or isinstance(new, dict | list):
        return _new(new)
    return old if _same_scalar(old, new) else _new(new)


def _move_comments(
    old: CommentedSeq, seq: CommentedSeq, old_ids: list[str], new_ids: list[str]
) -> None:
    """Comments attached to a list item's position follow the item when items move."""
    try:
        items = old.ca.items
    except AttributeError:  # pragma: no cover
        return
    for i, oid in enumerate(old_ids):
        if i in items and oid in new_ids:
            seq.ca.items[new_ids.index(oid)] = items[i]
    if old.ca.comment:
        seq.ca.comment = old.ca.comment


_LEADING = re.compile(r"\A((?:[ \t]*#[^\n]*\n|[ \t]*\n)*)")


def leading_comment(text: str) -> str:
    """The comment block at the top of a file (kept when the file is rewritten from data)."""
    m = _LEADING.match(text)
    return m.group(1) if m else ""
