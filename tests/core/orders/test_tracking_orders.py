"""Recording under a post, first-N allocation, orders and stock, draws and follow-ups."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.variants import set_single_stock
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders.allocation import (
    AllocationError,
    allocate_first_n,
    create_orders_from_allocations,
    list_allocations,
    release_allocations,
)
from moments_desk.core.orders.listing import (
    OrderQuery,
    get_order,
    load_order_rows,
    search_order_ids,
)
from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    OrderError,
    StockPolicy,
    create_order,
    set_stock_policy,
    take_stock,
    update_order,
)
from moments_desk.core.orders.status import change_status
from moments_desk.core.planning.reminders import due_reminders
from moments_desk.core.shared import uow
from moments_desk.core.tracking.draws import DrawError, DrawPool, run_draw, verify_draw
from moments_desk.core.tracking.followups import FollowUpSettings, follow_ups, remind_follow_ups
from moments_desk.core.tracking.timeline import EntryKind, load_timeline
from moments_desk.core.tracking.tracking import EntryLine, TrackingError, record_entries
from moments_desk.db.models import (
    AllocationStatus,
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderStatus,
    Product,
    ReminderKind,
)
from tests.tracking_shop import NOW, TrackingShop, build_shop

pytestmark = pytest.mark.db
LIKE = InteractionKind.LIKE


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> TrackingShop:
    return build_shop(session_factory)


def _stock(sessions: sessionmaker[Session], product_id: int) -> int:
    return uow.read(
        sessions, lambda s: s.scalars(select(Product.stock).where(Product.id == product_id)).one()
    )


def _likes(shop: TrackingShop, names: list[str]) -> list[EntryLine]:
    return [
        EntryLine(n, name, LIKE, customer_id=shop.customers.get(name))
        for n, name in enumerate(names, 1)
    ]


def test_record_keeps_like_order_creates_new_customers_and_fills_the_timeline(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    lines = [
        *_likes(shop, ["阿花", "新朋友🌸", "小美"]),
        EntryLine(4, "小美", InteractionKind.COMMENT, "好看！多少钱", shop.customers["小美"]),
        EntryLine(5, "曾小梅", InteractionKind.INQUIRY, "有M码吗", shop.customers["曾小梅"]),
    ]
    outcome = uow.write(
        session_factory, lambda s: record_entries(s, shop.post_id, shop.account_id, lines, NOW)
    )
    assert (outcome.recorded, outcome.new_customers) == (5, 1)
    with session_factory() as s:
        ranks = s.execute(
            select(Customer.nickname, Interaction.rank)
            .join(Customer, Customer.id == Interaction.customer_id)
            .where(Interaction.kind == LIKE)
            .order_by(Interaction.rank)
        ).all()
        assert [tuple(r) for r in ranks] == [("阿花", 1), ("新朋友🌸", 2), ("小美", 3)]
        timeline = load_timeline(s, shop.customers["小美"])
        assert {e.kind for e in timeline.entries} == {EntryKind.LIKE, EntryKind.COMMENT}
        assert any(e.text == "好看！多少钱" for e in timeline.entries)
    # Pasting the same likes again adds nothing and keeps the ranks.
    again = uow.write(
        session_factory,
        lambda s: record_entries(s, shop.post_id, shop.account_id, _likes(shop, ["阿花"]), NOW),
    )
    assert (again.recorded, again.already_recorded) == (0, 1)


def test_a_customer_deleted_meanwhile_stops_the_whole_entry(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    lines = _likes(shop, ["阿花", "小美", "曾小梅"])
    uow.write(
        session_factory,
        lambda s: s.execute(delete(Customer).where(Customer.id == shop.customers["小美"])),
    )
    with pytest.raises(TrackingError, match=r"Line 2 \(小美\).*deleted"):
        uow.write(
            session_factory, lambda s: record_entries(s, shop.post_id, shop.account_id, lines, NOW)
        )
    assert (
        uow.read(session_factory, lambda s: s.scalar(select(func.count()).select_from(Interaction)))
        == 0
    )


def _liked(sessions: sessionmaker[Session], shop: TrackingShop, names: list[str]) -> None:
    uow.write(
        sessions,
        lambda s: record_entries(s, shop.post_id, shop.account_id, _likes(shop, names), NOW),
    )


def test_first_n_allocates_up_to_stock_and_waitlists_the_rest(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    _liked(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳", "Lily李🌸"])
    outcome = uow.write(
        session_factory, lambda s: allocate_first_n(s, shop.post_id, shop.product_id)
    )
    assert (outcome.allocated, outcome.waitlisted, outcome.free_after) == (3, 2, 0)
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.customer_name, r.status) for r in rows] == [
        ("阿花", AllocationStatus.ALLOCATED),
        ("小美", AllocationStatus.ALLOCATED),
        ("曾小梅", AllocationStatus.ALLOCATED),
        ("王 芳", AllocationStatus.WAITLISTED),
        ("Lily李🌸", AllocationStatus.WAITLISTED),
    ]
    # Allocating again never promises more than the stock.
    again = uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, shop.product_id))
    assert again.allocated == 0
    # A friend who changed her mind frees her place for the next one waiting.
    uow.write(session_factory, lambda s: release_allocations(s, [rows[0].id]))
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert rows[3].status is AllocationStatus.ALLOCATED
    assert rows[4].status is AllocationStatus.WAITLISTED


def test_orders_from_allocations_and_cancel_moves_the_next_up(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    _liked(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, shop.product_id))
    order_ids = uow.write(
        session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW)
    )
    assert len(order_ids) == 3
    detail = uow.read(session_factory, lambda s: get_order(s, order_ids[1]))
    assert detail.customer_name == "小美"
    assert detail.draft.address.startswith("浙江省 杭州市")
    assert detail.draft.items[0].unit_price == Decimal("259")
    assert _stock(session_factory, shop.product_id) == 3  # taken on payment (the default)
    uow.write(session_factory, lambda s: change_status(s, order_ids[:2], OrderStatus.PAID, NOW))
    assert _stock(session_factory, shop.product_id) == 1
    uow.write(
        session_factory, lambda s: change_status(s, [order_ids[0]], OrderStatus.CANCELLED, NOW)
    )
    assert _stock(session_factory, shop.product_id) == 2
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert [(r.customer_name, r.status) for r in rows][3] == ("王 芳", AllocationStatus.ALLOCATED)


def test_stock_on_creation_setting_and_never_negative(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    uow.write(session_factory, lambda s: set_stock_policy(s, StockPolicy.ON_CREATION))
    draft = OrderDraft(
        shop.customers["阿花"], [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 2, Decimal("259"))]
    )
    uow.write(session_factory, lambda s: create_order(s, draft, NOW))
    assert _stock(session_factory, shop.product_id) == 1
    with pytest.raises(OrderError, match="only 1 left in stock, 2 needed"):
        uow.write(session_factory, lambda s: create_order(s, draft, NOW))
    assert _stock(session_factory, shop.product_id) == 1
    assert (
        uow.read(session_factory, lambda s: s.scalar(select(func.count()).select_from(Order))) == 1
    )


def test_an_order_is_never_half_saved(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    def add_product(s: Session) -> int:
        product = Product(code="B", name="开衫", price=Decimal(199), stock=0)
        s.add(product)
        s.flush()
        return product.id

    other = uow.write(session_factory, add_product)
    draft = OrderDraft(
        shop.customers["阿花"],
        [
            ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal("259")),
            ItemDraft(other, "开衫", 1, Decimal("199")),
        ],
    )
    with pytest.raises(OrderError, match="开衫: only 0 left"):
        uow.write(session_factory, lambda s: create_order(s, draft, NOW, StockPolicy.ON_CREATION))
    assert _stock(session_factory, shop.product_id) == 3
    assert (
        uow.read(session_factory, lambda s: s.scalar(select(func.count()).select_from(Order))) == 0
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            ItemDraft(None, "裙子", -1, Decimal(10)),
            r"Line 1 \(裙子\): the quantity must be at least 1, not -1",
        ),
        (ItemDraft(None, "裙子", 0, Decimal(10)), "at least 1"),
        (ItemDraft(None, "裙子", 1, Decimal(-5)), "cannot be negative"),
        (ItemDraft(None, " ", 1, Decimal(5)), "Line 1: the product name is empty"),
    ],
)
def test_bad_items_are_refused_with_the_line(
    session_factory: sessionmaker[Session], shop: TrackingShop, item: ItemDraft, message: str
) -> None:
    with pytest.raises(OrderError, match=message):
        uow.write(
            session_factory,
            lambda s: create_order(s, OrderDraft(shop.customers["阿花"], [item]), NOW),
        )


def test_discount_larger_than_items_and_negative_quantity_allocation(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    draft = OrderDraft(
        shop.customers["阿花"],
        [ItemDraft(None, "裙子", 1, Decimal(10))],
        discount=Decimal(20),
    )
    with pytest.raises(OrderError, match="discount is larger"):
        uow.write(session_factory, lambda s: create_order(s, draft, NOW))
    with pytest.raises(AllocationError, match="at least 1 piece, not -2"):
        uow.write(
            session_factory,
            lambda s: allocate_first_n(s, shop.post_id, shop.product_id, quantity_each=-2),
        )


def test_two_orders_racing_for_the_last_piece(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    """Two sessions take stock at the same moment: one wins, the other is told, none < 0."""
    uow.write(session_factory, lambda s: set_single_stock(s, shop.product_id, 1))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def buy() -> None:
        try:
            with session_factory.begin() as s:
                barrier.wait(timeout=5)
                take_stock(s, shop.product_id, 1, "雾霾蓝连衣裙")
            results.append("ok")
        except OrderError as error:
            results.append(str(error))
        except Exception as error:  # SQLite's writer lock: the loser also fails cleanly
            results.append(type(error).__name__)

    threads = [threading.Thread(target=buy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    assert _stock(session_factory, shop.product_id) == 0


def test_status_pipeline_refuses_wrong_moves_and_records_shipping(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    draft = OrderDraft(
        shop.customers["阿花"], [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal(259))]
    )
    oid = uow.write(session_factory, lambda s: create_order(s, draft, NOW))
    out = uow.write(session_factory, lambda s: change_status(s, [oid], OrderStatus.COMPLETED, NOW))
    assert out.changed == () and out.skipped == ((oid, OrderStatus.AWAITING_PAYMENT),)
    uow.write(session_factory, lambda s: change_status(s, [oid], OrderStatus.PAID, NOW))
    uow.write(
        session_factory,
        lambda s: change_status(
            s, [oid], OrderStatus.SHIPPED, NOW, courier="顺丰", tracking_no="SF123"
        ),
    )
    rows = uow.read(session_factory, lambda s: load_order_rows(s, [oid]))
    assert (rows[oid].status, rows[oid].courier, rows[oid].tracking_no) == (
        OrderStatus.SHIPPED,
        "顺丰",
        "SF123",
    )
    # Items of a paid order cannot change.
    draft.items[0].quantity = 2
    with pytest.raises(OrderError, match="already paid"):
        uow.write(session_factory, lambda s: update_order(s, oid, draft, NOW))


def test_search_orders_by_customer_pinyin_status_and_post(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    def make(name: str) -> int:
        draft = OrderDraft(
            shop.customers[name],
            [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal(259))],
            post_id=shop.post_id,
        )
        return uow.write(session_factory, lambda s: create_order(s, draft, NOW))

    a, b = make("阿花"), make("小美")
    uow.write(session_factory, lambda s: change_status(s, [b], OrderStatus.PAID, NOW))

    def ids(query: OrderQuery) -> list[int]:
        return uow.read(session_factory, lambda s: search_order_ids(s, query))

    assert ids(OrderQuery(text="xm")) == [b]
    assert ids(OrderQuery(status=OrderStatus.AWAITING_PAYMENT)) == [a]
    assert set(ids(OrderQuery(post_id=shop.post_id))) == {a, b}
    assert ids(OrderQuery(text=str(a))) == [a]
    assert ids(OrderQuery(since=NOW + timedelta(days=1))) == []


def test_draw_is_reproducible_from_its_seed_and_excludes_recent_winners(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    names = ["阿花", "小美", "曾小梅", "王 芳", "Lily李🌸"]
    lines = [
        EntryLine(n, name, InteractionKind.COMMENT, "想要", shop.customers[name])
        for n, name in enumerate(names, 1)
    ]
    uow.write(
        session_factory, lambda s: record_entries(s, shop.post_id, shop.account_id, lines, NOW)
    )
    first = uow.write(session_factory, lambda s: run_draw(s, shop.post_id, 2, NOW, seed="abc"))
    check = uow.read(session_factory, lambda s: verify_draw(s, first.draw_id))
    assert check.same and check.recomputed == first.winners
    later = NOW + timedelta(days=1)
    second = uow.write(
        session_factory, lambda s: run_draw(s, shop.post_id, 3, later, exclude_days=7)
    )
    assert second.excluded == 2
    assert not {w.customer_id for w in second.winners} & {w.customer_id for w in first.winners}
    with pytest.raises(DrawError, match="Only 3 eligible friends for 4 winners"):
        uow.write(
            session_factory,
            lambda s: run_draw(s, shop.post_id, 4, later, exclude_days=7, pool=DrawPool.COMMENTERS),
        )
    assert uow.read(session_factory, lambda s: verify_draw(s, second.draw_id)).same


def test_follow_ups_today(session_factory: sessionmaker[Session], shop: TrackingShop) -> None:
    zone = ZoneInfo("Asia/Shanghai")
    item = [ItemDraft(shop.product_id, "雾霾蓝连衣裙", 1, Decimal(259))]
    old = NOW - timedelta(days=90)

    def seed(s: Session) -> tuple[int, int, int]:
        unpaid = create_order(
            s, OrderDraft(shop.customers["阿花"], list(item)), NOW - timedelta(hours=30)
        )
        fresh = create_order(
            s, OrderDraft(shop.customers["小美"], list(item)), NOW - timedelta(hours=2)
        )
        shipped = create_order(s, OrderDraft(shop.customers["曾小梅"], list(item)), old)
        change_status(s, [shipped], OrderStatus.PAID, old)
        change_status(s, [shipped], OrderStatus.SHIPPED, old)
        s.get(Customer, shop.customers["曾小梅"]).stage = "customer"  # type: ignore[union-attr]
        create_customer(
            s, CustomerDraft(account_id=shop.account_id, nickname="寿星", birthday=Birthday(11, 25))
        )
        return unpaid, fresh, shipped

    unpaid, fresh, shipped = uow.write(session_factory, seed)
    rows = uow.read(session_factory, lambda s: follow_ups(s, NOW, zone, FollowUpSettings()))
    kinds = {(r.kind, r.order_id or r.customer_name) for r in rows}
    assert (ReminderKind.UNPAID_ORDER, unpaid) in kinds
    assert (ReminderKind.UNPAID_ORDER, fresh) not in kinds
    assert (ReminderKind.SHIPPED_UNCONFIRMED, shipped) in kinds
    assert (ReminderKind.DORMANT_CUSTOMER, "曾小梅") in kinds
    assert (ReminderKind.BIRTHDAY, "寿星") in kinds

    added = uow.write(session_factory, lambda s: remind_follow_ups(s, NOW, zone))
    assert added == len(rows)
    due = uow.read(session_factory, lambda s: due_reminders(s, NOW))
    assert {(r.kind, r.order_id) for r in due} >= {
        (ReminderKind.UNPAID_ORDER, unpaid),
        (ReminderKind.SHIPPED_UNCONFIRMED, shipped),
    }
    assert any(r.kind is ReminderKind.DORMANT_CUSTOMER and "曾小梅" in r.message for r in due)
    # The birthday (25 Nov) is reminded of on the day itself, not before.
    assert not any(r.kind is ReminderKind.BIRTHDAY for r in due)
    birthday = datetime(2026, 11, 25, 9, 0, tzinfo=zone)
    later = uow.read(session_factory, lambda s: due_reminders(s, birthday))
    assert [r.message for r in later if r.kind is ReminderKind.BIRTHDAY] == ["寿星 · 11-25"]
    # Later passes remind of nothing twice; the next day only the order that has now been
    # unpaid for over 24 hours is new.
    assert uow.write(session_factory, lambda s: remind_follow_ups(s, NOW, zone)) == 0
    next_day = NOW + timedelta(days=1)
    assert uow.write(session_factory, lambda s: remind_follow_ups(s, next_day, zone)) == 1
    new = uow.read(session_factory, lambda s: due_reminders(s, next_day))
    assert [r.order_id for r in new if r.kind is ReminderKind.UNPAID_ORDER] == [unpaid, fresh]


def test_demo_shop_has_places_and_a_verifiable_draw(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    from moments_desk.core.demo.demo import populate_demo
    from moments_desk.db.models import Allocation, Draw

    populate_demo(engine, now=NOW, zone=ZoneInfo("Asia/Shanghai"))
    with session_factory() as s:
        statuses = set(s.scalars(select(Allocation.status)))
        assert AllocationStatus.ALLOCATED in statuses
        draw_id = s.scalars(select(Draw.id)).one()
        assert verify_draw(s, draw_id).same


def test_stock_taken_by_another_order_meanwhile_stops_creating_orders_whole(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    uow.write(session_factory, lambda s: set_stock_policy(s, StockPolicy.ON_CREATION))
    _liked(session_factory, shop, ["阿花", "小美", "曾小梅"])
    uow.write(session_factory, lambda s: allocate_first_n(s, shop.post_id, shop.product_id))
    # Someone sells two pieces on Taobao at the same moment.
    uow.write(session_factory, lambda s: take_stock(s, shop.product_id, 2, "淘宝"))
    with pytest.raises(AllocationError, match="only 0 left in stock"):
        uow.write(session_factory, lambda s: create_orders_from_allocations(s, shop.post_id, NOW))
    assert _stock(session_factory, shop.product_id) == 1
    assert (
        uow.read(session_factory, lambda s: s.scalar(select(func.count()).select_from(Order))) == 0
    )
    rows = uow.read(session_factory, lambda s: list_allocations(s, shop.post_id))
    assert {r.status for r in rows} == {AllocationStatus.ALLOCATED}


def test_places_per_size_share_the_product_stock(
    session_factory: sessionmaker[Session], shop: TrackingShop
) -> None:
    _liked(session_factory, shop, ["阿花", "小美", "曾小梅", "王 芳"])
    m = uow.write(
        session_factory,
        lambda s: allocate_first_n(s, shop.post_id, shop.product_id, limit=2, variant="M"),
    )
    s_size = uow.write(
        session_factory,
        lambda s: allocate_first_n(s, shop.post_id, shop.product_id, variant="S"),
    )
    assert (m.allocated, s_size.allocated, s_size.free_after) == (2, 1, 0)
