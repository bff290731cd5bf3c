"""Orders made from first-N places, what the places list shows, and every refusal in both
languages."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.orders.allocation import (
    AllocationError,
    allocate_first_n,
    create_orders_from_allocations,
    free_stock,
    list_allocations,
    release_allocations,
)
from moments_desk.core.orders.listing import get_order
from moments_desk.core.orders.orders import StockPolicy
from moments_desk.core.shared import uow
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Order,
    PostProduct,
    Product,
    ProductVariant,
)
from tests.core.orders.test_allocation import allocate, another_post, likes, places, shop_with
from tests.sentences import in_chinese, said
from tests.tracking_shop import NOW

pytestmark = pytest.mark.db
Sessions = sessionmaker[Session]


def test_orders_follow_the_queue_and_carry_the_post_time_and_prices(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=5)
    likes(session_factory, shop, ["曾小梅", "阿花", "小美"])
    allocate(session_factory, shop, limit=2)
    # Another post's places are not this post's orders.
    other = another_post(session_factory, shop)
    likes(session_factory, shop, ["王 芳"], post_id=other)
    uow.write(
        session_factory,
        lambda s: allocate_first_n(s, other, shop.product_id),
    )
    created = uow.write(
        session_factory,
        lambda s: create_orders_from_allocations(
            s, shop.post_id, NOW, policy=StockPolicy.ON_CREATION
        ),
    )
    details = [uow.read(session_factory, partial(get_order, order_id=o)) for o in created]
    assert [d.customer_name for d in details] == ["曾小梅", "阿花"]
    for detail in details:
        assert detail.created_at == NOW and detail.stock_taken  # the policy given applies
        assert detail.draft.post_id == shop.post_id
        (item,) = detail.draft.items
        assert (item.product_id, item.product_name, item.quantity, item.unit_price) == (
            shop.product_id,
            "雾霾蓝连衣裙",
            1,
            Decimal("259"),
        )
    stock = uow.read(
        session_factory,
        lambda s: s.scalar(select(Product.stock).where(Product.id == shop.product_id)),
    )
    assert stock == 3
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.customer_name, r.status, r.order_id) for r in rows] == [
        ("曾小梅", AllocationStatus.ORDERED, created[0]),
        ("阿花", AllocationStatus.ORDERED, created[1]),
        ("小美", AllocationStatus.WAITLISTED, None),
    ]
    orders = uow.read(session_factory, lambda s: s.scalars(select(Order.post_id)).all())
    assert orders == [shop.post_id, shop.post_id]


def test_the_places_list_shows_product_friend_rank_and_order(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花", "小美"])
    allocate(session_factory, shop, variant="S")
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [
        (r.product_id, r.product_name, r.customer_id, r.rank, r.quantity, r.variant) for r in rows
    ] == [
        (shop.product_id, "雾霾蓝连衣裙", shop.customers["阿花"], 1, 1, "S"),
        (shop.product_id, "雾霾蓝连衣裙", shop.customers["小美"], 2, 1, "S"),
    ]
    assert [r.order_id for r in rows] == [None, None]


def test_a_released_place_moves_up_a_friend_of_the_same_post_product_and_size(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=1)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    allocate(session_factory, shop, variant="M")
    allocate(session_factory, shop, variant="L")  # no stock left: everyone waits for L
    other = another_post(session_factory, shop)
    likes(session_factory, shop, ["王 芳"], post_id=other)
    uow.write(
        session_factory, lambda s: allocate_first_n(s, other, shop.product_id, variant="M")
    )  # 王 芳 waits for M under the other post, first in its queue
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    first_m = next(r.id for r in rows if r.variant == "M" and r.customer_name == "阿花")
    uow.write(session_factory, lambda s: release_allocations(s, [first_m]))
    assert [(n, s) for n, s in places(session_factory, shop)] == [
        ("阿花", AllocationStatus.WAITLISTED),
        ("小美", AllocationStatus.WAITLISTED),
        ("曾小梅", AllocationStatus.WAITLISTED),
        ("阿花", AllocationStatus.RELEASED),
        ("小美", AllocationStatus.ALLOCATED),
        ("曾小梅", AllocationStatus.WAITLISTED),
    ]


def test_refusals_are_sentences_in_both_languages(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=1)
    with pytest.raises(AllocationError) as refused:
        uow.write(session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW))
    assert said(refused.value) == "No friend holds a place yet: allocate first."
    in_chinese(refused.value)
    likes(session_factory, shop, ["阿花"])
    allocate(session_factory, shop)
    uow.write(session_factory, lambda s: s.execute(update(ProductVariant).values(stock=0)))
    uow.write(session_factory, lambda s: s.execute(update(Product).values(stock=0)))
    with pytest.raises(AllocationError) as refused:
        uow.write(
            session_factory,
            lambda s: create_orders_from_allocations(
                s, shop.post_id, NOW, policy=StockPolicy.ON_CREATION
            ),
        )
    assert "only 0 left in stock" in said(refused.value)
    in_chinese(refused.value)
    uow.write(session_factory, lambda s: s.execute(delete(Allocation)))
    uow.write(session_factory, lambda s: s.execute(delete(PostProduct)))
    uow.write(session_factory, lambda s: s.execute(delete(Product)))
    with pytest.raises(AllocationError) as refused:
        uow.read(session_factory, lambda s: free_stock(s, shop.product_id))
    assert said(refused.value) == "This product was deleted meanwhile."
    in_chinese(refused.value)
