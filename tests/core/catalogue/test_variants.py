"""Sizes and colours: each variant (SKU) has its own stock, taken and returned by orders.

The seller's story: 燕麦色开衫 in S/M/L and two colours; "M 还剩 2 件", the fourth M is
refused while S is still there, a cancelled M goes back to M, and nothing goes negative.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft, ProductError
from moments_desk.core.catalogue.variants import (
    VariantDraft,
    list_variants,
    save_variants,
    stock_line,
)
from moments_desk.core.orders.listing import get_order
from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    OrderError,
    StockPolicy,
    create_order,
    update_order,
)
from moments_desk.core.orders.status import change_status
from moments_desk.core.planning.templates import render_for_products
from moments_desk.core.reports.period import ReportFilter
from moments_desk.core.reports.variants import sales_by_variant, variants_table
from moments_desk.core.shared import uow
from moments_desk.db.models import (
    Customer,
    OrderItem,
    OrderStatus,
    Product,
    ProductVariant,
    WeChatAccount,
)

pytestmark = pytest.mark.db
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)

GRID = [
    VariantDraft("燕麦色", "S", 1),
    VariantDraft("燕麦色", "M", 3),
    VariantDraft("燕麦色", "L", 0),
    VariantDraft("黑色", "M", 2, price=Decimal("209")),
]


@pytest.fixture
def cardigan(session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as s:
        s.add(WeChatAccount(id=1, label="主号"))
        s.flush()
        s.add(Customer(id=1, account_id=1, nickname="小美", search_text="小美"))
        return cat.create_product(
            s,
            ProductDraft(code="KS01", name="燕麦色开衫", price=Decimal("199"), variants=list(GRID)),
        )


def stocks(sessions: sessionmaker[Session], product_id: int) -> dict[str, int]:
    with sessions() as s:
        return {v.label: v.stock for v in list_variants(s, product_id)}


def product_stock(sessions: sessionmaker[Session], product_id: int) -> int:
    with sessions() as s:
        return int(s.scalar(select(Product.stock).where(Product.id == product_id)) or 0)


def order(sessions: sessionmaker[Session], product_id: int, variant: str, quantity: int = 1) -> int:
    draft = OrderDraft(1, [ItemDraft(product_id, "燕麦色开衫", quantity, Decimal("199"), variant)])
    return uow.write(sessions, lambda s: create_order(s, draft, NOW, StockPolicy.ON_CREATION))


def test_a_product_keeps_one_stock_per_variant_and_shows_their_sum(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    assert stocks(session_factory, cardigan) == {
        "燕麦色 S": 1,
        "燕麦色 M": 3,
        "燕麦色 L": 0,
        "黑色 M": 2,
    }
    assert product_stock(session_factory, cardigan) == 6
    with session_factory() as s:
        detail = cat.get_product(s, cardigan)
    assert detail.draft.variants is not None
    assert [(v.color, v.size, v.price) for v in detail.draft.variants][-1] == (
        "黑色",
        "M",
        Decimal("209"),
    )


def test_orders_take_from_their_own_size_and_the_fourth_m_is_refused(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    for _ in range(3):
        order(session_factory, cardigan, "燕麦色 M")
    assert stocks(session_factory, cardigan)["燕麦色 M"] == 0
    assert stocks(session_factory, cardigan)["燕麦色 S"] == 1
    with pytest.raises(OrderError, match="only 0 left in stock, 1 needed"):
        order(session_factory, cardigan, "燕麦色M")
    # Nothing was written by the refusal and nothing is negative.
    assert stocks(session_factory, cardigan) == {
        "燕麦色 S": 1,
        "燕麦色 M": 0,
        "燕麦色 L": 0,
        "黑色 M": 2,
    }
    assert product_stock(session_factory, cardigan) == 3


def test_an_order_that_does_not_say_which_size_is_refused_with_the_choices(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    with pytest.raises(OrderError, match="choose the size or colour"):
        order(session_factory, cardigan, "")
    assert product_stock(session_factory, cardigan) == 6


def test_the_line_records_the_variant_and_its_label(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    order_id = order(session_factory, cardigan, "黑色 m")
    with session_factory() as s:
        item = s.scalars(select(OrderItem).where(OrderItem.order_id == order_id)).one()
        variant = s.get(ProductVariant, item.variant_id)
        assert variant is not None and (variant.color, variant.size) == ("黑色", "M")
        assert item.variant == "黑色 M"


def test_paying_takes_and_cancelling_returns_the_same_variant(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    draft = OrderDraft(1, [ItemDraft(cardigan, "燕麦色开衫", 2, Decimal("199"), "黑色 M")])
    order_id = uow.write(
        session_factory, lambda s: create_order(s, draft, NOW, StockPolicy.ON_PAYMENT)
    )
    assert stocks(session_factory, cardigan)["黑色 M"] == 2
    uow.write(
        session_factory,
        lambda s: change_status(
            s, [order_id], OrderStatus.PAID, NOW, policy=StockPolicy.ON_PAYMENT
        ),
    )
    assert stocks(session_factory, cardigan)["黑色 M"] == 0
    assert product_stock(session_factory, cardigan) == 4
    uow.write(
        session_factory,
        lambda s: change_status(
            s, [order_id], OrderStatus.CANCELLED, NOW, policy=StockPolicy.ON_PAYMENT
        ),
    )
    assert stocks(session_factory, cardigan)["黑色 M"] == 2
    assert stocks(session_factory, cardigan)["燕麦色 M"] == 3
    assert product_stock(session_factory, cardigan) == 6


def test_a_product_without_sizes_has_one_default_variant_with_its_stock(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        pid = cat.create_product(s, ProductDraft(code="BAG", name="帆布包", stock=5))
    assert stocks(session_factory, pid) == {"": 5}
    with session_factory.begin() as s:
        cat.update_product(s, pid, ProductDraft(code="BAG", name="帆布包", stock=7))
    assert stocks(session_factory, pid) == {"": 7}
    assert product_stock(session_factory, pid) == 7
    uow.write(session_factory, lambda s: cat.adjust_stock(s, [pid], -2))
    assert stocks(session_factory, pid) == {"": 5}
    assert product_stock(session_factory, pid) == 5


def test_bulk_stock_refuses_products_with_several_sizes_and_writes_nothing(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    with session_factory.begin() as s:
        bag = cat.create_product(s, ProductDraft(code="BAG", name="帆布包", stock=5))
    with pytest.raises(ProductError, match="KS01 come in several sizes"):
        uow.write(session_factory, lambda s: cat.adjust_stock(s, [bag, cardigan], 1))
    assert product_stock(session_factory, bag) == 5


def test_editing_the_grid_updates_in_place_and_keeps_sold_variants(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    order(session_factory, cardigan, "黑色 M")
    with session_factory() as s:
        before = {v.label: v.id for v in list_variants(s, cardigan)}
    with session_factory.begin() as s:
        detail = cat.get_product(s, cardigan)
        assert detail.draft.variants is not None
        grid = [v for v in detail.draft.variants if v.size != "L"]
        grid[0].stock = 9
        cat.update_product(s, cardigan, ProductDraft(**{**vars(detail.draft), "variants": grid}))
    with session_factory() as s:
        after = {v.label: v.id for v in list_variants(s, cardigan)}
    assert after == {k: v for k, v in before.items() if k != "燕麦色 L"}
    assert stocks(session_factory, cardigan)["燕麦色 S"] == 9
    with session_factory.begin() as s:
        detail = cat.get_product(s, cardigan)
        assert detail.draft.variants is not None
        grid = [v for v in detail.draft.variants if v.color != "黑色"]
        with pytest.raises(ProductError, match="黑色 M cannot be removed"):
            cat.update_product(
                s, cardigan, ProductDraft(**{**vars(detail.draft), "variants": grid})
            )


def test_the_grid_refuses_twins_and_negative_stock(
    session_factory: sessionmaker[Session],
) -> None:
    twins = [VariantDraft("黑色", "M", 1), VariantDraft(" 黑色", "M ", 2)]
    with pytest.raises(ProductError, match="黑色 M appears twice"):
        uow.write(
            session_factory,
            lambda s: cat.create_product(s, ProductDraft(code="T1", name="T恤", variants=twins)),
        )
    negative = [VariantDraft("", "S", -1)]
    with pytest.raises(ProductError, match="not -1"):
        uow.write(
            session_factory,
            lambda s: cat.create_product(s, ProductDraft(code="T1", name="T恤", variants=negative)),
        )
    with session_factory() as s:
        assert s.scalar(select(Product.id).where(Product.code == "T1")) is None


def test_stock_line_lists_what_is_left_and_leaves_sold_out_sizes_out(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    with session_factory() as s:
        line = stock_line(list_variants(s, cardigan))
    assert line == "现货：燕麦色 S M / 黑色 M"


def test_copy_placeholders_show_what_is_in_stock(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    template = "{name}\n{现货}\n尺码：{尺码}｜颜色：{颜色}"
    with session_factory() as s:
        text = render_for_products(s, template, [cardigan])
    # 燕麦色 L is sold out: it is left out.
    assert text == "燕麦色开衫\n现货：燕麦色 S M / 黑色 M\n尺码：S M｜颜色：燕麦色 / 黑色"
    with session_factory.begin() as s:
        bag = cat.create_product(s, ProductDraft(code="BAG", name="帆布包", stock=5))
    with session_factory() as s:
        assert render_for_products(s, "{name}{现货}{尺码}", [bag]) == "帆布包"


def test_sales_and_stock_by_size_per_category(
    session_factory: sessionmaker[Session], cardigan: int
) -> None:
    with session_factory.begin() as s:
        s.execute(update(Product).where(Product.id == cardigan).values(category="针织衫"))
    order(session_factory, cardigan, "燕麦色 M", 2)
    order(session_factory, cardigan, "黑色 M")
    order(session_factory, cardigan, "燕麦色 S")
    with session_factory() as s:
        rows = sales_by_variant(s, ReportFilter(NOW.date(), NOW.date(), UTC))
    curve = [(r.category, r.size, r.sold, r.stock, round(r.share, 2)) for r in rows]
    assert curve == [
        ("针织衫", "S", 1, 0, 0.25),
        ("针织衫", "M", 3, 2, 0.75),
        ("针织衫", "L", 0, 0, 0.0),
    ]
    table = variants_table(rows)
    assert table.column("pieces_sold") == [1, 3, 0]


def test_an_unpaid_order_keeps_its_line_when_the_product_gains_sizes_later(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        s.add(WeChatAccount(id=1, label="主号"))
        s.flush()
        s.add(Customer(id=1, account_id=1, nickname="小美", search_text="小美"))
        bag = cat.create_product(s, ProductDraft(code="BAG", name="帆布包", stock=5))
    draft = OrderDraft(1, [ItemDraft(bag, "帆布包", 1, Decimal("59"), "M")])
    order_id = uow.write(session_factory, lambda s: create_order(s, draft, NOW))
    with session_factory.begin() as s:
        save_variants(
            s,
            bag,
            [
                VariantDraft(size="M", stock=5, id=list_variants(s, bag)[0].id),
                VariantDraft(size="L", stock=2),
            ],
        )
    with session_factory() as s:
        loaded = get_order(s, order_id).draft
    loaded.address = "杭州市西湖区"
    uow.write(session_factory, lambda s: update_order(s, order_id, loaded, NOW))
    loaded.items[0].quantity = 2
    loaded.items[0].variant_id = None
    loaded.items[0].variant = "l"
    uow.write(session_factory, lambda s: update_order(s, order_id, loaded, NOW))
    with session_factory() as s:
        item = s.scalars(select(OrderItem).where(OrderItem.order_id == order_id)).one()
        assert (item.variant, item.quantity) == ("L", 2)


def test_a_colour_keeps_its_picture(session_factory: sessionmaker[Session]) -> None:
    from moments_desk.db.models import MediaFile

    with session_factory.begin() as s:
        picture = MediaFile(
            sha256="b" * 64, rel_path="bb/b.jpg", width=10, height=10, format="JPEG", size_bytes=1
        )
        s.add(picture)
        s.flush()
        grid = [VariantDraft("黑色", "M", 1, media_id=picture.id), VariantDraft("白色", "M", 1)]
        pid = cat.create_product(
            s,
            ProductDraft(code="T1", name="T恤", image_media_ids=[picture.id], variants=grid),
        )
        media_id = picture.id
    with session_factory() as s:
        variants = cat.get_product(s, pid).draft.variants
    assert variants is not None
    assert [(v.color, v.media_id) for v in variants] == [("黑色", media_id), ("白色", None)]
    missing = [VariantDraft("黑色", "M", 1, media_id=media_id + 99)]
    with pytest.raises(ProductError, match="picture was removed"):
        uow.write(
            session_factory,
            lambda s: cat.update_product(
                s, pid, ProductDraft(code="T1", name="T恤", variants=missing)
            ),
        )
