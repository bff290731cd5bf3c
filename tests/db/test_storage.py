"""Storage behaviour that must hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, delete, exc, select, text
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.db.migrate import current_revision, head_revision
from moments_desk.db.models import (
    Base,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Post,
    PostKind,
    Product,
    WeChatAccount,
)

pytestmark = pytest.mark.db


def test_migrations_build_exactly_the_models(db_url: str) -> None:
    # Through every migration: a new database is created from the models themselves.
    from alembic import command

    from moments_desk.db.engine import make_engine
    from moments_desk.db.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == [], "models changed without a migration: run alembic revision --autogenerate"


def test_money_round_trips_exactly(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        s.add(Product(code="QZ-1", name="连衣裙", price=Decimal("129.90"), cost=Decimal("0.10")))
    with session_factory() as s:
        product = s.scalars(select(Product)).one()
        # 0.1 + 0.2 style float error would show here after arithmetic.
        assert product.cost is not None
        assert product.price + product.cost == Decimal("130.00")
        assert str(product.price) == "129.90"


def test_datetimes_come_back_aware_in_utc(session_factory: sessionmaker[Session]) -> None:
    beijing = timezone(timedelta(hours=8))
    with session_factory.begin() as s:
        s.add(
            Post(
                kind=PostKind.NEW_ARRIVAL,
                scheduled_at=datetime(2026, 11, 24, 20, 0, tzinfo=beijing),
            )
        )
    with session_factory() as s:
        post = s.scalars(select(Post)).one()
        assert post.scheduled_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        assert post.scheduled_at.tzinfo is UTC


def test_naive_datetimes_are_refused(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(exc.StatementError, match="naive datetime"), session_factory.begin() as s:
        s.add(Post(kind=PostKind.LIFESTYLE, scheduled_at=datetime(2026, 11, 24, 20, 0)))
        s.flush()


def test_chinese_text_and_emoji_are_stored_verbatim(session_factory: sessionmaker[Session]) -> None:
    nickname = "橙子🍊\u200b「小店」'; DROP TABLE customer;--"
    with session_factory.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        s.add(Customer(account_id=account.id, nickname=nickname, remark="杭州-李姐"))
    with session_factory() as s:
        assert s.scalars(select(Customer.nickname)).one() == nickname


def test_a_sold_product_cannot_be_deleted(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        product = Product(code="BB-9", name="托特包", price=Decimal("199"))
        order = Order(status=OrderStatus.PAID, total=Decimal("199"))
        s.add_all([product, order])
        s.flush()
        s.add(
            OrderItem(
                order_id=order.id,
                product_id=product.id,
                product_name="托特包",
                quantity=1,
                unit_price=Decimal("199"),
            )
        )
    with pytest.raises(exc.IntegrityError), session_factory.begin() as s:
        s.execute(delete(Product))
    with session_factory() as s:
        assert s.scalar(select(Product.code)) == "BB-9"


def test_order_item_quantity_must_be_positive(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        order = Order()
        s.add(order)
        s.flush()
        order_id = order.id
    with pytest.raises(exc.IntegrityError), session_factory.begin() as s:
        s.add(OrderItem(order_id=order_id, product_name="x", quantity=0, unit_price=Decimal(1)))


def test_wechat_id_is_unique_per_account(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        a, b = WeChatAccount(label="主号"), WeChatAccount(label="小号")
        s.add_all([a, b])
        s.flush()
        s.add_all(
            [
                Customer(account_id=a.id, wechat_id="wxid_1"),
                Customer(account_id=b.id, wechat_id="wxid_1"),  # same friend on two accounts
            ]
        )
    with pytest.raises(exc.IntegrityError), session_factory.begin() as s:
        s.add(Customer(account_id=a.id, wechat_id="wxid_1", consent_date=date(2026, 1, 1)))


def test_sqlite_runs_in_wal_with_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
