"""PDF from the report's HTML, printed by headless Chromium (Debian's ``chromium`` package).

Pure core (standard library only). Chromium is looked up at run time: the ``CHROMIUM`` setting
(``DIALOOGTAFEL_CHROMIUM``), else ``chromium``, ``chromium-browser``, ``google-chrome`` or
``google-chrome-stable`` on the PATH. When none is found, ``PdfUnavailable`` says what to
install; the other formats do not need it.

Chromium runs as a separate process with a fresh profile, JavaScript off and no network (the
report fetches nothing; its Content Security Policy forbids it anyway). Under eventlet the
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
INSTALL_HINT = ("PDF export needs Chromium: install it (Debian/Ubuntu: apt-get install "
                "chromium) or set DIALOOGTAFEL_CHROMIUM to its path. Every other format works "
                "without it; the HTML report prints to PDF from any browser.")


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


def html_to_pdf(html: str, out: IO[bytes], *, chromium: str | None = None,
                timeout: float = 180.0) -> None:
    """Print ``html`` (a standalone page) to PDF into ``out``."""
    exe = find_chromium(chromium)
    if exe is None:
        raise PdfUnavailable(INSTALL_HINT if not chromium else
                             f"Chromium was not found at {chromium!r}. " + INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="dialoogtafel-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        target = folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        args = [
            exe, "--headless", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-quic", "--mute-audio", "--hide-scrollbars",
            "--blink-settings=scriptEnabled=false",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}", page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        try:
            done = subprocess.run(args, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, cwd=tmp,
                                  env=dict(os.environ, HOME=tmp))
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"Chromium did not finish the PDF within {timeout:.0f} s") from None
        if not target.exists() or target.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfFailed(f"Chromium made no PDF (exit {done.returncode}): "
                            + " | ".join(tail))
        with target.open("rb") as f:
            shutil.copyfileobj(f, out, 1 << 20)
