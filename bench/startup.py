"""Cold start to a painted main window and exit, against a bare PySide6 window.

Whole processes, each app start paired with a bare ``QMainWindow`` start run just before it
(alternated, so a change in the machine's load hits both), medians of the pairs. Three
shops: a new empty folder (the database is created), the demo shop and the big shop.
The ``.pyc`` files are compiled first: ``PYTHONDONTWRITEBYTECODE=1`` without them adds
~200 ms to every start.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "moments_desk"
#: The goal of issue 18: every start within 3× the bare window.
GOAL_RATIO = 3.0


def _spawn_ms(command: list[str], marker: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)
    took = (time.perf_counter() - started) * 1000
    if marker not in out.stdout:
        raise RuntimeError(f"{command} did not print {marker!r}: {out.stdout} {out.stderr}")
    return took


def _median(values: list[float]) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _app(data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "moments_desk", "--data-dir", str(data_dir), "--smoke", *extra]


def run(shop: Path, repeat: int) -> list[Result]:
    compileall.compile_dir(PACKAGE, quiet=1)
    bare_command = [sys.executable, str(HERE / "bare_window.py")]
    work = Path(tempfile.mkdtemp(prefix="md-bench-"))
    try:
        big = work / "big"
        shutil.copytree(shop, big)  # the lock file and prefs must not touch the cached dataset
        demo = work / "demo"
        _spawn_ms(_app(demo, "--demo"), "smoke ok")  # built once, started as it is after
        kinds: dict[str, Path | None] = {"new": None, "demo": demo, "big": big}
        # One warm-up start each: the first reads every file from disk.
        _spawn_ms(bare_command, "painted")
        for folder in (demo, big):
            _spawn_ms(_app(folder), "smoke ok")
        bare: dict[str, list[float]] = {kind: [] for kind in kinds}
        app: dict[str, list[float]] = {kind: [] for kind in kinds}
        for round_ in range(repeat):
            for kind, kept in kinds.items():
                target = kept if kept is not None else work / f"new{round_}"
                bare[kind].append(_spawn_ms(bare_command, "painted"))
                app[kind].append(_spawn_ms(_app(target), "smoke ok"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = {
        "new": ("start to painted window and exit, new empty folder", "creates the database"),
        "demo": ("start to painted window and exit, demo shop", ""),
        "big": ("start to painted window and exit, big shop", ""),
    }
    results = []
    for kind, (name, note) in names.items():
        ratio = _median(app[kind]) / _median(bare[kind])
        verdict = "goal met" if ratio <= GOAL_RATIO else f"goal {GOAL_RATIO:.0f}x not met"
        results.append(
            Result(
                name,
                _median(app[kind]),
                "bare QMainWindow (paired)",
                _median(bare[kind]),
                "; ".join(n for n in (note, f"{repeat} pairs", verdict) if n),
            )
        )
    return results
