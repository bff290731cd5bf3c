"""APScheduler as the timer: jobs mirror the plan; a late job runs once, not dropped."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from moments_desk.scheduling.timers import ReminderTimers


def test_sync_arms_moves_and_removes_jobs() -> None:
    fired: list[str] = []
    timers = ReminderTimers(fired.append, lambda: None, watch_seconds=3600)
    timers.start()
    try:
        far = datetime.now(UTC) + timedelta(days=3)
        timers.sync({"post_due:1": far, "post_due:2": far})
        assert timers.next_run("post_due:1") == far
        later = far + timedelta(hours=1)
        changes = timers.sync({"post_due:1": later})
        assert changes.remove == ["post_due:2"]
        assert timers.next_run("post_due:1") == later
        assert timers.next_run("post_due:2") is None
        assert timers.armed == {"post_due:1": later}
    finally:
        timers.shutdown()
    assert fired == []


def test_a_job_whose_time_passed_while_asleep_runs_once() -> None:
    """misfire_grace_time=None: a job hours late still runs (APScheduler's default drops it
    after one second); coalesce: once."""
    fired: list[str] = []
    done = threading.Event()

    def on_due(job: str) -> None:
        fired.append(job)
        done.set()

    timers = ReminderTimers(on_due, lambda: None, watch_seconds=3600)
    timers.start()
    try:
        timers.sync({"post_due:7": datetime.now(UTC) - timedelta(hours=3)})
        assert done.wait(10)
    finally:
        timers.shutdown()
    assert fired == ["post_due:7"]
    assert timers.armed == {}


def test_the_watch_tick_writes_nothing_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """Every 10 s APScheduler used to log "Running job" and "executed successfully"."""
    ticks = threading.Semaphore(0)
    timers = ReminderTimers(lambda _job: None, ticks.release, watch_seconds=0.05)
    with caplog.at_level(logging.INFO):
        timers.start()
        try:
            for _ in range(3):
                assert ticks.acquire(timeout=10)
        finally:
            timers.shutdown()
    assert [r.getMessage() for r in caplog.records if "executors" in r.name] == []
