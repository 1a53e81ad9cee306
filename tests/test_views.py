"""HTTP routes: joining, sign-in, starting a live session, links and keys, headers."""

from __future__ import annotations

import re

import pytest

from facilitator import live, store


def signed_in(app, client) -> None:
    with app.app_context():
        token = store.create_sign_in_token()
    assert client.get(f"/login?token={token}").status_code == 302


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf_token field in the form"
    return m.group(1)


def test_health(client) -> None:
    assert client.get("/health").get_json() == {"ok": True}


def test_home_is_dutch_by_default_and_english_on_request(client) -> None:
    nl = client.get("/").get_data(as_text=True)
    en = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="nl"' in nl and 'lang="en"' in en
    assert nl != en
    # the choice is remembered
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_join_by_code_redirects_and_normalises(client, mini_live) -> None:
    typed = mini_live.code.lower()[:3] + " " + mini_live.code.lower()[3:]
    resp = client.get("/join", query_string={"code": typed})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/j/{mini_live.code}")


def test_unknown_code_is_a_clear_404(client, mini_live) -> None:
    resp = client.get("/join?code=ZZZZ22")
    assert resp.status_code == 404
    assert "ZZZZ22" in resp.get_data(as_text=True)
    assert client.get("/j/ZZZZ22").status_code == 404
    assert client.get("/join?code=").status_code == 400


def test_opening_the_join_link_makes_one_participant_per_browser(app, client, mini_live) -> None:
    assert client.get(f"/j/{mini_live.code}").status_code == 200
    assert client.get(f"/j/{mini_live.code}").status_code == 200  # reload: same participant
    other = app.test_client()
    assert other.get(f"/j/{mini_live.code.lower()}").status_code == 302  # canonical code
    assert other.get(f"/j/{mini_live.code}").status_code == 200
    with app.app_context():
        assert len(store.participant_ids(mini_live.id)) == 2


def test_api_join_returns_a_token(app, client, mini_live) -> None:
    body = client.post(f"/api/join/{mini_live.code}").get_json()
    assert body["ok"] is True and body["code"] == mini_live.code
    assert len(body["token"]) >= 22  # 128 bits, url-safe base64
    with app.app_context():
        assert live.participant_for(mini_live, body["token"]) is not None
    missing = client.post("/api/join/ZZZZ22")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "unknown_code"


def test_sign_in_token_works_once(app, client) -> None:
    with app.app_context():
        token = store.create_sign_in_token()
    assert client.get("/control/").status_code == 401
    assert client.get(f"/login?token={token}").status_code == 302
    assert client.get("/control/").status_code == 200
    again = app.test_client()
    assert again.get(f"/login?token={token}").status_code == 403
    assert again.get("/login?token=wrong").status_code == 403
    assert again.get("/control/").status_code == 401


def test_start_needs_csrf_and_lists_broken_programmes(app, client) -> None:
    signed_in(app, client)
    page = client.get("/control/").get_data(as_text=True)
    assert "mini" in page
    assert client.post("/control/start", data={"programme": "mini"}).status_code == 400
    resp = client.post("/control/start", data={"programme": "mini", "csrf_token": csrf_of(page)})
    assert resp.status_code == 302
    code = resp.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", code)
    assert client.get(f"/control/{code}").status_code == 200
    missing = client.post("/control/start", data={"programme": "nope", "csrf_token": csrf_of(page)})
    assert missing.status_code == 404


def test_control_and_projector_links(app, client, mini_live) -> None:
    code = mini_live.code
    assert client.get(f"/control/{code}").status_code == 403
    assert client.get(f"/control/{code}?key=wrong").status_code == 403
    resp = client.get(f"/control/{code}?key={mini_live.control_key}")
    assert resp.status_code == 302 and "key=" not in resp.headers["Location"]
    assert client.get(f"/control/{code}").status_code == 200
    # the projector key does not open the control screen
    other = app.test_client()
    assert other.get(f"/projector/{code}?key={mini_live.projector_key}").status_code == 302
    assert other.get(f"/projector/{code}").status_code == 200
    assert other.get(f"/control/{code}?key={mini_live.projector_key}").status_code == 403
    assert other.get(f"/control/{code}").status_code == 403


def test_projector_page_shows_code_and_qr(app, client, mini_live) -> None:
    client.get(f"/projector/{mini_live.code}?key={mini_live.projector_key}")
    html = client.get(f"/projector/{mini_live.code}").get_data(as_text=True)
    assert mini_live.code in html
    qr = client.get(f"/projector/{mini_live.code}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).count("<path") == 1


@pytest.mark.parametrize("path", ["/", "/health"])
def test_security_headers(client, path: str) -> None:
    h = client.get(path).headers
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert "unsafe-inline" not in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["X-Frame-Options"] == "DENY"


def test_participant_cookie_is_httponly_and_lax(client, mini_live) -> None:
    resp = client.get(f"/j/{mini_live.code}")
    cookie = next(
        v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith("dialoogtafel=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("join", "tables", "status", "mode"),
    [
        ("", "", 302, "open"),
        ("open", "", 302, "open"),
        ("personal_codes", "", 302, "personal_codes"),
        ("table_code", "4", 302, "table_code"),
        ("table_code", "0", 400, None),
        ("everyone", "", 400, None),
    ],
)
def test_the_start_form_chooses_who_may_join(app, client, join, tables, status, mode) -> None:
    """Issue 12 item 13: the start form's "who may join" (default: anyone with the code)."""
    signed_in(app, client)
    token = csrf_of(client.get("/control/").get_data(as_text=True))
    with app.app_context():
        count = len(store.list_lives())
    resp = client.post(
        "/control/start",
        data={"csrf_token": token, "programme": "mini", "tables": tables, "join": join},
    )
    assert resp.status_code == status
    with app.app_context():
        lives = store.list_lives()
        assert len(lives) == count + (1 if mode else 0)
        if mode:
            assert live.get(lives[0].code).join_mode == mode


@pytest.mark.parametrize("how", ["api", "page", "form"])
def test_a_session_deleted_by_another_process_is_a_404_not_a_500(app, client, mini_live, how):
    """Scale-out: another server process deleted the live session a moment ago and its word
    has not reached this one, whose cache still holds it. A join (or a form's answer) fails in
    the database; the phone gets the same 404 as for any unknown code, not a 500."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as served: an error becomes a response
    code = mini_live.code
    if how == "form":  # joined and shown the form before the deletion
        with app.app_context():
            live.goto(mini_live, "kies")
        html = client.get(f"/j/{code}").get_data(as_text=True)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    with app.app_context():
        assert live.find(code) is not None  # in this process's cache
        assert store._delete_live(code, "elsewhere") is not None  # the other process
    if how == "api":
        r = client.post(f"/api/join/{code}")
        assert r.status_code == 404
        assert r.get_json()["error"]["code"] == "unknown_code"
    elif how == "page":
        r = client.get(f"/j/{code}")
        assert r.status_code == 404 and f"code {code}" in r.get_data(as_text=True)
    else:
        r = client.post(
            f"/j/{code}/answer",
            data={**fields, "value": "rood"},
            headers={"Sec-Fetch-Site": "same-origin"},
        )
        assert r.status_code == 404 and f"code {code}" in r.get_data(as_text=True)
    with app.app_context():
        assert live.find(code) is None  # forgotten here too
