"""Command line: ``flask --app app programmes check|schema``, ``flask --app app live ...``,
``flask --app app purge`` and ``flask --app app db ...``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import live, schema, store
from .programme import check_files

programmes_cli = AppGroup("programmes", help="Check programme files.")
live_cli = AppGroup("live", help="Create and manage live sessions.")
db_cli = AppGroup("db", help="The database's schema revision and its migrations.")


@programmes_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate programme files (default: every file in the programmes folder)."""
    paths = list(files) or sorted(Path(current_app.config["PROGRAMMES_DIR"]).glob("*.y*ml"))
    if not paths:
        raise click.ClickException("no programme files found")
    failed = 0
    for path, programme, problems in check_files(paths):
        if programme is None:
            failed += 1
            click.echo(f"FAIL {path}", err=True)
            for p in problems:
                click.echo(f"  {p}", err=True)
        else:
            click.echo(
                f"ok   {path}: {programme.id} {programme.version}, "
                f"{len(programme.activities)} activities"
            )
    if failed:
        sys.exit(1)


@programmes_cli.command("schema")
def schema_() -> None:
    """Print the JSON Schema of programme files (docs/programme.schema.json)."""
    click.echo(schema.schema_json(), nl=False)


@live_cli.command("create")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the links as JSON.")
@click.option(
    "--tables",
    type=click.IntRange(0, 200),
    default=None,
    help="Number of dialogue tables (default: the programme's).",
)
@click.option(
    "--join",
    "join_mode",
    type=click.Choice(["open", "table_code", "personal_codes"]),
    default="open",
    show_default=True,
    help="Who may join: anyone with the code, only through a table card's QR code, or only "
    "with a printed personal code (print them from the control screen).",
)
def create(file: Path, as_json: bool, tables: int | None, join_mode: str) -> None:
    """Start a live session of a programme file and print its links."""
    [(_path, programme, problems)] = list(check_files([file]))
    if programme is None:
        for p in problems:
            click.echo(p, err=True)
        raise click.ClickException("the programme has errors; no live session was started")
    try:
        started = live.start(programme, file.name, tables, join_mode)
    except live.LiveError as exc:
        raise click.ClickException(exc.message) from None
    links = live.links(started)
    out = {
        "code": started.code,
        "participant_url": links.participant_url,
        "control_url": links.control_url,
        "projector_url": links.projector_url,
    }
    if as_json:
        click.echo(json.dumps(out))
    else:
        for key, value in out.items():
            click.echo(f"{key:16} {value}")


@live_cli.command("list")
def list_() -> None:
    """List live sessions, newest first."""
    for s in store.list_lives():
        ended = " (ended)" if s.ended_at else ""
        click.echo(
            f"{s.code}  {s.created_at:%Y-%m-%d %H:%M}  {s.participants:5} participants  "
            f"{s.programme_id}{ended}"
        )


@live_cli.command("delete")
@click.argument("code")
def delete(code: str) -> None:
    """Delete a live session and everything in it."""
    try:
        deleted = live.delete(code, "command")
    except live.LiveError:
        raise click.ClickException(f"no live session with code {code[:20]}") from None
    click.echo(f"deleted {deleted.code}: {_gone(deleted)}")


def _gone(d: store.DeletionRow) -> str:
    return f"{d.participants} participants, {d.responses} answers, {d.questions} questions"


@click.command("purge")
def purge_expired() -> None:
    """Delete the live sessions whose retention has run out (the programme's
    settings.retention_days after their end; the server does this every hour by itself)."""
    deleted = live.purge()
    click.echo(f"deleted {len(deleted)} live session(s)")
    for d in deleted:
        click.echo(f"  {d.code}  {d.programme_id}: {_gone(d)}")


def _age(text: str) -> timedelta:
    units = {"d": 1, "w": 7}
    hours = text[-1:] == "h"
    number = text[:-1]
    if not number.isdigit() or (text[-1:] not in units and not hours):
        raise click.BadParameter(f"{text!r}: expected a number and a unit, like 90d, 2w or 12h")
    return timedelta(hours=int(number)) if hours else timedelta(days=int(number) * units[text[-1]])


@live_cli.command("purge")
@click.option("--older-than", "older_than", required=True, help="Age like 90d, 2w or 12h.")
def purge(older_than: str) -> None:
    """Delete every live session (and all in it) created longer ago than the given age."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - _age(older_than)
    codes = store.purge_before(cutoff)
    click.echo(f"deleted {len(codes)} live session(s)" + (f": {' '.join(codes)}" if codes else ""))


@click.command("login-link")
@click.option(
    "--url",
    default=None,
    help="The server's address (default: PUBLIC_URL, else http://127.0.0.1:<DIALOOGTAFEL_PORT>).",
)
def login_link(url: str | None) -> None:
    """Print a fresh one-time facilitator sign-in link; every earlier link stops working."""
    import os

    from . import access

    base = url or current_app.config.get("PUBLIC_URL") or ""
    if not base:
        base = f"http://127.0.0.1:{os.environ.get('DIALOOGTAFEL_PORT', '5000')}"
    click.echo(access.new_sign_in_link(base))
    minutes = access.sign_in_minutes()
    click.echo(f"(one use, valid for {minutes:g} minutes; earlier links no longer work)", err=True)


@db_cli.command("current")
def db_current() -> None:
    """Print the database's schema revision and the newest this version knows. (Every start,
    this command's too, has already upgraded the database to the newest.)"""
    from sqlalchemy import create_engine

    from . import migrate

    engine = create_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rev = migrate.current(conn)
    finally:
        engine.dispose()
    click.echo(f"database {rev or '-'}  newest {migrate.head()}")


@db_cli.command("check")
def db_check() -> None:
    """Compare the database's tables with the models; exit 1 when they differ (a model was
    changed without a migration)."""
    from . import migrate

    found = migrate.diff(current_app.config["DATABASE_URL"])
    for item in found:
        click.echo(f"differs: {item}", err=True)
    if found:
        sys.exit(1)
    click.echo("the database matches the models")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration into facilitator/migrations/versions: what changed in models.py
    since the newest migration, found by comparing with a new database brought to it. Read
    and complete it before committing (renames, data to copy)."""
    import tempfile

    from alembic import command
    from sqlalchemy import create_engine

    from . import migrate

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'head.db'}"
        migrate.upgrade(url)
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                cfg = migrate.config(url)
                cfg.attributes["connection"] = conn
                script = command.revision(
                    cfg,
                    message=message,
                    autogenerate=True,
                    rev_id=f"{int(migrate.head()) + 1:04d}",
                )
        finally:
            engine.dispose()
    for one in script if isinstance(script, list) else [script]:
        if one is not None:
            click.echo(f"wrote {one.path}")


def register(app: Flask) -> None:
    app.cli.add_command(programmes_cli)
    app.cli.add_command(live_cli)
    app.cli.add_command(login_link)
    app.cli.add_command(db_cli)
    app.cli.add_command(purge_expired)


# ---- export (after the session)

FORMAT_CHOICE = click.Choice(["csv", "xlsx", "json", "html", "pdf", "zip", "codebook"])


def _export(
    codes: tuple[str, ...],
    fmt: str,
    output: str | None,
    delimiter: str,
    notes: bool,
    lang: str | None,
    all_texts: bool = False,
) -> None:
    """Write the export of ``codes`` (one, or several pooled) to ``output`` or a file named
    after the programme, code and date."""
    from . import export_service as exports
    from .export.common import ExportError
    from .export.pdf import PdfFailed, PdfUnavailable

    try:
        exp = exports.build(list(codes), lang=lang, notes=notes, all_texts=all_texts)
    except (exports.UnknownSession, ExportError) as exc:
        raise click.ClickException(str(exc)) from None
    sep = ";" if delimiter == "semicolon" else ","
    if output == "-":
        if fmt in ("xlsx", "pdf", "zip"):
            raise click.ClickException(f"{fmt} is binary: give a file with -o")
        out = sys.stdout.buffer
        exports.write(exp, fmt, out, delimiter=sep)
        out.flush()
        return
    path = Path(output) if output else Path(exp.filename(fmt))
    if path.is_dir():
        path = path / exp.filename(fmt)
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("wb") as f:
            info = exports.write(exp, fmt, f, delimiter=sep)
        tmp.replace(path)
    except (PdfUnavailable, PdfFailed) as exc:
        tmp.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if info.get("warning"):
        click.echo(f"warning: {info['warning']}", err=True)
    state = " (interim: a session is still running)" if exp.interim else ""
    click.echo(f"wrote {path}{state}")


@live_cli.command("export")
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICE,
    default="zip",
    show_default=True,
    help="csv: tidy responses; codebook: the columns and labels (CSV); xlsx; json; "
    "html/pdf: the report; zip: all of them.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="File or folder to write to ('-' for standard output; default: a file "
    "named after the programme, code and date in the current folder).",
)
@click.option(
    "--delimiter",
    type=click.Choice(["comma", "semicolon"]),
    default="comma",
    show_default=True,
    help="CSV: ';' suits Excel with Flemish/Dutch settings.",
)
@click.option("--notes", is_flag=True, help="Put the presenter notes in the report.")
@click.option("--lang", default=None, help="Language of the report (default: the live session's).")
@click.option(
    "--all-texts",
    is_flag=True,
    help="List every approved free text in the report (default: the first 250 per "
    "activity; the data files always have all).",
)
def export_(
    code: str,
    fmt: str,
    output: str | None,
    delimiter: str,
    notes: bool,
    lang: str | None,
    all_texts: bool,
) -> None:
    """Export a live session: responses, results and the report."""
    _export((code,), fmt, output, delimiter, notes, lang, all_texts)


@live_cli.command("export-pooled")
@click.argument("codes", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=FORMAT_CHOICE, default="zip", show_default=True, help="As for 'export'."
)
@click.option("-o", "--output", default=None, help="As for 'export'.")
@click.option(
    "--delimiter", type=click.Choice(["comma", "semicolon"]), default="comma", show_default=True
)
@click.option("--notes", is_flag=True, help="Put the presenter notes in the report.")
@click.option("--lang", default=None, help="Language of the report (default: the live session's).")
@click.option("--all-texts", is_flag=True, help="As for 'export'.")
def export_pooled(
    codes: tuple[str, ...],
    fmt: str,
    output: str | None,
    delimiter: str,
    notes: bool,
    lang: str | None,
    all_texts: bool,
) -> None:
    """Export several live sessions of the same programme together (the live session is a
    column, results are pooled and broken down by session)."""
    if len(codes) < 2:
        raise click.ClickException("give two or more live session codes to pool")
    _export(codes, fmt, output, delimiter, notes, lang, all_texts)
