"""Scale-out: two server processes sharing PostgreSQL and Redis (Flask-SocketIO's message queue
plus the app's own bus). Phones on both processes, the projector on one, the control screen on
the other: results, counts and screens are exactly right whichever process a client uses."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.livesrv import Phone, Screen, create_live, free_port, start_server, wait_for
from tests.scaleout import REDIS, psycopg, redis, scaleout_env, stop_all

pytestmark = pytest.mark.server

MINI = Path(__file__).resolve().parent / "programmes" / "mini.yaml"


@pytest.fixture
def cluster(tmp_path: Path):
    """Two server processes on one fresh PostgreSQL database and one Redis channel."""
    servers: list[Any] = []
    with scaleout_env() as env:
        try:
            for i in range(2):
                folder = tmp_path / f"s{i}"
                folder.mkdir()
                servers.append(start_server(folder, free_port(), env))
            yield servers
        finally:
            stop_all(servers)


def last_results(screen: Screen, activity: str) -> dict[str, Any] | None:
    got = [r for r in screen.results if r["activity"] == activity]
    return max(got, key=lambda r: r["rev"]) if got else None


def test_two_processes_count_exactly(cluster) -> None:
    a, b = cluster
    live = create_live(a, MINI)
    code = live["code"]
    control = Screen(b, code, "control", live["control_key"]).connect()
    projector = Screen(a, code, "projector", live["projector_key"]).connect()
    phones = [Phone(a if i % 2 else b, code).connect() for i in range(24)]
    wait_for(lambda: (control.latest_counts() or {}).get("connected") == 24, what="24 connected")
    assert control.latest_counts()["participants"] == 24

    # a control action on B reaches phones on A and B, and the projector on A
    ack = control.control("goto", {"activity": "kies"})
    for p in phones + [projector]:
        p.wait_state(lambda s, v=ack["version"]: s["version"] == v, what="goto kies")

    choices = ["rood", "groen", "blauw"]
    for i, p in enumerate(phones):
        assert p.respond("kies", choices[i % 3])["ok"] is True
    # half of the phones change their answer, on both processes
    for p in phones[:12]:
        assert p.respond("kies", "rood")["ok"] is True
    expected = {"rood": 12 + 4, "groen": 4, "blauw": 4}

    def control_final() -> bool:
        r = last_results(control, "kies")
        return r is not None and {o["id"]: o["count"] for o in r["result"]["options"]} == expected

    wait_for(control_final, what="control result on B")
    assert last_results(control, "kies")["respondents"] == 24

    control.control("show_results", {})
    state = projector.wait_state(lambda s: s["result"] is not None, what="projector result")
    assert {o["id"]: o["count"] for o in state["result"]["options"]} == expected

    # multi-choice with answers landing on both processes; percentages of respondents
    control.control("goto", {"activity": "meer"})
    for i, p in enumerate(phones):
        assert p.respond("meer", ["a", "b"] if i < 6 else ["c"])["ok"] is True

    def meer_done() -> bool:
        r = last_results(control, "meer")
        return r is not None and r["respondents"] == 24

    wait_for(meer_done, what="multi-choice on control")
    final = last_results(control, "meer")
    opts = {o["id"]: (o["count"], o["percent"]) for o in final["result"]["options"]}
    assert opts == {"a": (6, 25.0), "b": (6, 25.0), "c": (18, 75.0), "d": (0, 0.0)}

    # moderation of a text written on A, done by the control screen on B, seen on A's projector
    control.control("goto", {"activity": "tekst"})
    assert phones[1].respond("tekst", "Van proces A")["ok"] is True
    assert phones[0].respond("tekst", "Van proces B")["ok"] is True
    wait_for(
        lambda: (last_results(control, "tekst") or {}).get("respondents") == 2,
        what="two texts on control",
    )
    control.control("show_results", {})
    state = projector.wait_state(
        lambda s: s["activity"] and s["activity"]["id"] == "tekst" and s["result"],
        what="projector texts",
    )
    assert sorted(e["text"] for e in state["result"]["entries"]) == ["Van proces A", "Van proces B"]

    # a phone on A disconnects: B's control screen sees the count drop
    phones[1].disconnect()
    wait_for(lambda: (control.latest_counts() or {}).get("connected") == 23, what="23 connected")


def test_processes_started_together_on_a_fresh_database(tmp_path: Path) -> None:
    """A process manager starts three servers at the same moment on a new, empty PostgreSQL
    database: all three come up (the schema is created once, the others wait on an advisory
    lock instead of failing on a duplicate table). The command line, run with the servers'
    own environment (DIALOOGTAFEL_ASYNC_MODE=eventlet and the Redis bus), creates a live
    session and exits (it used to hang: an eventlet app without monkey-patching blocked on the
    bus), and a phone joins it on one process while the control screen on another sees it."""
    with scaleout_env() as env:
        _start_together(tmp_path, dict(env, DIALOOGTAFEL_ASYNC_MODE="eventlet"))


def _start_together(tmp_path: Path, env: dict[str, str]) -> None:
    servers: list[Any] = []
    errors: list[BaseException] = []

    def start(i: int) -> None:
        folder = tmp_path / f"s{i}"
        folder.mkdir()
        try:
            servers.append(start_server(folder, free_port(), env))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(3)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert len(servers) == 3
        url = env["DIALOOGTAFEL_DATABASE_URL"].replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
        assert tables >= 8
        live = create_live(servers[0], MINI)  # the CLI with the servers' environment
        control = Screen(servers[2], live["code"], "control", live["control_key"]).connect()
        phone = Phone(servers[1], live["code"]).connect()
        wait_for(
            lambda: (control.latest_counts() or {}).get("connected") == 1,
            what="the phone on process 2 counted on process 3",
        )
        assert phone.states[-1]["code"] == live["code"]
    finally:
        stop_all(servers)


class RedisLink:
    """A TCP proxy between one server process and Redis that can be taken down: every
    connection through it is cut and new ones are refused until it is up again."""

    def __init__(self) -> None:
        self.is_up = True
        self.live: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.is_up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", 6379))
            except OSError:
                client.close()
                continue
            self.live += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def down(self) -> None:
        self.is_up = False
        for sock in self.live:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.live.clear()  # the pipes close them

    def up(self) -> None:
        self.is_up = True

    def close(self) -> None:
        self.down()
        self.listener.close()


def test_missed_bus_messages_are_recounted(tmp_path: Path) -> None:
    """Process B loses its link to Redis for a while (a network cut): what process A publishes
    meanwhile never reaches B. A's next message shows the gap in A's sequence numbers and B
    recounts from the database: the control screen on B ends with exactly the answers given on
    A. (Without the gap check, B would miss the answers given while it was cut off.)"""
    with scaleout_env() as env:
        _cut_off_and_back(tmp_path, env)


def _cut_off_and_back(tmp_path: Path, env: dict[str, str]) -> None:
    link = RedisLink()
    servers: list[Any] = []
    try:
        for i, queue in enumerate((REDIS, f"redis://127.0.0.1:{link.port}/0")):
            folder = tmp_path / f"s{i}"
            folder.mkdir()
            servers.append(
                start_server(folder, free_port(), dict(env, DIALOOGTAFEL_MESSAGE_QUEUE=queue))
            )
        a, b = servers
        live = create_live(a, MINI)
        code = live["code"]
        control = Screen(b, code, "control", live["control_key"]).connect()
        control.control("goto", {"activity": "kies"})
        phones = [Phone(a, code).connect() for _ in range(30)]

        def counts_on_b() -> dict[str, int] | None:
            r = last_results(control, "kies")
            return (
                None
                if r is None
                else {o["id"]: o["count"] for o in r["result"]["options"] if o["count"]}
            )

        for p in phones[:10]:
            assert p.respond("kies", "rood")["ok"] is True
        wait_for(lambda: counts_on_b() == {"rood": 10}, what="the first 10 answers on B")

        link.down()
        for p in phones[10:20]:  # published while B is cut off from Redis
            assert p.respond("kies", "groen")["ok"] is True
        time.sleep(1.0)
        link.up()
        monitor = redis.Redis.from_url(REDIS)
        wait_for(
            lambda: (
                len(
                    [
                        c
                        for c in monitor.client_list()
                        if c.get("name") == "dialoogtafel-bus" and "P" in c.get("flags", "")
                    ]
                )
                == 2
            ),
            timeout=20,
            what="both processes subscribed to the bus (B again)",
        )
        monitor.close()
        for p in phones[20:]:
            assert p.respond("kies", "blauw")["ok"] is True
        wait_for(
            lambda: counts_on_b() == {"rood": 10, "groen": 10, "blauw": 10},
            timeout=30,
            what="B recounted: all 30 answers",
        )
        assert last_results(control, "kies")["respondents"] == 30
        assert "missed; recounting" in b.log_text()
    finally:
        stop_all(servers)
        link.close()


def test_a_deletion_reaches_every_process(cluster) -> None:
    """Issue 12 item 8 in scale-out: deleting a live session from the control page served by A
    tells the phones and the projector connected to B (``deleted``), and B forgets it: a new
    phone and an old phone's answer there are refused; a personal code (item 13) printed on A
    joins on B."""
    import re

    import requests

    from tests.livesrv import Refused, refusal_code

    a, b = cluster
    live = create_live(a, MINI)
    code = live["code"]
    control = Screen(a, code, "control", live["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    projector = Screen(b, code, "projector", live["projector_key"]).connect()
    phones = [Phone(b, code).connect() for _ in range(3)]
    for p in phones:
        assert p.respond("kies", "rood")["ok"] is True

    http = requests.Session()
    assert (
        http.get(f"{a.url}/control/{code}?key={live['control_key']}", timeout=5).status_code == 200
    )
    page = http.get(f"{a.url}/control/{code}/exports", timeout=5).text
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    r = http.post(
        f"{a.url}/control/{code}/delete", data={"csrf_token": token, "confirm": code}, timeout=5
    )
    assert r.status_code == 200
    for screen in (*phones, projector):
        screen.wait(lambda s=screen: ("deleted", {"code": code}) in s.events, what="deleted on B")
    assert (
        phones[0].call("respond", {"activity": "kies", "value": "groen", "client_id": "z" * 8})[
            "error"
        ]["code"]
        == "unknown_code"
    )
    with pytest.raises(Refused) as refused:
        Phone(b, code, token=phones[1].token, reconnection=False).connect()
    assert refusal_code(refused.value.data) == "unknown_code"
    assert requests.post(f"{b.url}/api/join/{code}", timeout=5).status_code == 404
    url = a.env["DIALOOGTAFEL_DATABASE_URL"].replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 0
        assert conn.execute("SELECT code, reason, participants FROM deletions").fetchall() == [
            (code, "control", 3)
        ]

    # personal codes printed on A join on B (B had the live session cached with none)
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "live", "create", str(MINI), "--json"]
        + ["--join", "personal_codes"],
        cwd=ROOT,
        env=a.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    made = json.loads(out.stdout.strip().splitlines()[-1])
    strict = made["code"]
    refused = requests.post(f"{b.url}/api/join/{strict}", params={"p": "AAAAAAAA"}, timeout=5)
    assert refused.json()["error"]["code"] == "join_code_required"  # B has it cached now
    assert http.get(made["control_url"], timeout=5).status_code == 200
    page = http.get(f"{a.url}/control/{strict}/codes", timeout=5).text
    [token] = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    page = http.post(
        f"{a.url}/control/{strict}/codes", data={"csrf_token": token, "count": "2"}, timeout=5
    ).text
    printed = re.findall(r"\?p=([A-Z0-9]{8})<", page)
    assert len(printed) == 2
    joined = wait_for(
        lambda: (
            requests.post(f"{b.url}/api/join/{strict}", params={"p": printed[0]}, timeout=5)
            .json()
            .get("ok")
        ),
        what="B knows the new codes",
    )
    assert joined is True
    used = requests.post(f"{a.url}/api/join/{strict}", params={"p": printed[0]}, timeout=5)
    assert used.json()["error"]["code"] == "join_code_used"
    a.assert_no_tracebacks()
    b.assert_no_tracebacks()
