"""APScheduler as a plain timer: wake the app at moments the reconcile plan asks for.

Jobs carry no state of their own. ``misfire_grace_time=None`` runs a job however late it is
(a laptop that slept through a due post still wakes the app), and ``coalesce=True`` runs it
once, not once per missed run. Nothing is persisted here: the plan is rebuilt from the
database on every start, so no job store is shared between machines or processes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from moments_desk.scheduling.reconcile import TimerChanges, diff_timers

WATCH_JOB = "watch"

# APScheduler's executor logs "Running job" and "executed successfully" at INFO for every
# run: two lines every 10 seconds in the seller's log. Its warnings and errors still show.
logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)


class ReminderTimers:
    """``on_due(job_id)`` and ``on_watch()`` run on the scheduler's thread."""

    def __init__(
        self,
        on_due: Callable[[str], None],
        on_watch: Callable[[], None],
        watch_seconds: float = 10.0,
    ) -> None:
        self._on_due = on_due
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._armed: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._scheduler.add_job(
            on_watch, IntervalTrigger(seconds=watch_seconds), id=WATCH_JOB, name=WATCH_JOB
        )

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if not self._scheduler.running:
            return
        # APScheduler 3 marks itself stopped before taking its job-store lock, so a job being
        # processed at that instant fails to remove itself (JobLookupError on its thread).
        # Pause first (no new processing pass), wait for a pass in progress to release the
        # lock, then stop. Holding the lock during shutdown would deadlock its thread join.
        self._scheduler.pause()
        with self._scheduler._jobstores_lock:
            pass
        self._scheduler.shutdown(wait=False)

    def pause(self) -> None:
        """Hold every timer (the shop is out of reach: nothing could be claimed)."""
        if self._scheduler.running:
            self._scheduler.pause()

    def resume(self) -> None:
        """Run what came due meanwhile once (coalesced), then keep time again."""
        if self._scheduler.running:
            self._scheduler.resume()

    @property
    def armed(self) -> dict[str, datetime]:
        with self._lock:
            return dict(self._armed)

    def next_run(self, job: str) -> datetime | None:
        found = self._scheduler.get_job(job)
        return None if found is None else found.next_run_time

    def sync(self, wanted: dict[str, datetime]) -> TimerChanges:
        with self._lock:
            return self._sync(wanted)

    def _sync(self, wanted: dict[str, datetime]) -> TimerChanges:
        changes = diff_timers(self._armed, wanted)
        for job in changes.remove:
            if self._scheduler.get_job(job) is not None:
                self._scheduler.remove_job(job)
            self._armed.pop(job, None)
        for job, when in {**changes.add, **changes.move}.items():
            self._scheduler.add_job(
                self._fire,
                DateTrigger(run_date=when),
                args=[job],
                id=job,
                name=job,
                replace_existing=True,
            )
            self._armed[job] = when
        return changes

    def _fire(self, job: str) -> None:
        with self._lock:
            self._armed.pop(job, None)
        self._on_due(job)
