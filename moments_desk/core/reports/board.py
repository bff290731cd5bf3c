"""What the Overview shows (``Dashboard``) and the pure helpers both of its readers share:
``dashboard.load_dashboard`` (the ORM, every database) and ``dashboard_sqlite`` (plain
sqlite3, the first paint of a SQLite shop). No table classes here: this module is imported
before the first paint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from moments_desk.db.models import PostKind, PostStatus

SALES_KINDS = tuple(kind for kind in PostKind if kind.is_sales)
TARGET_SALES_SHARE = 0.40


@dataclass(frozen=True)
class DuePost:
    post_id: int
    scheduled_at: datetime
    kind: PostKind
    status: PostStatus
    first_line: str


@dataclass(frozen=True)
class OpenReminder:
    reminder_id: int
    due_at: datetime
    message: str


@dataclass(frozen=True)
class DayFigures:
    day: date
    orders: int
    revenue: Decimal


@dataclass(frozen=True)
class Dashboard:
    due_today: tuple[DuePost, ...]
    upcoming: tuple[DuePost, ...]
    #: the last 14 local days, oldest first (today included)
    days: tuple[DayFigures, ...]
    reminders_open: int
    reminders: tuple[OpenReminder, ...]
    posted_this_week: int
    planned_this_week: int
    mix_sales: int
    mix_other: int
    mix_days: int
    orders_this_week: int
    orders_last_week: int
    revenue_this_week: Decimal
    revenue_last_week: Decimal
    customers: int
    new_customers: int
    dormant_customers: int
    dormant_days: int
    accounts: int
    #: cadence slots still ahead this week (the ones already past no longer count)
    slots_left_this_week: int = 0
    #: the next post due today that is still ahead (a missed one is not "next")
    next_due_at: datetime | None = None

    @property
    def sales_share(self) -> float | None:
        total = self.mix_sales + self.mix_other
        return self.mix_sales / total if total else None

    @property
    def is_empty(self) -> bool:
        return self.accounts == 0 and self.customers == 0


def first_line(text: str, limit: int = 60) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def slots_ahead(
    slots: Sequence[tuple[int | None, time]], now: datetime, week_end: datetime, zone: tzinfo
) -> int:
    """How many slot times fall after ``now`` and before the week ends (local days)."""
    today = now.astimezone(zone).date()
    last = (week_end - timedelta(microseconds=1)).astimezone(zone).date()
    count = 0
    day = today
    while day <= last:
        for weekday, at in slots:
            if weekday is not None and weekday != day.weekday():
                continue
            if datetime.combine(day, at, tzinfo=zone) > now:
                count += 1
        day += timedelta(days=1)
    return count
