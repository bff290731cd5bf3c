"""Team mode: a reminder two laptops both derive is stored once (issue 25).

Both laptops run the daily follow-ups (unpaid orders, parcels, quiet friends, birthdays).
The database keeps what makes a reminder the same reminder unique, and the insert skips a
conflict, so racing laptops store each reminder once; upgrading removes the repeats an
older version stored.
"""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
from moments_desk.core.orders.status import change_status
from moments_desk.core.planning.reminders import add_reminder, store_reminder
from moments_desk.core.shared import uow
from moments_desk.core.tracking.followups import remind_follow_ups
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import alembic_config, upgrade_to_head
from moments_desk.db.models import (
    Customer,
    OrderStatus,
    Post,
    Reminder,
    ReminderKind,
    ReminderState,
)
from tests.core.planning import conftest as planning
from tests.core.planning.conftest import PlanningShop
from tests.db.team_trial import race
from tests.tracking_shop import NOW, build_shop

pytestmark = pytest.mark.db
ZONE = ZoneInfo("Asia/Shanghai")
planning_shop = planning.planning_shop  # the planner tests' shop, with pictures and products
FIXTURE = Path(__file__).with_name("fixtures") / "rev_0006.sqlite3"


def _seed_follow_ups(sessions: sessionmaker[Session]) -> None:
    shop = build_shop(sessions)
    item = [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal(259))]
    old = NOW - timedelta(days=90)

    def seed(s: Session) -> None:
        create_order(s, OrderDraft(shop.customers["阿花"], list(item)), NOW - timedelta(hours=30))
        shipped = create_order(s, OrderDraft(shop.customers["曾小梅"], list(item)), old)
        change_status(s, [shipped], OrderStatus.PAID, old)
        change_status(s, [shipped], OrderStatus.SHIPPED, old)
        customer = s.get(Customer, shop.customers["曾小梅"])
        assert customer is not None
        customer.stage = "customer"  # type: ignore[assignment]
        create_customer(
            s, CustomerDraft(account_id=shop.account_id, nickname="寿星", birthday=Birthday(11, 25))
        )

    uow.write(sessions, seed)


def _follow_ups_worker(barrier: Any, url: str, now_iso: str) -> int:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = datetime.fromisoformat(now_iso)
    barrier.wait()
    try:
        return uow.write(sessions, lambda s: remind_follow_ups(s, now, ZONE))
    finally:
        engine.dispose()


def _reminders(sessions: sessionmaker[Session]) -> list[tuple[str, int | None, int | None]]:
    return uow.read(
        sessions,
        lambda s: [
            (r.kind.value, r.customer_id, r.order_id)
            for r in s.scalars(select(Reminder).order_by(Reminder.id))
        ],
    )


def test_two_laptops_deriving_follow_ups_at_once_store_each_once(
    db_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    _seed_follow_ups(session_factory)
    # Two laptops, one a minute behind the other, run the daily follow-ups together, twice.
    for trial in range(2):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM reminder"))
        added = race(_follow_ups_worker, db_url, NOW.isoformat())
        stored = _reminders(session_factory)
        assert len(stored) == len(set(stored)) == 4, (trial, stored)
        # between them they stored each one: nobody's insert failed, nobody's was doubled
        assert sorted(added) in ([0, 4], [1, 3], [2, 2]), added


def test_a_clock_minutes_apart_across_midnight_still_stores_an_order_once(
    session_factory: sessionmaker[Session],
) -> None:
    _seed_follow_ups(session_factory)
    # Laptop A thinks it is 23:59 local time, laptop B that it is already the next day.
    just_before = datetime(2026, 11, 22, 15, 59, tzinfo=UTC)
    uow.write(session_factory, lambda s: remind_follow_ups(s, just_before, ZONE))
    uow.write(
        session_factory, lambda s: remind_follow_ups(s, just_before + timedelta(minutes=3), ZONE)
    )
    kinds = [k for k, _c, _o in _reminders(session_factory)]
    assert kinds.count(ReminderKind.UNPAID_ORDER.value) == 1
    assert kinds.count(ReminderKind.SHIPPED_UNCONFIRMED.value) == 1


def test_second_connection_storing_the_same_reminder_waits_and_skips(
    session_factory: sessionmaker[Session],
) -> None:
    due = NOW + timedelta(hours=1)

    def store(s: Session) -> int | None:
        return store_reminder(s, ReminderKind.BIRTHDAY, due, "寿星 · 11-25")

    first = session_factory()
    outcome: list[int | None] = []
    try:
        first.begin()
        assert store(first) is not None  # laptop A inserted, not committed yet
        # Laptop B inserts the same reminder meanwhile: it waits for A, then skips.
        b = threading.Thread(target=lambda: outcome.append(uow.write(session_factory, store)))
        b.start()
        b.join(0.5)
        first.commit()
        b.join(30)
    finally:
        first.close()
    assert outcome == [None]
    assert uow.write(session_factory, lambda s: add_reminder(s, ReminderKind.BIRTHDAY, due, "x"))
    count = uow.read(session_factory, lambda s: s.scalar(select(func.count(Reminder.id))))
    assert count == 1


def _shop_at_0009(db_url: str, tmp_path: Path) -> Engine:
    from alembic import command

    from moments_desk.core.safety.archive import copy_rows, rows_from_sqlite

    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    if db_url.startswith("sqlite"):
        engine = make_engine(sqlite_url(copy))
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0009")
        return engine
    source = make_engine(sqlite_url(copy))
    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0006")
        copy_rows(rows_from_sqlite(source), conn, lambda _d, _t: None)
        command.upgrade(alembic_config(conn), "0009")
    source.dispose()
    return engine


def test_upgrading_removes_repeated_reminders_keeping_the_one_acted_on(
    db_url: str, tmp_path: Path
) -> None:
    engine = _shop_at_0009(db_url, tmp_path)
    insert = text(
        "INSERT INTO reminder (id, kind, due_at, state, customer_id, order_id, message,"
        " created_at, updated_at) VALUES (:id, :kind, :due, :state, :customer, :order, :msg,"
        " :due, :due)"
    )
    # Given what two laptops of an older version stored: an unpaid order reminded of three
    # times (two laptops, then again on a day their clocks disagreed), the second copy of
    # which someone dismissed; a birthday twice; and a quiet friend once.
    rows = [
        (10, "unpaid_order", "2026-11-20 16:00:00", "pending", 1, 1),
        (11, "unpaid_order", "2026-11-20 16:00:00", "dismissed", 1, 1),
        (12, "unpaid_order", "2026-11-21 16:00:00", "pending", 1, 1),
        (13, "birthday", "2026-11-25 01:00:00", "pending", 2, None),
        (14, "birthday", "2026-11-25 01:00:00", "fired", 2, None),
        (15, "dormant_customer", "2026-11-20 16:00:00", "pending", 3, None),
    ]
    with engine.begin() as conn:
        before = conn.execute(text("SELECT id FROM reminder ORDER BY id")).scalars().all()
        for rid, kind, due, state, customer, order in rows:
            conn.execute(
                insert,
                dict(
                    id=rid,
                    kind=kind,
                    due=datetime.fromisoformat(due),
                    state=state,
                    customer=customer,
                    order=order,
                    msg="小美",
                ),
            )
    upgrade_to_head(engine)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT id, state FROM reminder ORDER BY id")).all()
    assert [tuple(r) for r in kept if r[0] >= 10] == [
        (11, "dismissed"),
        (14, "fired"),
        (15, "pending"),
    ]
    assert [r[0] for r in kept if r[0] < 10] == before
    # And from now on the database itself refuses a second copy.
    sessions = make_session_factory(engine)
    when = datetime(2026, 11, 25, 1, tzinfo=UTC)
    again = uow.write(
        sessions, lambda s: store_reminder(s, ReminderKind.BIRTHDAY, when, "寿星", customer_id=2)
    )
    assert again is None
    states = uow.read(
        sessions, lambda s: s.scalars(select(Reminder.state).where(Reminder.id == 14)).all()
    )
    assert states == [ReminderState.FIRED]
    engine.dispose()


def _plan_worker(barrier: Any, url: str, now_iso: str) -> int:
    from moments_desk.core.planning.drafting import plan_weeks

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = datetime.fromisoformat(now_iso)
    barrier.wait()
    try:
        return len(uow.write(sessions, lambda s: plan_weeks(s, 2, now)).created)
    finally:
        engine.dispose()


def test_two_laptops_planning_at_once_fill_each_slot_once(
    db_url: str, planning_shop: PlanningShop
) -> None:
    from tests.core.planning.test_autodraft import NOW as PLAN_NOW
    from tests.core.planning.test_autodraft import cadence

    cadence(planning_shop)
    created = race(_plan_worker, db_url, PLAN_NOW.isoformat())
    assert min(created) == 0 < max(created)  # the second found every slot filled
    slots = uow.read(
        planning_shop.sessions,
        lambda s: s.execute(select(Post.slot_id, Post.scheduled_at)).all(),
    )
    assert len(slots) == len(set(slots)) == max(created)
