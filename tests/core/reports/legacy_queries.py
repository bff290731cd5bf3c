"""The customer-report queries as they were before issue 18 made them read only the range:
the reference the rewritten ones must agree with, figure for figure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session, aliased

from moments_desk.core.reports import customers as cr
from moments_desk.core.reports.period import ReportFilter, counted_order, month_starts
from moments_desk.core.stages.ladder import PAID, load_thresholds
from moments_desk.db.models import Customer, Order


def bucket_index(column: Any, bounds: list[datetime]) -> Any:
    whens = [(column < bound, index - 1) for index, bound in enumerate(bounds)]
    return case(*whens, else_=-1)


def referrers(session: Session, f: ReportFilter, limit: int = 50) -> tuple[int, list[Any]]:
    referred = aliased(Customer)
    per = cr._per_customer(f)
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
    name = cr._display_name()
    rows = session.execute(
        select(
            Customer.id,
            name,
            func.count(referred.id),
            func.count(per.c.customer_id),
            func.coalesce(func.sum(per.c.m), 0),
        )
        .join(referred, referred.referred_by_id == Customer.id)
        .outerjoin(per, per.c.customer_id == referred.id)
        .where(*where)
        .group_by(Customer.id, name)
        .order_by(
            func.count(referred.id).desc(), func.coalesce(func.sum(per.c.m), 0).desc(), Customer.id
        )
        .limit(limit)
    ).all()
    return total, [cr.Referrer(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]


def movement(session: Session, f: ReportFilter) -> list[cr.MonthMovement]:
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
    numbered = select(
        Order.created_at.label("at"),
        func.row_number()
        .over(partition_by=Order.customer_id, order_by=Order.created_at)
        .label("nth"),
    ).where(Order.status.in_(PAID), Order.customer_id.is_not(None), Order.created_at < f.end_utc)
    if customer_filter:
        numbered = numbered.join(Customer, Customer.id == Order.customer_id).where(*customer_filter)
    nth = numbered.subquery("nth")
    ladder = load_thresholds(session)
    steps = (1, ladder.fan_orders, ladder.iron_orders)
    bucket = bucket_index(nth.c.at, bounds)
    events: dict[tuple[int, int], int] = {
        (int(b), int(n)): int(c)
        for b, n, c in session.execute(
            select(bucket, nth.c.nth, func.count())
            .where(nth.c.nth.in_(steps), nth.c.at >= f.start_utc)
            .group_by(bucket, nth.c.nth)
        ).all()
    }
    return [
        cr.MonthMovement(
            label,
            int(added.get(i, 0)),
            events.get((i, 1), 0),
            events.get((i, ladder.fan_orders), 0),
            events.get((i, ladder.iron_orders), 0),
        )
        for i, (label, _) in enumerate(months[:-1])
    ]


def cohorts(session: Session, f: ReportFilter) -> list[cr.Cohort]:
    months = month_starts(f.start, f.end, f.zone)
    bounds = [b for _, b in months]
    firsts = select(
        Order.customer_id.label("customer_id"), func.min(Order.created_at).label("first")
    ).where(Order.status.in_(PAID), Order.customer_id.is_not(None), Order.created_at < f.end_utc)
    if f.account_id is not None:
        firsts = firsts.join(Customer, Customer.id == Order.customer_id).where(
            Customer.account_id == f.account_id
        )
    first = firsts.group_by(Order.customer_id).subquery("firsts")
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
        cr.Cohort(
            label, counts.get((i, i), 0), tuple(counts.get((i, j), 0) for j in range(i, span))
        )
        for i, (label, _) in enumerate(months[:-1])
    ]
