"""Kill a process with SIGKILL in the middle of imports, bulk edits, orders and backups;
the shop must pass integrity_check, imports must be all-or-nothing, and nothing that was
committed may be lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from tests.core.safety.shopdata import fill_shop
from tests.crash.operations import OPERATIONS, World

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def read_journal(path: Path) -> tuple[dict[str, list[dict[str, object]]], dict[str, set[int]]]:
    done: dict[str, list[dict[str, object]]] = {name: [] for name in OPERATIONS}
    started: dict[str, set[int]] = {name: set() for name in OPERATIONS}
    for line in path.read_text("utf-8").splitlines() if path.exists() else []:
        entry = json.loads(line)  # every line was fsynced whole before the next began
        if "start" in entry:
            started[str(entry["start"])].add(int(entry["k"]))
        else:
            done[str(entry["done"])].append(entry)
    return done, started


def one_trial(data: Path, journal: Path, seed: int) -> int:
    """Run the child until a random tick, kill it, return how many ticks it got through."""
    rng = random.Random(seed)
    kill_after = rng.randint(1, 120)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.child", str(data), str(journal), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    ticks = 0
    try:
        while ticks < kill_after:
            if not child.stdout.readline():
                break  # the child died by itself: its stderr says why
            ticks += 1
        os.kill(child.pid, signal.SIGKILL)
    finally:
        _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err.decode(errors="replace")
    return ticks


def verify(data: Path, journal: Path) -> None:
    report = check_sqlite_file(data / "moments-desk.sqlite3", full=True)
    assert report.ok, report.problems
    engine = make_engine(sqlite_url(data / "moments-desk.sqlite3"))
    try:
        done, started = read_journal(journal)
        world = World(engine, data)
        for name, operation in OPERATIONS.items():
            operation.verify(world, done[name], started[name])
    finally:
        engine.dispose()


def run_trials(tmp_path: Path, trials: int, seed: int) -> list[int]:
    data = tmp_path / "shop"
    data.mkdir()
    engine = make_engine(sqlite_url(data / "moments-desk.sqlite3"))
    upgrade_to_head(engine)
    fill_shop(engine, data / "media", tmp_path)
    engine.dispose()
    journal = tmp_path / "journal.jsonl"
    ticks = []
    for trial in range(trials):
        ticks.append(one_trial(data, journal, seed * 1000 + trial))
        verify(data, journal)
    done, _ = read_journal(journal)
    assert sum(len(v) for v in done.values()) > 0, "no operation ever finished"
    return ticks


def test_crash_short(tmp_path: Path) -> None:
    ticks = run_trials(tmp_path, trials=6, seed=1)
    assert len(ticks) == 6


@pytest.mark.slow
def test_crash_many(tmp_path: Path) -> None:
    seed = int(os.environ.get("MOMENTS_DESK_CRASH_SEED", "7"))
    trials = int(os.environ.get("MOMENTS_DESK_CRASH_TRIALS", "120"))
    ticks = run_trials(tmp_path, trials=trials, seed=seed)
    print(f"crash trials: {len(ticks)}, ticks before the kill: {sum(ticks)}")
