"""Team mode: the last piece is never sold twice (issue 25).

Two app processes — two laptops — race on one shop at the same instant: creating orders for
the last piece, allocating the first N likers of two posts of the same product, making
orders from the same places. Exactly one wins, stock never goes below zero, and the other
is told in a sentence. The same on SQLite (two processes on one file) and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.orders.allocation import (
    AllocationError,
    allocate_first_n,
    create_orders_from_allocations,
)
from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    OrderError,
    StockPolicy,
    create_order,
    set_stock_policy,
)
from moments_desk.core.shared import uow
from moments_desk.core.shared.messages import message_of
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Interaction,
    InteractionKind,
    Order,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
)
from tests.db.team_trial import race, race_each
from tests.tracking_shop import NOW, TrackingShop, build_shop

pytestmark = pytest.mark.db


def _attempt(barrier: Any, url: str, work: Any) -> str:
    """One laptop: wait for the other, do ``work``; "won" or the sentence it was told."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    uow.read(sessions, lambda s: s.scalar(select(func.count(Product.id))))  # connected
    barrier.wait()
    try:
        uow.write(sessions, work)
        return "won"
    except (OrderError, AllocationError) as refused:
        return str(message_of(refused))
    finally:
        engine.dispose()


def _order_last_piece(barrier: Any, url: str, customer_id: int, product_id: int) -> str:
    item = ItemDraft(product_id, "雾霾蓝连衣裙", 1, Decimal(259))
    draft = OrderDraft(customer_id, [item])
    return _attempt(
        barrier,
        url,
        lambda s: create_order(s, draft, NOW, StockPolicy.ON_CREATION),
    )


def _allocate(barrier: Any, url: str, post_id: int, product_id: int) -> str:
    return _attempt(barrier, url, lambda s: allocate_first_n(s, post_id, product_id))


def _make_orders(barrier: Any, url: str, post_id: int) -> str:
    return _attempt(
        barrier,
        url,
        lambda s: create_orders_from_allocations(s, post_id, NOW, policy=StockPolicy.ON_PAYMENT),
    )


def _count(sessions: sessionmaker[Session], query: Any) -> int:
    return int(uow.read(sessions, lambda s: s.scalar(query)) or 0)


def _stock(sessions: sessionmaker[Session], product_id: int) -> int:
    return _count(sessions, select(Product.stock).where(Product.id == product_id))


def test_two_laptops_ordering_the_last_piece_at_once_sell_it_once(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    shop = build_shop(session_factory, stock=1)
    buyers = [shop.customers["小美"], shop.customers["阿花"]]
    outcomes = race_each([(_order_last_piece, (db_url, b, shop.product_id)) for b in buyers])
    assert sorted(outcomes)[1] == "won"
    assert outcomes.count("won") == 1, outcomes
    told = next(o for o in outcomes if o != "won")
    assert "only 0 left in stock, 1 needed" in told
    assert _stock(session_factory, shop.product_id) == 0
    assert _count(session_factory, select(func.count(Order.id))) == 1


def _second_post_with_likes(sessions: sessionmaker[Session], shop: TrackingShop) -> int:
    def add(s: Session) -> int:
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text="返场｜雾霾蓝连衣裙",
            status=PostStatus.POSTED,
            posted_at=NOW - timedelta(hours=1),
        )
        s.add(post)
        s.flush()
        s.add(PostAccount(post_id=post.id, account_id=shop.account_id, posted_at=post.posted_at))
        s.add(PostProduct(post_id=post.id, product_id=shop.product_id, position=0))
        return post.id

    second = uow.write(sessions, add)

    def like(s: Session) -> None:
        for rank, (post_id, name) in enumerate(
            [(shop.post_id, "小美"), (shop.post_id, "阿花"), (second, "曾小梅"), (second, "王 芳")]
        ):
            s.add(
                Interaction(
                    customer_id=shop.customers[name],
                    post_id=post_id,
                    kind=InteractionKind.LIKE,
                    rank=rank,
                    occurred_at=NOW,
                )
            )

    uow.write(sessions, like)
    return second


def test_two_laptops_allocating_one_product_for_two_posts_promise_the_stock_once(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    shop = build_shop(session_factory, stock=1)
    second = _second_post_with_likes(session_factory, shop)
    outcomes = race_each(
        [
            (_allocate, (db_url, shop.post_id, shop.product_id)),
            (_allocate, (db_url, second, shop.product_id)),
        ]
    )
    assert outcomes == ["won", "won"]
    held = _count(
        session_factory,
        select(func.count(Allocation.id)).where(Allocation.status == AllocationStatus.ALLOCATED),
    )
    assert held == 1  # one piece, one place; everybody else waits


def test_two_laptops_making_orders_from_the_same_places_make_them_once(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    shop = build_shop(session_factory, stock=2)
    _second_post_with_likes(session_factory, shop)
    uow.write(session_factory, lambda s: set_stock_policy(s, StockPolicy.ON_PAYMENT))
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, shop.product_id))
    outcomes = race(_make_orders, db_url, shop.post_id)
    assert outcomes.count("won") == 1, outcomes
    told = next(o for o in outcomes if o != "won")
    assert "made orders from these places meanwhile" in told or "No friend holds a place" in told
    assert _count(session_factory, select(func.count(Order.id))) == 2
