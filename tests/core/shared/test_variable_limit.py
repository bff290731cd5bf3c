"""SQLite's host-parameter limit: every path whose statements grow with the data works
under the oldest limit (999), as on old SQLite builds; python.org builds stop at 32,766."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, event, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue
from moments_desk.core.catalogue import listing as product_listing
from moments_desk.core.catalogue.product_export import export_products
from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.customers import customers, privacy
from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS, plan_customer_import
from moments_desk.core.orders import listing as order_listing
from moments_desk.core.orders import packing
from moments_desk.core.orders import status as order_status
from moments_desk.core.orders.taobao_import import (
    TAOBAO_FIELDS,
    apply_taobao_import,
    plan_taobao_import,
)
from moments_desk.core.shared.batches import batched, execute_in, rows_in
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    Order,
    OrderStatus,
    Product,
    ProductStatus,
    WeChatAccount,
    customer_tag,
    product_tag,
)

LIMIT = 999
ROWS = 2500  # well over the limit: one statement per file would need 2,500 parameters


@pytest.fixture
def low_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(sqlite_url(tmp_path / "shop.sqlite3"))

    @event.listens_for(engine, "connect")
    def _low_limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)

    # What SQLAlchemy itself assumes on an SQLite older than 3.32 (its INSERT … RETURNING
    # batches); the limit above is what SQLite then enforces on every other statement.
    engine.dialect.insertmanyvalues_max_parameters = LIMIT
    upgrade_to_head(engine)
    with make_session_factory(engine).begin() as s:
        s.add(WeChatAccount(label="主号"))
    yield engine
    engine.dispose()


@pytest.fixture
def low_sessions(low_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(low_engine)


def test_the_fixture_really_lowers_the_limit(low_engine: Engine) -> None:
    marks = ",".join("?" * (LIMIT + 1))
    with low_engine.connect() as conn, pytest.raises(OperationalError, match="too many SQL"):
        conn.exec_driver_sql(f"SELECT 1 WHERE 1 IN ({marks})", tuple(range(LIMIT + 1)))


def _product_file(path: Path, count: int, price: int = 99) -> Path:
    lines = ["货号,宝贝标题,一口价,库存,标签"]
    lines += [f"QZ{i:05d},连衣裙{i},{price},{i % 9},新品;款{i}" for i in range(count)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _import_products(path: Path, engine: Engine, media: Path) -> None:
    table = read_table(path)
    with make_session_factory(engine)() as session:
        plan = plan_product_import(table, guess_mapping(table.headers, PRODUCT_FIELDS), session)
    assert plan.ok, plan.errors[:3]
    apply_product_import(plan, engine, media)


def test_product_import_creates_then_updates_thousands(
    low_engine: Engine, low_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _import_products(_product_file(tmp_path / "a.csv", ROWS), low_engine, tmp_path / "m")
    _import_products(_product_file(tmp_path / "b.csv", ROWS, 120), low_engine, tmp_path / "m")
    with low_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == ROWS
        assert set(s.scalars(select(Product.price))) == {120}
        assert s.scalar(select(func.count()).select_from(product_tag)) == 2 * ROWS


def _customer_file(path: Path, count: int, city: str) -> Path:
    lines = ["微信号,昵称,手机,标签,地址,城市"]
    lines += [
        f"wxid_{i:06d},小美{i},1{3 + i % 6}{i:09d},老客;款{i},浙江省杭州市西湖区文三路{i}号,{city}"
        for i in range(count)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _import_customers(path: Path, engine: Engine) -> None:
    table = read_table(path)
    with make_session_factory(engine)() as session:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), session, 1
        )
    assert plan.ok, plan.errors[:3]
    apply_customer_import(plan, engine)


def test_customer_import_creates_then_updates_thousands(
    low_engine: Engine, low_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _import_customers(_customer_file(tmp_path / "a.csv", ROWS, "杭州"), low_engine)
    _import_customers(_customer_file(tmp_path / "b.csv", ROWS, "宁波"), low_engine)
    with low_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == ROWS
        assert set(s.scalars(select(Customer.city))) == {"宁波"}
        assert s.scalar(select(func.count()).select_from(customer_tag)) == 2 * ROWS


def _taobao_file(path: Path, count: int, first: int) -> Path:
    lines = [
        "订单编号,订单状态,买家实付金额,收货人姓名,联系手机,收货地址,宝贝标题,订单创建时间,买家会员名,商家编码"
    ]
    lines += [
        f"{first + i},交易成功,99.00,买家{i},1{3 + i % 6}{i:09d},"
        f"浙江省 杭州市 西湖区 文三路 {i} 号,连衣裙,2026-10-03 20:15:33,tb_{i},QZ{i:05d}"
        for i in range(count)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_taobao_import_of_thousands_of_orders_fills_in_known_buyers(
    low_engine: Engine, low_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    with low_engine.begin() as conn:  # buyers already there by name, without a phone yet
        conn.execute(
            Customer.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "account_id": 1,
                    "nickname": f"tb_{i}",
                    "remark": f"买家{i}",
                    "search_text": f"tb_{i}",
                    "created_at": moment,
                    "updated_at": moment,
                }
                for i in range(ROWS)
            ],
        )
    for path in (_taobao_file(tmp_path / "a.csv", ROWS, 3515_0000_0000),):
        table = read_table(path)
        with low_sessions() as session:
            plan = plan_taobao_import(
                table, guess_mapping(table.headers, TAOBAO_FIELDS), session, 1
            )
        assert plan.ok, plan.errors[:3]
        assert plan.known_customers == ROWS
        apply_taobao_import(plan, low_engine)
    with low_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Order)) == ROWS
        assert s.scalar(select(func.count()).where(Customer.phone.is_not(None))) == ROWS
        assert set(s.scalars(select(Customer.stage))) == {CustomerStage.CUSTOMER}
    with low_sessions.begin() as s:  # the Orders page on all of them, then a bulk change
        order_ids = order_listing.search_order_ids(s, order_listing.OrderQuery())
        assert len(order_ids) == ROWS
        assert len(order_listing.load_order_rows(s, order_ids)) == ROWS
        slips = packing.packing_slips(s, order_ids)
        assert [slip.order_id for slip in slips] == sorted(order_ids)
        outcome = order_status.change_status(s, order_ids, OrderStatus.REFUNDED, moment)
        assert len(outcome.changed) + len(outcome.skipped) == ROWS
    with low_sessions.begin() as s:  # one buyer with every order asks to be forgotten
        s.execute(update(Order).values(customer_id=1))
        forgotten = privacy.forget_customer(s, 1, keep_order_totals=True)
        assert forgotten.orders_anonymised == ROWS


def test_bulk_edits_on_a_selection_of_thousands(
    low_engine: Engine, low_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _import_products(_product_file(tmp_path / "a.csv", ROWS), low_engine, tmp_path / "m")
    _import_customers(_customer_file(tmp_path / "c.csv", ROWS, "杭州"), low_engine)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with low_sessions.begin() as s:
        ids = product_listing.search_product_ids(s, product_listing.ProductQuery(), now)
        assert len(ids) == ROWS
        assert len(product_listing.load_product_rows(s, ids)) == ROWS
        assert export_products(s, tmp_path / "out.csv", product_ids=ids) == ROWS
        assert catalogue.add_tag(s, ids, "秋冬") == ROWS
        assert catalogue.remove_tag(s, ids, "秋冬") == ROWS
        assert catalogue.set_status(s, ids, ProductStatus.SOLD_OUT) == ROWS
        assert catalogue.adjust_stock(s, ids, 5) == ROWS
        assert catalogue.set_archived(s, ids, True) == ROWS
        assert len(catalogue.delete_products(s, ids).deleted) == ROWS
    with low_sessions.begin() as s:
        people = customers.search_customer_ids(s, customers.CustomerQuery(), now)
        assert len(people) == ROWS
        assert len(customers.load_customer_rows(s, people)) == ROWS
        assert customers.add_tag(s, people, "秋冬") == ROWS
        assert customers.set_stage(s, people, CustomerStage.FAN) == ROWS
        other = WeChatAccount(label="小号")
        s.add(other)
        s.flush()
        assert customers.move_to_account(s, people, other.id) == ROWS
    with low_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 0
        assert set(s.scalars(select(Customer.stage))) == {CustomerStage.FAN}


def test_batches_cover_every_value_once(low_engine: Engine) -> None:
    values = list(range(2 * LIMIT + 7))
    assert [len(b) for b in batched(values, 1000)] == [1000, 1000, 5]
    with low_engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (:n)"), [{"n": n} for n in values])
        table = sa.table("t", sa.column("n"))
        rows = rows_in(conn, lambda b: sa.select(table.c.n).where(table.c.n.in_(b)), values)
        assert sorted(r.n for r in rows) == values
        deleted = execute_in(
            conn, lambda b: sa.delete(table).where(table.c.n.in_(b)), values[: LIMIT + 1]
        )
        assert deleted == LIMIT + 1
