"""Read the py-spy profiles of ``bench/load.py --profile DIR`` (collapsed stacks, ``--format raw
--function``): where the server's CPU went.

    .venv/bin/python bench/profile.py bench/results/profiles/burst10-eventlet-n2000-r0.txt
    .venv/bin/python bench/profile.py FILE --root on_connect --root page --top 25

Prints the functions with the most samples, inclusive (the function or anything it called) and
self (the function's own code), as % of all samples of the file; py-spy only counts samples in
which the server's thread was running, not waiting for the network. ``--root NAME`` then breaks
the samples under each frame named NAME (e.g. a Socket.IO handler or a view) down by the
functions it called: % of all samples, and % of that root's samples.

A frame reads ``function (file)``; a file inside the project is shown relative to it, one in
site-packages from the package's folder, so ``respond (facilitator/live.py)`` and
``commit (sqlalchemy/orm/session.py)`` can be told apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def short(frame: str) -> str:
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/lib/python3":
                path = "stdlib:" + path.split("/", 1)[-1]
            break
    else:
        for top in ("facilitator/", "bench/", "app.py"):
            if top in path:
                path = path[path.index(top) :]
                break
    return f"{m['fn']} ({path})"


def read(path: Path) -> list[tuple[list[str], int]]:
    stacks: list[tuple[list[str], int]] = []
    for line in path.read_text(errors="replace").splitlines():
        line = line.rstrip()
        if not line:
            continue
        body, _, count = line.rpartition(" ")
        try:
            n = int(count)
        except ValueError:
            continue
        frames = [short(f) for f in body.split(";") if f.strip()]
        # py-spy may start a stack with the process and the thread
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        stacks.append((frames, n))
    return stacks


#: where a sample belongs, first match wins: (bucket, function names, file part)
BUCKETS = [
    ("start-up (imports, create_app)", ("<module>", "create_app"), ""),
    ("answer: respond handler (events.on_respond)", ("on_respond",), "facilitator/events.py"),
    (
        "connect: Socket.IO connect handler (events.on_connect)",
        ("on_connect",),
        "facilitator/events.py",
    ),
    (
        "phone page: GET /j/<code> (views.participant.page)",
        ("page",),
        "facilitator/views/participant.py",
    ),
    (
        "join: POST /api/join (views.participant.api_join)",
        ("api_join",),
        "facilitator/views/participant.py",
    ),
    (
        "disconnect (python-socketio's room bookkeeping)",
        ("Server._handle_disconnect", "Server._handle_eio_disconnect"),
        "",
    ),
    ("coalescer and broadcasts (facilitator/broadcast.py)", (), "facilitator/broadcast.py"),
    ("other Dialoogtafel code", (), "facilitator/"),
    (
        "Socket.IO / Engine.IO / WebSocket I/O outside the handlers",
        (),
        ("engineio/", "socketio/", "websocket", "simple_websocket/", "geventwebsocket/"),
    ),
    ("WSGI server and Flask outside the handlers", (), ("wsgi", "pywsgi", "flask/", "werkzeug/")),
]


def bucket(frames: list[str]) -> str:
    for name, fns, where in BUCKETS:
        for f in frames:
            fn, _, rest = f.partition(" (")
            wheres = (where,) if isinstance(where, str) else where
            if fns and not any(fn == x or fn.endswith("." + x) for x in fns):
                continue
            if where and not any(w in rest for w in wheres):
                continue
            return name
    return "other (event loop, hub, timers)"


def inclusive(stacks: list[tuple[list[str], int]]) -> Counter[str]:
    out: Counter[str] = Counter()
    for frames, n in stacks:
        for f in set(frames):
            out[f] += n
    return out


def report(path: Path, roots: list[str], top: int, out: list[str]) -> None:
    stacks = read(path)
    total = sum(n for _, n in stacks) or 1
    out.append(f"## {path.name}: {total} samples\n")
    by: Counter[str] = Counter()
    for frames, n in stacks:
        by[bucket(frames)] += n
    out.append("Where (% of all samples; each sample counted once, first matching bucket):\n")
    for name, n in by.most_common():
        out.append(f"  {100 * n / total:5.1f} %  {name}")
    out.append("")
    incl = inclusive(stacks)
    own: Counter[str] = Counter()
    for frames, n in stacks:
        if frames:
            own[frames[-1]] += n
    out.append("Inclusive (% of all samples):\n")
    for f, n in incl.most_common(top):
        out.append(f"  {100 * n / total:5.1f} %  {f}")
    out.append("\nSelf:\n")
    for f, n in own.most_common(top):
        out.append(f"  {100 * n / total:5.1f} %  {f}")
    for root in roots:
        under: list[tuple[list[str], int]] = []
        for frames, n in stacks:
            idx = next(
                (
                    i
                    for i, f in enumerate(frames)
                    if (fn := f.split(" (", 1)[0]) == root or fn.endswith("." + root)
                ),
                None,
            )
            if idx is not None:
                under.append((frames[idx + 1 :], n))
        rt = sum(n for _, n in under)
        out.append(f"\nUnder {root}: {rt} samples, {100 * rt / total:.1f} % of all\n")
        if not rt:
            continue
        for f, n in inclusive(under).most_common(top):
            out.append(f"  {100 * n / total:5.1f} % of all, {100 * n / rt:5.1f} % of {root}  {f}")
    out.append("")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument(
        "--root",
        action="append",
        default=[],
        help="break the samples under frames of this function down (repeatable)",
    )
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args(argv)
    out: list[str] = []
    for path in args.files:
        report(path, args.root, args.top, out)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
