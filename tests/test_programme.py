"""Programme parsing and validation: good files, broken files, one problem per table row."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from facilitator.programme import (
    Programme,
    ProgrammeError,
    load_programme,
    parse_programme,
    parse_programme_text,
)

HERE = Path(__file__).resolve().parent
SESSIONS = HERE.parent / "sessions"
BROKEN = HERE / "programmes" / "broken"


def test_mini_parses_with_every_kind() -> None:
    p = load_programme(HERE / "programmes" / "mini.yaml")
    assert [(a.id, a.kind, a.section_id) for a in p.activities] == [
        ("welkom", "info", "a"),
        ("kies", "single_choice", "a"),
        ("meer", "multi_choice", "a"),
        ("schaal", "scale", "b"),
        ("schuif", "scale", "b"),
        ("tekst", "open_text", "b"),
    ]
    assert p.activity("meer").max_choices == 2
    assert p.activity("kies").option_ids == ("rood", "groen", "blauw")
    assert p.activity("schaal").scale.positions == [1, 2, 3, 4, 5]
    assert p.activity("schaal").why.max_length == 280
    assert len(p.activity("schuif").scale.positions) == 101
    assert p.activity("tekst").max_length == 280
    assert p.show_results == "after_close" and p.privacy_threshold == 3


def test_snapshot_round_trip_is_equal() -> None:
    p = load_programme(SESSIONS / "brugfiguren.yaml")
    again = Programme.from_dict(copy.deepcopy(p.to_dict()))
    assert again == p
    assert again.activity("rol_moeilijkst") == p.activity("rol_moeilijkst")
    assert again.position("bedankt") == len(p.activities) - 1


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_programme_in_sessions_is_valid(path: Path) -> None:
    p = load_programme(path)
    assert p.activities


def test_brugfiguren_covers_the_deck_and_keeps_provisional_content_marked() -> None:
    p = load_programme(SESSIONS / "brugfiguren.yaml")
    kinds = {a.kind for a in p.activities}
    assert kinds == {
        "info",
        "single_choice",
        "multi_choice",
        "scale",
        "open_text",
        "word_cloud",
        "ranking",
        "matrix",
        "qna",
        "table_report",
    }
    natural = {
        "ijsbreker_provincie": "single_choice",
        "ijsbreker_organisatie": "single_choice",
        "ijsbreker_gemeente": "single_choice",
        "ijsbreker_onderwijsniveau": "single_choice",
        "problematieken_woordwolk": "word_cloud",
        "bruggencontinuum": "scale",
        "rol_comfortabel": "single_choice",
        "rol_moeilijkst": "single_choice",
        "bouwstenen_matrix": "matrix",
        "vragen": "qna",
    }
    for aid, kind in natural.items():
        assert p.activity(aid) is not None and p.activity(aid).kind == kind, aid
    assert p.activity("bruggencontinuum").why is not None
    # the six building blocks' names are provisional: every item stays marked
    matrix = p.activity("bouwstenen_matrix")
    assert len(matrix.items) == 6 and all(o.placeholder for o in matrix.items)
    assert matrix.placeholder
    assert [(r.id, r.polarity) for r in matrix.ratings] == [
        ("makkelijk", "positive"),
        ("uitdaging", "negative"),
        ("weet_niet", "neutral"),
    ]
    assert p.moderation == "before" and p.activity("vragen").moderated
    assert p.activity("zes_bouwstenen").placeholder
    # the report-back moment after the building blocks: added, not from the deck
    terug = p.activity("tafels_terugkoppeling")
    assert terug.kind == "table_report" and terug.origin == "added" and terug.placeholder
    assert terug.option_ids == tuple(o.id for o in matrix.items)
    assert terug.settings["reporter"] == "one" and terug.settings["max_picks"] == 1
    ids = [a.id for a in p.activities]
    assert ids.index("tafels_terugkoppeling") > ids.index("bouwstenen_rangschikking")
    assert p.activity("bruggencontinuum").scale.placeholder
    ref = p.activity("rol_moeilijkst").reference
    assert ref.values["luis_in_de_pels"] == 73 and ref.values["netwerker"] is None
    assert ref.sums_to_100 is False and ref.n == 51
    assert p.activity("doelen").reference.values["armoede"] == 58.82


def _expected(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


BROKEN_EXPECTED = {
    "duplicate_activity_id.yaml": ["activity 'vraag': duplicate activity id 'vraag'"],
    "invalid_yaml.yaml": ["not valid YAML at line 15, column 11"],
    "max_choices_too_large.yaml": [
        "activity 'meer'.max_choices: 4 is out of range (expected from 1 to 3)"
    ],
    "missing_nl_text.yaml": ["activity 'vraag'.prompt: missing or empty 'nl' text"],
    "reference_unknown_option.yaml": [
        "activity 'kleur'.reference.values: 'paars' is not an "
        "option id of this activity (options: rood, groen)"
    ],
    "scale_step_mismatch.yaml": [
        "activity 'schaal'.scale: max - min (10) must be a multiple of step (3)"
    ],
    "unknown_field_typo.yaml": [
        "activity 'vraag': unknown field 'promt' (did you mean 'prompt'?",
        "activity 'vraag'.prompt: expected a text",
    ],
    "compare_with_unknown.yaml": [
        "activity 'na'.compare_with: 'uitleg' is not the id of a scale activity"
    ],
    "matrix_bad_polarity.yaml": [
        "activity 'blokken'.ratings[0].polarity: 'good' is not allowed "
        "(expected one of: positive, negative, neutral)"
    ],
    "ranking_too_many.yaml": [
        "activity 'rang'.options: expected a list of 2 to 12 options, got a list of 13"
    ],
    "unknown_kind.yaml": [
        "activity 'wolk'.kind: 'poll' is not a known kind (expected one of: "
        "info, single_choice, multi_choice, scale, open_text, word_cloud, "
        "ranking, matrix, qna, table_report)"
    ],
}


@pytest.mark.parametrize("name", sorted(BROKEN_EXPECTED))
def test_broken_files_get_precise_messages(name: str) -> None:
    with pytest.raises(ProgrammeError) as exc:
        load_programme(BROKEN / name)
    problems = exc.value.problems
    assert len(problems) == len(BROKEN_EXPECTED[name]), problems
    for problem, expected in zip(problems, BROKEN_EXPECTED[name], strict=True):
        assert problem.startswith(f"{name}: "), problem
        assert expected in problem, problem


def test_every_broken_fixture_is_in_the_table() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(BROKEN_EXPECTED)


def _mini() -> dict:
    return yaml.safe_load((HERE / "programmes" / "mini.yaml").read_text())


def _act(data: dict, aid: str) -> dict:
    for s in data["programme"]["sections"]:
        for a in s["activities"]:
            if a["id"] == aid:
                return a
    raise KeyError(aid)


def _set(aid: str, **fields):
    def change(d: dict) -> None:
        _act(d, aid).update(fields)

    return change


def _del(aid: str, key: str):
    def change(d: dict) -> None:
        del _act(d, aid)[key]

    return change


def _prog(**fields):
    def change(d: dict) -> None:
        d["programme"].update(fields)

    return change


CASES = [
    ("empty id", _set("kies", id=""), "invalid id ''"),
    ("uppercase id", _set("kies", id="Kies"), "invalid id 'Kies'"),
    ("missing kind", _del("kies", "kind"), "'kies'.kind: None is not a known kind"),
    (
        "draft 'type' key",
        lambda d: (_act(d, "kies").pop("kind"), _act(d, "kies").update(type="single_choice")),
        "missing field 'kind' (this format says 'kind', not 'type')",
    ),
    (
        "one option",
        _set("kies", options=[{"id": "x", "nl": "X", "en": "X"}]),
        "'kies'.options: expected a list of 2 to 30 options, got a list of 1",
    ),
    (
        "duplicate option",
        _set(
            "kies", options=[{"id": "x", "nl": "X", "en": "X"}, {"id": "x", "nl": "Y", "en": "Y"}]
        ),
        "duplicate option id 'x'",
    ),
    (
        "option missing en",
        _set("kies", options=[{"id": "x", "nl": "X"}, {"id": "y", "nl": "Y", "en": "Y"}]),
        "'kies'.options[0]: missing field 'en'",
    ),
    ("unknown option set", _set("kies", options="kleuren"), "unknown option set 'kleuren'"),
    ("max_choices zero", _set("meer", max_choices=0), "'meer'.max_choices: 0 is out of range"),
    ("max_choices text", _set("meer", max_choices="2"), "expected a whole number, got '2'"),
    (
        "scale max below min",
        _set(
            "schaal",
            scale={
                "min": 5,
                "max": 1,
                "left_label": {"nl": "a", "en": "a"},
                "right_label": {"nl": "b", "en": "b"},
            },
        ),
        "max (1) must be greater than min (5)",
    ),
    (
        "scale too many positions",
        _set(
            "schuif",
            scale={
                "min": 0,
                "max": 1000,
                "left_label": {"nl": "a", "en": "a"},
                "right_label": {"nl": "b", "en": "b"},
            },
        ),
        "1001 positions is too many (expected at most 201)",
    ),
    (
        "scale without labels",
        _set("schaal", scale={"min": 1, "max": 5}),
        "'schaal'.scale: missing field 'left_label'",
    ),
    (
        "open_text too long",
        _set("tekst", max_length=5000),
        "'tekst'.max_length: 5000 is out of range (expected from 1 to 1000)",
    ),
    ("info without title", _del("welkom", "title"), "'welkom'.title: expected a text"),
    (
        "link not http",
        _set("welkom", links=[{"label": "x", "url": "javascript:alert(1)"}]),
        "expected an http:// or https:// address",
    ),
    (
        "text with extra language",
        _set("kies", prompt={"nl": "a", "en": "b", "fr": "c"}),
        "unknown language 'fr'",
    ),
    (
        "show_results typo",
        _set("kies", show_results="always"),
        "'always' is not allowed (expected one of: live, after_close, manual)",
    ),
    ("numeric version", _prog(version=1.10), "put quotes around it"),
    (
        "default language not listed",
        _prog(default_language="fr"),
        "'fr' is not one of the languages",
    ),
    ("no sections", _prog(sections=[]), "expected a non-empty list of sections"),
    (
        "unknown top-level key",
        _prog(titel={"nl": "x", "en": "x"}),
        "unknown field 'titel' (did you mean 'title'?",
    ),
    (
        "reference to unknown source",
        _set("kies", reference={"source": "x", "values": {"rood": 1}, "sums_to_100": False}),
        "unknown reference source 'x'",
    ),
    (
        "segment label without profile",
        _set("kies", segment_label={"nl": "Kleur", "en": "Colour"}),
        "'kies'.segment_label: only a profile question (profile: true) has a segment label",
    ),
    (
        "segment label too long",
        _set(
            "kies",
            profile=True,
            segment_label={"nl": "Kleur", "en": "The colour that the participant chose at first"},
        ),
        "'kies'.segment_label: the 'en' text has 46 characters (expected at most 40",
    ),
    (
        "segment label not a text",
        _set("kies", profile=True, segment_label="Kleur"),
        "'kies'.segment_label: expected a text with one entry per language",
    ),
    (
        "segment label on multi_choice",
        _set("meer", segment_label={"nl": "a", "en": "a"}),
        "'meer': unknown field 'segment_label'",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_problem_one_message(change, expected: str) -> None:
    data = _mini()
    change(data)
    with pytest.raises(ProgrammeError) as exc:
        parse_programme(data, "mini.yaml")
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert all(p.startswith("mini.yaml: ") for p in exc.value.problems)


def test_all_problems_are_reported_not_only_the_first() -> None:
    data = _mini()
    _act(data, "kies")["options"] = "nope"
    _act(data, "meer")["max_choices"] = 99
    _act(data, "tekst")["max_length"] = 0
    with pytest.raises(ProgrammeError) as exc:
        parse_programme(data, "mini.yaml")
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize("text", ["", "   ", "programme: [1, 2]", "- a\n- b\n", "42"])
def test_not_a_programme_at_all(text: str) -> None:
    with pytest.raises(ProgrammeError) as exc:
        parse_programme_text(text, "x.yaml")
    assert exc.value.problems and exc.value.problems[0].startswith("x.yaml: ")


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("titel: caf\xe9".encode("latin-1"))
    with pytest.raises(ProgrammeError, match="not UTF-8"):
        load_programme(tmp_path / "latin1.yaml")
    with pytest.raises(ProgrammeError, match="cannot read the file"):
        load_programme(tmp_path / "missing.yaml")


# ------------------------------------------------------------------------------ branding

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b57a4"/></svg>'


def _logo_folder(tmp_path: Path) -> Path:
    """A programme folder with good and bad logo files, and a file outside it."""
    folder = tmp_path / "sessions"
    (folder / "logos").mkdir(parents=True)
    (folder / "logo.png").write_bytes(PNG)
    (folder / "logos" / "logo.svg").write_bytes(SVG)
    (folder / "fake.png").write_bytes(b"GIF89a not a png")
    (folder / "fake.jpg").write_bytes(PNG)
    (folder / "fake.webp").write_bytes(b"RIFF\x00\x00\x00\x00WAVE")
    (folder / "big.png").write_bytes(PNG + b"\x00" * (101 * 1024))
    (folder / "empty.svg").write_bytes(b"")
    (folder / "page.svg").write_bytes(b"<html><body>not an svg</body></html>")
    (folder / "script.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (folder / "onload.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    )
    (folder / "entity.svg").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    (folder / "remote.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>'
    )
    (folder / "foreign.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>'
    )
    (folder / "latin1.svg").write_bytes("<svg>caf\xe9</svg>".encode("latin-1"))
    (folder / "logo.gif").write_bytes(b"GIF89a")
    (tmp_path / "outside.png").write_bytes(PNG)
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    return folder


def _branding(**fields):
    def change(d: dict) -> None:
        d["programme"]["branding"] = fields

    return change


BRANDING_CASES = [
    (
        "not a mapping",
        _prog(branding="blue"),
        "programme.branding: expected a mapping of fields, got a string",
    ),
    (
        "unknown key",
        _branding(logos="logo.png"),
        "programme.branding: unknown field 'logos' (did you mean 'logo'?",
    ),
    (
        "colour word",
        _branding(accent="blue"),
        "programme.branding.accent: expected a colour like \"#0B57A4\" (# and six hexadecimal digits), got 'blue'",
    ),
    ("colour too short", _branding(accent="#0B57A"), "got '#0B57A'"),
    ("colour without #", _branding(accent="0B57A4"), "got '0B57A4'"),
    ("colour not hex", _branding(accent="#0B57AZ"), "got '#0B57AZ'"),
    ("colour a number", _branding(accent=123456), "got 123456"),
    (
        "colour unquoted (YAML comment)",
        _branding(accent=None),
        "programme.branding.accent: is empty: in YAML an unquoted # starts a comment",
    ),
    (
        "theme",
        _branding(theme="grey"),
        "programme.branding.theme: 'grey' is not allowed (expected one of: light, dark)",
    ),
    (
        "logo a number",
        _branding(logo=42),
        'programme.branding.logo: expected the name of an image file, like "logo.svg" (next to the programme) or "/static/img/logo.png", got a number',
    ),
    ("logo empty", _branding(logo=" "), "expected the name of an image file"),
    ("logo a list", _branding(logo=["logo.png"]), "got a list of 1"),
    (
        "logo type",
        _branding(logo="logo.gif"),
        "programme.branding.logo: 'logo.gif' is not an image type the screens show (expected a file ending in .png, .svg, .jpg, .jpeg, .webp)",
    ),
    (
        "logo missing",
        _branding(logo="nope.png"),
        "programme.branding.logo: file 'nope.png' not found in sessions/",
    ),
    (
        "logo missing in static",
        _branding(logo="/static/img/nope.png"),
        "programme.branding.logo: file '/static/img/nope.png' not found in static/",
    ),
    (
        "logo parent folder",
        _branding(logo="../outside.png"),
        "programme.branding.logo: '../outside.png' is not a safe path",
    ),
    ("logo absolute", _branding(logo="/etc/logo.png"), "'/etc/logo.png' is not a safe path"),
    (
        "logo static traversal",
        _branding(logo="/static/../sessions/brugfiguren.png"),
        "is not a safe path",
    ),
    ("logo home", _branding(logo="~/logo.png"), "'~/logo.png' is not a safe path"),
    ("logo windows", _branding(logo="C:\\logo.png"), "is not a safe path"),
    ("logo backslash", _branding(logo="logos\\logo.svg"), "is not a safe path"),
    ("logo url", _branding(logo="https://example.org/logo.png"), "is not a safe path"),
    (
        "logo link outside",
        _branding(logo="link.png"),
        "programme.branding.logo: 'link.png' leads outside sessions/ (a link?)",
    ),
    (
        "logo too big",
        _branding(logo="big.png"),
        "programme.branding.logo: 'big.png' is 101 KB (at most 100 KB",
    ),
    (
        "png that is not",
        _branding(logo="fake.png"),
        "'fake.png' is not a PNG image (its first bytes say otherwise)",
    ),
    ("jpeg that is not", _branding(logo="fake.jpg"), "'fake.jpg' is not a JPEG image"),
    ("webp that is not", _branding(logo="fake.webp"), "'fake.webp' is not a WebP image"),
    ("svg empty", _branding(logo="empty.svg"), "'empty.svg' is empty"),
    (
        "svg that is html",
        _branding(logo="page.svg"),
        "'page.svg' is not an SVG image (expected an <svg> element first)",
    ),
    (
        "svg not utf-8",
        _branding(logo="latin1.svg"),
        "'latin1.svg' is not an SVG image (not UTF-8 text)",
    ),
    ("svg script", _branding(logo="script.svg"), "'script.svg' contains a <script>: remove it"),
    (
        "svg handler",
        _branding(logo="onload.svg"),
        "'onload.svg' has an event handler attribute (on...=)",
    ),
    ("svg entity", _branding(logo="entity.svg"), "'entity.svg' declares XML entities"),
    (
        "svg remote",
        _branding(logo="remote.svg"),
        "'remote.svg' loads something from another address",
    ),
    (
        "svg foreignObject",
        _branding(logo="foreign.svg"),
        "'foreign.svg' contains a <foreignObject>",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [c[1:] for c in BRANDING_CASES], ids=[c[0] for c in BRANDING_CASES]
)
def test_branding_problem_one_message(tmp_path: Path, change, expected: str) -> None:
    folder = _logo_folder(tmp_path)
    data = _mini()
    change(data)
    with pytest.raises(ProgrammeError) as exc:
        parse_programme(data, "mini.yaml", folder)
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert len(exc.value.problems) == 1, exc.value.problems


@pytest.mark.parametrize("logo", ["logo.png", "logos/logo.svg"])
def test_branding_logo_accent_and_theme(tmp_path: Path, logo: str) -> None:
    folder = _logo_folder(tmp_path)
    text = (HERE / "programmes" / "mini.yaml").read_text()
    marker = '  title: {nl: "Mini", en: "Mini"}\n'
    assert marker in text
    file = folder / "branded.yaml"
    file.write_text(
        text.replace(
            marker,
            marker + f'  branding:\n    logo: {logo}\n    accent: "#0B57A4"\n    theme: dark\n',
        )
    )
    p = load_programme(file)
    b = p.branding
    assert b is not None
    assert (b.accent, b.theme, b.logo) == ("#0b57a4", "dark", logo)
    raw = (folder / logo).read_bytes()
    assert b.logo_bytes == raw and b.logo_size == len(raw)
    assert b.logo_type == ("image/png" if logo.endswith(".png") else "image/svg+xml")
    # the live session's snapshot keeps the image: the file may change afterwards
    again = Programme.from_dict(copy.deepcopy(p.to_dict()))
    assert again == p and again.branding.logo_bytes == raw
    (folder / logo).unlink()
    assert again.branding.logo_bytes == raw


def test_branding_defaults_and_a_logo_without_a_folder(tmp_path: Path) -> None:
    data = _mini()
    data["programme"]["branding"] = {"accent": "#ffcc00"}
    p = parse_programme(data, "mini.yaml")
    assert p.branding is not None and (p.branding.theme, p.branding.logo) == ("light", None)
    assert load_programme(HERE / "programmes" / "mini.yaml").branding is None
    data["programme"]["branding"] = {"logo": "logo.png"}
    with pytest.raises(ProgrammeError, match="this programme was not read from a file"):
        parse_programme(data, "mini.yaml")


def test_accent_text_keeps_aa_contrast() -> None:
    """A light accent is darkened for text on white, a dark one lightened on the dark theme;
    an accent with enough contrast is used as it is."""
    from facilitator.colour import contrast, readable

    assert readable("#0b57a4", "#ffffff") == "#0b57a4"
    for accent in ("#ffcc00", "#56b4e9", "#e69f00", "#ffffff", "#7fff00"):
        text = readable(accent, "#ffffff")
        assert contrast(text, "#ffffff") >= 4.5 and text != accent, (accent, text)
    for accent in ("#0b57a4", "#000000", "#5a2d82"):
        text = readable(accent, "#121212")
        assert contrast(text, "#121212") >= 4.5 and text != accent, (accent, text)
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_a_segment_label_names_the_breakdown() -> None:
    """A profile question's segment_label names its dimension on the screens; without one, the
    title, then the prompt."""
    from datetime import datetime

    from facilitator.programme import Programme
    from facilitator.snapshot import LiveState, dimensions

    def live_of(programme: Programme, tables: int) -> LiveState:
        return LiveState(
            id=1,
            code="ABC234",
            programme=programme,
            version=1,
            current=None,
            control_key="c",
            projector_key="p",
            created_at=datetime(2026, 1, 1),
            tables=tables,
        )

    data = _mini()
    _act(data, "kies").update(profile=True, segment_label={"nl": "Kleur", "en": "Colour"})
    programme = parse_programme(data, "mini.yaml")
    assert programme.activity("kies").segment_label == {"nl": "Kleur", "en": "Colour"}
    assert Programme.from_dict(programme.to_dict()) == programme  # stored with the session
    live = live_of(programme, 2)
    assert [(d["id"], d["label"]) for d in dimensions(live)] == [
        ("table", {"nl": "Tafel", "en": "Table"}),
        ("kies", {"nl": "Kleur", "en": "Colour"}),
    ]
    del _act(data, "kies")["segment_label"]
    programme = parse_programme(data, "mini.yaml")
    live = live_of(programme, 0)
    assert [(d["id"], d["label"]) for d in dimensions(live)] == [
        ("kies", {"nl": "Welke kleur?", "en": "Which colour?"})
    ]


# -------------------------------------------------- hostile programme files (issue 12, item 11)

MINI_TEXT = (HERE / "programmes" / "mini.yaml").read_text()


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProgrammeError) as err:
        load_programme(path)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "deep.yaml",
            "programme: " + "[" * 100_000 + "]" * 100_000 + "\n",
            "deep.yaml: programme" + "[0]" * 31 + ": nested deeper than 32 levels",
        ),
        (
            "deepmap.yaml",
            "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "x: 1\n",
            "deepmap.yaml: k0.k1.k2",
        ),
        (
            "bomb.yaml",
            'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n"
                for i in range(8)
            ),
            "bomb.yaml: f[0]: anchors and aliases (*name) expand to more than 200000 values",
        ),
        (
            "tag.yaml",
            "programme: !!python/object/apply:os.system ['true']\n",
            "tag.yaml: programme: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (
            "twice.yaml",
            MINI_TEXT.replace("  id: mini\n", "  id: mini\n  id: mini2\n"),
            "twice.yaml: programme.id: the key 'id' is written twice (keep one)",
        ),
    ],
)
def test_a_hostile_file_gets_a_clear_problem(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    """Deep nesting, anchor bombs, tags and keys twice are refused before the file is parsed:
    a problem naming the file, never a RecursionError or minutes of work."""
    path = tmp_path / name
    path.write_text(text)
    [found] = problems_of(path)
    assert found.startswith(problem), found
    assert len(found) < 400


def test_a_file_over_one_megabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """60 MB (sparse: nothing to read) and 1 MB + 1 byte of invalid UTF-8: both refused for
    their size; the second would say "not UTF-8" had it been read."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(60 * 1024 * 1024)
    assert problems_of(big) == ["big.yaml: file: 61440 KB is too big (at most 1024 KB)"]
    edge = tmp_path / "edge.yaml"
    edge.write_bytes(b"\xff" * (1024 * 1024 + 1))
    assert problems_of(edge) == ["edge.yaml: file: 1024 KB is too big (at most 1024 KB)"]
    ok = tmp_path / "ok.yaml"
    ok.write_text(MINI_TEXT + "#" * (1024 * 1024 - len(MINI_TEXT.encode()) - 1) + "\n")
    assert load_programme(ok).id == "mini"  # exactly 1 MB is allowed


@pytest.mark.parametrize(
    ("old", "new", "start"),
    [
        ('  version: "1"', '  version: ["' + "v" * 30_000 + '"]', "expected a version string"),
        ("  id: mini", "  id: " + "M" * 30_000, "invalid id 'MMMM"),
        (
            "  languages: [nl, en]",
            "  languages: [nl, en]\n  ? " + "k" * 50_000 + "\n  : 1",
            "unknown field",
        ),
        ("kind: single_choice", "kind: " + "s" * 30_000, "'ssss"),
    ],
)
def test_a_long_value_is_quoted_cut_short(tmp_path: Path, old: str, new: str, start: str) -> None:
    path = tmp_path / "long.yaml"
    assert old in MINI_TEXT
    path.write_text(MINI_TEXT.replace(old, new, 1))
    found = problems_of(path)
    assert any(start in p for p in found), found
    assert all(len(p) <= 700 for p in found), [len(p) for p in found]
    assert any("…" in p for p in found), found


def test_parsed_files_are_kept_until_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control screen lists every programme on every load: a file is parsed again only
    when it (or the logo it names) changed."""
    import facilitator.programme as programme_module

    calls: list[str] = []
    real = programme_module.parse_programme_text

    def counting(raw: str, filename: str = "<programme>", *args: object) -> Programme:
        calls.append(filename)
        return real(raw, filename, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(programme_module, "parse_programme_text", counting)
    good = tmp_path / "good.yaml"
    good.write_text(MINI_TEXT)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_TEXT.replace("  id: mini", "  id: Mini!"))
    logo = tmp_path / "logo.svg"
    withlogo = tmp_path / "withlogo.yaml"
    withlogo.write_text(
        MINI_TEXT.replace(
            "  languages: [nl, en]", "  languages: [nl, en]\n  branding: {logo: logo.svg}"
        )
    )
    for _ in range(3):
        assert load_programme(good).id == "mini"
        assert len(problems_of(bad)) == 1
        assert len(problems_of(withlogo)) == 1  # the logo is missing
    assert sorted(calls) == ["bad.yaml", "good.yaml", "withlogo.yaml"]
    first = load_programme(good)
    assert load_programme(good) is first

    good.write_text(MINI_TEXT.replace('version: "1"', 'version: "2"'))  # same size
    assert load_programme(good).version == "2"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    assert load_programme(withlogo).branding is not None
    assert sorted(calls) == ["bad.yaml", "good.yaml", "good.yaml", "withlogo.yaml", "withlogo.yaml"]


def test_the_control_screen_lists_a_hostile_folder(tmp_path: Path) -> None:
    """/control/ with a deep, a huge and a broken file beside a good one: 200, each problem
    shown, the good one startable; `programmes check` says the same and exits 1."""
    from facilitator import create_app, store
    from tests.inprocess import app_config

    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "good.yaml").write_text(MINI_TEXT)
    (folder / "deep.yaml").write_text("programme: " + "{a: " * 50_000 + "1" + "}" * 50_000)
    with (folder / "huge.yaml").open("wb") as f:
        f.truncate(30 * 1024 * 1024)
    (folder / "long.yaml").write_text(
        MINI_TEXT.replace("  id: mini", "  id: " + "Z" * 1_000_000)[:1_000_000]
    )
    app = create_app({**app_config(tmp_path), "PROGRAMMES_DIR": str(folder)})
    http = app.test_client()
    with app.app_context():
        token = store.create_sign_in_token()
    assert http.get(f"/login?token={token}").status_code == 302
    page = http.get("/control/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "nested deeper than 32 levels" in html
    assert "30720 KB is too big (at most 1024 KB)" in html
    assert "Z" * 100 not in html
    assert len(html) < 100_000
    assert 'name="programme" value="good"' in html
    result = app.test_cli_runner().invoke(args=["programmes", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert "FAIL " in result.output and "ok   " in result.output
