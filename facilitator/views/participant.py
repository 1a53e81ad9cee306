"""The participant (phone) screen: find a live session by code, join it, answer.

The phone's page is complete without its script: it is rendered with the activity on screen and
its answer form, so that on a slow network a phone can answer as soon as the page itself has
arrived. ``POST /j/<code>/answer`` stores a form's answer through the same use case as the
Socket.IO ``respond`` (``live.respond``, with a client id, so a resent form counts once) and
redirects back to the page, which then shows the answer as saved. Once the page's module has
loaded, it takes over the screen and answers over Socket.IO (static/js/participant.js).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import kinds, live, schema
from ..compress import SharedStart, accepts_gzip
from ..editor.preview import PREVIEW_FILE
from ..kinds import FormError
from ..live import LiveError
from ..programme import Activity
from . import (
    check_csrf,
    csrf_token,
    get_live,
    is_facilitator,
    participant_id,
    rate_limited,
    too_many,
)
from .branding import brand_css, logo_url
from .inline import stylesheet

bp = Blueprint("participant", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", error=None, code="", facilitator=is_facilitator())


def unknown_code(code: str):  # type: ignore[no-untyped-def]
    """The start page again, with the code as typed and what was wrong (404)."""
    return render_template(
        "home.html",
        code=code[:20],
        facilitator=is_facilitator(),
        error=_(
            "There is no session with code %(code)s. Check the code on the screen.",
            code=live.normalise_code(code)[:12],
        ),
    ), 404


@bp.get("/join")
def join_form():  # type: ignore[no-untyped-def]
    raw = request.args.get("code", "")
    code = live.normalise_code(raw)
    if not code:
        return render_template(
            "home.html",
            error=_("Type the code shown on the screen."),
            code="",
            facilitator=is_facilitator(),
        ), 400
    get_live(code, missing=lambda _code: unknown_code(raw))
    return redirect(url_for("participant.page", code=code))


@bp.get("/j/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    current = get_live(code, missing=unknown_code)
    table = request.args.get("t")
    if current.code != code:
        return redirect(url_for("participant.page", code=current.code, t=table))
    pid = participant_id(current)
    if pid is None and rate_limited("join"):
        return too_many(
            _(
                "Too many people joined from this network in a short time. Wait a "
                "moment and reload the page."
            )
        )
    # a table card's key (table_code) or a personal code (personal_codes), as the join mode asks
    key = request.args.get("k") or request.args.get("p")
    try:
        if pid is None:
            current, pid, token = live.join(current.code, table, key)
            session["p"] = {**session.get("p", {}), current.code: token}
            session.permanent = True
        elif table:
            live.set_table(current, pid, {"table": table})  # scanned another table's code
    except LiveError as exc:
        if exc.code in ("join_code_required", "join_code_used"):
            return join_code_page(current, exc.code, given=key is not None)
        if exc.code == "bad_payload":
            message = _(
                "This table code is not valid. Scan the code on your table again, or "
                "ask the facilitator."
            )
            return render_template("errors/error.html", status=400, message=message), 400
        message = (
            _("Joining this session is closed.")
            if exc.code == "locked"
            else _("This session has ended.")
        )
        return render_template("errors/error.html", status=403, message=message), 403
    if table or key:
        # the table is remembered, the code used; keep the address without them, as after a
        # plain join
        return redirect(url_for("participant.page", code=current.code))
    state = live.participant_snapshot(current, pid)
    error = session.pop("answer_error", None)
    if not (isinstance(error, list) and len(error) == 2 and error[1] in FORM_ERRORS):
        error = None
    if current.programme_file == PREVIEW_FILE:
        g.frame_ancestors = "'self'"  # the programme editor shows it as its phone preview
    elif error is None and not live.has_own(state):
        return _shared_page(current, state)
    return _render_page(current, state, csrf_token(), secrets.token_urlsafe(12), error)


def _render_page(
    current: live.LiveState, state: Mapping[str, Any], csrf: str, nonce: str, error: Any
) -> str:
    branding = current.programme.branding
    return render_template(
        "participant/live.html",
        code=current.code,
        state=state,
        free_text_warning=current.programme.free_text_warning,
        first=first_paint(state),
        kind=kinds.get,
        css=stylesheet("base.css", "participant.css") + brand_css(branding),
        brand=bool(brand_css(branding)),
        logo=logo_url(current.code, branding, phone=True),
        form={
            "csrf": csrf,
            "nonce": nonce,
            "error": error,
            "action": url_for("participant.answer", code=current.code),
        },
    )


class _Page:
    """A phone page rendered once with stand-ins for what differs per request, cut at them."""

    def __init__(self, html: str, styles: list[str]) -> None:
        #: the inline styles' hashes the render allowed (the Content-Security-Policy's)
        self.styles = styles
        parts = _STANDIN.split(html)
        # the parts between the stand-ins, and which stand-in follows each (1, 2, 3 below)
        self.texts = [p.encode("utf-8") for p in parts[0::2]]
        self.fills = [int(k) for k in parts[1::2]]
        self.gzip = SharedStart(self.texts[0])

    def body(self, values: Mapping[int, str], gzipped: bool) -> bytes:
        rest = bytearray()
        for text, k in zip(self.texts[1:], self.fills, strict=True):
            rest += values[k].encode("utf-8")
            rest += text
        return self.gzip.gzip(bytes(rest)) if gzipped else self.texts[0] + bytes(rest)


#: stand-ins rendered into a shared page: 1 the CSRF token, 2 the form nonce, 3 server_time;
#: with a secret of the process in them, so no text typed by a participant can be one
_MARK = secrets.token_hex(8)
_STANDIN = re.compile(r"\{@" + _MARK + r"([123])@\}")
_CSRF, _NONCE_IN, _TIME = (f"{{@{_MARK}{k}@}}" for k in "123")
#: rendered pages: (app, code, language, query, the state but its time) -> page
_pages: dict[tuple[Any, ...], _Page] = {}
_PAGES_MAX = 64


def _shared_page(current: live.LiveState, state: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    """The page of a phone with no answers of its own yet (every phone that joins): the same
    for every such phone of a live session, language and version of its state, but for the
    CSRF token, the form nonce and the server's time. It is rendered once with stand-ins for
    those three; each request puts its own in, and deflates only what follows the first one
    (compress.SharedStart). Rendering (about 120 translated strings) and compressing the
    page's inline CSS took most of a page's CPU (docs/performance.md)."""
    stable = {k: v for k, v in state.items() if k != "server_time"}
    key = (
        id(current_app._get_current_object()),  # type: ignore[attr-defined]
        current.code,
        str(get_locale()),
        request.query_string,
        json.dumps(stable, sort_keys=True, default=str),
    )
    shared = _pages.get(key)
    if shared is None:
        html = _render_page(current, {**stable, "server_time": _TIME}, _CSRF, _NONCE_IN, None)
        # server_time is a number in the page's JSON
        shared = _Page(html.replace(f'"{_TIME}"', _TIME), list(g.get("csp_style_hashes", [])))
        if len(_pages) >= _PAGES_MAX:
            _pages.clear()
        _pages[key] = shared
    g.csp_style_hashes = list(shared.styles)  # as if rendered: the page's inline CSS is allowed
    values = {
        1: csrf_token(),
        2: secrets.token_urlsafe(12),
        3: str(int(time.time() * 1000)),
    }
    gzipped = accepts_gzip()
    resp = current_app.response_class(shared.body(values, gzipped), mimetype="text/html")
    if gzipped:
        resp.headers["Content-Encoding"] = "gzip"
    resp.vary.add("Accept-Encoding")
    return resp


#: errors a form answer can show on the page (the ``err_*`` strings of the page)
FORM_ERRORS = frozenset(
    {
        "closed",
        "invalid_response",
        "unknown_activity",
        "not_answerable",
        "bad_payload",
        "empty",
        "ranking_places",
        "form_rate_limited",
        "limit_reached",
    }
)
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,24}$")


@bp.post("/j/<code>/answer")
def answer(code: str):  # type: ignore[no-untyped-def]
    """An answer sent by the page's form (no script yet, or none at all): stored like a
    Socket.IO ``respond`` (or ``ask`` for a Q&A), then back to the page."""
    check_csrf()
    current = get_live(code, missing=unknown_code)
    back = redirect(url_for("participant.page", code=current.code))
    pid = participant_id(current)
    if pid is None:
        return back  # not (or no longer) a participant here: the page joins
    activity_id = request.form.get("activity", "")
    if rate_limited("form", f"{current.code}:{pid}"):
        session["answer_error"] = [activity_id[:64], "form_rate_limited"]
        return back
    try:
        activity = current.programme.activity(activity_id)
        if activity is None:
            raise FormError("unknown_activity")
        nonce = request.form.get("form", "")
        if not _NONCE.match(nonce):
            raise FormError("bad_payload")
        value = form_value(activity, request.form)
        # One id per rendered form and value: the same form sent twice (a double tap, a
        # reload that resends it) is counted once; another choice on the same form replaces
        # the first, as a second tap does on the live page.
        digest = hashlib.sha256(
            json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]
        payload = {"activity": activity.id, "client_id": f"form-{nonce}-{digest}"}
        if kinds.of(activity).questions:
            live.ask(current, pid, {**payload, "text": value})
        else:
            live.respond(current, pid, {**payload, "value": value})
    except FormError as exc:
        session["answer_error"] = [activity_id[:64], exc.code]
    except LiveError as exc:
        session["answer_error"] = [activity_id[:64], exc.code]
    return back


def form_value(activity: Activity, form: MultiDict[str, str]) -> Any:
    """The answer a form carries, in the shape the Socket.IO ``respond`` sends (the kind reads
    it: ``Kind.form_value``; cleaning and validation are the use case's: ``live.respond``)."""
    return kinds.of(activity).form_value(activity, form)


def first_paint(state: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows before its script runs, following the script's own choice
    (participant.js ``refresh``): the end, a profile question at join, the first unanswered
    activity of a paced section, the current activity, or waiting."""
    answers = state.get("answers") or {}
    if state.get("ended"):
        return {"screen": "ended"}
    for i, a in enumerate(state.get("profile") or []):
        if a["id"] not in answers:
            return {
                "screen": "activity",
                "activity": a,
                "answering": True,
                "profile": {"n": i + 1, "total": len(state["profile"])},
            }
    paced = state.get("paced")
    if paced and paced.get("activities"):
        items = paced["activities"]
        index = next(
            (i for i, a in enumerate(items) if _responds(a["kind"]) and a["id"] not in answers), 0
        )
        return {
            "screen": "activity",
            "activity": items[index],
            "answering": bool(items[index].get("answering")),
            "paced": {"n": index + 1, "total": len(items)},
        }
    if state.get("activity"):
        return {
            "screen": "activity",
            "activity": state["activity"],
            "answering": bool(state.get("answering")),
        }
    return {"screen": "waiting"}


def _responds(name: str) -> bool:
    """Whether a kind takes responses (not a slide, not questions)."""
    kind = kinds.get(name)
    return kind is not None and kind.answerable and not kind.questions


@bp.get("/programme.schema.json")
def programme_schema():  # type: ignore[no-untyped-def]
    """The JSON Schema of programme files (docs/programme.schema.json), for editors."""
    response = current_app.response_class(schema.schema_json(), mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def join_code_page(current: live.LiveState, code: str, given: bool) -> tuple[str, int]:
    """Joining needs a table card's QR code or a personal code: say so (and, for personal
    codes, ask for one)."""
    error = None
    if code == "join_code_used":
        error = _("This personal code was used already. Each code lets one person take part.")
    elif given:
        error = (
            _("This code is not right. Check it and type it again.")
            if current.join_mode == "personal_codes"
            else _("This table code is not valid. Scan the code on your table again.")
        )
    page = render_template(
        "participant/join_code.html", code=current.code, mode=current.join_mode, error=error
    )
    return page, 403


@bp.post("/api/join/<code>")
def api_join(code: str):  # type: ignore[no-untyped-def]
    """For non-browser clients: a participant token to pass as auth.token at connect."""
    if rate_limited("join"):
        return (
            jsonify(
                {
                    "ok": False,
                    "error": {
                        "code": "rate_limited",
                        "message": "too many joins from this address; retry later",
                    },
                }
            ),
            429,
            {"Retry-After": "30"},
        )
    try:
        key = request.args.get("k") or request.args.get("p")
        current, _pid, token = live.join(code, request.args.get("t"), key)
    except LiveError as exc:
        status = {"unknown_code": 404, "bad_payload": 400}.get(exc.code, 403)
        return jsonify({"ok": False, "error": {"code": exc.code, "message": exc.message}}), status
    return jsonify({"ok": True, "code": current.code, "token": token})
