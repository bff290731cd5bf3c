"""The weekly summary a seller sends a partner: the last seven days against the seven before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.reports import customers as cr
from moments_desk.core.reports.bundles import PostReport, load_post_report
from moments_desk.core.reports.period import ReportFilter, counted_order_recent, fen
from moments_desk.db.models import Customer, Order


@dataclass(frozen=True)
class WeeklySummary:
    filter: ReportFilter
    posts: PostReport
    orders: int
    orders_before: int
    revenue_fen: int
    revenue_before_fen: int
    new_customers: int
    repurchase: cr.Repurchase

    @property
    def sales_posts(self) -> int:
        return sum(1 for r in self.posts.rows if r.kind.is_sales)


def _orders(session: Session, f: ReportFilter) -> tuple[int, int]:
    where = [counted_order_recent(), Order.created_at >= f.start_utc, Order.created_at < f.end_utc]
    if f.account_id is not None:
        where.append(Order.account_id == f.account_id)
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(fen(Order.total)), 0)).where(*where)
    ).one()
    return int(count), int(total)


def weekly_summary(
    session: Session, now: datetime, zone: tzinfo, account_id: int | None = None
) -> WeeklySummary:
    f = ReportFilter.last_days(now, zone, 7, account_id)
    before = ReportFilter(
        f.start - timedelta(days=7), f.start - timedelta(days=1), zone, account_id
    )
    orders, revenue = _orders(session, f)
    orders_before, revenue_before = _orders(session, before)
    where = [Customer.created_at >= f.start_utc, Customer.created_at < f.end_utc]
    if account_id is not None:
        where.append(Customer.account_id == account_id)
    new = int(session.scalar(select(func.count()).select_from(Customer).where(*where)) or 0)
    return WeeklySummary(
        f,
        load_post_report(session, f, now),
        orders,
        orders_before,
        revenue,
        revenue_before,
        new,
        cr.repurchase(session, f),
    )
