"""The Overview's figures on a SQLite shop in plain SQL over the sqlite3 connection.

The first paint of a SQLite shop waits for these figures: read this way, it waits neither
for the table classes (~230 ms of imports under load) nor for the ORM's first compiles. The
statements are the ones ``dashboard.load_dashboard`` builds (same definitions, same indexes);
``tests/core/reports/test_dashboard_sqlite.py`` holds both readers to the same answer.
Stored forms: times as UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` text, vocabularies as their
values, money as integer fen, booleans as 0/1.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from moments_desk.core.reports.board import (
    SALES_KINDS,
    Dashboard,
    DayFigures,
    DuePost,
    OpenReminder,
    first_line,
    slots_ahead,
)
from moments_desk.core.reports.period import (
    COUNTED_STATUSES,
    day_and_weeks,
    local_midnight,
)
from moments_desk.core.reports.table import yuan
from moments_desk.db.models import PostKind, PostStatus, ReminderState

if TYPE_CHECKING:
    from sqlalchemy import Engine

_POSTED = "coalesce(post.posted_at, post.scheduled_at)"


def _stored(moment: datetime) -> str:
    """A moment as SQLAlchemy stores a UTC time in SQLite (so text comparison orders it)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)


def _one(db: sqlite3.Connection, sql: str, *params: Any) -> Any:
    return db.execute(sql, params).fetchone()


def load_dashboard_sqlite(
    db: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    *,
    mix_days: int = 14,
    dormant_days: int = 60,
    list_limit: int = 8,
) -> Dashboard:
    """``load_dashboard`` for the whole shop (every account), read from ``db``."""
    today, day_start, day_end, week_start, week_end, last_week_start = day_and_weeks(now, zone)
    at_now = _stored(now)

    def posts(sql: str, *params: Any) -> tuple[DuePost, ...]:
        return tuple(
            DuePost(pid, _moment(at), PostKind(kind), PostStatus(status), first_line(text))
            for pid, at, kind, status, text in db.execute(sql, params)
        )

    due = (PostStatus.SCHEDULED.value, PostStatus.DUE.value)
    due_today = posts(
        "SELECT id, scheduled_at, kind, status, text FROM post"
        f" WHERE status IN ({_marks(due)}) AND scheduled_at >= ? AND scheduled_at < ?"
        " ORDER BY scheduled_at",
        *due,
        _stored(day_start),
        _stored(day_end),
    )
    ahead = (
        PostStatus.DRAFT.value,
        PostStatus.AWAITING_APPROVAL.value,
        PostStatus.SCHEDULED.value,
    )
    upcoming = posts(
        "SELECT id, scheduled_at, kind, status, text FROM post"
        f" WHERE status IN ({_marks(ahead)}) AND scheduled_at >= ?"
        " ORDER BY scheduled_at LIMIT ?",
        *ahead,
        _stored(day_end),
        list_limit,
    )

    # As the due-now panel counts them: a reminder that fired is open until it is dismissed.
    open_reminders = "state != ? AND due_at <= ?"
    dismissed = ReminderState.DISMISSED.value
    (reminder_count,) = _one(
        db, f"SELECT count(*) FROM reminder WHERE {open_reminders}", dismissed, at_now
    )
    reminders = tuple(
        OpenReminder(rid, _moment(at), message)
        for rid, at, message in db.execute(
            f"SELECT id, due_at, message FROM reminder WHERE {open_reminders}"
            " ORDER BY due_at LIMIT ?",
            (dismissed, at_now, list_limit),
        )
    )

    posted = PostStatus.POSTED.value
    (posted_this_week,) = _one(
        db,
        f"SELECT count(*) FROM post WHERE status = ? AND {_POSTED} >= ? AND {_POSTED} < ?",
        posted,
        _stored(week_start),
        _stored(week_end),
    )
    slots_from = (
        " FROM cadence_slot JOIN wechat_account ON wechat_account.id = cadence_slot.account_id"
        " WHERE cadence_slot.active = 1 AND wechat_account.archived = 0"
    )
    daily, weekly = _one(
        db,
        "SELECT count(*) FILTER (WHERE cadence_slot.weekday IS NULL),"
        " count(*) FILTER (WHERE cadence_slot.weekday IS NOT NULL)" + slots_from,
    )
    slot_times = [
        (weekday, time.fromisoformat(at))
        for weekday, at in db.execute(
            "SELECT cadence_slot.weekday, cadence_slot.time_of_day" + slots_from
        )
    ]

    sales = tuple(kind.value for kind in SALES_KINDS)
    mix_sales, mix_other = _one(
        db,
        f"SELECT count(*) FILTER (WHERE kind IN ({_marks(sales)})),"
        f" count(*) FILTER (WHERE kind NOT IN ({_marks(sales)})) FROM post"
        f" WHERE status = ? AND {_POSTED} >= ? AND {_POSTED} <= ?",
        *sales,
        *sales,
        posted,
        _stored(now - timedelta(days=mix_days)),
        at_now,
    )

    counted = tuple(status.value for status in COUNTED_STATUSES)
    orders_where = f"status IN ({_marks(counted)}) AND created_at >= ? AND created_at < ?"

    def orders_between(start: datetime, end: datetime) -> tuple[int, int]:
        count, total = _one(
            db,
            f"SELECT count(*), coalesce(sum(total), 0) FROM sales_order WHERE {orders_where}",
            *counted,
            _stored(start),
            _stored(end),
        )
        return int(count), int(total)

    day_list = [today - timedelta(days=13 - i) for i in range(14)]
    bounds = [_stored(local_midnight(d, zone)) for d in [*day_list, today + timedelta(days=1)]]
    bucket = (
        "CASE "
        + " ".join(f"WHEN created_at < ? THEN {index - 1}" for index in range(len(bounds)))
        + " ELSE -1 END"
    )
    per_day = {
        int(b): (int(n), int(total))
        for b, n, total in db.execute(
            f"SELECT {bucket} AS day, count(*), coalesce(sum(total), 0) FROM sales_order"
            f" WHERE {orders_where} GROUP BY day",
            (*bounds, *counted, bounds[0], bounds[-1]),
        )
    }
    days = tuple(
        DayFigures(d, per_day.get(i, (0, 0))[0], yuan(per_day.get(i, (0, 0))[1]))
        for i, d in enumerate(day_list)
    )
    this_orders, this_fen = orders_between(week_start, week_end)
    last_orders, last_fen = orders_between(last_week_start, week_start)

    def customers(where: str = "1", *params: Any) -> int:
        return int(_one(db, f"SELECT count(*) FROM customer WHERE {where}", *params)[0])

    quiet_since = _stored(now - timedelta(days=dormant_days))
    dormant = customers(
        "NOT EXISTS (SELECT 1 FROM interaction WHERE interaction.customer_id = customer.id"
        " AND interaction.occurred_at >= ?) AND NOT EXISTS (SELECT 1 FROM sales_order"
        " WHERE sales_order.customer_id = customer.id AND sales_order.created_at >= ?)",
        quiet_since,
        quiet_since,
    )
    (accounts,) = _one(db, "SELECT count(*) FROM wechat_account WHERE archived = 0")
    return Dashboard(
        due_today=due_today,
        upcoming=upcoming,
        days=days,
        reminders_open=int(reminder_count),
        reminders=reminders,
        posted_this_week=int(posted_this_week),
        planned_this_week=int(daily) * 7 + int(weekly),
        mix_sales=int(mix_sales),
        mix_other=int(mix_other),
        mix_days=mix_days,
        orders_this_week=this_orders,
        orders_last_week=last_orders,
        revenue_this_week=yuan(this_fen),
        revenue_last_week=yuan(last_fen),
        customers=customers(),
        new_customers=customers("created_at >= ?", _stored(now - timedelta(days=7))),
        dormant_customers=dormant,
        dormant_days=dormant_days,
        accounts=int(accounts),
        slots_left_this_week=slots_ahead(slot_times, now, week_end, zone),
        next_due_at=next((p.scheduled_at for p in due_today if p.scheduled_at > now), None),
    )


def read_dashboard_sqlite(
    engine: Engine, now: datetime, zone: tzinfo, *, dormant_days: int = 60
) -> Dashboard:
    """``load_dashboard_sqlite`` over one of ``engine``'s pooled connections (SQLite only)."""
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        assert isinstance(db, sqlite3.Connection), "the plain-SQL Overview is for SQLite"
        return load_dashboard_sqlite(db, now, zone, dormant_days=dormant_days)
    finally:
        raw.close()
