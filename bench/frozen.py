"""The frozen bundle's start against the unfrozen app: ``--smoke`` on a fresh folder and on the
demo shop, median of N runs each, plus the bundle's size.

    make bundle && .venv/bin/python -m bench --only frozen --repeat 3
    .venv/bin/python -m bench.frozen [--repeat 3] [--frozen dist/moments-desk/moments-desk]

Two figures per start: the app's own "smoke ok <ms>" (process creation to the first page
painted with data) and the wall time until the process has exited.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, print_results

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "moments-desk" / "moments-desk"


def _start(command: list[str], data_dir: Path, *flags: str) -> tuple[float, float]:
    """(painted ms as the app reports it, wall ms to exit) for one ``--smoke`` start."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    out = subprocess.run(
        [*command, "--data-dir", str(data_dir), "--smoke", *flags],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    wall = (time.perf_counter() - started) * 1000
    line = next((x for x in out.stdout.splitlines() if x.startswith("smoke ok ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"{command} failed ({out.returncode}): {out.stdout} {out.stderr}")
    return float(line.split()[2]), wall


def _bare_ms() -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bare_window.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    if "painted" not in out.stdout:
        raise RuntimeError(f"bare window did not paint: {out.stdout} {out.stderr}")
    return (time.perf_counter() - started) * 1000


def _size_mib(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def run(repeat: int, frozen: Path = FROZEN) -> list[Result]:
    if not frozen.exists():
        raise SystemExit(f"bench frozen: {frozen} not found: run `make bundle` first")
    apps = {"frozen": [str(frozen)], "unfrozen": [sys.executable, "-m", "moments_desk"]}
    work = Path(tempfile.mkdtemp(prefix="md-bench-frozen-"))
    timings: dict[tuple[str, str], list[tuple[float, float]]] = {}
    #: a bare PySide6 window started just before each frozen start (issue 18: ≤ 3×)
    bare: dict[str, list[float]] = {}
    for name, command in apps.items():
        demo = work / f"{name}-demo"
        _start(command, demo, "--demo")  # builds the demo shop once; starts below reopen it
        for round_ in range(repeat):
            fresh = work / f"{name}-fresh-{round_}"
            for shop, folder in (("fresh folder", fresh), ("demo shop", demo)):
                if name == "frozen":
                    bare.setdefault(shop, []).append(_bare_ms())
                timings.setdefault((name, shop), []).append(_start(command, folder))
    results = []
    for shop in ("fresh folder", "demo shop"):
        results.append(
            Result(
                f"frozen start to painted window and exit, {shop}",
                statistics.median(w for _, w in timings[("frozen", shop)]),
                "bare QMainWindow (paired, unfrozen)",
                statistics.median(bare[shop]),
                f"{repeat} pairs; goal 3x",
            )
        )
        base_paint = statistics.median(p for p, _ in timings[("unfrozen", shop)])
        base_wall = statistics.median(w for _, w in timings[("unfrozen", shop)])
        paint = statistics.median(p for p, _ in timings[("frozen", shop)])
        wall = statistics.median(w for _, w in timings[("frozen", shop)])
        results.append(
            Result(
                f"frozen --smoke, {shop}: painted",
                paint,
                "python -m moments_desk --smoke",
                base_paint,
                note="baseline: the same start unfrozen (python -m moments_desk)",
            )
        )
        results.append(
            Result(f"frozen --smoke, {shop}: to exit", wall, "python -m moments_desk", base_wall)
        )
    bundle = frozen.parent
    results.append(Result(f"bundle size {bundle.name}/", 0.0, note=f"{_size_mib(bundle):.1f} MiB"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frozen", type=Path, default=FROZEN)
    args = parser.parse_args()
    print_results(run(args.repeat, args.frozen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
