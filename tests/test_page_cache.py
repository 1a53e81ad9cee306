"""The phone page of a new participant is rendered once and shared (issue 16, the connect
storm): each phone still gets its own CSRF token, form nonce and server time, the gzipped body
inflates to the same page a fresh render gives, and anything that changes the page's state
(the facilitator moves on, the language) gives a new page. In-process."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest

from facilitator import live
from facilitator.views import participant

STATE = re.compile(r'<script type="application/json" id="state">(.*?)</script>', re.S)


def fetch(app: Any, code: str, gzipped: bool = True, lang: str | None = None) -> dict[str, Any]:
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip"} if gzipped else {}
    resp = client.get(f"/j/{code}" + (f"?lang={lang}" if lang else ""), headers=headers)
    assert resp.status_code == 200
    assert "Accept-Encoding" in resp.headers.get("Vary", "")
    raw = resp.get_data()
    if gzipped:
        assert resp.headers["Content-Encoding"] == "gzip"
        html = gzip.decompress(raw).decode("utf-8")
    else:
        assert "Content-Encoding" not in resp.headers
        html = raw.decode("utf-8")
    with client.session_transaction() as sess:
        csrf = sess["csrf"]
    return {
        "client": client,
        "html": html,
        "csrf": csrf,
        "csp": resp.headers["Content-Security-Policy"],
    }


def normalised(page: dict[str, Any]) -> str:
    """The page without what differs per phone: its CSRF token, form nonce, server time."""
    html = page["html"].replace(page["csrf"], "CSRF")
    html = re.sub(r'name="form" value="[A-Za-z0-9_-]+"', 'name="form" value="NONCE"', html)
    return re.sub(r'"server_time": ?\d+', '"server_time": 0', html)


def test_new_phones_share_one_render_with_their_own_tokens(app, mini_live, monkeypatch) -> None:
    code = mini_live.code
    with app.app_context():
        live.goto(mini_live, "kies")
    participant._pages.clear()
    a, b = fetch(app, code), fetch(app, code, gzipped=False)
    assert len(participant._pages) == 1  # one render for both
    assert a["csrf"] != b["csrf"] and a["csrf"] in a["html"] and b["csrf"] in b["html"]
    nonces = [re.findall(r'name="form" value="([^"]+)"', p["html"]) for p in (a, b)]
    assert nonces[0] and nonces[1] and set(nonces[0]).isdisjoint(nonces[1])
    for p in (a, b):
        state = json.loads(STATE.search(p["html"])[1])  # type: ignore[index]
        assert isinstance(state["server_time"], int) and state["server_time"] > 1_700_000_000_000
        assert state["activity"]["id"] == "kies" and state["answers"] == {}
    # byte for byte what a page rendered for this phone alone would be
    monkeypatch.setattr(
        participant,
        "_shared_page",
        lambda current, state: participant._render_page(
            current, state, participant.csrf_token(), "x" * 16, None
        ),
    )
    fresh = fetch(app, code, gzipped=False)
    assert normalised(a) == normalised(b) == normalised(fresh)
    # the page's inline CSS is allowed by its hash, as on a page rendered for the phone alone
    assert "style-src 'self' 'sha256-" in fresh["csp"]
    assert a["csp"] == b["csp"] == fresh["csp"]


def test_the_shared_page_follows_the_live_session_and_the_language(app, mini_live) -> None:
    code = mini_live.code
    participant._pages.clear()
    first = fetch(app, code)
    assert json.loads(STATE.search(first["html"])[1])["activity"] is None  # type: ignore[index]
    with app.app_context():
        live.goto(live.get(code), "meer")
    moved = fetch(app, code)
    assert json.loads(STATE.search(moved["html"])[1])["activity"]["id"] == "meer"  # type: ignore[index]
    english = fetch(app, code, lang="en")
    assert '<html lang="en"' in english["html"] and '<html lang="nl"' in moved["html"]
    assert len(participant._pages) == 3


def test_a_form_from_the_shared_page_is_accepted_and_the_answer_shown(app, mini_live) -> None:
    code = mini_live.code
    with app.app_context():
        live.goto(mini_live, "kies")
    page = fetch(app, code)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page["html"]))
    assert fields["csrf_token"] == page["csrf"]
    resp = page["client"].post(
        f"/j/{code}/answer",
        data={**fields, "value": "groen"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert resp.status_code == 302
    html = page["client"].get(f"/j/{code}").get_data(as_text=True)  # answered: its own render
    assert "Antwoord opgeslagen" in html and json.loads(STATE.search(html)[1])["answers"] == {  # type: ignore[index]
        "kies": "groen"
    }


@pytest.mark.parametrize("text", ["{{@1@}}", "{@" + "0" * 16 + "1@}"])
def test_typed_text_is_never_a_stand_in(text: str) -> None:
    assert participant._STANDIN.search(text) is None
