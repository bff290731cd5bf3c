"""Customer reports: RFM segments, the stage funnel and its movement, repurchase, referrals,
retention cohorts.

RFM scoring (fixed thresholds a seller can check by hand, rather than quintiles that shift
with every import). A snapshot as of the range's end, over every counted order before it:
- R (recency, days since the last order): ≤ 30 → 3, ≤ 90 → 2, older → 1;
- F (frequency, orders): ≥ 5 → 3, 2–4 → 2, 1 → 1;
- M (monetary, total spent): ≥ ¥1,000 → 3, ≥ ¥300 → 2, less → 1.
Segments, first match wins: champions R3 F3; loyal R≥2 F≥2; new R3 F1; needs attention
R2 F1; at risk R1 and (F≥2 or M3); lost R1 F1.

Stage movement: the app keeps no history of stages, so movement is read from the paid
orders that drive the stage ladder (``core.stages.ladder``, thresholds in Settings): in each
local month, friends added (enter as prospects), first paid orders (prospect → customer),
the order reaching the fan threshold (default the second) and the one reaching the iron-fan
threshold (default the fifth).

Repurchase rate: buyers in the range with two or more orders in it ÷ buyers in the range.
Cohorts: customers grouped by the local month of their first order ever; for each later
month in the range, the share of the cohort that ordered again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from moments_desk.core.reports.period import (
    ReportFilter,
    bucket_index,
    counted_order,
    fen,
    month_starts,
    ratio,
)
from moments_desk.core.stages.ladder import PAID, load_thresholds
from moments_desk.db.models import Customer, CustomerStage, Order, OrderStatus, WeChatAccount

RECENCY_DAYS = (30, 90)
FREQUENCY = (5, 2)
MONETARY_FEN = (100_000, 30_000)


class Segment(enum.StrEnum):
    CHAMPIONS = "champions"
    LOYAL = "loyal"
    NEW = "new"
    NEEDS_ATTENTION = "needs_attention"
    AT_RISK = "at_risk"
    LOST = "lost"


@dataclass(frozen=True)
class SegmentFigures:
    segment: Segment
    customers: int
    orders: int
    revenue_fen: int


@dataclass(frozen=True)
class SegmentMember:
    customer_id: int
    name: str
    account: str
    last_order: datetime
    orders: int
    revenue_fen: int
    r: int
    f: int
    m: int


@dataclass(frozen=True)
class FunnelStep:
    stage: CustomerStage
    at_stage: int
    reached: int  # at this stage or beyond


@dataclass(frozen=True)
class MonthMovement:
    month: str
    new_friends: int
    first_orders: int
    second_orders: int
    fifth_orders: int


@dataclass(frozen=True)
class Repurchase:
    buyers: int
    repeat_buyers: int

    @property
    def rate(self) -> float | None:
        return ratio(self.repeat_buyers, self.buyers)


@dataclass(frozen=True)
class Referrer:
    customer_id: int
    name: str
    referred: int
    referred_buyers: int
    referred_revenue_fen: int


@dataclass(frozen=True)
class Cohort:
    month: str
    size: int
    #: customers of the cohort ordering in month +0, +1, ... (up to the range's last month)
    active: tuple[int, ...]

    def retention(self, offset: int) -> float | None:
        if offset >= len(self.active):
            return None
        return ratio(self.active[offset], self.size)


def _display_name() -> Any:
    return func.coalesce(func.nullif(Customer.remark, ""), Customer.nickname)


def _per_customer(f: ReportFilter, *, whole_history: bool = False) -> Any:
    since = [] if whole_history else [Order.created_at >= f.start_utc]
    stmt = (
        select(
            Order.customer_id.label("customer_id"),
            func.max(Order.created_at).label("last"),
            func.count().label("n"),
            func.sum(fen(Order.total)).label("m"),
        )
        .where(
            counted_order(),
            Order.customer_id.is_not(None),
            *since,
            Order.created_at < f.end_utc,
        )
        .group_by(Order.customer_id)
    )
    if f.account_id is not None:
        stmt = stmt.join(Customer, Customer.id == Order.customer_id).where(
            Customer.account_id == f.account_id
        )
    return stmt.subquery("per_customer")


def _scores(per: Any, f: ReportFilter) -> tuple[Any, Any, Any, Any]:
    as_of = f.end_utc
    r = case(
        (per.c.last >= as_of - timedelta(days=RECENCY_DAYS[0]), 3),
        (per.c.last >= as_of - timedelta(days=RECENCY_DAYS[1]), 2),
        else_=1,
    )
    fr = case((per.c.n >= FREQUENCY[0], 3), (per.c.n >= FREQUENCY[1], 2), else_=1)
    m = case((per.c.m >= MONETARY_FEN[0], 3), (per.c.m >= MONETARY_FEN[1], 2), else_=1)
    segment = case(
        (and_(r == 3, fr == 3), Segment.CHAMPIONS.value),
        (and_(r >= 2, fr >= 2), Segment.LOYAL.value),
        (and_(r == 3, fr == 1), Segment.NEW.value),
        (r == 2, Segment.NEEDS_ATTENTION.value),
        (fr >= 2, Segment.AT_RISK.value),
        (m == 3, Segment.AT_RISK.value),
        else_=Segment.LOST.value,
    )
    return r, fr, m, segment


def rfm_segments(session: Session, f: ReportFilter) -> list[SegmentFigures]:
    per = _per_customer(f, whole_history=True)
    *_, segment = _scores(per, f)
    found = {
        row[0]: row
        for row in session.execute(
            select(segment, func.count(), func.sum(per.c.n), func.sum(per.c.m)).group_by(segment)
        ).all()
    }
    return [
        SegmentFigures(
            s,
            int(found[s.value][1]) if s.value in found else 0,
            int(found[s.value][2] or 0) if s.value in found else 0,
            int(found[s.value][3] or 0) if s.value in found else 0,
        )
        for s in Segment
    ]


def segment_members(
    session: Session, f: ReportFilter, segment: Segment, limit: int = 5000
) -> list[SegmentMember]:
    """The customers of one segment, biggest spenders first (the list one click away)."""
    per = _per_customer(f, whole_history=True)
    r, fr, m, seg = _scores(per, f)
    rows = session.execute(
        select(
            Customer.id,
            _display_name(),
            WeChatAccount.label,
            per.c.last,
            per.c.n,
            per.c.m,
            r,
            fr,
            m,
        )
        .join(Customer, Customer.id == per.c.customer_id)
        .join(WeChatAccount, WeChatAccount.id == Customer.account_id)
        .where(seg == segment.value)
        .order_by(per.c.m.desc(), Customer.id)
        .limit(limit)
    ).all()
    return [
        SegmentMember(
            customer_id=int(row[0]),
            name=str(row[1]),
            account=str(row[2]),
            last_order=row[3],
            orders=int(row[4]),
            revenue_fen=int(row[5]),
            r=int(row[6]),
            f=int(row[7]),
            m=int(row[8]),
        )
        for row in rows
    ]


def funnel(session: Session, f: ReportFilter) -> list[FunnelStep]:
    """Friends by their current stage (stages have no history, so the range does not apply)."""
    where = []
    if f.account_id is not None:
        where.append(Customer.account_id == f.account_id)
    counts = dict(
        session.execute(
            select(Customer.stage, func.count()).where(*where).group_by(Customer.stage)
        ).all()
    )
    order = list(CustomerStage)
    return [
        FunnelStep(stage, int(counts.get(stage, 0)), sum(int(counts.get(s, 0)) for s in order[i:]))
        for i, stage in enumerate(order)
    ]


#: Above this many days a range holds most of a shop's orders: walking the customer-history
#: index (0003) in customer order, which NOT IN lets SQLite do, beats the status index and
#: sorting by customer. Below it the (status, created_at) index reads only the range.
WIDE_RANGE_DAYS = 180


def _paid(f: ReportFilter) -> ColumnElement[bool]:
    """Paid orders (``ladder.PAID``), written for the index that suits the range."""
    if f.days > WIDE_RANGE_DAYS:
        return Order.status.not_in([s for s in OrderStatus if s not in PAID])
    return Order.status.in_(PAID)


def movement(session: Session, f: ReportFilter) -> list[MonthMovement]:
    months = month_starts(f.start, f.end, f.zone)
    bounds = [b for _, b in months]
    customer_filter = [] if f.account_id is None else [Customer.account_id == f.account_id]
    added_bucket = bucket_index(Customer.created_at, bounds)
    added: dict[int, int] = dict(
        session.execute(
            select(added_bucket, func.count())
            .where(
                *customer_filter,
                Customer.created_at >= f.start_utc,
                Customer.created_at < f.end_utc,
            )
            .group_by(added_bucket)
        ).all()
    )
    # A paid order's rank in its customer's history is its rank among the range's paid
    # orders plus the paid orders before the range: the range's orders are numbered, and the
    # earlier ones only counted (an index range per buyer, no window over the whole table).
    numbered = select(
        Order.customer_id.label("customer_id"),
        Order.created_at.label("at"),
        func.row_number()
        # Ordered like the customer-history index (0003), so SQLite numbers without sorting.
        .over(partition_by=Order.customer_id, order_by=Order.created_at)
        .label("k"),
    ).where(
        _paid(f),
        Order.customer_id.is_not(None),
        Order.created_at >= f.start_utc,
        Order.created_at < f.end_utc,
    )
    if customer_filter:
        numbered = numbered.join(Customer, Customer.id == Order.customer_id).where(*customer_filter)
    in_range = numbered.subquery("in_range")
    ladder = load_thresholds(session)
    steps = (1, ladder.fan_orders, ladder.iron_orders)
    earlier = aliased(Order)
    before = (
        select(func.count())
        .where(
            earlier.customer_id == in_range.c.customer_id,
            earlier.status.in_(PAID),
            earlier.created_at < f.start_utc,
        )
        .scalar_subquery()
    )
    ranked = (
        select(in_range.c.at, (in_range.c.k + before).label("nth"))
        # A rank in the range above the last step cannot be a step with earlier orders added.
        .where(in_range.c.k <= max(steps))
        .subquery("ranked")
    )
    bucket = bucket_index(ranked.c.at, bounds)
    events: dict[tuple[int, int], int] = {
        (int(b), int(n)): int(c)
        for b, n, c in session.execute(
            select(bucket, ranked.c.nth, func.count())
            .where(ranked.c.nth.in_(steps))
            .group_by(bucket, ranked.c.nth)
        ).all()
    }
    return [
        MonthMovement(
            label,
            int(added.get(i, 0)),
            events.get((i, 1), 0),
            events.get((i, ladder.fan_orders), 0),
            events.get((i, ladder.iron_orders), 0),
        )
        for i, (label, _) in enumerate(months[:-1])
    ]


def repurchase(session: Session, f: ReportFilter) -> Repurchase:
    per = _per_customer(f)
    buyers, repeat = session.execute(
        select(func.count(), func.count().filter(per.c.n >= 2)).select_from(per)
    ).one()
    return Repurchase(int(buyers), int(repeat))


def referrers(session: Session, f: ReportFilter, limit: int = 50) -> tuple[int, list[Referrer]]:
    """Friends referred in the range, and who brought them (most referrals first)."""
    referred = aliased(Customer)
    where = [referred.created_at >= f.start_utc, referred.created_at < f.end_utc]
    if f.account_id is not None:
        where.append(referred.account_id == f.account_id)
    total = int(
        session.scalar(
            select(func.count())
            .select_from(referred)
            .where(referred.referred_by_id.is_not(None), *where)
        )
        or 0
    )
    # Sum the range's orders of the referred friends only, not of every buyer in the range
    # (on a 3-year range that is most of the orders table).
    referred_ids = select(referred.id).where(referred.referred_by_id.is_not(None), *where)
    per = (
        select(Order.customer_id.label("customer_id"), func.sum(fen(Order.total)).label("m"))
        .where(
            counted_order(),
            Order.customer_id.in_(referred_ids),
            Order.created_at >= f.start_utc,
            Order.created_at < f.end_utc,
        )
        .group_by(Order.customer_id)
        .subquery("per_referred")
    )
    rows = session.execute(
        select(
            Customer.id,
            _display_name(),
            func.count(referred.id),
            func.count(per.c.customer_id),
            func.coalesce(func.sum(per.c.m), 0),
        )
        .join(referred, referred.referred_by_id == Customer.id)
        .outerjoin(per, per.c.customer_id == referred.id)
        .where(*where)
        .group_by(Customer.id, _display_name())
        .order_by(
            func.count(referred.id).desc(), func.coalesce(func.sum(per.c.m), 0).desc(), Customer.id
        )
        .limit(limit)
    ).all()
    return total, [Referrer(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]


def cohorts(session: Session, f: ReportFilter) -> list[Cohort]:
    months = month_starts(f.start, f.end, f.zone)
    bounds = [b for _, b in months]
    # Only customers whose first paid order falls in the range make a cohort: their first
    # order there is their first ever when they have no paid order before the range
    # (checked once per customer, on the history index).
    earlier = aliased(Order)
    firsts = select(
        Order.customer_id.label("customer_id"), func.min(Order.created_at).label("first")
    ).where(
        _paid(f),
        Order.customer_id.is_not(None),
        Order.created_at >= f.start_utc,
        Order.created_at < f.end_utc,
    )
    if f.account_id is not None:
        firsts = firsts.join(Customer, Customer.id == Order.customer_id).where(
            Customer.account_id == f.account_id
        )
    first = (
        firsts.group_by(Order.customer_id)
        .having(
            ~select(earlier.id)
            .where(
                earlier.customer_id == Order.customer_id,
                earlier.status.in_(PAID),
                earlier.created_at < f.start_utc,
            )
            .exists()
        )
        .subquery("firsts")
    )
    cohort = bucket_index(first.c.first, bounds)
    month = bucket_index(Order.created_at, bounds)
    counts = {
        (int(c), int(m)): int(n)
        for c, m, n in session.execute(
            select(cohort, month, func.count(distinct(Order.customer_id)))
            .join(first, first.c.customer_id == Order.customer_id)
            .where(
                counted_order(),
                first.c.first >= f.start_utc,
                Order.created_at >= f.start_utc,
                Order.created_at < f.end_utc,
            )
            .group_by(cohort, month)
        ).all()
    }
    span = len(months) - 1
    return [
        Cohort(label, counts.get((i, i), 0), tuple(counts.get((i, j), 0) for j in range(i, span)))
        for i, (label, _) in enumerate(months[:-1])
    ]
