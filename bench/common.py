"""Timing helpers shared by the benchmarks: medians and a results table with ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value_ms: float
    baseline_name: str = ""
    baseline_ms: float = 0.0
    note: str = ""
    #: what ``value_ms`` holds when it is not a time ("%")
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        return self.value_ms / self.baseline_ms if self.baseline_ms else None


def median_ms(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def print_results(results: list[Result]) -> None:
    width = max(len(r.name) for r in results) + 2
    print()
    print(f"{'benchmark':<{width}} {'median':>10}  {'baseline':>10}  {'ratio':>6}  note")
    for r in results:
        baseline = f"{r.baseline_ms:9.1f}{r.unit}" if r.baseline_ms else " " * 11
        ratio = f"{r.ratio:5.2f}x" if r.ratio is not None else " " * 6
        value = f"{r.value_ms:8.1f}{r.unit}".ljust(10)
        print(f"{r.name:<{width}} {value}  {baseline}  {ratio}  {r.note}")
