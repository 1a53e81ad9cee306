"""The facilitator's control screen, sign-in, and starting a live session."""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import access, live
from ..i18n import use_language
from ..programme import check_files
from . import (
    check_csrf,
    csrf_token,
    error_page,
    get_live,
    grant,
    granted,
    is_facilitator,
    no_such_live,
    rate_limited,
    sign_in_browser,
    sign_out_browser,
    too_many,
)
from .table import table_url

bp = Blueprint("control", __name__)


def programme_files() -> list[Path]:
    """The programme files in the programmes folder, by name."""
    folder = Path(current_app.config["PROGRAMMES_DIR"])
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def facilitator_required(view: Any) -> Any:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_facilitator():
            return render_template("login.html", error=None), 401
        return view(*args, **kwargs)

    return wrapped


@bp.get("/login")
def login():  # type: ignore[no-untyped-def]
    token = request.args.get("token", "")
    if token and rate_limited("login"):
        return too_many(_("Too many sign-in attempts. Wait a few minutes and try again."))
    if token and access.sign_in(token):
        sign_in_browser()
        return redirect(url_for("control.index"))
    error = (
        _(
            "This sign-in link is not valid or was already used. Use the link printed in the "
            "terminal where the server was started."
        )
        if token
        else None
    )
    return render_template("login.html", error=error), 403 if token else 200


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    check_csrf()
    sign_out_browser()
    return redirect(url_for("participant.home"))


@bp.get("/control/")
@facilitator_required
def index() -> str:
    programmes = []
    for path, programme, problems in check_files(programme_files()):
        programmes.append(
            {
                "stem": path.stem,
                "file": path.name,
                "ok": programme is not None,
                "errors": problems,
                "id": programme.id if programme else None,
                "title": programme.title if programme else None,
                "version": programme.version if programme else None,
                "status": programme.status if programme else None,
            }
        )
    from ..editor.preview import is_preview

    lives = []
    for s in live.summaries():
        if is_preview(s.code):  # the programme editor's throw-away previews
            continue
        base = (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")
        lives.append(
            {
                "code": s.code,
                "title": s.title,
                "created_at": s.created_at.isoformat() + "Z",
                "delete_after": s.delete_after.isoformat() + "Z",
                "participants": s.participants,
                "participant_url": f"{base}/j/{s.code}",
                "control_url": f"{base}/control/{s.code}?key={s.control_key}",
                "projector_url": f"{base}/projector/{s.code}?key={s.projector_key}",
            }
        )
    return render_template(
        "control/index.html",
        programmes=programmes,
        lives=lives,
        deletions=live.deletions(),
        csrf_token=csrf_token(),
    )


@bp.post("/control/start")
@facilitator_required
def start():  # type: ignore[no-untyped-def]
    check_csrf()
    stem = request.form.get("programme", "")
    path = next((p for p in programme_files() if p.stem == stem), None)
    if path is None:
        return error_page(404, _("There is no programme called %(name)s.", name=stem[:64]))
    [(_path, programme, problems)] = list(check_files([path]))
    if programme is None:
        return error_page(
            422, _("This programme has errors and cannot be started:") + " " + "; ".join(problems)
        )
    tables_raw = request.form.get("tables", "").strip()
    tables = None
    if tables_raw:
        if not tables_raw.isdigit() or int(tables_raw) > 200:
            return error_page(400, _("The number of tables must be a whole number from 0 to 200."))
        tables = int(tables_raw)
    try:
        started = live.start(programme, path.name, tables, request.form.get("join") or "open")
    except live.LiveError:
        return error_page(
            400,
            _(
                "Joining through table codes needs tables: give the number of tables, or "
                "choose another way to join."
            ),
        )
    grant("control", started.code)
    return redirect(url_for("control.page", code=started.code))


@bp.get("/control/<code>/tables")
def tables(code: str):  # type: ignore[no-untyped-def]
    """A printable sheet: one card per dialogue table, with the QR code that joins at it (in
    the table_code join mode with the table's key, drawn into the page: the public QR route
    never makes a key). In the live session's language, like the screens: the cards are for
    the participants."""
    current = get_live(code, "control")
    use_language(current.lang)
    base = live.links(current).participant_url
    cards = []
    for n in range(1, current.tables + 1):
        if current.join_mode == "table_code":
            url = f"{base}?t={n}&k={live.table_key(current, n)}"
            qr = _qr_data(url)
        else:
            url, qr = f"{base}?t={n}", url_for("projector.qr", code=current.code, t=n)
        cards.append(
            {
                "number": n,
                "url": url,
                "qr": qr,
                # the table's own screen (a tablet on the table), with its key
                "screen_url": table_url(current, n),
                "screen_qr": url_for(
                    "table.qr", code=current.code, n=n, key=live.screen_key(current, n)
                ),
            }
        )
    return render_template(
        "control/tables.html",
        code=current.code,
        title=current.programme.title,
        cards=cards,
        keyed=current.join_mode == "table_code",
    )


def _qr_data(url: str) -> str:
    """A QR code as an image address inside the page (data:), for links with a key."""
    import base64

    from ..qr import qr_svg

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode()).decode()


@bp.get("/control/<code>/codes")
def codes(code: str):  # type: ignore[no-untyped-def]
    """A printable sheet of personal codes (personal_codes join mode): one card each, with the
    code and a QR code that joins with it; used codes are marked. A form prints more. In the
    live session's language."""
    current = get_live(code, "control")
    use_language(current.lang)
    if current.join_mode != "personal_codes":
        return error_page(404, _("This session is not joined with personal codes."))
    base = live.links(current).participant_url
    cards = [
        {
            "number": n,
            "code": live.spaced(personal),
            "url": f"{base}?p={personal}",
            "qr": _qr_data(f"{base}?p={personal}"),
            "used": used,
        }
        for n, personal, used in live.personal_codes(current)
    ]
    return render_template(
        "control/codes.html",
        code=current.code,
        title=current.programme.title,
        cards=cards,
        used=sum(1 for c in cards if c["used"]),
        csrf_token=csrf_token(),
    )


@bp.post("/control/<code>/codes")
def more_codes(code: str):  # type: ignore[no-untyped-def]
    """Print more personal codes: form ``count`` (1 to 500), ``csrf_token``."""
    current = get_live(code, "control")
    check_csrf()
    raw = request.form.get("count", "").strip()
    try:
        live.add_personal_codes(current, int(raw) if raw.isdigit() and len(raw) < 5 else -1)
    except live.LiveError:
        return error_page(
            400, _("Give a number of codes from 1 to 500 (at most 2000 per session).")
        )
    return redirect(url_for("control.codes", code=current.code))


@bp.get("/control/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    key = request.args.get("key")
    current = get_live(code, "control", key=key)
    if key is not None:
        # drop the key from the address bar and the browser history
        return redirect(url_for("control.page", code=current.code))
    use_language(current.lang)
    return render_template(
        "control/live.html",
        code=current.code,
        state=live.control_snapshot(current),
        join_mode=current.join_mode,
        csrf_token=csrf_token(),
    )


# ---- exports (after the session)

DOWNLOADS = ("csv", "xlsx", "json", "html", "pdf", "zip")


def _poolable_lives(current: Any) -> list[live.LiveSummary]:
    """Other live sessions of the same programme this browser may export."""
    return [
        s
        for s in live.summaries()
        if s.programme_id == current.programme.id
        and s.code != current.code
        and granted("control", s.code)
    ]


@bp.get("/control/<code>/exports")
def exports_page(code: str, delete_error: str | None = None):  # type: ignore[no-untyped-def]
    """Download links: the report, the data, everything in one ZIP; pooled with other live
    sessions of the same programme. And deleting the live session."""
    from .. import export_service as exports
    from ..export.common import is_interim

    current = get_live(code, "control")
    return render_template(
        "control/exports.html",
        code=current.code,
        title=current.programme.title,
        interim=is_interim(current),
        pdf=exports.pdf_available(),
        others=_poolable_lives(current),
        delete_after=live.delete_after(current),
        retention_days=current.retention_days,
        delete_error=delete_error,
        csrf_token=csrf_token(),
    ), 400 if delete_error else 200


@bp.post("/control/<code>/delete")
def delete(code: str):  # type: ignore[no-untyped-def]
    """Delete the live session and everything in it, once the join code is typed to confirm."""
    current = get_live(code, "control")
    check_csrf()
    try:
        deleted = live.delete(current.code, "control", confirm=request.form.get("confirm", ""))
    except live.LiveError as exc:
        if exc.code != "bad_confirmation":  # deleted meanwhile
            return no_such_live(current.code)
        return exports_page(
            current.code,
            delete_error=_(
                "Not deleted: type the join code %(code)s exactly to confirm.", code=current.code
            ),
        )
    return render_template("control/deleted.html", deleted=deleted)


@bp.get("/control/<code>/export.<fmt>")
def export_download(code: str, fmt: str):  # type: ignore[no-untyped-def]
    """One export as a download. ``?with=CODE`` (repeatable) pools other live sessions of the
    same programme; ``?delimiter=semicolon`` for CSV; ``?notes=1`` puts presenter notes in the
    report, ``?all_texts=1`` every approved free text; ``?view=1`` shows the HTML report in the
    browser instead of downloading it."""
    return _download(code, fmt)


@bp.get("/control/<code>/codebook.csv")
def codebook_download(code: str):  # type: ignore[no-untyped-def]
    return _download(code, "codebook")


def _download(code: str, fmt: str):  # type: ignore[no-untyped-def]
    """The export is built in a child process (``export_job``), so the server keeps serving
    phones, projector and control screens meanwhile; then the finished file is streamed."""
    from .. import export_job
    from .. import export_service as exports
    from ..export.common import MEDIA_TYPES
    from ..export.data import poolable

    current = get_live(code, "control")
    if fmt not in DOWNLOADS and fmt != "codebook":
        return error_page(404, _("There is no export format %(format)s.", format=fmt[:12]))
    codes = [current.code]
    programmes = [current.programme]
    for other in request.args.getlist("with")[:50]:
        other = live.normalise_code(other)
        if other in codes:
            continue
        found = get_live(other, "control")
        codes.append(other)
        programmes.append(found.programme)
    problems = poolable(programmes)  # refused at once, without starting a job
    if problems:
        return error_page(400, "; ".join(problems))
    if fmt == "pdf" and not exports.pdf_available():
        return _pdf_unavailable()
    delimiter = ";" if request.args.get("delimiter") == "semicolon" else ","
    config = current_app.config
    try:
        done = export_job.run(
            config,
            codes,
            fmt,
            delimiter=delimiter,
            notes=request.args.get("notes") == "1",
            all_texts=request.args.get("all_texts") == "1",
            slots=export_job.slots_for(
                current_app.extensions, config.get("EXPORT_JOBS", export_job.JOBS)
            ),
        )
    except export_job.JobError as exc:
        return _job_failed(exc, current.code, fmt)
    if done.warning:
        current_app.logger.warning("export %s of %s: %s", fmt, current.code, done.warning)
    out, size = done.file, done.size
    view = fmt == "html" and request.args.get("view") == "1"
    name = done.filename  # ASCII: programme id, code, date
    if delimiter == ";" and fmt in ("csv", "codebook"):
        name = name.removesuffix(".csv") + "_semicolon.csv"

    def chunks() -> Any:
        try:
            while chunk := out.read(1 << 16):
                yield chunk
        finally:
            out.close()

    resp = current_app.response_class(
        chunks(), mimetype=MEDIA_TYPES[fmt].split(";")[0], direct_passthrough=True
    )
    # also when the body is never read (a client gone before the first chunk); the file has
    # no name on disk, so closing it is all the cleaning up there is
    resp.call_on_close(out.close)
    if MEDIA_TYPES[fmt].startswith("text/"):
        resp.mimetype_params["charset"] = "utf-8"
    resp.headers["Content-Length"] = str(size)
    resp.headers["Content-Disposition"] = f'{"inline" if view else "attachment"}; filename="{name}"'
    resp.headers["Cache-Control"] = "no-store"
    if fmt == "html":
        # the report is standalone: its own inline styles, no scripts, nothing fetched
        resp.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src "
            "'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"
        )
    return resp


def _pdf_unavailable():  # type: ignore[no-untyped-def]
    return error_page(
        503,
        _(
            "The PDF needs Chromium on the server, and it was not found. "
            "Download the HTML report and print it to PDF from your "
            "browser, or ask the administrator to install Chromium."
        ),
    )


def _job_failed(exc: Any, code: str, fmt: str):  # type: ignore[no-untyped-def]
    """The error page for an export job that gave no file (``export_job.JobError``): what
    failed, never a traceback; the detail goes to the log."""
    log = current_app.logger
    if exc.kind == "busy":
        log.warning("export %s of %s refused: %s", fmt, code, exc.detail)
        html, status = error_page(
            503, _("The server is busy making other downloads. Try again in a minute.")
        )
        return html, status, {"Retry-After": str(exc.retry_after or 30)}
    if exc.kind == "timeout":
        log.error("export %s of %s: %s", fmt, code, exc.detail)
        return error_page(
            504,
            _(
                "Making this download took too long and was stopped. Try a "
                "smaller format (CSV), or ask the administrator to export "
                "it from the command line."
            ),
        )
    if exc.kind == "export":
        return error_page(400, exc.message)
    if exc.kind == "unknown_session":
        return error_page(404, _("There is no session with code %(code)s.", code=code[:12]))
    if exc.kind == "pdf_unavailable":
        return _pdf_unavailable()
    if exc.kind == "pdf_failed":
        log.warning("PDF export of %s failed: %s", code, exc.detail)
        return error_page(
            500,
            _(
                "The PDF could not be made. Download the HTML report and "
                "print it to PDF from your browser."
            ),
        )
    log.error("export %s of %s failed: %s", fmt, code, exc.detail)
    return error_page(
        500,
        _(
            "This download could not be made: the export failed on the "
            "server. The server log has the details; the other formats "
            "may still work."
        ),
    )
