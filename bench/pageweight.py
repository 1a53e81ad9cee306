"""Page weight of the phone's first page: every byte a phone downloads until it can answer.

    .venv/bin/python bench/pageweight.py                 # the table, for docs/performance.md
    .venv/bin/python bench/pageweight.py --json          # the same as one JSON object

What it does:

1. Starts the real server (``python app.py``, eventlet; tests/livesrv.py) on a free loopback
   port with a fresh SQLite file, creates a live session of the built-in programme
   (sessions/brugfiguren.yaml) and, as the facilitator (control over Socket.IO), goes to its first
   question, so the phone opens on something to answer.
2. Opens the participant link in Debian's Chromium (Playwright, ``executable_path``) as a fresh
   phone (390x844, touch, nl-BE, empty cache, no cookie) and records the network through the
   DevTools protocol (``Network.*`` events of a CDP session).
3. Waits until the phone is fully live: the page's module has replaced the server-rendered form
   with its own answer buttons, and the Socket.IO connection has delivered the phone's ``state``.
   Everything requested until then counts: the HTML (with its inline CSS), each script module,
   the vendored Socket.IO client, fonts and icons (there are none: system fonts, ``data:``
   favicon) and the Socket.IO handshake (the WebSocket upgrade and its first frames).
4. Prints one row per request: bytes on the wire (response headers + body as sent, i.e.
   compressed), the body as sent, the body uncompressed, and the encoding; then the totals.

``measure_phone(browser, url)`` is also used by tests/test_first_load_browser.py, which asserts
the total stays under 100 KB.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the budget: "the phone's first page, with everything it needs to answer"
BUDGET_BYTES = 100_000

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "nl-BE",
}

#: the phone is live: the module drew its own buttons over the server's form, and answers
#: can go over the socket (the connection status bar is hidden once connected)
LIVE_JS = """() => !document.querySelector('#main form.answer-form')
  && !!document.querySelector('#main .choices .choice:not([disabled])')"""


@dataclass
class Resource:
    url: str
    kind: str  # Document, Script, Stylesheet, WebSocket, ...
    status: int = 0
    encoding: str = ""
    header_bytes: int = 0
    wire_bytes: int = 0  # headers + body as received
    body_uncompressed: int = 0
    finished: bool = False

    @property
    def body_wire(self) -> int:
        return max(0, self.wire_bytes - self.header_bytes)


@dataclass
class Weight:
    resources: list[Resource] = field(default_factory=list)

    @property
    def total_wire(self) -> int:
        return sum(r.wire_bytes for r in self.resources)

    @property
    def total_uncompressed(self) -> int:
        return sum(r.header_bytes + r.body_uncompressed for r in self.resources)

    def table(self) -> str:
        rows = [
            ("resource", "type", "encoding", "wire (B)", "body sent (B)", "body uncompressed (B)")
        ]
        for r in self.resources:
            rows.append(
                (
                    _short_url(r.url),
                    r.kind,
                    r.encoding or "-",
                    f"{r.wire_bytes:,}",
                    f"{r.body_wire:,}",
                    f"{r.body_uncompressed:,}",
                )
            )
        rows.append(
            (
                "total",
                "",
                "",
                f"{self.total_wire:,}",
                f"{sum(r.body_wire for r in self.resources):,}",
                f"{sum(r.body_uncompressed for r in self.resources):,}",
            )
        )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = []
        for n, row in enumerate(rows):
            cells = [
                c.ljust(w) if i < 3 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("| " + " | ".join(cells) + " |")
            if n == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


def _short_url(url: str) -> str:
    path = url.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else path
    if path.startswith("/socket.io/"):
        return "/socket.io/ (" + path.split("transport=")[-1].split("&")[0] + ")"
    return path


class NetworkLog:
    """Everything the page received, from the DevTools protocol's Network events."""

    def __init__(self, cdp: Any):
        self.by_id: dict[str, Resource] = {}
        self.order: list[str] = []
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketCreated", self._ws_created)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._ws_handshake)
        cdp.on("Network.webSocketFrameReceived", self._ws_frame)
        #: text of every WebSocket frame received, in order
        self.frames: list[str] = []
        cdp.send("Network.enable")
        # nothing from an earlier page: a phone that scans the QR code for the first time
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _get(self, rid: str, url: str = "", kind: str = "") -> Resource:
        if rid not in self.by_id:
            self.by_id[rid] = Resource(url, kind)
            self.order.append(rid)
        return self.by_id[rid]

    def _request(self, e: dict[str, Any]) -> None:
        if e["request"]["url"].startswith("data:"):
            return
        self._get(e["requestId"], e["request"]["url"], e.get("type", ""))

    def _response(self, e: dict[str, Any]) -> None:
        if e["requestId"] not in self.by_id:
            return
        r = self.by_id[e["requestId"]]
        resp = e["response"]
        r.status = int(resp.get("status", 0))
        headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
        r.encoding = headers.get("content-encoding", "")
        r.kind = e.get("type", r.kind)
        # bytes received so far: the status line and headers
        r.header_bytes = int(resp.get("encodedDataLength", 0) or 0)

    def _data(self, e: dict[str, Any]) -> None:
        if e["requestId"] in self.by_id:
            self.by_id[e["requestId"]].body_uncompressed += int(e.get("dataLength", 0))

    def _finished(self, e: dict[str, Any]) -> None:
        if e["requestId"] in self.by_id:
            r = self.by_id[e["requestId"]]
            r.wire_bytes = int(e.get("encodedDataLength", 0))
            r.finished = True

    def _ws_created(self, e: dict[str, Any]) -> None:
        self._get(e["requestId"], e["url"], "WebSocket")

    def _ws_handshake(self, e: dict[str, Any]) -> None:
        r = self._get(e["requestId"])
        resp = e.get("response", {})
        text = resp.get("headersText") or "".join(
            f"{k}: {v}\r\n" for k, v in resp.get("headers", {}).items()
        )
        r.status = int(resp.get("status", 0))
        r.header_bytes = len(text.encode("utf-8")) + len(f"HTTP/1.1 {r.status} \r\n\r\n")
        r.wire_bytes += r.header_bytes
        r.finished = True

    def _ws_frame(self, e: dict[str, Any]) -> None:
        r = self._get(e["requestId"])
        payload = e["response"].get("payloadData", "")
        size = len(payload.encode("utf-8"))
        self.frames.append(payload)
        r.body_uncompressed += size
        r.wire_bytes += size + (2 if size < 126 else 4)  # + the frame header (server frames
        # are unmasked)

    def got_state(self) -> bool:
        return any(f.startswith('42["state"') for f in self.frames)

    def weight(self) -> Weight:
        return Weight([self.by_id[i] for i in self.order])


def measure_phone(browser: Any, url: str, timeout_s: float = 30.0) -> Weight:
    """Open ``url`` as a fresh phone and record every download until it is live."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        log = NetworkLog(context.new_cdp_session(page))
        page.goto(url)
        page.wait_for_function(LIVE_JS, timeout=timeout_s * 1000)
        deadline = time.monotonic() + timeout_s
        while not log.got_state():
            if time.monotonic() > deadline:
                raise AssertionError("the phone's socket delivered no state")
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        unfinished = [
            r.url for r in log.weight().resources if not r.finished and r.kind != "WebSocket"
        ]
        if unfinished:
            page.wait_for_timeout(500)
        return log.weight()
    finally:
        context.close()


# ------------------------------------------------------------------------ the bench itself


def first_question(programme_path: Path) -> str:
    from facilitator.programme import load_programme

    return next(a.id for a in load_programme(programme_path).activities if a.answerable)


def live_phone_url(server: Any, programme: Path) -> tuple[dict[str, Any], Any]:
    """A live session of ``programme`` on its first question; returns its links and the
    connected control screen (close it with the server)."""
    from tests.livesrv import Screen, create_live

    live = create_live(server, programme)
    control = Screen(server, live["code"], "control", live["control_key"])
    control.connect()
    control.control("goto", {"activity": first_question(programme)})
    return live, control


def machine() -> dict[str, str]:
    import importlib.metadata as md
    import os

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {p: md.version(p) for p in ("flask", "python-engineio", "eventlet", "playwright")}
    return {
        "cpu": f"{os.cpu_count()} x {cpu}",
        "python": platform.python_version(),
        "os": platform.platform(),
        **versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--programme", type=Path, default=ROOT / "sessions" / "brugfiguren.yaml")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, launch
    from tests.livesrv import start_server

    if CHROMIUM is None:
        print("Debian's chromium is not installed (/usr/bin/chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            live, _control = live_phone_url(server, args.programme)
            with sync_playwright() as p:
                browser = launch(p)
                try:
                    version = browser.version
                    weight = measure_phone(browser, live["participant_url"])
                finally:
                    browser.close()
        finally:
            server.close_clients()
            server.stop()
    if args.json:
        print(
            json.dumps(
                {
                    "programme": args.programme.name,
                    "chromium": version,
                    "total_wire": weight.total_wire,
                    "total_uncompressed": weight.total_uncompressed,
                    "budget": BUDGET_BYTES,
                    "machine": machine(),
                    "resources": [dict(asdict(r), body_wire=r.body_wire) for r in weight.resources],
                },
                indent=1,
            )
        )
    else:
        print(f"Phone's first page: {args.programme.name}, first question, Chromium {version}")
        print(weight.table())
        print(
            f"\nOn the wire: {weight.total_wire:,} bytes ({weight.total_wire / 1000:.1f} KB); "
            f"uncompressed: {weight.total_uncompressed:,} bytes; budget "
            f"{BUDGET_BYTES:,} bytes: {'OK' if weight.total_wire < BUDGET_BYTES else 'OVER'}"
        )
    return 0 if weight.total_wire < BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
