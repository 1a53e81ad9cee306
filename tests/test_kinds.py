"""The kinds registry (facilitator/kinds/): every kind has its fields, validation, cleaning, tally,
view and no-JavaScript form, and nothing outside facilitator/kinds/ tests a kind's name. Also the
programme format's JSON Schema generated from it (docs/programme.schema.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jinja2 import Environment, FileSystemLoader, nodes
from werkzeug.datastructures import MultiDict

from facilitator import kinds, schema
from facilitator.activities import InvalidResponse, clean_question, clean_response
from facilitator.aggregate import Tally, new_tally
from facilitator.kinds import FormError
from facilitator.kinds.base import COMMON_FIELDS, FIELD_TYPES, Field
from facilitator.programme import load_programme
from facilitator.snapshot import activity_view

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKSHOP = load_programme(HERE / "programmes" / "workshop.yaml")
MINI = load_programme(HERE / "programmes" / "mini.yaml")
BRUGFIGUREN = ROOT / "sessions" / "brugfiguren.yaml"
SCHEMA_FILE = ROOT / "docs" / "programme.schema.json"
NAMES = (
    "info",
    "single_choice",
    "multi_choice",
    "scale",
    "open_text",
    "word_cloud",
    "ranking",
    "matrix",
    "qna",
)


def first_of(name: str) -> Any:
    return next(a for a in WORKSHOP.activities + MINI.activities if a.kind == name)


#: per kind: a good answer (as the socket sends it), what is stored, and a form that carries it
ANSWERS: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "single_choice": ("clb", "clb", {"value": "clb"}),
    "multi_choice": (["c", "a"], ["a", "c"], {"value": ["c", "a"]}),  # mini.yaml's
    "scale": (
        {"position": 3, "why": " omdat "},
        {"position": 3, "why": "omdat"},
        {"position": "3", "why": "omdat"},
    ),
    "open_text": (" Meer tijd ", "Meer tijd", {"text": "Meer tijd"}),
    "word_cloud": (
        ["Tijd", "tijd", "Ruimte!"],
        ["tijd", "ruimte"],
        {"word": ["Tijd", "tijd", "Ruimte!"]},
    ),
    "ranking": (
        ["c", "a", "d", "b"],
        ["c", "a", "d", "b"],
        {"rank:a": "2", "rank:b": "4", "rank:c": "1", "rank:d": "3"},
    ),
    "matrix": ({"y": "ok"}, {"y": "ok"}, {"m:y": "ok", "m:z": ""}),
}


def test_the_registry_lists_every_kind_in_the_documented_order() -> None:
    assert kinds.names() == NAMES
    assert [k.name for k in kinds.registered()] == list(NAMES)
    assert {k.name for k in kinds.registered() if k.answerable} == set(NAMES) - {"info"}
    assert {k.name for k in kinds.registered() if k.moderates} == {
        "open_text",
        "qna",
        "word_cloud",
        "scale",
    }
    assert {k.name for k in kinds.registered() if k.breakdown} == {
        "single_choice",
        "multi_choice",
        "scale",
        "ranking",
        "matrix",
        "word_cloud",
    }
    assert kinds.get("nope") is None


def test_registering_another_kind_under_a_taken_name_fails() -> None:
    class Other(kinds.Kind):
        name = "scale"

    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(Other())
    assert type(kinds.get("scale")).__name__ == "Scale"


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_describes_its_fields(name: str) -> None:
    kind = kinds.get(name)
    assert kind is not None
    assert kind.label["en"] and kind.label["nl"] and kind.help["en"] and kind.help["nl"]
    assert len(kind.fields) >= 1
    names = [f.name for f in kind.all_fields()]
    assert names[: len(COMMON_FIELDS)] == [f.name for f in COMMON_FIELDS]
    assert len(names) == len(set(names)), names
    assert ("moderation" in names) == (kind.moderates is not None)

    def check(field: Field) -> None:
        assert field.type in FIELD_TYPES, field.name
        assert field.label["en"] and field.label["nl"] and field.help["en"] and field.help["nl"]
        for sub in field.fields:
            check(sub)
        json.dumps(field.as_dict())

    for field in kind.all_fields():
        check(field)


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_has_a_form_partial_with_inputs_and_summary(name: str) -> None:
    kind = kinds.get(name)
    assert kind is not None and kind.form_template == f"kinds/{name}.html"
    env = Environment(loader=FileSystemLoader(ROOT / "templates"))
    source = (ROOT / "templates" / kind.form_template).read_text()
    tree = env.parse(source)
    macros = {m.name: [a.name for a in m.args] for m in tree.find_all(nodes.Macro)}
    assert macros == {
        "inputs": ["a", "value", "open", "S", "warning_text", "questions"],
        "summary": ["a", "value"],
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_has_a_view_a_tally_and_cleans_its_answers(name: str) -> None:
    kind = kinds.get(name)
    assert kind is not None
    activity = first_of(name)
    assert kinds.of(activity) is kind
    programme = MINI if activity in MINI.activities else WORKSHOP
    view = activity_view(programme, activity, "control")
    assert view["kind"] == name and set(kind.view(activity, "control")) <= set(view)
    tally = new_tally(activity)
    assert isinstance(tally, Tally) and type(tally) is type(kind.new_tally(activity))
    if name in ANSWERS:
        raw, stored, form = ANSWERS[name]
        assert clean_response(activity, raw) == stored
        sent = kind.form_value(activity, MultiDict(form))
        assert clean_response(activity, sent) == stored
        with pytest.raises(FormError) as err:
            kind.form_value(activity, MultiDict({}))
        assert err.value.code == ("ranking_places" if name == "ranking" else "empty")
        tally.add("p1", stored)
        assert tally.respondents == 1 and tally.result() is not None
    else:
        with pytest.raises(InvalidResponse) as bad:
            clean_response(activity, "x")
        assert bad.value.code == "not_answerable"
        assert kind.answerable is (name != "info") and kind.questions is (name == "qna")
    if kind.questions:
        assert clean_question(activity, "  Waarom?  ") == "Waarom?"
        assert kind.form_value(activity, MultiDict({"text": " Waarom? "})) == "Waarom?"
    else:
        with pytest.raises(InvalidResponse, match="takes no questions"):
            clean_question(activity, "Waarom?")
    if not kind.answerable:
        with pytest.raises(FormError) as err:
            kind.form_value(activity, MultiDict({"value": "x"}))
        assert err.value.code == "not_answerable"


#: the keys of each kind's view, in order, per role: the payload's order is part of its bytes
VIEW_KEYS = {
    ("info", "participant"): ["body", "quotes", "links", "timer"],
    ("single_choice", "participant"): ["options", "timer"],
    ("single_choice", "control"): ["options", "timer", "reference", "presenter_notes"],
    ("multi_choice", "projector"): ["options", "timer", "reference", "max_choices"],
    ("multi_choice", "control"): [
        "options",
        "timer",
        "reference",
        "presenter_notes",
        "max_choices",
    ],
    ("scale", "control"): [
        "moderated",
        "moderation",
        "timer",
        "presenter_notes",
        "scale",
        "compare_with",
    ],
    ("open_text", "participant"): ["moderated", "moderation", "timer", "max_length"],
    ("word_cloud", "control"): [
        "max_words",
        "max_length",
        "moderated",
        "moderation",
        "timer",
        "presenter_notes",
    ],
    ("ranking", "projector"): ["options", "timer"],
    ("matrix", "participant"): ["items", "ratings", "timer"],
    ("qna", "control"): ["moderated", "moderation", "timer", "presenter_notes", "max_length"],
}
COMMON_VIEW = ["id", "kind", "section", "title", "prompt", "placeholder", "optional"]


@pytest.mark.parametrize(("name", "role"), list(VIEW_KEYS))
def test_the_view_keeps_its_keys_in_order(name: str, role: str) -> None:
    programme = load_programme(BRUGFIGUREN)
    activity = next(a for a in programme.activities if a.kind == name)
    assert list(activity_view(programme, activity, role)) == COMMON_VIEW + VIEW_KEYS[name, role]


#: where kinds live; nothing outside these tests a kind's name
KIND_HOMES = ("facilitator/kinds/", "static/js/kinds/", "templates/kinds/")
SHELLS = sorted(
    str(p.relative_to(ROOT))
    for base, ext in (("facilitator", ".py"), ("static/js", ".js"), ("templates", ".html"))
    for p in (ROOT / base).rglob(f"*{ext}")
    if not str(p.relative_to(ROOT)).startswith(KIND_HOMES)
)


def test_the_shells_are_found() -> None:
    assert {
        "facilitator/programme.py",
        "facilitator/live/answers.py",
        "static/js/projector.js",
        "templates/participant/_answer.html",
    } <= set(SHELLS)


@pytest.mark.parametrize("path", SHELLS)
def test_no_kind_name_outside_the_kinds(path: str) -> None:
    """The goal of issue 11: code and templates ask the kind; none names one. (A field that
    shares a kind's name, like an activity's ``scale``, is read as a["scale"] or .get("scale");
    a payload key such as ``"qna":`` is a key, not a kind.)"""
    text = (ROOT / path).read_text()
    names = "|".join(NAMES)
    quoted = re.compile(rf"""(?<!\[)(?<!get\()["']({names})["'](?!\s*:)""")
    assert quoted.findall(text) == []


# ----------------------------------------------------------------------------- the schema


def test_the_committed_schema_is_the_generated_one() -> None:
    """Regenerate with: flask --app app programmes schema > docs/programme.schema.json"""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema.schema_json()


def test_the_schema_has_one_definition_per_kind() -> None:
    s = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$defs"]["activity"]["properties"]["kind"]["enum"] == list(NAMES)
    for name in NAMES:
        d = s["$defs"][name]
        assert d["properties"]["kind"] == {
            "title": "Kind",
            "description": "What the activity asks (or shows).",
            "x-nl": {"title": "Soort", "description": "Wat de activiteit vraagt (of toont)."},
            "const": name,
        }
        assert d["additionalProperties"] is False
    wc = s["$defs"]["word_cloud"]["properties"]["max_words"]
    assert wc == {
        "title": "Words",
        "description": "How many words one participant may give.",
        "x-nl": {"title": "Woorden", "description": "Hoeveel woorden één deelnemer mag geven."},
        "type": "integer",
        "minimum": 1,
        "maximum": 5,
        "default": 3,
    }
    assert s["$defs"]["scale"]["required"] == ["id", "kind", "prompt", "scale"]
    assert s["$defs"]["info"]["required"] == ["id", "kind", "title"]
    assert s["$defs"]["matrix"]["properties"]["ratings"]["anyOf"][0] == {
        "type": "array",
        "items": {"$ref": "#/$defs/rating"},
        "minItems": 2,
        "maxItems": 7,
    }


PROGRAMMES = [BRUGFIGUREN, *sorted((HERE / "programmes").glob("*.yaml"))]


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.name)
def test_every_programme_file_fits_the_schema(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []
    load_programme(path)  # and the app reads it


def test_brugfiguren_names_the_schema_on_its_first_line() -> None:
    first = BRUGFIGUREN.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/programme.schema.json"


BROKEN = [
    # (path into the data, value, a word of the schema's complaint)
    (("sections", 0, "activities", 0, "max_words"), 3, "'max_words' was unexpected"),  # info
    (("sections", 1, "activities", 0, "max_words"), 9, "9 is greater than the maximum of 5"),
    (("sections", 0, "activities", 0, "kind"), "poll", "is not one of"),
    (("settings", "show_results"), "sometimes", "is not one of"),
    (("sections", 0, "id"), "Met Spaties", "does not match"),
]


@pytest.mark.parametrize(("where", "value", "word"), BROKEN)
def test_the_schema_refuses_a_broken_programme(
    where: tuple[Any, ...], value: Any, word: str
) -> None:
    validator = jsonschema.Draft202012Validator(schema.programme_schema())
    data = yaml.safe_load((HERE / "programmes" / "workshop.yaml").read_text(encoding="utf-8"))
    target = data["programme"]
    for key in where[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[where[-1]] = value
    messages = [e.message for e in validator.iter_errors(data)]
    messages += [c.message for e in validator.iter_errors(data) for c in (e.context or ())]
    assert messages and any(word in m for m in messages), messages


def test_the_app_serves_the_schema(client) -> None:
    resp = client.get("/programme.schema.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.get_data(as_text=True) == SCHEMA_FILE.read_text(encoding="utf-8")
    assert (
        "public" in resp.headers["Cache-Control"]
        and "max-age=3600" in resp.headers["Cache-Control"]
    )


def test_the_cli_prints_the_schema(app) -> None:
    result = app.test_cli_runner().invoke(args=["programmes", "schema"])
    assert result.exit_code == 0 and result.output == SCHEMA_FILE.read_text(encoding="utf-8")
