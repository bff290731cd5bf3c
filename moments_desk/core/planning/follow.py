"""Drafts follow their products: a changed name, price, picture or stock reaches the drafts.

An untouched auto-draft is redrafted in place (same slot, same time): its caption is
rendered again from the variant it came from and its pictures are the products' pictures
now. A draft a person edited is not rewritten behind her back; the planner shows 商品已更新
and ``refresh_from_products`` is the one-click refresh: the products' pictures and, in a
one-product post, the new price where the old one stood.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.planning.board import BoardData, load_board
from moments_desk.core.planning.captions import templates_for
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import find_post
from moments_desk.core.planning.posts import product_picture_ids
from moments_desk.core.planning.similarity import similarity_pct
from moments_desk.core.planning.templates import (
    TemplateError,
    render_template,
    template_context_for,
)
from moments_desk.core.shared.money import format_price
from moments_desk.db.models import (
    CadenceSlot,
    Post,
    PostImage,
    PostProduct,
    PostStatus,
    Product,
)
from moments_desk.db.types import utcnow

_PRICE = re.compile(r"[¥￥]\s?\d+(?:\.\d{1,2})?")


def _set_pictures(post: Post, media_ids: list[int]) -> None:
    post.images = [PostImage(media_id=m, position=n) for n, m in enumerate(media_ids)]


def _changed_drafts(session: Session, now: datetime, *, edited: bool) -> list[int]:
    rows = session.execute(
        select(Post.id, Post.updated_at, Product.updated_at)
        .join(PostProduct, PostProduct.post_id == Post.id)
        .join(Product, Product.id == PostProduct.product_id)
        .where(
            Post.status == PostStatus.DRAFT,
            Post.edited_by_person.is_(edited),
            Post.scheduled_at >= now,
        )
    ).all()
    return sorted({pid for pid, saved, changed in rows if changed and changed > saved})


def follow_products(session: Session, now: datetime) -> list[int]:
    """Redraft the untouched future auto-drafts whose products changed; returns their ids."""
    done: list[int] = []
    for post_id in _changed_drafts(session, now, edited=False):
        post = find_post(session, post_id)
        if not post.auto_drafted:
            continue
        products = [pp.product_id for pp in post.products]
        account = next((pa.account_id for pa in post.accounts), None)
        slot = session.get(CadenceSlot, post.slot_id) if post.slot_id else None
        returning = "上新" not in post.text
        own, builtin = templates_for(post.kind, slot.template if slot else "", returning)
        context = template_context_for(session, products, account, None)
        local_day = post.scheduled_at.date() if post.scheduled_at else None
        context = type(context)(context.products, context.shop, local_day)
        best: tuple[int, str] | None = None
        for template in [*own, *builtin]:
            try:
                text = render_template(template, context)
            except TemplateError:
                continue
            score = similarity_pct(text, post.text)
            if best is None or score > best[0]:
                best = (score, text)
        if best is not None:
            post.text = best[1]
        _set_pictures(post, product_picture_ids(session, products))
        session.flush()
        done.append(post_id)
    return done


def refresh_from_products(session: Session, post_id: int) -> None:
    """The one-click refresh of an edited draft: its products' pictures, and in a
    one-product post the current price in place of the old one. The text stays hers."""
    post = find_post(session, post_id)
    if post.status is not PostStatus.DRAFT:
        raise PlanningError(
            "not_editable", "A post that was posted or skipped can no longer be changed."
        )
    products = [pp.product_id for pp in post.products]
    if not products:
        return
    if len(products) == 1:
        product = session.get(Product, products[0])
        if product is not None:
            post.text = _PRICE.sub(format_price(product.price), post.text, count=1)
    _set_pictures(post, product_picture_ids(session, products))
    # Saving marks the draft as seen against the products' current state.
    post.updated_at = utcnow()
    session.flush()


__all__ = ["follow_products", "refresh_from_products"]


def follow_then_load_board(
    session: Session,
    now: datetime,
    account_id: int,
    first_day: date,
    days: int,
    zone: tzinfo,
    media_root: Path,
    gauge_day: date,
) -> BoardData:
    """The planner's board, after untouched auto-drafts have followed their products."""
    follow_products(session, now)
    return load_board(session, account_id, first_day, days, zone, media_root, gauge_day)
