"""PDF from the report's HTML, printed by headless Chromium (Debian's ``chromium`` package).

Pure core (standard library only). Chromium is looked up at run time: the ``CHROMIUM`` setting
(``DIALOOGTAFEL_CHROMIUM``), else ``chromium``, ``chromium-browser``, ``google-chrome`` or
``google-chrome-stable`` on the PATH. When none is found, ``PdfUnavailable`` says what to
install; the other formats do not need it.

Chromium runs as a separate process with a fresh profile; the report has no scripts and fetches
nothing, and its Content Security Policy forbids both (``--blink-settings=scriptEnabled=false``
would be stricter but makes the new headless mode print nothing). Under eventlet the
``subprocess`` module is green, so the wait does not block the server's other connections.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "PDF export needs Chromium: install it (Debian/Ubuntu: apt-get install "
    "chromium) or set DIALOOGTAFEL_CHROMIUM to its path. Every other format works "
    "without it; the HTML report prints to PDF from any browser."
)


class PdfUnavailable(RuntimeError):
    """No Chromium to print with."""


class PdfFailed(RuntimeError):
    """Chromium ran but made no PDF."""


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium executable to use, or None."""
    if configured:
        found = shutil.which(configured)
        return found if found else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available(configured: str | None = None) -> bool:
    return find_chromium(configured) is not None


class PdfJob:
    """Chromium printing one report, started at once and waited for later: a ZIP export writes
    its other files meanwhile (Chromium is another process, on another core)."""

    def __init__(self, html: str, chromium: str | None = None, timeout: float = 180.0):
        exe = find_chromium(chromium)
        if exe is None:
            raise PdfUnavailable(
                INSTALL_HINT
                if not chromium
                else f"Chromium was not found at {chromium!r}. " + INSTALL_HINT
            )
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="dialoogtafel-pdf-")
        folder = Path(self._tmp.name)
        page = folder / "report.html"
        self.target = folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        args = [
            exe,
            "--headless",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-quic",
            "--mute-audio",
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={self.target}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        self._log = (folder / "chromium.log").open("wb")
        # Chromium's own temporary files (its singleton socket folder, which it does not
        # always remove) go into this job's folder, removed with it
        env = dict(os.environ, TMPDIR=str(folder))
        self._proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
        )

    def wait(self) -> Path:
        """The PDF file (valid until ``close``); raises PdfFailed."""
        try:
            code = self._proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            raise PdfFailed(
                f"Chromium did not finish the PDF within {self.timeout:.0f} s"
            ) from None
        if not self.target.exists() or self.target.stat().st_size == 0:
            self._log.flush()
            log = Path(self._log.name).read_bytes().decode("utf-8", "replace")
            tail = log.strip().splitlines()[-3:]
            raise PdfFailed(f"Chromium made no PDF (exit {code}): " + " | ".join(tail))
        return self.target

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._log.close()
        self._tmp.cleanup()


def start_pdf(html: str, chromium: str | None = None) -> PdfJob:
    return PdfJob(html, chromium)


def html_to_pdf(
    html: str, out: IO[bytes], *, chromium: str | None = None, timeout: float = 180.0
) -> None:
    """Print ``html`` (a standalone page) to PDF into ``out``."""
    job = PdfJob(html, chromium, timeout)
    try:
        with job.wait().open("rb") as f:
            shutil.copyfileobj(f, out, 1 << 20)
    finally:
        job.close()
