"""Allocation over any sequence of likes, releases, restocks and re-runs: never more places
than the stock, nobody queued twice, nobody overtaken, "first N" kept."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.catalogue import adjust_stock
from moments_desk.core.orders.allocation import allocate_first_n, release_allocations
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    InteractionKind,
    Post,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
)
from tests.tracking_shop import NOW, TrackingShop, build_shop

FAST = settings(max_examples=30, deadline=None, derandomize=True)
WIDE = settings(max_examples=400, deadline=None)
FRIENDS = 6

operations = st.lists(
    st.one_of(
        st.tuples(st.just("like"), st.integers(0, FRIENDS - 1)),
        st.tuples(st.just("comment"), st.integers(0, FRIENDS - 1)),
        st.tuples(st.just("release"), st.integers(0, FRIENDS - 1)),
        st.tuples(st.just("restock"), st.integers(1, 3)),
        st.tuples(st.just("allocate"), st.integers(0, 1)),
    ),
    max_size=14,
)


@pytest.fixture(scope="module")
def shop_db(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[sessionmaker[Session], TrackingShop]]:
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("alloc") / "shop.sqlite3"))
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    yield sessions, build_shop(sessions, stock=0)
    engine.dispose()


def _new_post(s: Session, stock: int) -> tuple[int, int]:
    """A fresh post and product per example: examples never see each other's places."""
    last = s.scalar(select(Product.id).order_by(Product.id.desc()))
    product = Product(code=f"P{last}", name="裙", price=Decimal(99), stock=stock)
    post = Post(
        kind=PostKind.NEW_ARRIVAL, text="点赞前N名", status=PostStatus.POSTED, posted_at=NOW
    )
    s.add_all([product, post])
    s.flush()
    s.add(PostProduct(post_id=post.id, product_id=product.id, position=0))
    return post.id, product.id


def _check(s: Session, post_id: int, product_id: int, limit: int | None) -> None:
    rows = s.scalars(select(Allocation).where(Allocation.post_id == post_id)).all()
    stock = s.scalar(select(Product.stock).where(Product.id == product_id))
    held = [a for a in rows if a.status is AllocationStatus.ALLOCATED]
    assert sum(a.quantity for a in held) <= (stock or 0), "more places than pieces"
    assert len({a.customer_id for a in rows}) == len(rows), "a friend queued twice"
    waiting = [a.rank for a in rows if a.status is AllocationStatus.WAITLISTED]
    if waiting:
        assert all(a.rank < min(waiting) for a in held), "a friend was overtaken"
    if limit is not None:
        assert len(held) <= limit, "first N gave more than N places"


def _run(
    shop_db: tuple[sessionmaker[Session], TrackingShop],
    stock: int,
    limit: int | None,
    steps: list[tuple[str, int]],
) -> None:
    sessions, shop = shop_db
    friends = list(shop.customers.values())[:FRIENDS]
    with sessions.begin() as s:
        post_id, product_id = _new_post(s, stock)
    line = 0
    for action, value in steps:
        with sessions.begin() as s:
            if action in ("like", "comment"):
                line += 1
                kind = InteractionKind.LIKE if action == "like" else InteractionKind.COMMENT
                entry = EntryLine(line, "x", kind, "想要", friends[value])
                record_entries(s, post_id, shop.account_id, [entry], NOW)
            elif action == "release":
                ids = s.scalars(
                    select(Allocation.id).where(
                        Allocation.post_id == post_id, Allocation.customer_id == friends[value]
                    )
                ).all()
                release_allocations(s, ids)
            elif action == "restock":
                adjust_stock(s, [product_id], value)
            else:
                allocate_first_n(s, post_id, product_id, limit=limit, include_comments=bool(value))
            _check(s, post_id, product_id, limit)


@pytest.mark.db
@FAST
@given(stock=st.integers(0, 4), limit=st.none() | st.integers(0, 4), steps=operations)
def test_allocation_never_exceeds_the_free_stock(
    shop_db: tuple[sessionmaker[Session], TrackingShop],
    stock: int,
    limit: int | None,
    steps: list[tuple[str, int]],
) -> None:
    _run(shop_db, stock, limit, steps)


@pytest.mark.slow
@WIDE
@given(stock=st.integers(0, 6), limit=st.none() | st.integers(0, 6), steps=operations)
def test_allocation_never_exceeds_the_free_stock_wide(
    shop_db: tuple[sessionmaker[Session], TrackingShop],
    stock: int,
    limit: int | None,
    steps: list[tuple[str, int]],
) -> None:
    _run(shop_db, stock, limit, steps)
