"""前 N 名 per variant: comments such as "M码", "黑色L", "+1 S" take a place in their own
size's queue; the fourth M waits while S still has room; an ambiguous comment is asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.variants import (
    VariantDraft,
    VariantInfo,
    list_variants,
    save_variants,
)
from moments_desk.core.orders import allocation as al
from moments_desk.core.orders.comment_allocation import allocate_order_comments
from moments_desk.core.orders.orders import StockPolicy
from moments_desk.core.orders.variant_words import match_variant, normalise_size
from moments_desk.core.screenshots.intents import OrderIntent, order_intent
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import InteractionKind
from tests.tracking_shop import NOW, build_shop


def info(vid: int, color: str, size: str, stock: int = 1) -> VariantInfo:
    return VariantInfo(vid, 1, color, size, "", stock, None, "", vid)


CARDIGAN = [
    info(1, "燕麦色", "S"),
    info(2, "燕麦色", "M"),
    info(3, "黑色", "M"),
    info(4, "黑色", "XXL"),
    info(5, "黑色", "均码"),
]
KIDS = [info(11, "", "160/80A"), info(12, "", "165/84A"), info(13, "", "大码")]


@pytest.mark.parametrize(
    ("comment", "intent"),
    [
        ("+1 S", OrderIntent(1, "S")),
        ("+2黑色xl", OrderIntent(2, "黑色XL")),
        ("M码+1", OrderIntent(1, "M")),
        ("扣1 M", OrderIntent(1, "M")),
        ("均码", OrderIntent(1, "均码")),
        ("大码", OrderIntent(1, "大码")),
        ("3XL", OrderIntent(1, "3XL")),
        ("165", OrderIntent(1, "165")),
    ],
)
def test_size_words_sellers_see_are_read_as_orders(comment: str, intent: OrderIntent) -> None:
    assert order_intent(comment) == intent


@pytest.mark.parametrize(
    ("written", "variant_id"),
    [
        ("黑色L", None),
        ("黑色M", 3),
        ("黑M", 3),
        ("燕麦色 m码", 2),
        ("S", 1),
        ("2XL", 4),
        ("xxl", 4),
        ("黑色均码", 5),
        ("均码", 5),
        ("F", 5),
    ],
)
def test_comments_map_to_one_variant_or_ask(written: str, variant_id: int | None) -> None:
    assert match_variant(CARDIGAN, written).variant_id == variant_id


def test_an_ambiguous_size_asks_among_the_colours_that_have_it() -> None:
    asked = match_variant(CARDIGAN, "M")
    assert asked.asks
    assert [v.label for v in asked.candidates] == ["燕麦色 M", "黑色 M"]
    assert [v.label for v in match_variant(CARDIGAN, "+1").candidates] == [
        v.label for v in CARDIGAN
    ]


def test_heights_and_big_sizes_for_childrens_and_plus_size_clothes() -> None:
    assert match_variant(KIDS, "165").variant_id == 12
    assert match_variant(KIDS, "160/80A").variant_id == 11
    assert match_variant(KIDS, "大码").variant_id == 13
    assert match_variant(KIDS, "170").asks
    assert normalise_size("xxxl") == "3XL"


@pytest.mark.db
def test_places_and_waitlists_are_per_variant(session_factory: sessionmaker[Session]) -> None:
    shop = build_shop(session_factory, names=["小美", "阿花", "Lily", "曾小梅", "王芳", "阿珍"])
    with session_factory.begin() as s:
        save_variants(
            s,
            shop.product_id,
            [
                VariantDraft("燕麦色", "S", 1),
                VariantDraft("燕麦色", "M", 2),
                VariantDraft("黑色", "M", 1),
            ],
        )
    c = shop.customers
    comments = [
        ("小美", "燕麦色M"),
        ("阿花", "+1 燕麦色m"),
        ("Lily", "燕麦色M码"),  # the third M: only 2 in stock, she waits
        ("曾小梅", "M"),  # 燕麦色 or 黑色? asked
        ("王芳", "好看！多少钱"),
        ("阿珍", "燕麦色S"),
    ]
    lines = [
        EntryLine(n, who, InteractionKind.COMMENT, text, c[who])
        for n, (who, text) in enumerate(comments, 1)
    ]
    with session_factory.begin() as s:
        record_entries(s, shop.post_id, shop.account_id, lines, NOW)
    with session_factory.begin() as s:
        result = allocate_order_comments(s, shop.post_id, shop.product_id)
        rows = al.list_allocations(s, shop.post_id)
    placed = {(r.customer_name, r.variant, r.status.value) for r in rows}
    assert placed == {
        ("小美", "燕麦色 M", "allocated"),
        ("阿花", "燕麦色 M", "allocated"),
        ("Lily", "燕麦色 M", "waitlisted"),
        ("阿珍", "燕麦色 S", "allocated"),
    }
    assert [(a.customer_id, a.choices) for a in result.asks] == [
        (c["曾小梅"], ("燕麦色 M", "黑色 M"))
    ]
    assert result.outcomes["燕麦色 M"].free_after == 0
    # Orders made from the places take each friend's own size.
    with session_factory.begin() as s:
        al.create_orders_from_allocations(s, shop.post_id, NOW, policy=StockPolicy.ON_CREATION)
    with session_factory() as s:
        left = {v.label: v.stock for v in list_variants(s, shop.product_id)}
    assert left == {"燕麦色 S": 0, "燕麦色 M": 0, "黑色 M": 1}


@pytest.mark.db
def test_allocating_a_product_in_several_sizes_without_saying_which_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    shop = build_shop(session_factory)
    with session_factory.begin() as s:
        save_variants(s, shop.product_id, [VariantDraft("", "S", 1), VariantDraft("", "M", 1)])
    with session_factory.begin() as s, pytest.raises(al.AllocationError, match="S / M"):
        al.allocate_first_n(s, shop.post_id, shop.product_id)
    with session_factory.begin() as s:
        outcome = al.allocate_first_n(s, shop.post_id, shop.product_id, variant="m")
    assert outcome.free_after <= 1
    _ = Decimal
