"""Two real processes racing on one shop: what the team-mode tests start.

Each worker opens its own engine on the URL (as a second laptop would), waits at a barrier
so both start the same work at the same instant, and puts its outcome on a queue.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

#: generous: a worker imports the app (~1 s) and may wait for the other's lock
TIMEOUT_S = 120


def race(worker: Callable[..., Any], *args: Any, processes: int = 2) -> list[Any]:
    """Run ``worker(barrier, *args)`` in ``processes`` fresh processes; their results."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes)
    results = ctx.Queue()
    started = [
        ctx.Process(target=_run, args=(worker, barrier, results, args)) for _ in range(processes)
    ]
    for process in started:
        process.start()
    outcomes = [results.get(timeout=TIMEOUT_S) for _ in started]
    for process in started:
        process.join(TIMEOUT_S)
        assert process.exitcode == 0, f"worker exited with {process.exitcode}"
    failed = [o for o in outcomes if isinstance(o, tuple) and o and o[0] == "error"]
    assert not failed, failed
    return outcomes


def _run(worker: Callable[..., Any], barrier: Any, results: Any, args: tuple[Any, ...]) -> None:
    try:
        results.put(worker(barrier, *args))
    except BaseException as exc:  # reported to the test, which fails with it
        results.put(("error", repr(exc)))
