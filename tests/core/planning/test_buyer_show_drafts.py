"""买家秀 slots quote consenting customers' praise: masked, with the product and her photo,
never a customer who did not allow it, never the same customer within the no-repeat
window; withdrawing consent or forgetting her takes the untouched drafts away."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.customers.buyer_show import add_photos, photo_ids
from moments_desk.core.customers.customers import (
    CustomerDraft,
    create_customer,
    get_customer,
    update_customer,
)
from moments_desk.core.customers.merge import merge_customers
from moments_desk.core.customers.privacy import export_customer, forget_customer
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.cadence import SlotSpec, save_slot
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import (
    BuyerShowSource,
    CustomerPhoto,
    Interaction,
    InteractionKind,
    Post,
    PostAccount,
    PostImage,
    PostKind,
    PostProduct,
    PostStatus,
)
from tests.core.planning.conftest import PlanningShop

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)  # Sunday 18:00 in Shanghai
PRAISE = "上次买的很好穿，再来一件"
SECRET_PRAISE = "太好看了，特别喜欢"


def _customer(session: Session, shop: PlanningShop, name: str, shares: bool) -> int:
    return create_customer(
        session, CustomerDraft(account_id=shop.main, nickname=name, shares_buyer_show=shares)
    )


def _comment(session: Session, customer_id: int, post_id: int, text: str, days: int) -> None:
    session.add(
        Interaction(
            customer_id=customer_id,
            post_id=post_id,
            kind=InteractionKind.COMMENT,
            content=text,
            occurred_at=NOW - timedelta(days=days),
        )
    )


def _shop_with_comments(shop: PlanningShop) -> dict[str, int]:
    def build(session: Session) -> dict[str, int]:
        posted = Post(
            kind=PostKind.NEW_ARRIVAL,
            text="✨上新｜法式碎花连衣裙",
            status=PostStatus.POSTED,
            scheduled_at=NOW - timedelta(days=10),
            posted_at=NOW - timedelta(days=10),
            accounts=[PostAccount(account_id=shop.main)],
            products=[PostProduct(product_id=shop.products["NEW1"], position=0)],
        )
        session.add(posted)
        session.flush()
        ids = {
            "wang": _customer(session, shop, "王小美", True),
            "li": _customer(session, shop, "李秘密", False),
            "zhang": _customer(session, shop, "张不满", True),
        }
        _comment(session, ids["wang"], posted.id, PRAISE, 3)
        _comment(session, ids["li"], posted.id, SECRET_PRAISE, 2)
        _comment(session, ids["zhang"], posted.id, "质量差，想退", 1)
        session.flush()
        add_photos(session, ids["wang"], [shop.pictures[11]])
        save_slot(
            session,
            None,
            SlotSpec(shop.main, 5, time(15), PostKind.FEEDBACK, "周六买家秀", template=""),
        )
        return ids

    return write(shop.sessions, build)


def _feedback_posts(session: Session) -> list[tuple[int, str, tuple[int, ...]]]:
    posts = session.scalars(
        select(Post).where(Post.kind == PostKind.FEEDBACK).order_by(Post.scheduled_at)
    ).all()
    return [(p.id, p.text, tuple(i.media_id for i in p.images)) for p in posts]


def test_a_buyer_show_slot_quotes_only_consenting_praise_once_per_window(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    _shop_with_comments(shop)
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))
    drafts = read(shop.sessions, _feedback_posts)
    assert len(drafts) == 8
    quoted = [(text, images) for _, text, images in drafts if PRAISE in text]
    # Weeks 1 and 5: four weeks apart (the library's default no-repeat window), not between.
    assert [PRAISE in text for _, text, _ in drafts] == [True, False, False, False] * 2
    for text, images in quoted:
        assert "王*" in text and "王小美" not in text  # her name masked
        assert "法式碎花连衣裙" in text  # the product under whose post she wrote it
        assert images == (shop.pictures[11],)  # her photo
    # The weeks between are 待写 drafts, not someone else's words.
    assert all(copy_bank.is_to_write(text) for _, text, _ in drafts if PRAISE not in text)
    every = "\n".join(text for _, text, _ in drafts)
    # Nothing from a customer who did not allow it, nothing negative.
    assert SECRET_PRAISE not in every and "李*" not in every
    assert "质量差" not in every and "张*" not in every
    sources = read(shop.sessions, lambda s: s.scalar(select(func.count(BuyerShowSource.post_id))))
    assert sources == 2


def test_without_any_consent_nobody_is_quoted(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    ids = _shop_with_comments(shop)

    def withdraw(session: Session) -> None:
        for customer_id in (ids["wang"], ids["zhang"]):
            draft, _ = get_customer(session, customer_id)
            draft.shares_buyer_show = False
            update_customer(session, customer_id, draft)

    write(shop.sessions, withdraw)
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))
    drafts = read(shop.sessions, _feedback_posts)
    assert drafts and all(copy_bank.is_to_write(text) for _, text, _ in drafts)


def test_withdrawing_consent_removes_untouched_drafts_quoting_her(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    ids = _shop_with_comments(shop)
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))

    def withdraw(session: Session) -> None:
        draft, _ = get_customer(session, ids["wang"])
        assert draft.shares_buyer_show
        draft.shares_buyer_show = False
        update_customer(session, ids["wang"], draft)

    write(shop.sessions, withdraw)
    drafts = read(shop.sessions, _feedback_posts)
    assert len(drafts) == 6 and not any(PRAISE in text for _, text, _ in drafts)
    # Re-planning fills the two freed Saturdays without her.
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))
    drafts = read(shop.sessions, _feedback_posts)
    assert len(drafts) == 8 and not any(PRAISE in text for _, text, _ in drafts)


def test_export_lists_her_photos_and_quotes_and_forget_removes_them(
    planning_shop: PlanningShop, tmp_path: Path
) -> None:
    shop = planning_shop
    ids = _shop_with_comments(shop)
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))
    files = read(shop.sessions, lambda s: export_customer(s, ids["wang"], tmp_path / "out"))
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["customer"]["shares_buyer_show"] is True
    assert len(data["buyer_show_photos"]) == 1 and data["buyer_show_photos"][0]["sha256"]
    assert len(data["buyer_show_posts"]) == 2
    outcome = write(
        shop.sessions, lambda s: forget_customer(s, ids["wang"], keep_order_totals=True)
    )
    assert outcome.quotes_deleted == 2

    def left(session: Session) -> tuple[int, int, int, bool]:
        photos = session.scalar(select(func.count(CustomerPhoto.id))) or 0
        sources = session.scalar(select(func.count(BuyerShowSource.post_id))) or 0
        images = session.scalar(
            select(func.count(PostImage.id)).where(PostImage.media_id == shop.pictures[11])
        )
        texts = "\n".join(session.scalars(select(Post.text)))
        return photos, sources, images or 0, PRAISE in texts

    assert read(shop.sessions, left) == (0, 0, 0, False)


def test_photos_are_kept_in_order_and_capped_at_nine(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    ids = _shop_with_comments(shop)
    added = write(shop.sessions, lambda s: add_photos(s, ids["li"], shop.pictures[:3]))
    again = write(shop.sessions, lambda s: add_photos(s, ids["li"], shop.pictures[1:4]))
    assert (added, again) == (3, 1)
    assert read(shop.sessions, lambda s: photo_ids(s, ids["li"])) == shop.pictures[:4]
    try:
        write(shop.sessions, lambda s: add_photos(s, ids["li"], shop.pictures[4:10]))
    except ValueError as error:
        assert "at most 9" in str(error)
    else:
        raise AssertionError("a tenth photo was accepted")
    assert read(shop.sessions, lambda s: photo_ids(s, ids["li"])) == shop.pictures[:4]


def test_merging_duplicates_keeps_her_consent_photos_and_quotes(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    ids = _shop_with_comments(shop)
    write(shop.sessions, lambda s: plan_weeks(s, 8, NOW))

    def duplicate(session: Session) -> int:
        return _customer(session, shop, "王小美2", False)

    kept = write(shop.sessions, duplicate)
    write(shop.sessions, lambda s: add_photos(s, kept, [shop.pictures[10], shop.pictures[11]]))
    write(shop.sessions, lambda s: merge_customers(s, kept, ids["wang"]))

    def state(session: Session) -> tuple[bool, list[int], int]:
        draft, _ = get_customer(session, kept)
        sources = session.scalar(
            select(func.count(BuyerShowSource.post_id)).where(BuyerShowSource.customer_id == kept)
        )
        return draft.shares_buyer_show, photo_ids(session, kept), sources or 0

    assert read(shop.sessions, state) == (True, [shop.pictures[10], shop.pictures[11]], 2)
