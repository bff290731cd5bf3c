"""The customer reports read only the range (issue 18): on a shop that has traded for three
years, every rewritten query gives the figures the whole-history queries gave, for every
window, with orders and friends on the very edges of local months, in a zone without DST
and in one with it, for all accounts and for one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.demo.builder import DemoSpec
from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.reports import customers as cr
from moments_desk.core.reports.period import ReportFilter, month_starts
from moments_desk.db.models import Customer, Order, OrderStatus
from tests.core.reports import legacy_queries as legacy

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
ZONES = (ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"))
WINDOWS = (7, 30, 90, 365, 3 * 365)


def _edge_orders(session: Session, zone: tzinfo) -> None:
    """Orders and referred friends at each local month start of the three years, and a
    microsecond before it, so a bucket off by one bound would show."""
    customers = list(session.scalars(select(Customer.id).order_by(Customer.id).limit(40)))
    referrer = customers[0]
    today = NOW.astimezone(zone).date()
    rows, friends = [], []
    for n, (_, start) in enumerate(month_starts(today - timedelta(days=3 * 365), today, zone)):
        for k, at in enumerate((start, start - timedelta(microseconds=1))):
            if at >= NOW:
                continue
            rows.append(
                {
                    "customer_id": customers[(n + k) % len(customers)],
                    "status": OrderStatus.PAID if k == 0 else OrderStatus.COMPLETED,
                    "total": Decimal("88.00"),
                    "created_at": at,
                    "updated_at": at,
                }
            )
            friends.append(
                {
                    "account_id": 1,
                    "nickname": f"edge {n}-{k}",
                    "referred_by_id": referrer,
                    "created_at": at,
                    "updated_at": at,
                }
            )
    session.execute(insert(Order), rows)
    session.execute(insert(Customer), friends)


@pytest.fixture
def three_year_shop(engine: Engine, session_factory: sessionmaker[Session]) -> Engine:
    spec = DemoSpec(
        accounts=2, products=400, customers=600, interactions=300, orders=3000, days=3 * 365
    )
    populate_demo(engine, spec, now=NOW)
    with session_factory.begin() as session:
        _edge_orders(session, ZONES[0])
        _edge_orders(session, ZONES[1])
    return engine


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_rewritten_queries_give_the_same_figures_as_whole_history(
    three_year_shop: Engine, session_factory: sessionmaker[Session], zone: tzinfo
) -> None:
    with session_factory() as session:
        for days in WINDOWS:
            for account in (None, 1):
                f = ReportFilter.last_days(NOW, zone, days, account)
                label = f"{days} days, account {account}"
                assert cr.cohorts(session, f) == legacy.cohorts(session, f), label
                assert cr.movement(session, f) == legacy.movement(session, f), label
                assert cr.referrers(session, f) == legacy.referrers(session, f), label


def test_the_shop_puts_orders_in_every_month_and_cohort(
    three_year_shop: Engine, session_factory: sessionmaker[Session]
) -> None:
    """The comparison above means something: three years of months, each with orders."""
    f = ReportFilter.last_days(NOW, ZONES[0], 3 * 365)
    with session_factory() as session:
        found = cr.cohorts(session, f)
        moved = cr.movement(session, f)
        total, top = cr.referrers(session, f)
    assert len(found) == 37
    assert sum(1 for c in found if c.size) >= 30
    assert sum(m.first_orders for m in moved) > 50
    assert total > 70 and top[0].referred > 70
