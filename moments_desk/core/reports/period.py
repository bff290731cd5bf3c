"""The filter every report takes (a local date range and an optional account) and its bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

# The vocabularies only: the Overview's fast path (dashboard_sqlite) uses the bounds below
# before the table classes are loaded.
from moments_desk.db.models import OrderStatus

if TYPE_CHECKING:  # the Overview's week bounds come from here before SQLAlchemy loads
    from sqlalchemy.sql.elements import ColumnElement

#: Orders that count as sales: cancelled and refunded orders earned nothing.
COUNTED_STATUSES = (
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.COMPLETED,
)


def posted_moment() -> Any:
    """When a posted post went out; a post marked posted without a time counts as scheduled."""
    from sqlalchemy import func

    from moments_desk.db.models import Post

    return func.coalesce(Post.posted_at, Post.scheduled_at)


NOT_COUNTED = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def week_bounds(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00 in the seller's zone, returned in UTC."""
    local = now.astimezone(zone)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # Re-attach the zone after arithmetic so a DST change inside the week lands correctly.
    start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    nxt = monday + timedelta(days=7)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def counted_order() -> ColumnElement[bool]:
    """Written as NOT IN on purpose: SQLite then walks the customer-history index (0003) in
    customer order instead of the status index, for the per-customer aggregates."""
    from moments_desk.db.models import Order

    return Order.status.not_in(NOT_COUNTED)


def counted_order_recent() -> ColumnElement[bool]:
    """The same rows as IN, for narrow date ranges, where the (status, created_at) index wins."""
    from moments_desk.db.models import Order

    return Order.status.in_(COUNTED_STATUSES)


def fen(column: Any) -> Any:
    """A Money column as its stored integer fen, so SUM stays exact and cheap."""
    from sqlalchemy import Integer, type_coerce

    return type_coerce(column, Integer)


@dataclass(frozen=True)
class ReportFilter:
    """Local dates ``start``..``end`` inclusive, in the seller's zone; ``account_id`` or all."""

    start: date
    end: date
    zone: tzinfo
    account_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                QT_TRANSLATE_NOOP(
                    "ReportsPeriod", "the range ends ({end}) before it starts ({start})"
                ).format(end=self.end, start=self.start)
            )

    @property
    def start_utc(self) -> datetime:
        return local_midnight(self.start, self.zone)

    @property
    def end_utc(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return local_midnight(self.end + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def last_days(
        cls, now: datetime, zone: tzinfo, days: int, account_id: int | None = None
    ) -> ReportFilter:
        today = now.astimezone(zone).date()
        return cls(today - timedelta(days=days - 1), today, zone, account_id)


def local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def day_and_weeks(
    now: datetime, zone: tzinfo
) -> tuple[date, datetime, datetime, datetime, datetime, datetime]:
    """Today (local), then in UTC: today's start and end, this week's start and end, and
    last week's start: the bounds the Overview counts in."""
    today = now.astimezone(zone).date()
    day_start = local_midnight(today, zone)
    day_end = local_midnight(today + timedelta(days=1), zone)
    week_start, week_end = week_bounds(now, zone)
    last_week_start, _ = week_bounds(week_start - timedelta(days=1), zone)
    return today, day_start, day_end, week_start, week_end, last_week_start


def month_starts(first: date, last: date, zone: tzinfo) -> list[tuple[str, datetime]]:
    """("2026-09", UTC start) for every local month touching first..last, plus the end bound."""
    months: list[tuple[str, datetime]] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((f"{year:04d}-{month:02d}", local_midnight(date(year, month, 1), zone)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months.append(("", local_midnight(date(year, month, 1), zone)))
    return months


def bucket_index(column: Any, bounds: list[datetime]) -> Any:
    """SQL: which [bounds[i], bounds[i+1]) holds ``column`` (-1 outside).

    Month bounds are computed in Python in the seller's zone, so the SQL stays portable
    (SQLite and PostgreSQL) and correct across DST without date functions. The CASE is a
    balanced search over the bounds: each row makes ~log2(months) comparisons instead of
    one per month (36 on a 3-year range).
    """
    return _search(column, bounds, 0, len(bounds))


def _search(column: Any, bounds: list[datetime], low: int, high: int) -> Any:
    """The bucket when the first bound above ``column`` is bounds[i] for some i in
    low..high (i == len(bounds): above them all, outside)."""
    from sqlalchemy import Integer, case, literal_column

    if low == high:
        return literal_column(str(low - 1 if low < len(bounds) else -1), Integer)
    mid = (low + high) // 2
    return case(
        (column < bounds[mid], _search(column, bounds, low, mid)),
        else_=_search(column, bounds, mid + 1, high),
    )


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None
