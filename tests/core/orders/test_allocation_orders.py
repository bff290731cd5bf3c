"""Orders made from first-N places, what the places list shows, and every refusal in both
languages."""

from __future__ import annotations

from datetime import timedelta
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
    promote_waitlist,
    release_allocations,
)
from moments_desk.core.orders.listing import get_order
from moments_desk.core.orders.orders import ItemDraft, OrderDraft, StockPolicy, create_order
from moments_desk.core.orders.status import change_status
from moments_desk.core.shared import uow
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Interaction,
    InteractionKind,
    Order,
    OrderStatus,
    PostProduct,
    Product,
    ProductVariant,
)
from tests.core.orders.test_allocation import (
    allocate,
    another_post,
    likes,
    places,
    release,
    shop_with,
)
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


def _second_product(sessions: Sessions, post_id: int) -> int:
    def add(s: Session) -> int:
        product = Product(code="QZ02", name="燕麦色开衫", price=Decimal("199"), stock=5)
        s.add(product)
        s.flush()
        s.add(PostProduct(post_id=post_id, product_id=product.id, position=1))
        return product.id

    return uow.write(sessions, add)


def test_orders_are_made_in_the_order_of_each_friends_best_place(session_factory: Sessions) -> None:
    # Given a post with a dress and a cardigan: 曾小梅 liked third for the dress but was the
    # first (and only) friend queued for the cardigan
    shop = shop_with(session_factory, stock=5)
    cardigan = _second_product(session_factory, shop.post_id)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    allocate(session_factory, shop)
    queue = [shop.customers["曾小梅"]]
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, cardigan, queue=queue))
    # When the orders are made
    created = uow.write(
        session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW)
    )
    # Then the first places come first: 曾小梅's first place for the cardigan puts her order
    # before 小美's, who was only second for the dress
    names = [
        uow.read(session_factory, partial(get_order, order_id=o)).customer_name for o in created
    ]
    assert names == ["阿花", "曾小梅", "小美"]
    assert created == sorted(created)


def test_the_places_list_shows_each_product_in_turn(session_factory: Sessions) -> None:
    # Given the dress allocated to three friends, then the cardigan to one
    shop = shop_with(session_factory, stock=5)
    cardigan = _second_product(session_factory, shop.post_id)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    allocate(session_factory, shop)
    queue = [shop.customers["王 芳"]]
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, cardigan, queue=queue))
    # Then the list shows the dress's places in their order, then the cardigan's
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.product_name, r.customer_name, r.rank) for r in rows] == [
        ("雾霾蓝连衣裙", "阿花", 1),
        ("雾霾蓝连衣裙", "小美", 2),
        ("雾霾蓝连衣裙", "曾小梅", 3),
        ("燕麦色开衫", "王 芳", 1),
    ]


def test_a_cancelled_order_frees_only_its_own_places_for_a_friend_of_that_size(
    session_factory: Sessions,
) -> None:
    # Given first 2 in size M: 阿花 and 小美 have orders, 曾小梅 waits for M
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    allocate(session_factory, shop, variant="M", limit=2)
    first, second = uow.write(
        session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW)
    )
    # When 阿花's order is cancelled
    uow.write(session_factory, lambda s: change_status(s, [first], OrderStatus.CANCELLED, NOW))
    # Then her place is free and goes to 曾小梅, waiting for the same size; 小美 keeps hers
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.customer_name, r.variant, r.status, r.order_id) for r in rows] == [
        ("阿花", "M", AllocationStatus.RELEASED, first),
        ("小美", "M", AllocationStatus.ORDERED, second),
        ("曾小梅", "M", AllocationStatus.ALLOCATED, None),
    ]


def test_two_places_released_together_move_up_two_friends(session_factory: Sessions) -> None:
    # Given first 2 of 10 pieces: 阿花 and 小美 hold places, 曾小梅 and 王 芳 wait
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop, limit=2)
    # When both places are given back at once
    release(session_factory, shop, "阿花", "小美")
    # Then both waiting friends move up: still two places
    assert places(session_factory, shop) == [
        ("阿花", AllocationStatus.RELEASED),
        ("小美", AllocationStatus.RELEASED),
        ("曾小梅", AllocationStatus.ALLOCATED),
        ("王 芳", AllocationStatus.ALLOCATED),
    ]


def test_releasing_a_waiting_friend_gives_nobody_her_place(session_factory: Sessions) -> None:
    # Given first 2 of 10 pieces, with 曾小梅 and then 王 芳 waiting
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop, limit=2)
    # When 曾小梅, who was only waiting, changes her mind
    release(session_factory, shop, "曾小梅")
    # Then no place was freed: 王 芳 still waits and "first 2" stays two
    assert places(session_factory, shop) == [
        ("阿花", AllocationStatus.ALLOCATED),
        ("小美", AllocationStatus.ALLOCATED),
        ("曾小梅", AllocationStatus.RELEASED),
        ("王 芳", AllocationStatus.WAITLISTED),
    ]


def test_promoting_with_a_cap_moves_up_that_many_and_says_so(session_factory: Sessions) -> None:
    # Given first 1 of 10 pieces, three friends waiting
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop, limit=1)
    # When one place is handed on
    moved = uow.write(
        session_factory, lambda s: promote_waitlist(s, shop.post_id, shop.product_id, places=1)
    )
    # Then the first friend waiting moves up, and only she
    assert moved == 1
    assert [s for _n, s in places(session_factory, shop)] == [
        AllocationStatus.ALLOCATED,
        AllocationStatus.ALLOCATED,
        AllocationStatus.WAITLISTED,
        AllocationStatus.WAITLISTED,
    ]


def test_a_place_given_back_for_one_product_goes_to_nobody_waiting_for_another(
    session_factory: Sessions,
) -> None:
    # Given a dress held by 阿花, and 小美 waiting for a sold-out cardigan of the same post
    shop = shop_with(session_factory, stock=1)
    cardigan = _second_product(session_factory, shop.post_id)
    uow.write(
        session_factory,
        lambda s: s.execute(update(Product).where(Product.id == cardigan).values(stock=0)),
    )
    likes(session_factory, shop, ["阿花"])
    allocate(session_factory, shop)
    queue = [shop.customers["小美"]]
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, cardigan, queue=queue))
    # When 阿花 gives her dress back
    release(session_factory, shop, "阿花")
    # Then 小美 still waits: a free dress is no cardigan
    assert places(session_factory, shop) == [
        ("阿花", AllocationStatus.RELEASED),
        ("小美", AllocationStatus.WAITLISTED),
    ]


def test_likes_recorded_later_queue_after_the_likes_on_record_whatever_their_time(
    session_factory: Sessions,
) -> None:
    # Given 阿花 and 小美 recorded first, then 曾小梅 read from an earlier screenshot
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花", "小美"])
    lines = [EntryLine(1, "曾小梅", InteractionKind.LIKE, "", shop.customers["曾小梅"])]
    uow.write(
        session_factory,
        lambda s: record_entries(s, shop.post_id, shop.account_id, lines, NOW - timedelta(hours=1)),
    )
    # When the two pieces are allocated
    allocate(session_factory, shop)
    # Then the order of the likes list decides, not the time written on them
    assert places(session_factory, shop) == [
        ("阿花", AllocationStatus.ALLOCATED),
        ("小美", AllocationStatus.ALLOCATED),
        ("曾小梅", AllocationStatus.WAITLISTED),
    ]


def test_a_like_without_a_place_in_the_list_queues_after_the_ranked_likes(
    session_factory: Sessions,
) -> None:
    # Given a like with no rank (as an old backup may hold), written first, and a ranked like
    shop = shop_with(session_factory, stock=1)
    uow.write(
        session_factory,
        lambda s: s.add(
            Interaction(
                customer_id=shop.customers["王 芳"],
                post_id=shop.post_id,
                kind=InteractionKind.LIKE,
                rank=None,
                occurred_at=NOW - timedelta(hours=1),
            )
        ),
    )
    likes(session_factory, shop, ["阿花"])
    # When the one piece is allocated
    allocate(session_factory, shop)
    # Then the ranked like comes first
    assert places(session_factory, shop) == [
        ("阿花", AllocationStatus.ALLOCATED),
        ("王 芳", AllocationStatus.WAITLISTED),
    ]


def test_places_held_for_another_product_leave_this_ones_stock_free(
    session_factory: Sessions,
) -> None:
    # Given three cardigan places held under the post
    shop = shop_with(session_factory, stock=2)
    cardigan = _second_product(session_factory, shop.post_id)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, cardigan))
    # When the two dresses are allocated
    outcome = allocate(session_factory, shop)
    # Then both go out: the cardigans promise none of the dresses
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (2, 1, 0)
    assert uow.read(session_factory, lambda s: free_stock(s, cardigan)) == 2


def test_an_unpaid_order_for_another_product_holds_none_of_this_one(
    session_factory: Sessions,
) -> None:
    # Given two dresses, and an unpaid order (stock taken on payment) for two cardigans
    shop = shop_with(session_factory, stock=2)
    cardigan = _second_product(session_factory, shop.post_id)
    item = [ItemDraft(cardigan, "燕麦色开衫", 2, Decimal("199"))]
    uow.write(
        session_factory,
        lambda s: create_order(s, OrderDraft(shop.customers["备注人"], item), NOW),
    )
    # Then both dresses are still free, and three of the five cardigans
    assert uow.read(session_factory, lambda s: free_stock(s, shop.product_id)) == 2
    assert uow.read(session_factory, lambda s: free_stock(s, cardigan)) == 3


def test_a_product_of_another_post_is_refused_here(session_factory: Sessions) -> None:
    # Given a cardigan shown only in another post
    shop = shop_with(session_factory, stock=2)
    other = another_post(session_factory, shop)
    cardigan = _second_product(session_factory, other)
    likes(session_factory, shop, ["阿花"])
    # When the seller allocates it under this post
    with pytest.raises(AllocationError) as refused:
        uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, cardigan))
    # Then she is told, and nobody gets a place
    assert said(refused.value) == "This product is not in the post."
    assert places(session_factory, shop) == []
