"""Team mode: two laptops editing the same order never silently overwrite each other, and
bulk changes (tags, stages, status, stock) count as changes of the rows they touch.

Each "laptop" is its own session on the shared database; the stale copy is the form as it
was opened. The ``version`` columns (orders since migration 0016) catch a write that lands
between another save's read and its write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.orders import editing
from moments_desk.core.orders import orders as od
from moments_desk.core.orders.status import change_status
from moments_desk.core.shared import uow
from moments_desk.db import migrate
from moments_desk.db.engine import make_engine
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    Order,
    OrderStatus,
    Product,
    ProductStatus,
    WeChatAccount,
)

pytestmark = pytest.mark.db
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> dict[str, int]:
    def build(s: Session) -> dict[str, int]:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        product = cat.create_product(
            s, ProductDraft(code="QZ01", name="雾霾蓝连衣裙", price=Decimal("259"), stock=5)
        )
        cat.add_tag(s, [product], "爆款")
        customer = cu.create_customer(
            s, CustomerDraft(account_id=account.id, nickname="小美", remark="杭州小美")
        )
        order = od.create_order(
            s,
            od.OrderDraft(
                customer_id=customer,
                items=[od.ItemDraft(product, "雾霾蓝连衣裙", 1, Decimal("259"))],
                recipient="王小美",
                phone="13800000000",
                address="浙江 杭州 西湖区 文三路 1 号",
            ),
            NOW,
        )
        return {"product": product, "customer": customer, "order": order}

    return uow.write(session_factory, build)


def _order(sessions: sessionmaker[Session], order_id: int) -> od.OrderDraft:
    return uow.read(sessions, lambda s: editing.order_for_editing(s, order_id).detail.draft)


def _with(draft: od.OrderDraft, **changes: Any) -> od.OrderDraft:
    return od.OrderDraft(**{**vars(draft), **changes})


def test_an_order_saved_here_keeps_the_tracking_number_saved_there(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    oid = shop["order"]
    opened_on_a = _order(session_factory, oid)
    # Laptop B enters the parcel while A's editor is open.
    opened_on_b = _order(session_factory, oid)
    there = _with(opened_on_b, courier="顺丰", tracking_no="SF123")
    uow.write(session_factory, lambda s: editing.save_order(s, oid, there, NOW, opened_on_b))
    # A changes only the notes and saves its stale form (no tracking number in it).
    here = _with(opened_on_a, notes="要发票")
    uow.write(session_factory, lambda s: editing.save_order(s, oid, here, NOW, opened_on_a))
    stored = _order(session_factory, oid)
    assert (stored.notes, stored.courier, stored.tracking_no) == ("要发票", "顺丰", "SF123")
    assert uow.read(session_factory, lambda s: s.get_one(Order, oid).version) == 3


def test_the_same_order_field_saved_on_both_laptops_is_refused_with_both_versions(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    oid = shop["order"]
    opened = _order(session_factory, oid)
    theirs = _with(opened, address="浙江 杭州 滨江区 江南大道 8 号")
    uow.write(session_factory, lambda s: editing.save_order(s, oid, theirs, NOW, opened))
    mine = _with(opened, address="上海 徐汇区 漕溪北路 2 号", notes="周末送")
    with pytest.raises(editing.OrderConflictError) as refused:
        uow.write(session_factory, lambda s: editing.save_order(s, oid, mine, NOW, opened))
    message = str(refused.value)
    assert "Address" in message and "江南大道" in message and "漕溪北路" in message
    assert refused.value.conflict.mine == mine  # the seller's text, kept in the form
    stored = _order(session_factory, oid)
    assert (stored.address, stored.notes) == (theirs.address, "")  # nothing written
    # Saving again against the version now stored keeps hers.
    base = refused.value.conflict.theirs
    uow.write(session_factory, lambda s: editing.save_order(s, oid, mine, NOW, base))
    assert _order(session_factory, oid).address == mine.address


def test_an_order_written_between_a_saves_read_and_write_is_caught_by_the_version(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    oid = shop["order"]
    laptop_a = session_factory()
    try:
        laptop_a.begin()
        row = laptop_a.get_one(Order, oid)
        with session_factory.begin() as laptop_b:
            laptop_b.get_one(Order, oid).notes = "B 的备注"
        row.notes = "A 的备注"
        with pytest.raises(StaleDataError):
            laptop_a.flush()
    finally:
        laptop_a.rollback()
        laptop_a.close()
    assert _order(session_factory, oid).notes == "B 的备注"


BULK: dict[str, tuple[type[Any], str, Callable[[Session, dict[str, int]], object]]] = {
    "product tag": (Product, "product", lambda s, ids: cat.add_tag(s, [ids["product"]], "新品")),
    "product untag": (
        Product,
        "product",
        lambda s, ids: cat.remove_tag(s, [ids["product"]], "爆款"),
    ),
    "product status": (
        Product,
        "product",
        lambda s, ids: cat.set_status(s, [ids["product"]], ProductStatus.SOLD_OUT),
    ),
    "product archived": (
        Product,
        "product",
        lambda s, ids: cat.set_archived(s, [ids["product"]], True),
    ),
    "product stock": (
        Product,
        "product",
        lambda s, ids: cat.adjust_stock(s, [ids["product"]], 2),
    ),
    "customer tag": (Customer, "customer", lambda s, ids: cu.add_tag(s, [ids["customer"]], "老客")),
    "customer stage": (
        Customer,
        "customer",
        lambda s, ids: cu.set_stage(s, [ids["customer"]], CustomerStage.FAN),
    ),
    "customer stage cleared": (
        Customer,
        "customer",
        lambda s, ids: cu.set_stage(s, [ids["customer"]], None),
    ),
    "order status": (
        Order,
        "order",
        lambda s, ids: change_status(s, [ids["order"]], OrderStatus.PAID, NOW),
    ),
}


@pytest.mark.parametrize("action", sorted(BULK))
def test_a_bulk_change_between_a_saves_read_and_write_refuses_the_save(
    session_factory: sessionmaker[Session], shop: dict[str, int], action: str
) -> None:
    model, key, run = BULK[action]
    row_id = shop[key]
    before = uow.read(session_factory, lambda s: s.get_one(model, row_id).version)
    laptop_a = session_factory()
    try:
        laptop_a.begin()
        row = laptop_a.get_one(model, row_id)
        # Laptop B's bulk action lands while A's save is between its read and its write.
        uow.write(session_factory, lambda s: run(s, shop))
        row.updated_at = row.updated_at.replace(year=2028)
        with pytest.raises(StaleDataError):
            laptop_a.flush()
    finally:
        laptop_a.rollback()
        laptop_a.close()
    assert uow.read(session_factory, lambda s: s.get_one(model, row_id).version) > before


def test_0016_gives_existing_orders_version_1_and_a_downgrade_keeps_them(db_url: str) -> None:
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0015")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO wechat_account (id, label, nickname, friend_limit, archived,"
                f" created_at, updated_at) VALUES (1, '主号', '店主', 5000, false, {stamp},"
                f" {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sales_order (id, account_id, source, status, discount, shipping_fee,"
                " total, recipient, phone, address, courier, tracking_no, notes, stock_taken,"
                " created_at, updated_at) VALUES (7, 1, 'moments', 'awaiting_payment', 0, 0,"
                f" 259, '王小美', '138', '杭州', '', '', '老订单', false, {stamp}, {stamp})"
            )
        )
    assert upgrade_to_head(engine).from_revision == "0015"
    with engine.connect() as conn:
        row = conn.execute(text("SELECT notes, version FROM sales_order")).one()
        assert tuple(row) == ("老订单", 1)
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0015")
    with engine.connect() as conn:
        assert "version" not in {c["name"] for c in inspect(conn).get_columns("sales_order")}
        assert conn.execute(text("SELECT notes FROM sales_order")).scalar_one() == "老订单"
    engine.dispose()
