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
    return race_each([(worker, args)] * processes)


def race_each(jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run each ``worker(barrier, *args)`` in its own fresh process, all released at once;
    their results in the order given."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    started = [
        ctx.Process(target=_run, args=(n, worker, barrier, results, args))
        for n, (worker, args) in enumerate(jobs)
    ]
    for process in started:
        process.start()
    numbered = sorted(results.get(timeout=TIMEOUT_S) for _ in started)
    outcomes = [outcome for _n, outcome in numbered]
    for process in started:
        process.join(TIMEOUT_S)
        assert process.exitcode == 0, f"worker exited with {process.exitcode}"
    failed = [o for o in outcomes if isinstance(o, tuple) and o and o[0] == "error"]
    assert not failed, failed
    return outcomes


def _run(
    n: int, worker: Callable[..., Any], barrier: Any, results: Any, args: tuple[Any, ...]
) -> None:
    try:
        results.put((n, worker(barrier, *args)))
    except BaseException as exc:  # reported to the test, which fails with it
        results.put((n, ("error", repr(exc))))
