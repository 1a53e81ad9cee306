"""The scale-out recipe of docs/deployment.md, run as written: nginx with
docs/deploy/nginx-dialoogtafel.conf (only the ports substituted) in front of two server
processes on PostgreSQL and Redis. Browser-like phones (a session cookie from /j/<code>, an
Origin header) connect through the proxy, half over WebSocket and half over long-polling; the
control screen and the projector too. Checked: the WebSocket upgrade and the same-origin check
pass the proxy, long-polling stays on one process (sticky by the session cookie), phones land
on both processes, and every count is exact."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.livesrv import ROOT, create_live, free_port, start_server, wait_for
from tests.scaleout import scaleout_env, stop_all

pytestmark = pytest.mark.server

MINI = Path(__file__).resolve().parent / "programmes" / "mini.yaml"
RECIPE = ROOT / "docs" / "deploy" / "nginx-dialoogtafel.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def render_recipe(listen: int, upstreams: list[int]) -> str:
    """The recipe with this test's ports; fails if the recipe no longer has what it replaces."""
    conf = RECIPE.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;$", conf, flags=re.M)
    assert len(servers) == 2, "the recipe's upstream should list two example processes"
    for line, port in zip(servers, upstreams, strict=True):
        conf = conf.replace(line, f"    server 127.0.0.1:{port};", 1)
    assert conf.count("listen 80;") == 1
    return conf.replace("listen 80;", f"listen 127.0.0.1:{listen};")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[dict[str, Any]]:
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light; .ci/run does)")
    with scaleout_env() as env:
        yield from _behind_nginx(tmp_path, env)


def _behind_nginx(tmp_path: Path, env: dict[str, str]) -> Iterator[dict[str, Any]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(env, DIALOOGTAFEL_PUBLIC_URL=url, DIALOOGTAFEL_PROXY_COUNT="1")
    servers: list[Any] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for i in range(2):
            folder = tmp_path / f"s{i}"
            folder.mkdir()
            servers.append(start_server(folder, free_port(), env))
        conf_dir = tmp_path / "nginx"
        (conf_dir / "logs").mkdir(parents=True)
        (conf_dir / "site.conf").write_text(render_recipe(port, [s.port for s in servers]))
        (conf_dir / "nginx.conf").write_text(
            "worker_processes 1;\n"
            f"pid {conf_dir}/nginx.pid;\n"
            f"error_log {conf_dir}/logs/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    access_log off;\n"
            f"    client_body_temp_path {conf_dir}/body;\n"
            f"    proxy_temp_path {conf_dir}/proxy;\n"
            f"    include {conf_dir}/site.conf;\n"
            "}\n"
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"), "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            assert nginx.poll() is None, f"nginx exited: {nginx.stderr.read().decode()}"  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.05)
        yield {"url": url, "servers": servers, "nginx_log": conf_dir / "logs" / "error.log"}
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
            nginx.stderr.close()  # type: ignore[union-attr]
        stop_all(servers)


class Browser:
    """A phone or screen as a browser does it: page first (session cookie), then Socket.IO
    with that cookie and an Origin header, over one transport."""

    def __init__(self, url: str, page: str, auth: dict[str, Any], transport: str):
        self.http = requests.Session()
        r = self.http.get(url + page, timeout=10)
        assert r.status_code == 200, (page, r.status_code)
        assert self.http.cookies.get("dialoogtafel"), "no session cookie from " + page
        self.states: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.counts: list[dict[str, Any]] = []
        self.sio = socketio.Client(http_session=self.http, reconnection=False)
        self.sio.on("state", self.states.append)
        self.sio.on("results", self.results.append)
        self.sio.on("counts", self.counts.append)
        # websocket-client sends the page's Origin itself; for polling, requests does not
        headers = {"Origin": url} if transport == "polling" else {}
        self.sio.connect(url, auth=auth, transports=[transport], headers=headers, wait_timeout=10)
        assert self.sio.transport() == transport
        wait_for(lambda: self.states, what="the first state through the proxy")

    def call(self, event: str, payload: Any) -> Any:
        return self.sio.call(event, payload, timeout=10)


def established(port: int) -> int:
    """Open TCP connections to a local port (the proxy's to one server process)."""
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        timeout=5,
        check=True,
    ).stdout
    return len([line for line in out.splitlines() if line.strip()])


def test_the_recipe_in_front_of_two_processes(proxied: dict[str, Any]) -> None:
    url, servers = proxied["url"], proxied["servers"]
    live = create_live(servers[0], MINI)
    code = live["code"]
    control = Browser(
        url,
        f"/control/{code}?key={live['control_key']}",
        {"role": "control", "code": code},
        "websocket",
    )
    projector = Browser(
        url,
        f"/projector/{code}?key={live['projector_key']}",
        {"role": "projector", "code": code},
        "polling",
    )
    phones = [
        Browser(
            url,
            f"/j/{code}",
            {"role": "participant", "code": code},
            "websocket" if i % 2 else "polling",
        )
        for i in range(16)
    ]
    wait_for(
        lambda: (control.counts[-1] if control.counts else {}).get("connected") == 16,
        what="16 phones connected, counted on the control screen",
    )
    if shutil.which("ss"):
        per_process = [established(s.port) for s in servers]
        assert all(n > 0 for n in per_process), f"all phones on one process: {per_process}"

    assert control.call("goto", {"activity": "kies"})["ok"] is True
    for p in phones + [projector]:
        wait_for(
            lambda p=p: (p.states[-1].get("activity") or {}).get("id") == "kies",
            what="every screen shows 'kies'",
        )
    choices = ["rood", "groen", "blauw"]
    for i, p in enumerate(phones):
        ack = p.call(
            "respond", {"activity": "kies", "value": choices[i % 3], "client_id": uuid.uuid4().hex}
        )
        assert ack["ok"] is True and ack["duplicate"] is False, ack
    # the polling phones change their answer: many round trips, all on their own process
    for p in phones[0::2]:
        assert (
            p.call("respond", {"activity": "kies", "value": "rood", "client_id": uuid.uuid4().hex})[
                "ok"
            ]
            is True
        )
    expected = {"rood": 8 + 3, "groen": 3, "blauw": 2}

    def counted(screen: Browser) -> dict[str, int] | None:
        got = [r for r in screen.results if r.get("activity") == "kies" and r.get("result")]
        if not got:
            return None
        last = max(got, key=lambda r: r["rev"])
        return {o["id"]: o["count"] for o in last["result"]["options"]}

    wait_for(lambda: counted(control) == expected, what="exact counts on the control screen")
    assert control.call("show_results", {})["ok"] is True
    wait_for(lambda: counted(projector) == expected, what="exact counts on the projector")
    assert all(p.sio.connected for p in phones + [control, projector])
    for p in phones + [control, projector]:
        p.sio.disconnect()
    for srv in servers:
        srv.assert_no_tracebacks()
