"""Export benchmark: a live session of 5,000 participants x 40 activities, exported in every
format; prints the time and peak memory of each.

    .venv/bin/python bench/export.py                       # 5,000 x 40, every format
    .venv/bin/python bench/export.py --participants 500    # smaller
    .venv/bin/python bench/export.py --formats csv,xlsx --keep /tmp/bench-export
    .venv/bin/python bench/export.py --repeat 3           # the median of three runs each

What it does (docs/performance.md, "Exports", has the numbers):

1. Builds the programme in code (40 answerable activities of every kind, two profile questions,
   10 tables) and starts a live session of it in a fresh SQLite file in a temporary folder.
2. Fills it directly with SQLAlchemy Core bulk inserts (not over sockets): 5,000 participants,
   each answering all 39 answerable non-Q&A activities (195,000 responses, random but
   reproducible: --seed), 400 Q&A questions; every activity closed, some texts approved or
   hidden, a word hidden.
3. Exports each format the way the control screen's download does: ``export_job.run``, which
   builds it in a fresh child process (``python -m facilitator.export_job``; so each peak RSS
   is that format's alone). *total* is the download's wall time with the process start and
   its imports; the child reports gather (database reads), prepare (tallies, breakdowns) and
   write, its CPU time and peak RSS. The ZIP holds every format one after the other, so its
   peak shows whether memory grows with the number of formats.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("csv", "json", "html", "pdf", "xlsx", "zip")
WORDS = (
    "armoede taal wachtlijsten samenwerking vertrouwen school ouders tijd netwerk zorg "
    "welzijn brug gezin leerkracht overleg kansen drempel huisbezoek vrije tijd cultuur "
    "de het een en"
).split()


def programme_data() -> dict:
    """40 answerable activities (and one info slide), every kind."""

    def t(nl: str, en: str | None = None) -> dict:
        return {"nl": nl, "en": en or nl}

    def options(n: int, prefix: str = "o") -> list:
        return [
            {"id": f"{prefix}{i}", "nl": f"Antwoord {i}", "en": f"Answer {i}"}
            for i in range(1, n + 1)
        ]

    acts: list[dict] = [
        {"id": "welkom", "kind": "info", "title": t("Welkom", "Welcome"), "body": t("Benchmark.")}
    ]
    acts.append(
        {
            "id": "org",
            "kind": "single_choice",
            "profile": True,
            "prompt": t("Waar werk je?", "Where do you work?"),
            "options": options(5),
        }
    )
    acts.append(
        {
            "id": "regio",
            "kind": "single_choice",
            "profile": True,
            "prompt": t("Welke regio?", "Which region?"),
            "options": options(5, "r"),
        }
    )
    for i in range(10):
        a = {
            "id": f"keuze{i}",
            "kind": "single_choice",
            "prompt": t(f"Enkelvoudige vraag {i}?", f"Single question {i}?"),
            "options": options(5),
        }
        if i % 3 == 0:
            a["reference"] = {
                "source": "studie",
                "sums_to_100": True,
                "values": {"o1": 40, "o2": 25, "o3": 15, "o4": 10, "o5": 10},
            }
        acts.append(a)
    for i in range(6):
        acts.append(
            {
                "id": f"meer{i}",
                "kind": "multi_choice",
                "max_choices": 3,
                "prompt": t(f"Meerkeuzevraag {i}?", f"Multiple question {i}?"),
                "options": options(6),
            }
        )
    for i in range(8):
        a = {
            "id": f"schaal{i}",
            "kind": "scale",
            "prompt": t(f"Schaal {i}?", f"Scale {i}?"),
            "scale": {
                "min": 0,
                "max": 10,
                "left_label": t("Laag", "Low"),
                "right_label": t("Hoog", "High"),
            },
        }
        if i < 4:
            a["why"] = {"prompt": t("Waarom?", "Why?")}
        if i == 7:
            a["compare_with"] = "schaal6"
        acts.append(a)
    for i in range(4):
        acts.append(
            {
                "id": f"open{i}",
                "kind": "open_text",
                "moderation": i % 2 == 0,
                "prompt": t(f"Open vraag {i}?", f"Open question {i}?"),
            }
        )
    for i in range(3):
        acts.append(
            {
                "id": f"wolk{i}",
                "kind": "word_cloud",
                "max_words": 3,
                "max_length": 30,
                "prompt": t(f"Drie woorden {i}?", f"Three words {i}?"),
            }
        )
    for i in range(3):
        acts.append(
            {
                "id": f"rang{i}",
                "kind": "ranking",
                "options": options(5),
                "prompt": t(f"Rangschik {i}", f"Rank {i}"),
            }
        )
    for i in range(3):
        acts.append(
            {
                "id": f"matrix{i}",
                "kind": "matrix",
                "prompt": t(f"Matrix {i}?", f"Matrix {i}?"),
                "items": [
                    {"id": f"i{k}", "nl": f"Blok {k}", "en": f"Block {k}"} for k in range(1, 5)
                ],
                "ratings": [
                    {"id": "ok", "polarity": "positive", "nl": "Makkelijk", "en": "Easy"},
                    {"id": "moeilijk", "polarity": "negative", "nl": "Moeilijk", "en": "Hard"},
                    {
                        "id": "weetniet",
                        "polarity": "neutral",
                        "nl": "Weet niet",
                        "en": "Don't know",
                    },
                ],
            }
        )
    acts.append(
        {"id": "vragen", "kind": "qna", "moderation": True, "prompt": t("Vragen?", "Questions?")}
    )
    assert sum(1 for a in acts if a["kind"] != "info") == 40
    return {
        "programme": {
            "id": "bench-export",
            "version": "1",
            "languages": ["nl", "en"],
            "default_language": "nl",
            "title": t("Exportbenchmark", "Export benchmark"),
            "settings": {"tables": 10, "privacy_threshold": 3},
            "reference_sources": {"studie": {"name": t("Studie", "Study"), "n": 51, "year": 2024}},
            "sections": [
                {"id": "profiel", "title": t("Profiel", "Profile"), "activities": acts[:3]},
                {"id": "vragen", "title": t("Vragen", "Questions"), "activities": acts[3:]},
            ],
        }
    }


def value_for(activity, rnd: random.Random, i: int):
    kind = activity.kind
    if kind == "single_choice":
        return rnd.choice(activity.option_ids)
    if kind == "multi_choice":
        return sorted(
            rnd.sample(activity.option_ids, rnd.randint(1, 3)), key=activity.option_ids.index
        )
    if kind == "scale":
        why = f"omdat {rnd.choice(WORDS)} {i}" if activity.why and rnd.random() < 0.3 else None
        return {"position": rnd.randint(0, 10), "why": why}
    if kind == "open_text":
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 14))) + f" ({i})"
    if kind == "word_cloud":
        return list(dict.fromkeys(rnd.choice(WORDS) for _ in range(rnd.randint(1, 3))))
    if kind == "ranking":
        order = list(activity.option_ids)
        rnd.shuffle(order)
        return order
    if kind == "matrix":
        return {
            item.id: rnd.choice(["ok", "moeilijk", "weetniet"])
            for item in activity.items
            if rnd.random() < 0.9
        } or {"i1": "ok"}
    raise AssertionError(kind)


def build(db_path: Path, participants: int, seed: int) -> str:
    """Create and fill the live session; returns its code."""
    from sqlalchemy import insert

    from facilitator import create_app, live, store
    from facilitator.extensions import db
    from facilitator.models import ActivityState, Participant, Question, Response, utcnow
    from facilitator.programme import parse_programme

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": "bench",
            "ASYNC_MODE": "threading",
            "PUBLIC_URL": "http://127.0.0.1:5000",
        }
    )
    rnd = random.Random(seed)
    with app.app_context():
        programme = parse_programme(programme_data(), "bench-export")
        started = live.start(programme, "bench-export")
        t0 = utcnow() - timedelta(hours=3)
        engine = db.engine
        assert engine is not None
        with engine.begin() as conn:
            conn.execute(
                insert(Participant),
                [
                    {
                        "live_id": started.id,
                        "token_hash": f"{started.id}-{i:08d}-{rnd.random()}",
                        "created_at": t0 + timedelta(seconds=i / 50),
                        "table": rnd.randint(1, 10) if rnd.random() < 0.97 else None,
                    }
                    for i in range(participants)
                ],
            )
        pids = [p.id for p in store.export_participants(started.id)]
        batch: list[dict] = []
        for k, activity in enumerate(programme.activities):
            if not activity.answerable or activity.kind == "qna":
                continue
            at = t0 + timedelta(minutes=3 * k)
            for j, pid in enumerate(pids):
                value = value_for(activity, rnd, j)
                status = "approved"
                text = activity.kind == "open_text" or (
                    activity.kind == "scale" and value.get("why")
                )
                if text and activity.moderated:
                    status = rnd.choice(["approved", "pending", "hidden"])
                elif text and rnd.random() < 0.05:
                    status = "hidden"
                changes = 1 if rnd.random() < 0.05 else 0
                when = at + timedelta(seconds=j / 40)
                batch.append(
                    {
                        "live_id": started.id,
                        "activity_id": activity.id,
                        "participant_id": pid,
                        "value": value,
                        "status": status,
                        "submitted_at": when,
                        "changed_at": when + timedelta(seconds=20 * changes),
                        "changes": changes,
                    }
                )
                if len(batch) >= 20_000:
                    with engine.begin() as conn:
                        conn.execute(insert(Response), batch)
                    batch.clear()
        with engine.begin() as conn:
            if batch:
                conn.execute(insert(Response), batch)
            conn.execute(
                insert(Question),
                [
                    {
                        "live_id": started.id,
                        "activity_id": "vragen",
                        "participant_id": pids[i * 7],
                        "text": f"Vraag {i}: {' '.join(rnd.sample(WORDS, 5))}?",
                        "client_id": f"q{i:06d}",
                        "status": rnd.choice(["approved", "pending"]),
                        "pinned": i == 3,
                        "answered": i % 9 == 0,
                        "votes": rnd.randint(0, 60),
                        "created_at": t0 + timedelta(hours=2, seconds=i),
                    }
                    for i in range(min(400, len(pids) // 7))
                ],
            )
            conn.execute(
                insert(ActivityState),
                [
                    {
                        "live_id": started.id,
                        "activity_id": a.id,
                        "status": "closed",
                        "results_visible": True,
                        "opened_at": t0,
                        "closed_at": t0,
                        "hidden_words": ["tijd"] if a.kind == "word_cloud" else [],
                        "approved_words": [],
                        "resets": 0,
                    }
                    for a in programme.activities
                    if a.answerable
                ],
            )
        return started.code


def export_one(db_path: Path, code: str, fmt: str, out_dir: Path) -> dict:
    """One export through the download's path (a child process), timed."""
    from facilitator import export_job

    done = export_job.run(
        {"DATABASE_URL": f"sqlite:///{db_path}", "EXPORT_TIMEOUT": 600}, [code], fmt
    )
    path = out_dir / done.filename
    with done.file, path.open("wb") as f:
        shutil.copyfileobj(done.file, f, 1 << 20)
    info = done.info
    return {
        "format": fmt,
        "gather_s": info["timings"]["gather_s"],
        "prepare_s": info["timings"]["prepare_s"],
        "write_s": info["timings"]["write_s"],
        "total_s": round(done.seconds, 2),
        "cpu_s": info["cpu_s"],
        "peak_rss_mb": info["peak_rss_mb"],
        "bytes": done.size,
        "warning": done.warning,
        "responses": info["responses"],
        "participants": info["participants"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=5000)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="export each format this many times and show the run with the median "
        "total (the machine may be shared)",
    )
    ap.add_argument("--keep", default=None, help="folder to keep the database and the exports")
    ap.add_argument(
        "--build",
        default=None,
        metavar="DB",
        help="only build the live session into this SQLite file (it must not "
        "exist) and print its code as JSON (tests/test_exports_server.py)",
    )
    args = ap.parse_args()
    if args.build:
        db_path = Path(args.build)
        if db_path.exists():
            ap.error(f"{db_path} exists")
        code = build(db_path, args.participants, args.seed)
        print(json.dumps({"code": code, "participants": args.participants}))
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "bench.db"
    db_path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    code = build(db_path, args.participants, args.seed)
    print(
        f"built live session {code}: {args.participants} participants x 40 activities in "
        f"{time.perf_counter() - t0:.1f} s ({db_path.stat().st_size / 1e6:.0f} MB SQLite)"
    )
    print(
        f"{'format':7} {'gather':>7} {'prepare':>8} {'write':>7} {'total':>7} {'cpu':>6} "
        f"{'peak RSS':>9} {'size':>9}"
    )
    rows = []
    try:
        for fmt in args.formats.split(","):
            try:
                runs = sorted(
                    (export_one(db_path, code, fmt, folder) for _ in range(max(1, args.repeat))),
                    key=lambda r: r["total_s"],
                )
            except Exception as exc:  # noqa: BLE001 - report and go on with the next format
                print(f"{fmt}: failed: {exc!r} {getattr(exc, 'detail', '')}")
                continue
            row = runs[len(runs) // 2]
            rows.append(row)
            print(
                f"{fmt:7} {row['gather_s']:7.2f} {row['prepare_s']:8.2f} {row['write_s']:7.2f} "
                f"{row['total_s']:7.2f} {row['cpu_s']:6.2f} {row['peak_rss_mb']:7.0f} MB "
                f"{row['bytes'] / 1e6:7.1f} MB"
                + (f"  ({row['warning']})" if row["warning"] else "")
            )
        if rows:
            print(
                f"responses {rows[0]['responses']}, participants {rows[0]['participants']}; "
                f"{os.cpu_count()} CPUs; load average "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
