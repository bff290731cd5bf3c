"""Catalogue rules: search, filters, sorting, editing, deleting and bulk changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue import listing as pl
from moments_desk.core.catalogue.catalogue import ProductDraft, ProductError
from moments_desk.core.catalogue.listing import ProductQuery, SortKey
from moments_desk.db.models import (
    MediaFile,
    Order,
    OrderItem,
    Post,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    ProductStatus,
)

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def draft(code: str, name: str, **kw: object) -> ProductDraft:
    return ProductDraft(code=code, name=name, **kw)  # type: ignore[arg-type]


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        ids = {
            "dress": cat.create_product(
                s,
                draft(
                    "QZ2611-01",
                    "奶白色法式方领连衣裙",
                    category="连衣裙",
                    tags=["新品", "法式"],
                    price=Decimal("259"),
                    stock=12,
                    new_arrival_date=date(2026, 11, 17),
                ),
            ),
            "cardigan": cat.create_product(
                s,
                draft(
                    "ZZ2610-07",
                    "燕麦色羊毛开衫",
                    category="针织衫",
                    tags=["百搭"],
                    price=Decimal("199.9"),
                    stock=0,
                    status=ProductStatus.SOLD_OUT,
                    new_arrival_date=date(2026, 10, 1),
                ),
            ),
            "bag": cat.create_product(
                s, draft("BB-001", "Mini托特包", category="包包", price=Decimal("129"), stock=3)
            ),
        }
        posted = Post(
            kind=PostKind.NEW_ARRIVAL,
            status=PostStatus.POSTED,
            posted_at=NOW - timedelta(days=3),
            scheduled_at=NOW - timedelta(days=3),
        )
        s.add(posted)
        s.flush()
        s.add(PostProduct(post_id=posted.id, product_id=ids["dress"]))
    return ids


def ids_for(factory: sessionmaker[Session], **kw: object) -> list[int]:
    with factory() as s:
        return pl.search_product_ids(s, ProductQuery(**kw), NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("连衣裙", ["dress"]),  # name
        ("zz2610", ["cardigan"]),  # code, any case
        ("百搭", ["cardigan"]),  # tag
        ("nbs", ["dress"]),  # pinyin initials of 奶白色
        ("yangmao", ["cardigan"]),  # full pinyin
        ("mini", ["bag"]),
        ("100%", []),  # LIKE wildcards are literal
        ("_", []),
    ],
)
def test_search_matches_name_code_tag_and_pinyin(
    session_factory: sessionmaker[Session], shop: dict[str, int], text: str, expected: list[str]
) -> None:
    assert ids_for(session_factory, text=text) == [shop[k] for k in expected]


def test_filters(session_factory: sessionmaker[Session], shop: dict[str, int]) -> None:
    assert ids_for(session_factory, category="针织衫") == [shop["cardigan"]]
    assert ids_for(session_factory, status=ProductStatus.SOLD_OUT) == [shop["cardigan"]]
    assert ids_for(session_factory, new_within_days=14) == [shop["dress"]]
    # Posted 3 days ago, so only the others are "not posted for 7 days".
    assert set(ids_for(session_factory, not_posted_days=7)) == {shop["cardigan"], shop["bag"]}
    assert set(ids_for(session_factory, not_posted_days=2)) == set(shop.values())


def test_sorting_in_sql(session_factory: sessionmaker[Session], shop: dict[str, int]) -> None:
    by_price = ids_for(session_factory, sort=SortKey.PRICE, descending=False)
    assert by_price == [shop["bag"], shop["cardigan"], shop["dress"]]
    by_posted = ids_for(session_factory, sort=SortKey.LAST_POSTED, descending=True)
    assert by_posted[0] == shop["dress"]  # never-posted products go last


def test_rows_carry_what_the_table_shows(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with session_factory() as s:
        rows = pl.load_product_rows(s, list(shop.values()))
    dress = rows[shop["dress"]]
    assert dress.price == Decimal("259.00")
    assert dress.tags == ("新品", "法式") or set(dress.tags) == {"新品", "法式"}
    assert dress.last_posted_at == NOW - timedelta(days=3)
    assert rows[shop["bag"]].last_posted_at is None


def test_code_must_be_unique(session_factory: sessionmaker[Session], shop: dict[str, int]) -> None:
    with (
        pytest.raises(ProductError, match="already uses the code") as raised,
        session_factory.begin() as s,
    ):
        cat.create_product(s, draft("QZ2611-01", "另一条裙子"))
    assert raised.value.field == "code"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "  "}, "code"),
        ({"name": ""}, "name"),
        ({"stock": -1}, "stock"),
        ({"price": Decimal("-1")}, "price"),
        ({"taobao_url": "item.taobao.com/123"}, "taobao_url"),
        ({"image_media_ids": list(range(10))}, "images"),
    ],
)
def test_invalid_drafts_name_the_field(
    session_factory: sessionmaker[Session], change: dict[str, object], field: str
) -> None:
    base = draft("OK-1", "好商品")
    for key, value in change.items():
        setattr(base, key, value)
    with pytest.raises(ProductError) as raised, session_factory.begin() as s:
        cat.create_product(s, base)
    assert raised.value.field == field


def test_edit_round_trip_keeps_image_order(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        media = [
            MediaFile(
                sha256=f"{i:064x}",
                rel_path=f"aa/{i}.jpg",
                width=800,
                height=800,
                format="JPEG",
                size_bytes=1,
            )
            for i in range(3)
        ]
        s.add_all(media)
        s.flush()
        order = [media[2].id, media[0].id, media[1].id]
        detail = cat.get_product(s, shop["bag"])
        detail.draft.image_media_ids = order
        detail.draft.tags = ["通勤", "新品"]
        cat.update_product(s, shop["bag"], detail.draft)
    with session_factory() as s:
        again = cat.get_product(s, shop["bag"])
        assert [i.media_id for i in again.images] == order
        assert set(again.draft.tags) == {"通勤", "新品"}
        cover = pl.load_product_rows(s, [shop["bag"]])[shop["bag"]].cover_path
        assert cover == "aa/2.jpg"
    # Reordering again must not trip the unique (product, position) constraint.
    with session_factory.begin() as s:
        detail = cat.get_product(s, shop["bag"])
        detail.draft.image_media_ids = list(reversed(order))
        cat.update_product(s, shop["bag"], detail.draft)


def test_duplicate_gets_a_fresh_code(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        first = cat.duplicate_product(s, shop["dress"])
        second = cat.duplicate_product(s, shop["dress"])
    with session_factory() as s:
        a, b = cat.get_product(s, first), cat.get_product(s, second)
    assert a.draft.code == "QZ2611-01-copy" and b.draft.code == "QZ2611-01-2"
    assert a.draft.name.endswith("（副本）")
    assert set(a.draft.tags) == {"新品", "法式"}


def test_delete_refuses_products_that_posts_or_orders_use(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        order = Order()
        s.add(order)
        s.flush()
        s.add(
            OrderItem(
                order_id=order.id,
                product_id=shop["cardigan"],
                product_name="开衫",
                quantity=1,
                unit_price=Decimal("199.9"),
            )
        )
    with session_factory.begin() as s:
        outcome = cat.delete_products(s, list(shop.values()))
    assert outcome.deleted == (shop["bag"],)
    assert dict(outcome.refused) == {
        shop["dress"]: "a post shows it",
        shop["cardigan"]: "it was sold in an order",
    }
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 2


def test_archived_products_leave_the_list_but_not_the_database(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        cat.set_archived(s, [shop["bag"]], True)
    assert shop["bag"] not in ids_for(session_factory)
    assert shop["bag"] in ids_for(session_factory, include_archived=True)


def test_bulk_tag_status_and_stock(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    every = list(shop.values())
    with session_factory.begin() as s:
        assert cat.add_tag(s, every, "双十二") == 3
        assert cat.add_tag(s, every, "双十二") == 0
        cat.set_status(s, [shop["bag"]], ProductStatus.OFF_SHELF)
        cat.adjust_stock(s, [shop["dress"], shop["bag"]], -3)
    assert set(ids_for(session_factory, text="双十二")) == set(every)
    with session_factory() as s:
        rows = pl.load_product_rows(s, every)
    assert rows[shop["dress"]].stock == 9 and rows[shop["bag"]].stock == 0
    assert rows[shop["bag"]].status is ProductStatus.OFF_SHELF


def test_stock_never_goes_negative_all_or_nothing(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    with pytest.raises(ProductError, match="BB-001 \\(3\\)"), session_factory.begin() as s:
        cat.adjust_stock(s, [shop["dress"], shop["bag"]], -5)
    with session_factory() as s:
        rows = pl.load_product_rows(s, [shop["dress"]])
    assert rows[shop["dress"]].stock == 12
