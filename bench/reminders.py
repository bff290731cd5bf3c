"""Reminder reconcile at scale: a year of scheduled posts plus pending reminders.

Reconcile runs after every write and every poll tick, so it must stay cheap. Baseline: the
raw sqlite3 query that reads the same timing rows, measured in the same run.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.common import Result, median_ms
from moments_desk.core.planning import reminders
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import fingerprint
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Post, PostKind, PostStatus, Reminder, ReminderKind
from moments_desk.scheduling.timers import ReminderTimers

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def run(posts: int, repeat: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "app.sqlite3"
        engine = make_engine(sqlite_url(path))
        upgrade_to_head(engine)
        with engine.begin() as conn:
            conn.execute(
                insert(Post),
                [
                    {
                        "kind": PostKind.LIFESTYLE,
                        "text": f"第{i}条",
                        "status": PostStatus.SCHEDULED,
                        "scheduled_at": NOW + timedelta(hours=1 + i),
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for i in range(posts)
                ],
            )
            conn.execute(
                insert(Reminder),
                [
                    {
                        "kind": ReminderKind.BIRTHDAY,
                        "due_at": NOW + timedelta(hours=2 + i),
                        "message": "生日",
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                    for i in range(posts // 5)
                ],
            )
        sessions = make_session_factory(engine)

        def reconcile() -> dict[str, datetime]:
            return uow.write(sessions, lambda s: reminders.reconcile_once(s, NOW, "bench"))[0]

        timers = reconcile()
        raw = sqlite3.connect(path)

        now = NOW.replace(tzinfo=None).isoformat(sep=" ")

        def baseline() -> None:
            # The same four reads reconcile makes, without the ORM, plan or transaction.
            posts = (
                "SELECT id, scheduled_at, reminder_claimed_by FROM post WHERE status='scheduled'"
            )
            raw.execute(f"{posts} AND scheduled_at <= ?", (now,)).fetchall()
            raw.execute(
                f"{posts} AND scheduled_at > ? ORDER BY scheduled_at, id LIMIT 100", (now,)
            ).fetchall()
            due = "SELECT id, due_at FROM reminder WHERE state='pending'"
            raw.execute(f"{due} AND due_at <= ?", (now,)).fetchall()
            raw.execute(f"{due} AND due_at > ? ORDER BY due_at, id LIMIT 100", (now,)).fetchall()

        base = median_ms(baseline, repeat)
        plan_ms = median_ms(reconcile, repeat)
        marker_ms = median_ms(lambda: uow.read(sessions, reminders.change_marker), repeat)
        # What the poll reads now: every kind's marker, so each page hears another laptop.
        fingerprint_ms = median_ms(lambda: uow.read(sessions, fingerprint), repeat)
        scheduler = ReminderTimers(lambda _job: None, lambda: None, watch_seconds=3600)
        scheduler.start()
        try:
            first_ms = median_ms(lambda: scheduler.sync(timers), 1)
            again_ms = median_ms(lambda: scheduler.sync(timers), repeat)
        finally:
            scheduler.shutdown()
        raw.close()
        engine.dispose()
    jobs = len(timers)
    return [
        Result(
            f"reconcile {posts:,} posts + {posts // 5:,} reminders",
            plan_ms,
            "the same reads in raw sqlite3",
            base,
            f"{jobs:,} timers",
        ),
        Result(
            "change fingerprint, every kind (team poll tick)",
            fingerprint_ms,
            "the posts and reminders marker alone",
            marker_ms,
        ),
        Result(f"arm {jobs:,} APScheduler timers (first sync)", first_ms),
        Result("re-sync unchanged timers", again_ms),
    ]
