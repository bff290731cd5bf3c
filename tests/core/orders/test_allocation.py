"""First-N allocation as a seller states it: who gets a place, who waits, and never more
places than the stock that is really free."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.catalogue import adjust_stock
from moments_desk.core.orders.allocation import (
    AllocationError,
    AllocationOutcome,
    allocate_first_n,
    create_orders_from_allocations,
    free_stock,
    list_allocations,
    promote_waitlist,
    queue_for_post,
    release_allocations,
)
from moments_desk.core.orders.listing import get_order
from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    StockPolicy,
    create_order,
    set_stock_policy,
)
from moments_desk.core.orders.status import change_status
from moments_desk.core.shared import uow
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    InteractionKind,
    OrderStatus,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
)
from tests.sentences import in_chinese, said
from tests.tracking_shop import NOW, TrackingShop, build_shop

pytestmark = pytest.mark.db
ALLOCATED, WAITING, RELEASED, ORDERED = (
    AllocationStatus.ALLOCATED,
    AllocationStatus.WAITLISTED,
    AllocationStatus.RELEASED,
    AllocationStatus.ORDERED,
)
Sessions = sessionmaker[Session]


def shop_with(sessions: Sessions, stock: int) -> TrackingShop:
    return build_shop(sessions, stock=stock)


def likes(sessions: Sessions, shop: TrackingShop, names: list[str], post_id: int = 0) -> None:
    _record(sessions, shop, names, InteractionKind.LIKE, post_id)


def comments(sessions: Sessions, shop: TrackingShop, names: list[str], post_id: int = 0) -> None:
    _record(sessions, shop, names, InteractionKind.COMMENT, post_id)


def _record(
    sessions: Sessions, shop: TrackingShop, names: list[str], kind: InteractionKind, post_id: int
) -> None:
    lines = [
        EntryLine(
            n, name, kind, "想要" if kind is InteractionKind.COMMENT else "", shop.customers[name]
        )
        for n, name in enumerate(names, 1)
    ]
    uow.write(
        sessions,
        lambda s: record_entries(s, post_id or shop.post_id, shop.account_id, lines, NOW),
    )


def allocate(sessions: Sessions, shop: TrackingShop, **options: object) -> AllocationOutcome:
    return uow.write(
        sessions,
        lambda s: allocate_first_n(s, shop.post_id, shop.product_id, **options),  # type: ignore[arg-type]
    )


def places(sessions: Sessions, shop: TrackingShop) -> list[tuple[str, AllocationStatus]]:
    rows = uow.read(sessions, lambda s: list_allocations(s, shop.post_id))
    return [(r.customer_name, r.status) for r in rows]


def release(sessions: Sessions, shop: TrackingShop, *names: str) -> int:
    rows = uow.read(sessions, lambda s: list_allocations(s, shop.post_id))
    ids = [r.id for r in rows if r.customer_name in names]
    return uow.write(sessions, lambda s: release_allocations(s, ids))


def restock(sessions: Sessions, shop: TrackingShop, pieces: int) -> None:
    uow.write(sessions, lambda s: adjust_stock(s, [shop.product_id], pieces))


def free(sessions: Sessions, shop: TrackingShop) -> int:
    return uow.read(sessions, lambda s: free_stock(s, shop.product_id))


def another_post(sessions: Sessions, shop: TrackingShop) -> int:
    def add(s: Session) -> int:
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text="周四上新",
            status=PostStatus.POSTED,
            posted_at=NOW - timedelta(hours=1),
        )
        s.add(post)
        s.flush()
        s.add(PostAccount(post_id=post.id, account_id=shop.account_id, posted_at=post.posted_at))
        s.add(PostProduct(post_id=post.id, product_id=shop.product_id, position=0))
        return post.id

    return uow.write(sessions, add)


# -- the queue ---------------------------------------------------------------------------------


def test_likers_come_first_then_this_posts_commenters_in_order(
    session_factory: Sessions,
) -> None:
    # Given likes and comments under this post, and more under another post
    shop = shop_with(session_factory, stock=10)
    other = another_post(session_factory, shop)
    comments(session_factory, shop, ["王 芳", "小美"])
    likes(session_factory, shop, ["阿花", "小美"])
    comments(session_factory, shop, ["曾小梅"], post_id=other)
    likes(session_factory, shop, ["Lily李🌸"], post_id=other)
    # When the seller allocates this post's product
    outcome = allocate(session_factory, shop)
    # Then the likers are served first, then this post's commenters; nobody from the other post
    assert places(session_factory, shop) == [
        ("阿花", ALLOCATED),
        ("小美", ALLOCATED),
        ("王 芳", ALLOCATED),
    ]
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (3, 0, 7)


def test_without_comments_only_likers_queue(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花"])
    comments(session_factory, shop, ["小美"])
    allocate(session_factory, shop, include_comments=False)
    assert places(session_factory, shop) == [("阿花", ALLOCATED)]
    queue = uow.read(session_factory, lambda s: queue_for_post(s, shop.post_id))
    assert queue == [shop.customers["阿花"], shop.customers["小美"]]


def test_the_remark_is_shown_before_the_nickname(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=1)
    likes(session_factory, shop, ["备注人", "阿花"])
    allocate(session_factory, shop)
    assert places(session_factory, shop) == [("杭州-陈姐", ALLOCATED), ("阿花", WAITING)]


# -- free stock --------------------------------------------------------------------------------


def test_an_unpaid_order_that_has_not_taken_stock_holds_its_pieces(
    session_factory: Sessions,
) -> None:
    # Given 3 pieces, 2 of them in an unpaid order (stock is taken on payment, the default)
    shop = shop_with(session_factory, stock=3)
    item = [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 2, Decimal("259"))]
    order = uow.write(
        session_factory,
        lambda s: create_order(s, OrderDraft(shop.customers["备注人"], item), NOW),
    )
    assert free(session_factory, shop) == 1
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    # When the seller allocates, only the one free piece is given
    outcome = allocate(session_factory, shop)
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (1, 2, 0)
    # When that order is paid its pieces leave the stock; they are not counted twice
    uow.write(session_factory, lambda s: change_status(s, [order], OrderStatus.PAID, NOW))
    assert free(session_factory, shop) == 0
    restock(session_factory, shop, 1)
    assert free(session_factory, shop) == 1


def test_an_order_that_took_its_stock_on_creation_is_counted_once(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=3)
    uow.write(session_factory, lambda s: set_stock_policy(s, StockPolicy.ON_CREATION))
    item = [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal("259"))]
    uow.write(
        session_factory,
        lambda s: create_order(s, OrderDraft(shop.customers["备注人"], item), NOW),
    )
    assert free(session_factory, shop) == 2


def test_a_cancelled_unpaid_order_frees_its_pieces_for_the_next_allocation(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=2)
    item = [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 2, Decimal("259"))]
    order = uow.write(
        session_factory,
        lambda s: create_order(s, OrderDraft(shop.customers["备注人"], item), NOW),
    )
    likes(session_factory, shop, ["阿花", "小美"])
    assert allocate(session_factory, shop).allocated == 0
    uow.write(session_factory, lambda s: change_status(s, [order], OrderStatus.CANCELLED, NOW))
    outcome = allocate(session_factory, shop)
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (2, 0, 0)


def test_a_deleted_product_has_no_free_stock(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=2)
    uow.write(
        session_factory,
        lambda s: s.execute(delete(PostProduct).where(PostProduct.product_id == shop.product_id)),
    )
    uow.write(session_factory, lambda s: s.execute(delete(Product)))
    with pytest.raises(AllocationError, match="deleted meanwhile"):
        free(session_factory, shop)


# -- allocating again --------------------------------------------------------------------------


def test_after_a_restock_waiting_friends_move_up_before_newcomers(
    session_factory: Sessions,
) -> None:
    # Given two pieces, four likes: two places, two friends waiting
    shop = shop_with(session_factory, stock=2)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop)
    # and 小美 gives her place back: 曾小梅 moves up, 王 芳 still waits
    release(session_factory, shop, "小美")
    assert places(session_factory, shop)[1:] == [
        ("小美", RELEASED),
        ("曾小梅", ALLOCATED),
        ("王 芳", WAITING),
    ]
    # When one more piece arrives, a newcomer likes, and the seller allocates again
    restock(session_factory, shop, 1)
    likes(session_factory, shop, ["Lily李🌸"])
    outcome = allocate(session_factory, shop)
    # Then the friend waiting longest gets the piece, the newcomer waits, the released place
    # is not handed back to 小美
    assert places(session_factory, shop) == [
        ("阿花", ALLOCATED),
        ("小美", RELEASED),
        ("曾小梅", ALLOCATED),
        ("王 芳", ALLOCATED),
        ("Lily李🌸", WAITING),
    ]
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (1, 1, 0)
    # And allocating once more changes nothing and queues nobody twice
    again = allocate(session_factory, shop)
    assert (again.allocated, again.waitlisted, again.free_after) == (0, 1, 0)
    assert len(places(session_factory, shop)) == 5


def test_a_restock_bigger_than_the_waitlist_serves_newcomers_too(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=1)
    likes(session_factory, shop, ["阿花", "小美"])
    allocate(session_factory, shop)
    restock(session_factory, shop, 2)
    likes(session_factory, shop, ["曾小梅", "王 芳"])
    outcome = allocate(session_factory, shop)
    assert [status for _name, status in places(session_factory, shop)] == [
        ALLOCATED,
        ALLOCATED,
        ALLOCATED,
        WAITING,
    ]
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (2, 1, 0)


def test_first_n_stays_n_after_more_likes(session_factory: Sessions) -> None:
    # Given "first 2 get it" with plenty of stock
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美"])
    assert allocate(session_factory, shop, limit=2).allocated == 2
    # When more friends like and the seller runs "first 2" again
    likes(session_factory, shop, ["曾小梅", "王 芳"])
    outcome = allocate(session_factory, shop, limit=2)
    # Then nobody else gets a place: the first two already hold them
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (0, 2, 8)
    # And "first 3" gives exactly one more
    assert allocate(session_factory, shop, limit=3).allocated == 1


def test_a_released_place_under_first_n_goes_to_one_friend_only(
    session_factory: Sessions,
) -> None:
    """Found by these tests: releasing one place used to move up every friend waiting for
    whom there was stock, so "first 2" ended with four places."""
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop, limit=2)
    release(session_factory, shop, "阿花")
    assert places(session_factory, shop) == [
        ("阿花", RELEASED),
        ("小美", ALLOCATED),
        ("曾小梅", ALLOCATED),
        ("王 芳", WAITING),
    ]
    # Releasing a friend who was only waiting frees no place
    release(session_factory, shop, "王 芳")
    assert [s for _n, s in places(session_factory, shop)].count(ALLOCATED) == 2


def test_a_cancelled_order_from_a_place_moves_one_friend_up(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=10)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    allocate(session_factory, shop, limit=1)
    [order] = uow.write(
        session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW)
    )
    uow.write(session_factory, lambda s: change_status(s, [order], OrderStatus.CANCELLED, NOW))
    assert places(session_factory, shop) == [
        ("阿花", RELEASED),
        ("小美", ALLOCATED),
        ("曾小梅", WAITING),
    ]


def test_a_newcomer_does_not_jump_a_waiting_friend_for_the_last_piece(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=1)
    likes(session_factory, shop, ["阿花", "小美"])
    allocate(session_factory, shop)
    release(session_factory, shop, "阿花")  # 小美 moves up
    restock(session_factory, shop, 1)
    likes(session_factory, shop, ["曾小梅", "王 芳"])
    allocate(session_factory, shop)
    assert places(session_factory, shop) == [
        ("阿花", RELEASED),
        ("小美", ALLOCATED),
        ("曾小梅", ALLOCATED),
        ("王 芳", WAITING),
    ]


# -- what the seller may ask for ---------------------------------------------------------------


def test_several_pieces_each_divide_the_free_stock(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=5)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅"])
    outcome = allocate(session_factory, shop, quantity_each=2)
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (2, 1, 1)
    restock(session_factory, shop, 1)
    again = allocate(session_factory, shop, quantity_each=2)
    assert (again.allocated, again.waitlisted, again.free_after) == (1, 0, 0)
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [r.quantity for r in rows] == [2, 2, 2]


def test_sizes_queue_separately(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=3)
    likes(session_factory, shop, ["阿花", "小美"])
    allocate(session_factory, shop, variant="M", limit=1)
    outcome = allocate(session_factory, shop, variant="S")
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (2, 0, 0)
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.customer_name, r.variant, r.status) for r in rows] == [
        ("阿花", "M", ALLOCATED),
        ("小美", "M", WAITING),
        ("阿花", "S", ALLOCATED),
        ("小美", "S", ALLOCATED),
    ]


# -- orders from places ------------------------------------------------------------------------


def test_one_order_per_friend_holding_places(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=3)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop, variant="M", limit=1)
    allocate(session_factory, shop, variant="L", limit=1)
    allocate(session_factory, shop, variant="S", limit=1, quantity_each=1)
    created = uow.write(
        session_factory,
        lambda s: create_orders_from_allocations(s, shop.post_id, NOW, shop.product_id),
    )
    # 阿花 holds all three sizes: one order with three lines
    assert len(created) == 1
    detail = uow.read(session_factory, lambda s: get_order(s, created[0]))
    assert detail.customer_name == "阿花"
    assert sorted(i.variant for i in detail.draft.items) == ["L", "M", "S"]
    statuses = uow.read(
        session_factory,
        lambda s: s.scalars(select(Allocation.order_id).where(Allocation.status == ORDERED)).all(),
    )
    assert statuses == [created[0]] * 3
    with pytest.raises(AllocationError, match="No friend holds a place yet"):
        uow.write(session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW))


def test_an_ordered_place_cannot_be_released(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=3)
    likes(session_factory, shop, ["阿花"])
    allocate(session_factory, shop)
    [order] = uow.write(
        session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW)
    )
    with pytest.raises(AllocationError) as refused:
        release(session_factory, shop, "阿花")
    assert said(refused.value) == (
        f"Order {order} was already created for this place: "
        "cancel the order instead (the next friend then moves up)."
    )
    in_chinese(refused.value)


def test_releasing_a_place_removed_meanwhile_is_refused(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=3)
    likes(session_factory, shop, ["阿花"])
    allocate(session_factory, shop)
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    uow.write(session_factory, lambda s: s.execute(delete(Allocation)))
    with pytest.raises(AllocationError) as refused:
        uow.write(session_factory, lambda s: release_allocations(s, [rows[0].id]))
    assert said(refused.value) == "Some of these places were removed meanwhile; reload the post."
    in_chinese(refused.value)


def test_comments_queue_in_the_order_they_were_written_not_recorded(
    session_factory: Sessions,
) -> None:
    shop = shop_with(session_factory, stock=5)
    comments(session_factory, shop, ["小美"])
    lines = [EntryLine(1, "阿花", InteractionKind.COMMENT, "想要", shop.customers["阿花"])]
    uow.write(
        session_factory,
        lambda s: record_entries(s, shop.post_id, shop.account_id, lines, NOW - timedelta(hours=1)),
    )
    # A private message (私聊) is not a comment: it does not queue.
    chat = [EntryLine(1, "曾小梅", InteractionKind.INQUIRY, "有M码吗", shop.customers["曾小梅"])]
    uow.write(
        session_factory, lambda s: record_entries(s, shop.post_id, shop.account_id, chat, NOW)
    )
    allocate(session_factory, shop)
    assert places(session_factory, shop) == [("阿花", ALLOCATED), ("小美", ALLOCATED)]


def test_promoting_reports_how_many_moved_up(session_factory: Sessions) -> None:
    shop = shop_with(session_factory, stock=1)
    likes(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    allocate(session_factory, shop)
    restock(session_factory, shop, 2)
    moved = uow.write(session_factory, lambda s: promote_waitlist(s, shop.post_id, shop.product_id))
    assert moved == 2
    assert [s for _n, s in places(session_factory, shop)] == [ALLOCATED] * 3 + [WAITING]
