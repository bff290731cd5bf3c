"""Cold start to a painted main window on the big shop, against a bare PySide6 window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result

HERE = Path(__file__).resolve().parent


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
    return values[len(values) // 2]


def run(shop: Path, repeat: int) -> list[Result]:
    bare = [
        _spawn_ms([sys.executable, str(HERE / "bare_window.py")], "painted") for _ in range(repeat)
    ]
    work = Path(tempfile.mkdtemp(prefix="md-bench-"))
    try:
        copy = work / "shop"
        shutil.copytree(shop, copy)  # the lock file and prefs must not touch the cached dataset
        app = [
            _spawn_ms(
                [sys.executable, "-m", "moments_desk", "--data-dir", str(copy), "--smoke"],
                "smoke ok",
            )
            for _ in range(repeat)
        ]
        empty = [
            _spawn_ms(
                [
                    sys.executable,
                    "-m",
                    "moments_desk",
                    "--data-dir",
                    str(work / f"empty{i}"),
                    "--smoke",
                ],
                "smoke ok",
            )
            for i in range(repeat)
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    baseline = _median(bare)
    return [
        Result("start to painted window, big shop", _median(app), "bare QMainWindow", baseline),
        Result(
            "start to painted window, new shop",
            _median(empty),
            "bare QMainWindow",
            baseline,
            "includes creating the database",
        ),
    ]
