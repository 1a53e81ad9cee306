"""Make tests/upgrade/release-0.1.0.sql: a SQLite database written by the release before the
Alembic migrations (commit a587c61, version 0.1.0, whose ``store.init_schema`` made the tables),
with a live session of tests/programmes/workshop.yaml and answers, questions, votes, moderation
and log entries in it, dumped as SQL.

It was run once, on that commit, from the repository root:

    .venv/bin/python tests/upgrade/make_release_db.py > tests/upgrade/release-0.1.0.sql

Running it on a later commit makes a database of that commit's schema instead, which is not what
tests/test_upgrade.py means to test: keep the checked-in dump as it is.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from facilitator import create_app, live  # noqa: E402
from facilitator.programme import load_programme  # noqa: E402

WORKSHOP = ROOT / "tests" / "programmes" / "workshop.yaml"


def answers(n: int) -> dict[str, object]:
    """Participant n's answers, different per participant so that a swapped row shows."""
    return {
        "org": ["school", "clb", "welzijn"][n % 3],
        "wolk": [f"woord{n % 5}", "samen"][: 1 + n % 2],
        "rang": [["a", "b", "c", "d"], ["d", "c", "b", "a"], ["b", "a", "d", "c"]][n % 3],
        "blokken": {"x": "ok", "y": ["moeilijk", "weetniet"][n % 2], "z": "ok"},
        "voor": {"position": 1 + n % 5, "why": f"omdat {n}"},
        "na": {"position": 1 + (n + 1) % 5},
        "mening": f"Mening van deelnemer {n}: ‘ok’ & <b>niet vet</b>",
        "e1": ["ja", "nee"][n % 2],
        "e2": {"position": n % 11},
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'release.db'}",
            "SECRET_KEY": "release-dump",
            "PUBLIC_URL": "http://phones.example:5000",
            "ASYNC_MODE": "threading",
        }
    )
    with app.app_context():
        started = live.start(load_programme(WORKSHOP), WORKSHOP.name, 3)
        code = started.code
        pids = [live.join(code, 1 + n % 3)[1] for n in range(23)]
        for activity in answers(0):
            current = live.goto(live.get(code), activity)
            if current.status(activity).status != "open":
                live.set_answering(live.get(code), True)
            for n, pid in enumerate(pids):
                if n % 7 == 6 and activity in ("e1", "e2"):
                    continue  # some left before the survey
                value = answers(n)[activity]
                live.respond(
                    live.get(code),
                    pid,
                    {"activity": activity, "value": value, "client_id": f"{activity}-{n:06d}"},
                )
        # two changed answers (changes = 1)
        live.respond(
            live.get(code), pids[0], {"activity": "e1", "value": "nee", "client_id": "e1-again-0"}
        )
        live.goto(live.get(code), "vrij")
        live.set_answering(live.get(code), True)
        for n in range(5):
            ack = live.ask(
                live.get(code),
                pids[n],
                {"activity": "vrij", "text": f"Vraag {n}?", "client_id": f"vrij-{n:06d}"},
            )
            for voter in pids[n + 1 : n + 4]:
                live.upvote(
                    live.get(code), voter, {"activity": "vrij", "question": ack["question"]["id"]}
                )
        mening = live.cache().tally(live.get(code), "mening")
        for key in list(mening.entries)[:4]:  # type: ignore[attr-defined]
            action = "approve" if int(key) % 2 else "hide"
            live.moderate(
                live.get(code),
                {"activity": "mening", "entry": mening.label(key), "action": action},
            )
        live.end(live.get(code))
    db = sqlite3.connect(folder / "release.db")
    sys.stdout.write("\n".join(db.iterdump()) + "\n")


if __name__ == "__main__":
    main()
