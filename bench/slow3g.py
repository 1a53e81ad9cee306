"""How soon a phone on a slow mobile network can answer: Chromium's "Slow 3G" emulation.

    .venv/bin/python bench/slow3g.py              # 3 runs of each scenario, medians
    .venv/bin/python bench/slow3g.py --runs 5 --json

The network: the DevTools protocol's ``Network.emulateNetworkConditions`` with DevTools' own
preset that was called "Slow 3G" and is labelled "3G" since Chromium 125 or so (the same numbers;
the old "Fast 3G" became "Slow 4G"): 2,000 ms latency per request (400 ms round trip times
DevTools' 5x adjustment), 50,000 bytes/s down and 50,000 bytes/s up (500 kbit/s x 0.8).

What it does, against the real server (tests/livesrv.py) with a live session of the built-in
programme on its first question (see bench/pageweight.py), each run in a fresh phone (empty
cache, no cookie, nl-BE, touch):

(a) from the navigation to the moment the first question's answer buttons are visible and
    enabled (measured in the page: ``performance.timeOrigin + performance.now()`` when a
    MutationObserver or animation frame first sees them);
(b) the phone taps an answer as soon as it can (right after (a)), and the time from the
    navigation until the page shows the answer as saved. At that moment the page's module has
    not arrived yet, so this is the page's own form: a POST, then the page again;
(c) a phone that waits until the page's module has taken over and its socket is connected,
    then taps: the time from the tap to "saved" (the acknowledgement over Socket.IO), and from
    the navigation to the moment it was live.

Time is measured here, never asserted in tests (the machine is shared). Results go to
docs/performance.md ("First answer on a slow network").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pageweight import LIVE_JS, PHONE, NetworkLog, live_phone_url, machine  # noqa: E402

#: DevTools' "Slow 3G" (now "3G") preset, front_end/core/sdk/NetworkManager.ts
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
TARGET_S = 3.0

#: runs in every document of the phone: the epoch time (ms, high resolution) at which the
#: answer buttons were first usable, and at which an answer was first shown as saved
MARKS = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = { nav: performance.timeOrigin };
  window.__marks = marks;
  const usable = () => Array.from(document.querySelectorAll('#main .choices .choice'))
    .some((b) => !b.disabled && b.getBoundingClientRect().height > 0);
  const check = () => {
    if (!marks.controls && usable()) marks.controls = now();
    const saved = document.querySelector('#main .answer-status.status-saved');
    if (!marks.saved && saved) marks.saved = now();
  };
  new MutationObserver(check).observe(document,
    { childList: true, subtree: true, attributes: true });
  const frame = () => {
    check();
    if (!marks.controls || !marks.saved) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


def _phone(browser: Any) -> tuple[Any, Any, NetworkLog]:
    context = browser.new_context(**PHONE)
    context.add_init_script(MARKS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    log = NetworkLog(cdp)
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return context, page, log


def _marks(page: Any) -> dict[str, float]:
    return dict(page.evaluate("() => window.__marks"))


def run_form_path(browser: Any, url: str) -> dict[str, float]:
    """(a) and (b): answer at the first possible moment."""
    context, page, _log = _phone(browser)
    try:
        page.goto(url, wait_until="commit", timeout=60_000)
        page.wait_for_function(
            "() => !!window.__marks && !!window.__marks.controls", timeout=60_000, polling=50
        )
        first = _marks(page)
        scripted = page.evaluate("() => !document.querySelector('#main form.answer-form')")
        page.locator("#main .choices .choice").first.tap(timeout=60_000, no_wait_after=True)
        page.wait_for_function(
            "() => !!window.__marks && !!window.__marks.saved", timeout=60_000, polling=50
        )
        second = _marks(page)
        return {
            "controls_s": (first["controls"] - first["nav"]) / 1000,
            "saved_s": (second["saved"] - first["nav"]) / 1000,
            "tapped_scripted_page": float(scripted),
        }
    finally:
        context.close()


def run_socket_path(browser: Any, url: str) -> dict[str, float]:
    """(c): wait until the page is live, then answer."""
    context, page, log = _phone(browser)
    try:
        page.goto(url, wait_until="commit", timeout=60_000)
        page.wait_for_function(LIVE_JS, timeout=60_000, polling=50)
        while not log.got_state():
            page.wait_for_timeout(20)
        live_at = page.evaluate("() => performance.timeOrigin + performance.now()")
        first = _marks(page)
        tap_at = page.evaluate("() => performance.timeOrigin + performance.now()")
        page.locator("#main .choices .choice").first.tap(timeout=60_000)
        page.wait_for_function(
            "() => !!window.__marks && !!window.__marks.saved", timeout=60_000, polling=50
        )
        second = _marks(page)
        return {
            "controls_s": (first["controls"] - first["nav"]) / 1000,
            "live_s": (live_at - first["nav"]) / 1000,
            "tap_to_saved_s": (second["saved"] - tap_at) / 1000,
        }
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--programme", type=Path, default=ROOT / "sessions" / "brugfiguren.yaml")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, launch
    from tests.livesrv import start_server

    if CHROMIUM is None:
        print("Debian's chromium is not installed (/usr/bin/chromium)", file=sys.stderr)
        return 2
    form_runs: list[dict[str, float]] = []
    socket_runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = launch(p)
                try:
                    version = browser.version
                    for _ in range(args.runs):
                        live, _control = live_phone_url(server, args.programme)
                        form_runs.append(run_form_path(browser, live["participant_url"]))
                        socket_runs.append(run_socket_path(browser, live["participant_url"]))
                finally:
                    browser.close()
        finally:
            server.close_clients()
            server.stop()

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def listed(runs: list[dict[str, float]], key: str) -> str:
        return ", ".join(f"{r[key]:.2f}" for r in runs)

    summary = {
        "chromium": version,
        "programme": args.programme.name,
        "runs": args.runs,
        "network": SLOW_3G,
        "machine": machine(),
        "a_controls_s": med(form_runs, "controls_s"),
        "b_tap_first_moment_saved_s": med(form_runs, "saved_s"),
        "c_live_s": med(socket_runs, "live_s"),
        "c_tap_to_saved_s": med(socket_runs, "tap_to_saved_s"),
        "form_runs": form_runs,
        "socket_runs": socket_runs,
    }
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(
            f"Chromium {version}, Slow 3G (latency 2000 ms, 50,000 B/s down and up), "
            f"{args.programme.name}, first question; median of {args.runs} runs"
        )
        print(
            f"(a) navigation -> answer buttons visible and enabled: "
            f"{summary['a_controls_s']:.2f} s "
            f"({'within' if summary['a_controls_s'] <= TARGET_S else 'OVER'} {TARGET_S:.0f} s)"
            f"  runs: {listed(form_runs, 'controls_s')}"
        )
        print(
            f"(b) tap at once (the page's own form) -> shown as saved, from navigation: "
            f"{summary['b_tap_first_moment_saved_s']:.2f} s"
            f"  runs: {listed(form_runs, 'saved_s')}"
        )
        print(
            f"(c) page live (module + socket), from navigation: {summary['c_live_s']:.2f} s; "
            f"then tap -> saved (Socket.IO ack): {summary['c_tap_to_saved_s']:.2f} s"
            f"  runs: {listed(socket_runs, 'live_s')} / {listed(socket_runs, 'tap_to_saved_s')}"
        )
    return 0 if summary["a_controls_s"] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
