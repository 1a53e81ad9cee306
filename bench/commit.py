"""Group commit benchmark: the CPU that storing an answer (or a join) costs, by the size of its
batch.

    .venv/bin/python bench/commit.py                      # batches of 1, 2, 5, 10, 20, 50, 200
    .venv/bin/python bench/commit.py --answers 4000 --sizes 1,10
    .venv/bin/python bench/commit.py --joins --sizes 1,10,50

In one process, no sockets: a live session of tests/programmes/mini.yaml in a fresh SQLite file
(in a temporary folder), one participant per answer made beforehand, then ``--answers`` new
answers to the single choice stored with ``store.save_responses`` in batches of each size, each
batch one transaction, as ``live.answers.GroupCommit`` commits them. Prints the process's CPU
time per answer for each size (``time.process_time``), in the order given, so a size can be
listed twice to see the spread. This is why the group commit paces its commits
(the setting ``ANSWERS_PACE``, ``live.answers.GroupCommit``): docs/performance.md has the figures.
With ``--joins``, ``--answers`` new participants are stored instead, with
``store.create_participants`` in batches of each size (the joins' group commit in a connect
storm).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator import create_app, live, store  # noqa: E402
from facilitator.programme import load_programme  # noqa: E402
from tests.inprocess import app_config  # noqa: E402

MINI = ROOT / "tests" / "programmes" / "mini.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000, help="answers per batch size")
    parser.add_argument("--sizes", default="1,2,5,10,20,50,200", help="batch sizes, a comma list")
    parser.add_argument("--joins", action="store_true", help="store joins instead of answers")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    what = "join" if args.joins else "answer"
    with tempfile.TemporaryDirectory(prefix="dialoogtafel-bench-commit-") as tmp:
        app = create_app(app_config(Path(tmp)))
        with app.app_context():
            started = live.start(load_programme(MINI), MINI.name)
            if args.joins:

                def store_batch(size: int) -> None:
                    store.create_participants([(started.id, None)] * size)

            else:
                needed = args.answers * len(sizes) + max(sizes)
                joining = [(started.id, None)] * needed
                pids = [p for p, _token in store.create_participants(joining)]
                k = 0

                def store_batch(size: int) -> None:
                    nonlocal k
                    batch = [
                        store.Answer(started.id, "kies", pids[k + i], f"bench-{k + i:08d}", "rood")
                        for i in range(size)
                    ]
                    with store.write_lock:
                        store.save_responses(batch)
                    k += size

            print(f"{args.answers} {what}s per batch size, SQLite in {tmp}")
            print(f"| batch size | CPU per {what} (ms) |")
            print("|---|---|")
            for size in sizes:
                t0, done = time.process_time(), 0
                while done < args.answers:
                    store_batch(size)
                    done += size
                print(f"| {size} | {1000 * (time.process_time() - t0) / done:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
