"""Drafts follow their products until a person edits them; an edited draft says 商品已更新
and takes the new price and pictures in one click."""

from __future__ import annotations

from decimal import Decimal

import pytest

from moments_desk.core.planning.follow import follow_products, refresh_from_products
from moments_desk.core.planning.post_views import get_post
from moments_desk.core.planning.posts import update_post
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import Product
from tests.core.planning.conftest import SHANGHAI, PlanningShop
from tests.core.planning.test_autodraft import NOW, cadence, plan, posts

pytestmark = pytest.mark.db


def _reprice(shop: PlanningShop, name: str, price: str) -> None:
    def work(session):  # type: ignore[no-untyped-def]
        product = session.query(Product).filter_by(name=name).one()
        product.price = Decimal(price)
        session.flush()

    write(shop.sessions, work)


def test_an_untouched_draft_follows_a_new_price_and_an_edited_one_is_flagged(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    cadence(shop)
    plan(shop)
    arrivals = [v for v in posts(shop) if v.products]
    untouched, edited = arrivals[0], arrivals[1]
    assert untouched.products[0].name == "法式碎花连衣裙" and "¥129" in untouched.text
    draft = edited.to_draft()
    draft.text = edited.text + "\n我自己加的一句"
    write(shop.sessions, lambda s: update_post(s, edited.id, draft))
    for product in {untouched.products[0].name, edited.products[0].name}:
        _reprice(shop, product, "88")

    moved = write(shop.sessions, lambda s: follow_products(s, NOW))
    assert untouched.id in moved and edited.id not in moved
    after = read(shop.sessions, lambda s: get_post(s, untouched.id, shop.media_root, SHANGHAI))
    assert "¥88" in after.text and "¥129" not in after.text
    assert not after.products_changed

    flagged = read(shop.sessions, lambda s: get_post(s, edited.id, shop.media_root, SHANGHAI))
    assert flagged.products_changed and "我自己加的一句" in flagged.text
    write(shop.sessions, lambda s: refresh_from_products(s, edited.id))
    fresh = read(shop.sessions, lambda s: get_post(s, edited.id, shop.media_root, SHANGHAI))
    assert "¥88" in fresh.text and "我自己加的一句" in fresh.text
    assert not fresh.products_changed
