"""The programme editor in the browser (signed-in facilitators only): pages and a small JSON
API. The use cases are in ``facilitator.editor.programmes``; this module only speaks HTTP."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..editor import preview
from ..editor.programmes import EditorError, Library, Stale, as_dict
from . import check_csrf, csrf_token, key_matches
from .control import facilitator_required

bp = Blueprint("editor", __name__)


def library() -> Library:
    return Library(current_app.config["PROGRAMMES_DIR"])


def _author() -> str:
    from urllib.parse import unquote

    raw = request.headers.get("X-Editor-Name")
    return (unquote(raw) if raw else request.form.get("author", "")).strip()[:80]


def _check_csrf_json() -> None:
    """The API's requests carry the token in a header (fetch with JSON bodies)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    if not sent or not key_matches(sent, [session.get("csrf", "")]):
        abort(400, description=_("This form has expired. Reload the page and try again."))


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="expected a JSON object")
    return body


def _refused(exc: EditorError) -> tuple[Response, int]:
    body: dict[str, Any] = {"ok": False, "problems": exc.problems}
    if isinstance(exc, Stale):
        body.update(
            stale=True,
            current=exc.current,
            saved_by=exc.saved_by,
            saved_at=exc.saved_at,
            diff=exc.diff,
        )
    return jsonify(body), exc.status


def _page_error(exc: EditorError):  # type: ignore[no-untyped-def]
    return render_template(
        "editor/refused.html", problems=exc.problems, csrf_token=csrf_token()
    ), exc.status


# ------------------------------------------------------------------------------ pages


@bp.get("/editor/")
@facilitator_required
def index() -> str:
    return render_template(
        "editor/index.html", programmes=library().entries(), csrf_token=csrf_token()
    )


@bp.post("/editor/new")
@facilitator_required
def new():  # type: ignore[no-untyped-def]
    check_csrf()
    name = request.form.get("name", "").strip()
    source = request.form.get("from", "").strip()
    try:
        if source:
            library().duplicate(source, name, author=_author())
        else:
            library().create(name, author=_author())
    except EditorError as exc:
        return _page_error(exc)
    return redirect(url_for("editor.edit", stem=name))


@bp.post("/editor/upload")
@facilitator_required
def upload():  # type: ignore[no-untyped-def]
    check_csrf()
    f = request.files.get("file")
    if f is None or not f.filename:
        return _page_error(EditorError([_("Choose a YAML file to upload.")], 400))
    raw = f.stream.read(2 * 1024 * 1024 + 1)
    try:
        saved = library().upload(
            f.filename, raw, author=_author(), base_version=request.form.get("base_version") or None
        )
    except EditorError as exc:
        return _page_error(exc)
    return redirect(url_for("editor.edit", stem=saved.stem))


@bp.get("/editor/<stem>")
@facilitator_required
def edit(stem: str):  # type: ignore[no-untyped-def]
    try:
        loaded = library().load(stem)
    except EditorError as exc:
        return _page_error(exc)
    return render_template(
        "editor/edit.html",
        stem=stem,
        csrf_token=csrf_token(),
        title=loaded.data.get("programme", {}).get("title")
        if isinstance(loaded.data, dict)
        else None,
    )


@bp.get("/editor/<stem>.yaml")
@facilitator_required
def download(stem: str):  # type: ignore[no-untyped-def]
    try:
        loaded = library().load(stem)
    except EditorError as exc:
        return _page_error(exc)
    resp = Response(loaded.text, mimetype="application/yaml")
    resp.mimetype_params["charset"] = "utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{stem}.yaml"'
    return resp


@bp.get("/editor/<stem>/history")
@facilitator_required
def history(stem: str):  # type: ignore[no-untyped-def]
    lib = library()
    try:
        entries = lib.history(stem)
        a, b = request.args.get("a", ""), request.args.get("b", "")
        diff = lib.diff(stem, a, b) if a and b else None
    except EditorError as exc:
        return _page_error(exc)
    return render_template(
        "editor/history.html",
        stem=stem,
        entries=entries,
        diff=diff,
        a=a,
        b=b,
        current=next((e.version for e in entries if e.current), ""),
        csrf_token=csrf_token(),
    )


@bp.post("/editor/<stem>/restore")
@facilitator_required
def restore(stem: str):  # type: ignore[no-untyped-def]
    check_csrf()
    try:
        library().restore(
            stem,
            request.form.get("version", ""),
            base_version=request.form.get("base_version"),
            author=_author(),
        )
    except EditorError as exc:
        return _page_error(exc)
    return redirect(url_for("editor.history", stem=stem))


@bp.post("/editor/<stem>/delete")
@facilitator_required
def delete(stem: str):  # type: ignore[no-untyped-def]
    check_csrf()
    try:
        library().delete(stem, base_version=request.form.get("base_version"), author=_author())
    except EditorError as exc:
        return _page_error(exc)
    return redirect(url_for("editor.index"))


# ------------------------------------------------------------------------------ JSON API


@bp.get("/editor/api/<stem>")
@facilitator_required
def api_load(stem: str):  # type: ignore[no-untyped-def]
    try:
        loaded = library().load(stem)
    except EditorError as exc:
        return _refused(exc)
    return jsonify(
        {
            "ok": True,
            "stem": stem,
            "data": loaded.data,
            "version": loaded.version,
            "problems": loaded.problems,
        }
    )


@bp.post("/editor/api/<stem>/check")
@facilitator_required
def api_check(stem: str):  # type: ignore[no-untyped-def]
    _check_csrf_json()
    body = _json_body()
    try:
        problems = library().check(body.get("data"), stem)
    except EditorError as exc:
        return _refused(exc)
    return jsonify({"ok": True, "problems": problems})


@bp.post("/editor/api/<stem>/save")
@facilitator_required
def api_save(stem: str):  # type: ignore[no-untyped-def]
    _check_csrf_json()
    body = _json_body()
    try:
        saved = library().save(
            stem, base_version=body.get("version"), author=_author(), data=body.get("data")
        )
    except EditorError as exc:
        return _refused(exc)
    return jsonify({"ok": True, **as_dict(saved)})


@bp.post("/editor/api/<stem>/logo")
@facilitator_required
def api_logo(stem: str):  # type: ignore[no-untyped-def]
    _check_csrf_json()
    f = request.files.get("file")
    if f is None:
        return jsonify({"ok": False, "problems": [_("Choose an image file.")]}), 400
    try:
        name = library().save_logo(stem, f.filename or "", f.stream.read(1024 * 1024))
    except EditorError as exc:
        return _refused(exc)
    return jsonify({"ok": True, "logo": name})


@bp.post("/editor/api/<stem>/preview")
@facilitator_required
def api_preview(stem: str):  # type: ignore[no-untyped-def]
    _check_csrf_json()
    body = _json_body()
    state, problems = preview.start(
        body.get("data"),
        str(body.get("activity", "")),
        current_app.config["PROGRAMMES_DIR"],
        session.get("editor_preview"),
    )
    if state is None:
        return jsonify({"ok": False, "problems": problems}), 422
    session["editor_preview"] = state.code
    return jsonify(
        {
            "ok": True,
            "code": state.code,
            "phone": url_for("participant.page", code=state.code),
            "projector": url_for("projector.page", code=state.code),
        }
    )
