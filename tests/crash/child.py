"""The process the crash tests kill: ``python -m tests.crash.child DATA JOURNAL SEED``.

It runs random operations forever, prints a line to stdout at every ``tick`` (the parent
kills it after a random number of them), writes ``start`` before and ``done`` after each
operation to the journal, fsyncing each line so the parent can trust what it reads.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from tests.crash.operations import OPERATIONS, World


def main() -> None:
    data_dir, journal_path, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    engine = make_engine(sqlite_url(data_dir / "moments-desk.sqlite3"))
    upgrade_to_head(engine)
    world = World(engine, data_dir)
    journal = open(journal_path, "a", encoding="utf-8")  # noqa: SIM115 - lives until killed

    def log(entry: dict[str, object]) -> None:
        journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        journal.flush()
        os.fsync(journal.fileno())

    def tick() -> None:
        sys.stdout.write("t\n")
        sys.stdout.flush()

    names = sorted(OPERATIONS)
    while True:
        name = rng.choice(names)
        k = rng.randrange(1, 10**9)
        log({"start": name, "k": k})
        record = OPERATIONS[name].run(world, k, tick)
        log({"done": name, **record})
        tick()


if __name__ == "__main__":
    main()
