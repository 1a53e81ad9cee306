"""The phone page's own answer form (POST /j/<code>/answer), in-process: stored through the same
use case as the Socket.IO ``respond``, once per form, with each refusal shown once on the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from facilitator import live, store
from facilitator.programme import load_programme

HERE = Path(__file__).resolve().parent
WORKSHOP = HERE / "programmes" / "workshop.yaml"


def page_form(client: Any, code: str) -> tuple[str, dict[str, str]]:
    """The page's HTML and its form's hidden fields."""
    html = client.get(f"/j/{code}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    return html, fields


def answers_of(app: Any, client: Any, code: str) -> dict[str, Any]:
    with client.session_transaction() as sess:
        token = sess["p"][code]
    with app.app_context():
        state = live.find(code)
        pid = live.participant_for(state, token)
        assert pid is not None
        return store.participant_view(pid, False)[0]


def post(client: Any, code: str, fields: dict[str, str], **data: Any) -> Any:
    return client.post(
        f"/j/{code}/answer", data={**fields, **data}, headers={"Sec-Fetch-Site": "same-origin"}
    )


@pytest.fixture
def workshop(app: Any) -> Any:
    with app.app_context():
        return live.start(load_programme(WORKSHOP), WORKSHOP.name)


def goto(app: Any, code: str, activity: str) -> None:
    with app.app_context():
        live.goto(live.get(code), activity)


def test_single_choice_form_counts_once(app, client, mini_live) -> None:
    code = mini_live.code
    goto(app, code, "kies")
    html, fields = page_form(client, code)
    assert fields["activity"] == "kies" and len(fields["form"]) >= 8
    assert 'name="value" value="groen"' in html
    resp = post(client, code, fields, value="groen")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/j/{code}")
    assert answers_of(app, client, code) == {"kies": "groen"}
    # the same form again (a double tap, a resend): a duplicate, nothing changes
    assert post(client, code, fields, value="groen").status_code == 302
    with app.app_context():
        assert live.counts(live.get(code))["answered"] == 1
    # another choice on the same form replaces the answer
    post(client, code, fields, value="blauw")
    assert answers_of(app, client, code) == {"kies": "blauw"}
    html, _ = page_form(client, code)
    assert "Antwoord opgeslagen" in html and 'aria-pressed="true"' in html
    with app.app_context():
        assert live.counts(live.get(code))["answered"] == 1


@pytest.mark.parametrize(
    ("activity", "data", "stored"),
    [
        ("meer", {"value": ["a", "c"]}, ["a", "c"]),
        ("schaal", {"position": "4", "why": "  Goed  "}, {"position": 4, "why": "Goed"}),
        ("schaal", {"position": "2", "why": ""}, {"position": 2, "why": None}),
        ("schuif", {"position": "70"}, {"position": 70, "why": None}),
        ("tekst", {"text": "Een <b>idee</b>"}, "Een <b>idee</b>"),
    ],
)
def test_each_form_stores_what_respond_stores(
    app, client, mini_live, activity: str, data: dict[str, Any], stored: Any
) -> None:
    goto(app, mini_live.code, activity)
    _html, fields = page_form(client, mini_live.code)
    assert post(client, mini_live.code, fields, **data).status_code == 302
    assert answers_of(app, client, mini_live.code) == {activity: stored}


def test_workshop_kinds(app, client, workshop) -> None:
    code = workshop.code
    goto(app, code, "wolk")
    _html, fields = page_form(client, code)
    post(client, code, fields, word=["Koffie", "", "tijd"])
    goto(app, code, "rang")
    _html, fields = page_form(client, code)
    post(client, code, fields, **{"rank:a": "2", "rank:b": "1", "rank:c": "4", "rank:d": "3"})
    goto(app, code, "blokken")
    _html, fields = page_form(client, code)
    post(client, code, fields, **{"m:x": "ok", "m:z": "weetniet"})
    got = answers_of(app, client, code)
    assert got == {
        "wolk": ["koffie", "tijd"],
        "rang": ["b", "a", "d", "c"],
        "blokken": {"x": "ok", "z": "weetniet"},
    }
    # a Q&A question, like `ask`
    goto(app, code, "vrij")
    _html, fields = page_form(client, code)
    post(client, code, fields, text="Wanneer?")
    with app.app_context():
        questions = live.result(live.get(code), "vrij")[0]["questions"]
    assert [q["text"] for q in questions] == ["Wanneer?"]


@pytest.mark.parametrize(
    ("activity", "data", "error"),
    [
        ("kies", {}, "Er is niets verstuurd: kies of typ eerst een antwoord."),
        ("kies", {"value": "paars"}, "Dit antwoord wordt niet aanvaard"),
        ("meer", {"value": ["a", "b", "c"]}, "Dit antwoord wordt niet aanvaard"),
        ("schaal", {"position": "x"}, "Dit antwoord wordt niet aanvaard"),
        ("schaal", {"position": "\u00b2"}, "Dit antwoord wordt niet aanvaard"),
        ("schaal", {"position": "9"}, "Dit antwoord wordt niet aanvaard"),
        ("tekst", {"text": "   "}, "Er is niets verstuurd"),
        ("tekst", {"text": "a" * 281}, "Dit antwoord wordt niet aanvaard"),
        ("welkom", {"value": "x"}, "Niet opgeslagen"),
    ],
)
def test_refusals_are_shown_once_and_store_nothing(
    app, client, mini_live, activity: str, data: dict[str, Any], error: str
) -> None:
    code = mini_live.code
    goto(app, code, activity if activity != "welkom" else "kies")
    _html, fields = page_form(client, code)
    fields["activity"] = activity
    assert post(client, code, fields, **data).status_code == 302
    assert answers_of(app, client, code) == {}
    html, _ = page_form(client, code)
    if activity == "welkom":
        assert 'role="alert"' not in html  # an error about another activity is not shown
    else:
        assert error in html and 'role="alert"' in html
    again, _ = page_form(client, code)
    assert 'role="alert"' not in again  # once


def test_ranking_places_must_differ(app, client, workshop) -> None:
    goto(app, workshop.code, "rang")
    _html, fields = page_form(client, workshop.code)
    for places in (
        {"rank:a": "1", "rank:b": "1", "rank:c": "2", "rank:d": "3"},
        {"rank:a": "\u00b9", "rank:b": "2", "rank:c": "3", "rank:d": "4"},
        {"rank:a": "1", "rank:b": "2", "rank:c": "3"},
    ):
        assert post(client, workshop.code, fields, **places).status_code == 302
        html, _ = page_form(client, workshop.code)
        assert "Geef elk item een andere plaats." in html
    assert answers_of(app, client, workshop.code) == {}


def test_closed_and_unknown(app, client, mini_live) -> None:
    code = mini_live.code
    goto(app, code, "kies")
    _html, fields = page_form(client, code)
    with app.app_context():
        live.set_answering(live.get(code), False)
    post(client, code, fields, value="rood")
    html, _ = page_form(client, code)
    assert "Niet opgeslagen: Antwoorden werd gesloten voor je antwoord aankwam." in html
    assert answers_of(app, client, code) == {}
    with app.app_context():
        live.set_answering(live.get(code), True)
    for change in ({"activity": "nope"}, {"form": "bad nonce!"}, {"form": "x" * 25}):
        post(client, code, {**fields, **change}, value="rood")
    assert answers_of(app, client, code) == {}
    post(client, code, fields, value="rood")
    assert answers_of(app, client, code) == {"kies": "rood"}


def test_needs_the_form_token_and_a_participant(app, client, mini_live) -> None:
    code = mini_live.code
    goto(app, code, "kies")
    _html, fields = page_form(client, code)
    no_token = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert post(client, code, no_token, value="rood").status_code == 400
    assert (
        client.post(
            f"/j/{code}/answer",
            data={**fields, "value": "rood"},
            headers={"Sec-Fetch-Site": "cross-site"},
        ).status_code
        == 403
    )
    assert answers_of(app, client, code) == {}
    # a browser that is not a participant (another cookie) is sent to the page, which joins
    other = app.test_client()
    other.get("/")
    with other.session_transaction() as sess:
        sess["csrf"] = "other-token-123456"
    resp = other.post(
        f"/j/{code}/answer", data={**fields, "csrf_token": "other-token-123456", "value": "rood"}
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/j/{code}")
    assert client.post("/j/ZZZZZZ/answer", data=fields).status_code == 404


def test_form_answers_are_rate_limited_per_participant(app, client, mini_live) -> None:
    """Like the Socket.IO event budget per connection: a participant's form answers beyond
    FORM_BURST in a row are refused with a message on the page, and the stored answer stays
    the last one accepted; another participant is not affected."""
    code = mini_live.code
    goto(app, code, "kies")
    burst = app.config["FORM_BURST"]
    colours = ["rood", "groen", "blauw"]
    for i in range(burst):  # each from a freshly loaded page (a new form, so never a repeat)
        _, fields = page_form(client, code)
        assert post(client, code, fields, value=colours[i % 3]).status_code == 302
    accepted = colours[(burst - 1) % 3]
    assert answers_of(app, client, code) == {"kies": accepted}
    refused = colours[burst % 3]
    _, fields = page_form(client, code)
    assert post(client, code, fields, value=refused).status_code == 302
    assert answers_of(app, client, code) == {"kies": accepted}
    html, _ = page_form(client, code)
    assert "Veel antwoorden in korte tijd: wacht even en verstuur dan opnieuw." in html
    other = app.test_client()
    _, other_fields = page_form(other, code)
    assert post(other, code, other_fields, value="groen").status_code == 302
    assert answers_of(app, other, code) == {"kies": "groen"}
