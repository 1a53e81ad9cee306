"""The programme editor's use cases (facilitator/editor/programmes.py) and its HTTP API: the
files stay the source of truth (round trip to the same bytes, atomic writes), stale saves are
refused, history/diff/restore, hostile YAML refused with the field named and nothing written,
and a live session keeps its copy whatever happens to the file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from facilitator import create_app, live, store
from facilitator.editor import programmes as P
from facilitator.editor import yamlio
from facilitator.programme import load_programme

ROOT = Path(__file__).resolve().parent.parent
BRUG = ROOT / "sessions" / "brugfiguren.yaml"
MINI = ROOT / "tests" / "programmes" / "mini.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "programmes"
    d.mkdir()
    shutil.copy(BRUG, d / "brugfiguren.yaml")
    shutil.copy(MINI, d / "mini.yaml")
    return d


@pytest.fixture
def lib(folder: Path) -> P.Library:
    return P.Library(folder)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# ------------------------------------------------------------------------ round trip


def test_brugfiguren_round_trips_to_the_same_bytes(lib: P.Library, folder: Path) -> None:
    loaded = lib.load("brugfiguren")
    saved = lib.save("brugfiguren", base_version=loaded.version, author="An", data=loaded.data)
    assert saved.changed is False
    assert (folder / "brugfiguren.yaml").read_bytes() == BRUG.read_bytes()
    # and through the round-trip writer itself, without the "unchanged" short cut
    text = BRUG.read_text(encoding="utf-8")
    doc = yamlio.load_roundtrip(text)
    assert yamlio.dump(yamlio.merge(doc, yaml.safe_load(text))) == text


def test_a_change_keeps_comments_and_order_elsewhere(lib: P.Library, folder: Path) -> None:
    loaded = lib.load("brugfiguren")
    data = json.loads(json.dumps(loaded.data))
    first = data["programme"]["sections"][0]["activities"][0]
    first["title"]["nl"] = "Welkom, <b>allemaal</b>"
    lib.save("brugfiguren", base_version=loaded.version, author="An", data=data)
    before = BRUG.read_text(encoding="utf-8").splitlines()
    after = (folder / "brugfiguren.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1, changed
    assert '"Welkom, <b>allemaal</b>"' in changed[0][1]
    assert after[:40] == before[:40]  # the header comment
    assert (
        load_programme(folder / "brugfiguren.yaml").activities[0].title["nl"]
        == "Welkom, <b>allemaal</b>"
    )


def test_atomic_write_leaves_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.yaml"
    target.write_bytes(b"old")

    def boom(*_a: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(P.os, "replace", boom)
    with pytest.raises(OSError):
        P.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml"]  # no temporary left


# ------------------------------------------------------------------------ versions


def test_stale_save_is_refused_with_who_and_what(lib: P.Library, folder: Path) -> None:
    v0 = lib.load("mini").version
    data = lib.load("mini").data
    data["programme"]["version"] = "2.0"
    lib.save("mini", base_version=v0, author="Anna", data=data)
    after_anna = (folder / "mini.yaml").read_bytes()
    data["programme"]["version"] = "3.0"
    with pytest.raises(P.Stale) as exc:
        lib.save("mini", base_version=v0, author="Bert", data=data)
    assert exc.value.saved_by == "Anna"
    assert exc.value.status == 409
    assert '+  version: "2.0"' in exc.value.diff
    assert "Anna" in exc.value.problems[0]
    assert (folder / "mini.yaml").read_bytes() == after_anna


def test_hand_edit_makes_the_editor_stale(lib: P.Library, folder: Path) -> None:
    v0 = lib.load("mini").version
    path = folder / "mini.yaml"
    path.write_text(path.read_text() + "# edited by hand\n")
    with pytest.raises(P.Stale) as exc:
        lib.save("mini", base_version=v0, author="Bert", data=lib.load("mini").data)
    assert "outside the editor" in exc.value.saved_by


def test_history_diff_restore(lib: P.Library, folder: Path) -> None:
    original = (folder / "mini.yaml").read_text()
    v0 = lib.load("mini").version
    data = lib.load("mini").data
    data["programme"]["version"] = "2.0"
    v1 = lib.save("mini", base_version=v0, author="Anna", data=data).version
    data["programme"]["version"] = "3.0"
    v2 = lib.save("mini", base_version=v1, author="Bert", data=data).version
    hist = lib.history("mini")
    assert [(h.version, h.author, h.current) for h in hist] == [
        (v2, "Bert", True),
        (v1, "Anna", False),
        (v0, "", False),
    ]
    diff = lib.diff("mini", v0, v2)
    lines = diff.splitlines()[2:]
    assert [ln for ln in lines if ln[:1] in "+-"] == ['-  version: "1"', '+  version: "3.0"']
    with pytest.raises(P.Stale):
        lib.restore("mini", v0, base_version=v1, author="Cas")
    lib.restore("mini", v0, base_version=v2, author="Cas")
    assert (folder / "mini.yaml").read_text() == original
    assert lib.history("mini")[0].action == f"restore {v0}"
    with pytest.raises(P.EditorError):
        lib.diff("mini", v0, "0" * 16)


def test_create_duplicate_delete(lib: P.Library, folder: Path) -> None:
    lib.create("leeg", author="An")
    empty = lib.load("leeg")
    assert empty.data["programme"]["sections"] == []
    assert [p["where"] for p in empty.problems] == ["programme.sections"]
    lib.duplicate("brugfiguren", "brug-kopie", author="An")
    copy = load_programme(folder / "brug-kopie.yaml")
    assert (copy.id, copy.status) == ("brug-kopie", "draft")
    text = (folder / "brug-kopie.yaml").read_text()
    assert text.splitlines()[0] == BRUG.read_text().splitlines()[0]  # comments kept
    with pytest.raises(P.EditorError) as exc:
        lib.duplicate("brugfiguren", "brug-kopie", author="An")
    assert exc.value.status == 409
    lib.delete("brug-kopie", base_version=P.content_version(text), author="An")
    assert not (folder / "brug-kopie.yaml").exists()
    assert lib.history  # the versions stay kept
    assert (folder / ".history" / "brug-kopie" / f"{P.content_version(text)}.yaml").exists()


def test_list_has_title_version_status_count_validity(lib: P.Library, folder: Path) -> None:
    (folder / "kapot.yaml").write_text("programme:\n  id: kapot\n  title: {nl: Kapot}\n")
    entries = {e.stem: e for e in lib.entries()}
    brug = entries["brugfiguren"]
    assert (brug.valid, brug.status, brug.label, brug.activities) == (
        True,
        "draft",
        "0.1-draft",
        40,
    )
    assert entries["kapot"].valid is False and entries["kapot"].problems
    assert entries["kapot"].title == {"nl": "Kapot"}


def test_problems_carry_paths_to_the_field(lib: P.Library) -> None:
    data = lib.load("mini").data
    act = data["programme"]["sections"][0]["activities"][1]
    act["prompt"] = {"nl": "Vraag"}
    act["options"][1]["id"] = "Niet Goed"
    problems = lib.check(data, "mini")
    paths = {tuple(p["path"]) for p in problems}
    assert ("programme", "sections", 0, "activities", 1, "prompt") in paths or any(
        p[-1] == "prompt" for p in paths
    ), problems
    assert any(p[-3:] == ("options", 1, "id") for p in paths), problems


# ------------------------------------------------------------------------ hostile input

HOSTILE = {
    "python_tag": (
        "programme: !!python/object/apply:os.system ['echo hi']\n",
        "programme: the YAML tag",
    ),
    "anchor_bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "programme: *h\n",
        "expand to more than",
    ),
    "deep_nesting": ("programme: " + "[" * 60 + "]" * 60 + "\n", "nested deeper than"),
    "too_big": ('programme:\n  notes: "' + "x" * (1024 * 1024) + '"\n', "is too big"),
    "duplicate_key": (
        "programme:\n  id: a\n  id: b\n",
        "programme.id: the key 'id' is written twice",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_refused_and_nothing_written(
    name: str, lib: P.Library, folder: Path
) -> None:
    text, expected = HOSTILE[name]
    before = files_of(folder)
    with pytest.raises(P.EditorError) as exc:
        lib.upload(f"{name.replace('_', '-')}.yaml", text.encode(), author="X")
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert files_of(folder) == before


def _mini_with(change: Any) -> str:
    data = yaml.safe_load(MINI.read_text())
    change(data["programme"])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize(
    "name,change,expected",
    [
        (
            "duplicate-ids",
            lambda p: p["sections"][0]["activities"][1].update(
                id=p["sections"][0]["activities"][0]["id"]
            ),
            "duplicate activity id",
        ),
        (
            "non-slug-id",
            lambda p: p["sections"][0]["activities"][0].update(id="Hallo Wereld"),
            ".id: invalid id 'Hallo Wereld'",
        ),
        ("bad-logo", lambda p: p.update(branding={"logo": "logo.png"}), "programme.branding.logo"),
    ],
)
def test_broken_ids_and_logo_are_refused(
    name: str, change: Any, expected: str, lib: P.Library, folder: Path
) -> None:
    (folder / "logo.png").write_bytes(b"GIF89a not a png")
    before = files_of(folder)
    with pytest.raises(P.EditorError) as exc:
        lib.upload(f"{name}.yaml", _mini_with(change).encode(), author="X")
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert files_of(folder) == before


def _acts(p: dict[str, Any]) -> list[dict[str, Any]]:
    return p["sections"][0]["activities"]


#: each problem that refuses a save (even as a draft), its code and its exact message: the
#: editor refuses by the code, never by the message's text
REFUSED = {
    "duplicate-activity": (
        lambda p: _acts(p)[1].update(id="welkom"),
        "duplicate_id",
        "activity 'welkom'",
        "duplicate activity id 'welkom' (expected each id once in the programme)",
    ),
    "duplicate-section": (
        lambda p: p["sections"][1].update(id="a"),
        "duplicate_id",
        "section 'a'",
        "duplicate section id 'a' (expected each id once)",
    ),
    "duplicate-option": (
        lambda p: _acts(p)[1]["options"][1].update(id="rood"),
        "duplicate_id",
        "activity 'kies'.options[1]",
        "duplicate option id 'rood' (expected each option id once)",
    ),
    "invalid-id": (
        lambda p: _acts(p)[0].update(id="Hallo Wereld"),
        "invalid_id",
        "section 'a', activity #1.id",
        "invalid id 'Hallo Wereld' (expected lowercase letters, digits, '-' or '_', "
        "starting with a letter or digit, at most 64 characters)",
    ),
    "logo-content": (
        lambda p: p.update(branding={"logo": "logo.png"}),
        "logo",
        "programme.branding.logo",
        "'logo.png' is not a PNG image (its first bytes say otherwise)",
    ),
    "logo-missing": (
        lambda p: p.update(branding={"logo": "weg.svg"}),
        "logo",
        "programme.branding.logo",
        "file 'weg.svg' not found in programmes/",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_save_is_refused_by_the_problems_code(name: str, lib: P.Library, folder: Path) -> None:
    change, code, where, message = REFUSED[name]
    (folder / "logo.png").write_bytes(b"GIF89a not a png")
    loaded = lib.load("mini")
    data = json.loads(json.dumps(loaded.data))
    change(data["programme"])
    problems = lib.check(data, "mini")
    assert [(p["code"], p["where"], p["message"]) for p in problems] == [(code, where, message)]
    before = files_of(folder)
    with pytest.raises(P.EditorError) as exc:
        lib.save("mini", base_version=loaded.version, author="X", data=data)
    assert exc.value.problems == [f"mini.yaml: {where}: {message}"]
    assert files_of(folder) == before


def test_other_problems_do_not_refuse_a_draft(lib: P.Library, folder: Path) -> None:
    loaded = lib.load("mini")
    data = json.loads(json.dumps(loaded.data))
    _acts(data["programme"])[1]["prompt"] = {"nl": "Welke kleur?"}
    saved = lib.save("mini", base_version=loaded.version, author="X", data=data)
    assert [(p["code"], p["where"], p["message"]) for p in saved.problems] == [
        (
            "invalid",
            "activity 'kies'.prompt",
            "missing or empty 'en' text (every text needs nl and en)",
        )
    ]
    assert saved.changed is True


def test_logo_upload_checks_type_size_and_content(lib: P.Library, folder: Path) -> None:
    with pytest.raises(P.EditorError, match="is not a PNG image"):
        lib.save_logo("mini", "x.png", b"<html>")
    with pytest.raises(P.EditorError, match="not an image type"):
        lib.save_logo("mini", "x.exe", b"MZ")
    with pytest.raises(P.EditorError, match="contains a <script>"):
        lib.save_logo("mini", "x.svg", b"<svg><script>alert(1)</script></svg>")
    with pytest.raises(P.EditorError, match="at most 100 KB"):
        lib.save_logo("mini", "x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200_000)
    assert not (folder / "logos").exists()
    name = lib.save_logo("mini", "Mijn logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert name == "logos/mini.svg"


def test_html_in_texts_is_kept_as_text(lib: P.Library, folder: Path) -> None:
    v = lib.load("mini").version
    data = lib.load("mini").data
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    data["programme"]["title"] = {"nl": evil, "en": evil}
    saved = lib.save("mini", base_version=v, author="X", data=data)
    assert saved.problems == []
    assert load_programme(folder / "mini.yaml").title["nl"] == evil


# ------------------------------------------------------------------------ live sessions


def test_live_session_keeps_its_snapshot(tmp_path: Path, folder: Path, lib: P.Library) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
            "SECRET_KEY": "x",
            "ASYNC_MODE": "threading",
            "PROGRAMMES_DIR": str(folder),
        }
    )
    try:
        with app.app_context():
            state = live.start(load_programme(folder / "mini.yaml"), "mini.yaml")
            before = state.programme.to_dict()
            loaded = lib.load("mini")
            data = loaded.data
            data["programme"]["title"] = {"nl": "Anders", "en": "Other"}
            data["programme"]["sections"][0]["activities"].pop()
            v = lib.save("mini", base_version=loaded.version, author="X", data=data).version
            live.reset_caches()
            assert live.find(state.code).programme.to_dict() == before
            lib.delete("mini", base_version=v, author="X")
            live.reset_caches()
            assert live.find(state.code).programme.to_dict() == before
            assert store.get_live(state.code) is not None
    finally:
        live.reset_caches()


# ------------------------------------------------------------------------ schema and CLI


def test_the_editor_reads_the_generated_schema(http: Any) -> None:
    """The forms are built from the schema generated from the kinds (facilitator/schema.py):
    the palette is the registry's kinds, and the schema carries what the form builder reads
    besides plain JSON Schema."""
    from facilitator import kinds

    page = http.get("/editor/mini").get_data(as_text=True)
    assert '"schema": "/programme.schema.json"' in page
    s = http.get("/programme.schema.json").get_json()
    assert s["$defs"]["activity"]["properties"]["kind"]["enum"] == list(kinds.names())
    props = s["$defs"]["info"]["properties"]
    assert list(props)[:5] == ["id", "kind", "title", "prompt", "body"]
    assert props["body"]["x-multiline"] is True
    assert props["presenter_notes"]["x-multiline"] is True
    assert "x-multiline" not in props["title"]
    values = s["$defs"]["single_choice"]["properties"]["reference"]["properties"]["values"]
    assert values["x-keys"] == "options"
    assert s["$defs"]["programme"]["properties"]["branding"]["properties"]["logo"]["x-logo"]
    assert s["$defs"]["option"]["x-labels"]["x-nl"] == {"title": "Label"}
    assert (
        s["$defs"]["single_choice"]["properties"]["options"]["anyOf"][1]["pattern"]
        == "^[a-z0-9][a-z0-9_-]{0,63}$"
    )


def test_saved_file_passes_programmes_check(lib: P.Library, folder: Path) -> None:
    v = lib.load("mini").version
    data = lib.load("mini").data
    data["programme"]["sections"][0]["activities"].append(
        {"id": "nieuw", "kind": "word_cloud", "prompt": {"nl": "Ja: nee?", "en": "Yes"}}
    )
    assert lib.save("mini", base_version=v, author="X", data=data).problems == []
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "programmes",
            "check",
            str(folder / "mini.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


# ------------------------------------------------------------------------ HTTP


@pytest.fixture
def http(tmp_path: Path, folder: Path) -> Any:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
            "SECRET_KEY": "x",
            "ASYNC_MODE": "threading",
            "PROGRAMMES_DIR": str(folder),
        }
    )
    c = app.test_client()
    with app.app_context():
        token = store.create_sign_in_token()
    c.get(f"/login?token={token}")
    c.get("/editor/")
    with c.session_transaction() as s:
        c.csrf = s["csrf"]
    yield c
    live.reset_caches()


def test_editor_needs_sign_in(tmp_path: Path, folder: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
            "SECRET_KEY": "x",
            "ASYNC_MODE": "threading",
            "PROGRAMMES_DIR": str(folder),
        }
    )
    c = app.test_client()
    for url in (
        "/editor/",
        "/editor/mini",
        "/editor/mini.yaml",
        "/editor/api/mini",
        "/editor/mini/history",
    ):
        assert c.get(url).status_code == 401, url
    assert c.post("/editor/api/mini/save", json={}).status_code == 401


def test_api_save_check_and_stale(http: Any, folder: Path) -> None:
    loaded = http.get("/editor/api/mini").get_json()
    data = loaded["data"]
    data["programme"]["title"]["en"] = ""
    r = http.post(
        "/editor/api/mini/check", json={"data": data}, headers={"X-CSRF-Token": http.csrf}
    )
    assert [p["path"] for p in r.get_json()["problems"]] == [["programme", "title"]]
    assert (
        http.post(
            "/editor/api/mini/save", json={"data": data, "version": loaded["version"]}
        ).status_code
        == 400
    )  # no CSRF token
    r = http.post(
        "/editor/api/mini/save",
        json={"data": data, "version": loaded["version"]},
        headers={"X-CSRF-Token": http.csrf, "X-Editor-Name": "Anna%20V."},
    )
    assert r.status_code == 200 and len(r.get_json()["problems"]) == 1  # saved as a draft
    r = http.post(
        "/editor/api/mini/save",
        json={"data": data, "version": loaded["version"]},
        headers={"X-CSRF-Token": http.csrf},
    )
    body = r.get_json()
    assert r.status_code == 409 and body["saved_by"] == "Anna V." and body["stale"] is True
    assert http.get("/editor/mini.yaml").data == (folder / "mini.yaml").read_bytes()


def test_start_is_refused_while_problems_remain(http: Any) -> None:
    loaded = http.get("/editor/api/mini").get_json()
    data = loaded["data"]
    data["programme"]["title"]["en"] = ""
    http.post(
        "/editor/api/mini/save",
        json={"data": data, "version": loaded["version"]},
        headers={"X-CSRF-Token": http.csrf},
    )
    r = http.post("/control/start", data={"csrf_token": http.csrf, "programme": "mini"})
    assert r.status_code == 422


def test_every_kind_gives_sample_answers_its_own_check_accepts() -> None:
    from facilitator import kinds

    seen = set()
    for act in load_programme(MINI).activities + load_programme(BRUG).activities:
        kind = kinds.of(act)
        seen.add(act.kind)
        samples = kind.sample_answers(act, 4)
        if not kind.answerable:
            assert samples == []
            continue
        assert len(samples) == 4, act.id
        check = kind.clean_question if kind.questions else kind.clean
        for sample in samples:
            check(act, sample)  # InvalidResponse when the kind refuses its own sample
    assert seen == set(kinds.names())


def test_preview_is_a_hidden_live_session_with_sample_answers(http: Any) -> None:
    loaded = http.get("/editor/api/brugfiguren").get_json()
    acts = [a for s in loaded["data"]["programme"]["sections"] for a in s["activities"]]
    for act in acts:
        r = http.post(
            "/editor/api/brugfiguren/preview",
            json={"data": loaded["data"], "activity": act["id"]},
            headers={"X-CSRF-Token": http.csrf},
        )
        body = r.get_json()
        assert r.status_code == 200, (act["id"], body)
        state = live.find(body["code"])
        assert [a.id for a in state.programme.activities] == [act["id"]]
        page = http.get(body["phone"])
        assert page.status_code == 200
        assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
        assert http.get(body["projector"]).status_code == 200
        if act["kind"] != "info":
            assert live.respondents(state, act["id"]) >= 4 or act["kind"] == "qna"
    codes = [s.code for s in store.list_lives()]
    assert len(codes) == 1  # each new preview deletes the one before
    assert body["code"] not in http.get("/control/").get_data(as_text=True)
