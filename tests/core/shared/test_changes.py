"""Change sets: what a committed write touched, and what another connection wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
from moments_desk.core.orders.status import change_status
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import (
    ChangeSet,
    Kind,
    fingerprint,
    kinds_changed,
    watch_commits,
)
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import OrderStatus, WeChatAccount

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _account(session: Session) -> int:
    account = WeChatAccount(label="主号")
    session.add(account)
    session.flush()
    return account.id


def test_merge_and_touches() -> None:
    a = ChangeSet(frozenset({Kind.ORDERS}), {Kind.ORDERS: frozenset({1})})
    b = ChangeSet(frozenset({Kind.ORDERS, Kind.CUSTOMERS}), {Kind.ORDERS: frozenset({2})})
    merged = a.merge(b)
    assert merged.touches(Kind.CUSTOMERS)
    assert not merged.touches(Kind.POSTS, Kind.PRODUCTS)
    assert merged.ids_of(Kind.ORDERS) == {1, 2}
    assert ChangeSet().merge(a) is a
    assert not ChangeSet()


def test_each_commit_reports_the_kinds_and_ids_it_wrote(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    heard: list[ChangeSet] = []
    stop = watch_commits(engine, heard.append, session_factory)
    account = uow.write(session_factory, _account)
    customer = uow.write(
        session_factory, lambda s: create_customer(s, CustomerDraft(account, nickname="小美"))
    )
    item = ItemDraft(None, "围巾", 1, Decimal("59"))
    order = uow.write(session_factory, lambda s: create_order(s, OrderDraft(customer, [item]), NOW))
    heard.clear()
    uow.write(session_factory, lambda s: change_status(s, [order], OrderStatus.PAID, NOW))
    assert len(heard) == 1
    assert heard[0].touches(Kind.ORDERS)
    assert order in heard[0].ids_of(Kind.ORDERS)
    assert heard[0].touches(Kind.CUSTOMERS)  # paying moved the buyer up the stage ladder
    assert not heard[0].touches(Kind.POSTS, Kind.PRODUCTS)

    heard.clear()
    uow.read(session_factory, lambda s: s.get(WeChatAccount, account))
    assert heard == []  # reading changes nothing

    def refused(session: Session) -> None:
        create_customer(session, CustomerDraft(account, nickname="回滚"))
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        uow.write(session_factory, refused)
    assert heard == []  # a rolled-back transaction announces nothing

    stop()
    uow.write(session_factory, lambda s: create_customer(s, CustomerDraft(account, nickname="x")))
    assert heard == []


def test_fingerprint_names_what_another_connection_wrote(engine: Engine) -> None:
    mine = make_session_factory(engine)
    theirs = make_session_factory(engine)  # another laptop: its own sessions, no events
    account = uow.write(theirs, _account)
    before = uow.read(mine, fingerprint)
    assert kinds_changed(before, uow.read(mine, fingerprint)) == ChangeSet()
    uow.write(theirs, lambda s: create_customer(s, CustomerDraft(account, nickname="小美")))
    after = uow.read(mine, fingerprint)
    assert kinds_changed(before, after).kinds == {Kind.CUSTOMERS}
