"""Export jobs: the control screen's downloads are built in a child process, so that the
server's one thread (eventlet: one process, one OS thread) keeps serving phones, projector and
control screens while a big XLSX, ZIP or PDF is made. docs/export.md, "Where", has the rules.

Parent side: ``run(settings, codes, fmt, ...)``

1. takes a slot (``slots``: at most ``EXPORT_JOBS`` jobs at once per server process); when none
   frees up within ``EXPORT_QUEUE_WAIT`` seconds it raises ``JobError("busy")`` (HTTP 503 with
   Retry-After);
2. starts ``python -m facilitator.export_job`` in its own process group, with the job on its
   standard input as JSON (database URL, Chromium setting, codes, format, options) and an
   unnamed temporary file (``tempfile.TemporaryFile``: O_TMPFILE, or unlinked at once) passed
   as an inherited file descriptor, which the child writes the export into;
3. waits for it: under eventlet ``subprocess`` is green after monkey-patching and ``wait``
   polls cooperatively; in threading mode the request's own thread waits. After
   ``EXPORT_TIMEOUT`` seconds the child's process group (the child and its Chromium) gets
   SIGTERM (the child then cleans up), 5 s later SIGKILL: ``JobError("timeout")``;
4. returns the file, at its start, with its size and the child's answer (file name, interim,
   warnings, timings). The route streams it and closes it; the file has no name, so nothing
   is left on disk whatever happens to either process (a crash, a client that disconnects).

Child side (``main``): reads the job, connects to the database, gathers, prepares and writes
the one format, and prints one JSON line: ``{"ok": true, "filename", "interim", "warning",
"timings", ...}``, or ``{"ok": false, "error": kind, "message"}`` (exit 2) for a failure with a
known cause (an unknown code, sessions that cannot be pooled, no Chromium, Chromium failed).
Anything else is a traceback on its standard error and exit 1; the parent logs it and the
browser gets a short page saying what failed (``JobError("failed")``).

The child costs a process start with its imports (about 0.7 s) on every download, however
small the session; docs/performance.md, "Exports", has the figures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent

#: defaults of the settings (facilitator/config.py has them too)
JOBS = 2
QUEUE_WAIT = 20.0
TIMEOUT = 90.0
#: after SIGTERM, the child gets this long to clean up before SIGKILL
GRACE = 5.0

#: error kind -> HTTP status
STATUS = {
    "busy": 503,
    "timeout": 504,
    "failed": 500,
    "export": 400,
    "unknown_session": 404,
    "pdf_unavailable": 503,
    "pdf_failed": 500,
}


class JobError(Exception):
    """An export job that gave no file. ``kind``: a key of ``STATUS``; ``message``: what to
    show (the child's message for ``export``); ``detail``: what to log."""

    def __init__(
        self, kind: str, message: str = "", detail: str = "", retry_after: int | None = None
    ):
        super().__init__(f"{kind}: {message or detail}")
        self.kind = kind
        self.status = STATUS[kind]
        self.message = message
        self.detail = detail
        self.retry_after = retry_after


@dataclass
class Finished:
    """A finished export: ``file`` is open at its start (close it when done)."""

    file: IO[bytes]
    size: int
    filename: str
    interim: bool
    warning: str | None = None
    #: everything the child said (timings, CPU time, peak memory)
    info: dict[str, Any] = field(default_factory=dict)
    #: wall time of the whole job in the parent, process start included
    seconds: float = 0.0


# ------------------------------------------------------------------------------ parent


_slots_lock = threading.Lock()


def slots_for(extensions: dict[str, Any], jobs: int) -> threading.BoundedSemaphore:
    """The job slots of one app (kept in ``app.extensions``)."""
    with _slots_lock:
        sem = extensions.get("dialoogtafel.export_slots")
        if sem is None:
            sem = extensions["dialoogtafel.export_slots"] = threading.BoundedSemaphore(
                max(1, int(jobs))
            )
        return sem


def run(
    settings: Mapping[str, Any],
    codes: Sequence[str],
    fmt: str,
    *,
    delimiter: str = ",",
    notes: bool = False,
    all_texts: bool = False,
    lang: str | None = None,
    slots: threading.BoundedSemaphore | None = None,
) -> Finished:
    """Build one export in a child process and return it as an open file (see the module's
    docstring). ``settings``: the app's config (``DATABASE_URL``, ``CHROMIUM``,
    ``EXPORT_TIMEOUT``, ``EXPORT_QUEUE_WAIT``). Raises ``JobError``."""
    queue_wait = float(settings.get("EXPORT_QUEUE_WAIT", QUEUE_WAIT))
    timeout = float(settings.get("EXPORT_TIMEOUT", TIMEOUT))
    if slots is not None and not slots.acquire(timeout=max(0.0, queue_wait)):
        raise JobError(
            "busy", retry_after=30, detail=f"no free export slot within {queue_wait:g} s"
        )
    try:
        return _run(settings, list(codes), fmt, delimiter, notes, all_texts, lang, timeout)
    finally:
        if slots is not None:
            slots.release()


def _run(
    settings: Mapping[str, Any],
    codes: list[str],
    fmt: str,
    delimiter: str,
    notes: bool,
    all_texts: bool,
    lang: str | None,
    timeout: float,
) -> Finished:
    started = time.monotonic()
    out = tempfile.TemporaryFile(prefix="dialoogtafel-export-")
    try:
        spec = {
            "database_url": settings["DATABASE_URL"],
            "chromium": settings.get("CHROMIUM") or None,
            "codes": codes,
            "format": fmt,
            "delimiter": delimiter,
            "notes": notes,
            "all_texts": all_texts,
            "lang": lang,
            "fd": out.fileno(),
        }
        answer, code, errors = _child(spec, out.fileno(), timeout)
        if answer.get("ok") is True and code == 0:
            size = os.fstat(out.fileno()).st_size
            out.seek(0)
            return Finished(
                out,
                size,
                str(answer["filename"]),
                bool(answer["interim"]),
                answer.get("warning"),
                answer,
                time.monotonic() - started,
            )
        if answer.get("ok") is False and answer.get("error") in STATUS:
            raise JobError(
                str(answer["error"]), str(answer.get("message", "")), str(answer.get("message", ""))
            )
        how = f"exit code {code}" if code >= 0 else f"stopped by signal {-code}"
        raise JobError("failed", detail=f"the export process failed ({how}): {errors}")
    except BaseException:
        out.close()
        raise


def _child(spec: dict[str, Any], fd: int, timeout: float) -> tuple[dict[str, Any], int, str]:
    """Run the child; (its JSON answer or {}, its exit code, the end of its stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    env.setdefault("PYTHONIOENCODING", "utf-8")
    with (
        tempfile.TemporaryFile() as stdin,
        tempfile.TemporaryFile() as stdout,
        tempfile.TemporaryFile() as stderr,
    ):
        stdin.write(json.dumps(spec).encode())
        stdin.seek(0)
        proc = subprocess.Popen(
            [sys.executable, "-m", "facilitator.export_job"],
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=env,
            pass_fds=(fd,),
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise JobError(
                "timeout", detail=f"the export took longer than {timeout:g} s and was stopped"
            ) from None
        except BaseException:  # the waiting greenlet or thread was stopped
            _stop(proc)
            raise
        stdout.seek(0)
        lines = stdout.read().decode("utf-8", "replace").strip().splitlines()
        stderr.seek(max(0, stderr.seek(0, os.SEEK_END) - 4000))
        errors = stderr.read().decode("utf-8", "replace").strip()
    answer: dict[str, Any] = {}
    if lines:
        try:
            parsed = json.loads(lines[-1])
            answer = parsed if isinstance(parsed, dict) else {}
        except ValueError:
            pass
    return answer, code, errors


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the child's process group (the child and its Chromium), SIGKILL after
    ``GRACE`` seconds; then reaped."""
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(wait)
            if sig == signal.SIGTERM:
                try:  # what the child left behind in its group (a Chromium)
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            return
        except subprocess.TimeoutExpired:
            continue


# ------------------------------------------------------------------------------- child


class _Known(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def build_and_write(spec: Mapping[str, Any], out: IO[bytes]) -> dict[str, Any]:
    """The child's work: one export of ``spec`` into ``out``; returns the answer (without
    ``ok``). Raises ``_Known`` for a failure with a known cause."""
    import resource
    from datetime import UTC, datetime

    from flask import Flask

    from . import export_service as service
    from .export.common import REPORT_MAX_TEXTS, ExportError
    from .export.formats import Export
    from .export.pdf import PdfFailed, PdfUnavailable
    from .extensions import db

    cpu0 = time.process_time()
    app = Flask("facilitator.export_job", root_path=str(ROOT))
    app.config.update(DATABASE_URL=spec["database_url"], CHROMIUM=spec.get("chromium"))
    db.init_app(app)
    fmt = str(spec["format"])
    try:
        with app.app_context():
            t0 = time.perf_counter()
            codes = list(spec["codes"])
            if not codes:
                raise ExportError("give at least one live session code")
            sessions = [service.session_data(c) for c in codes]
            t1 = time.perf_counter()
            exp = Export(
                sessions,
                datetime.now(UTC).replace(tzinfo=None),
                lang=spec.get("lang"),
                notes=bool(spec.get("notes")),
                max_texts=0 if spec.get("all_texts") else REPORT_MAX_TEXTS,
            )
            t2 = time.perf_counter()
            info = service.write(exp, fmt, out, delimiter=str(spec.get("delimiter", ",")))
            out.flush()
            t3 = time.perf_counter()
    except service.UnknownSession as exc:
        raise _Known("unknown_session", str(exc)) from None
    except ExportError as exc:
        raise _Known("export", str(exc)) from None
    except PdfUnavailable as exc:
        raise _Known("pdf_unavailable", str(exc)) from None
    except PdfFailed as exc:
        raise _Known("pdf_failed", str(exc)) from None
    return {
        "filename": exp.filename(fmt),
        "interim": exp.interim,
        "warning": info.get("warning"),
        "files": info.get("files"),
        "responses": sum(len(s.responses) for s in sessions),
        "participants": exp.participants,
        "timings": {
            "gather_s": round(t1 - t0, 3),
            "prepare_s": round(t2 - t1, 3),
            "write_s": round(t3 - t2, 3),
        },
        "cpu_s": round(time.process_time() - cpu0, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _terminated(signum: int, _frame: Any) -> None:
    # SIGTERM from the parent (timeout): unwind, so that Chromium is stopped and the PDF's
    # temporary folder removed by their ``finally`` blocks
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _terminated)
    spec = json.loads(sys.stdin.buffer.read())
    with os.fdopen(int(spec["fd"]), "wb") as out:
        try:
            answer = build_and_write(spec, out)
        except _Known as exc:
            print(json.dumps({"ok": False, "error": exc.kind, "message": exc.message}), flush=True)
            return 2
    print(json.dumps({"ok": True, **answer}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
