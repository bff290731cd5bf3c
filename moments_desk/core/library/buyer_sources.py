"""The database side of 买家秀 quotes: praise recorded in 互动 from customers who allowed it,
their photos, and which drafts already quote whom. Reads and writes run in the caller's
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from moments_desk.core.library.buyer_quotes import BuyerQuote, is_positive, mask_name
from moments_desk.core.shared.batches import rows_in
from moments_desk.db.models import (
    BuyerShowSource,
    Customer,
    CustomerPhoto,
    Interaction,
    InteractionKind,
    Post,
    PostProduct,
    PostStatus,
    Product,
)

#: The newest comments read per shop: enough praise for a year of weekly 买家秀.
_RECENT = 5000


def consenting_quotes(session: Session) -> list[BuyerQuote]:
    """Positive comments of customers who allowed sharing, newest first, each with the name
    of the product under whose post she wrote it (if any) and her photos."""
    # Consenting customers first (few, read off the customer table), then their comments
    # by the (customer, time) index: no walk over every comment in the shop.
    names = {
        cid: (nickname, remark)
        for cid, nickname, remark in session.execute(
            select(Customer.id, Customer.nickname, Customer.remark).where(
                Customer.shares_buyer_show
            )
        )
    }
    if not names:
        return []
    rows = sorted(
        rows_in(
            session,
            lambda chunk: select(
                Interaction.id,
                Interaction.customer_id,
                Interaction.content,
                Interaction.occurred_at,
                Interaction.post_id,
            ).where(
                Interaction.customer_id.in_(chunk), Interaction.kind == InteractionKind.COMMENT
            ),
            list(names),
        ),
        key=lambda r: (r.occurred_at, r.id),
        reverse=True,
    )[:_RECENT]
    praise = [r for r in rows if is_positive(r.content or "")]
    if not praise:
        return []
    post_ids = {r.post_id for r in praise if r.post_id is not None}
    products: dict[int, str] = {}
    if post_ids:
        for post_id, name in session.execute(
            select(PostProduct.post_id, Product.name)
            .join(Product, Product.id == PostProduct.product_id)
            .where(PostProduct.post_id.in_(post_ids))
            .order_by(PostProduct.post_id, PostProduct.position.desc())
        ):
            products[post_id] = name  # the first position is written last
    customers = {r.customer_id for r in praise}
    photos: dict[int, list[int]] = {}
    for customer_id, media_id in session.execute(
        select(CustomerPhoto.customer_id, CustomerPhoto.media_id)
        .where(CustomerPhoto.customer_id.in_(customers))
        .order_by(CustomerPhoto.customer_id, CustomerPhoto.position)
    ):
        photos.setdefault(customer_id, []).append(media_id)
    return [
        BuyerQuote(
            customer_id=r.customer_id,
            interaction_id=r.id,
            comment=r.content.strip(),
            name=mask_name(*names[r.customer_id]),
            said_at=r.occurred_at,
            product_name=products.get(r.post_id, "") if r.post_id is not None else "",
            image_ids=tuple(photos.get(r.customer_id, ())),
        )
        for r in praise
    ]


def quoted_since(session: Session, start: datetime) -> list[tuple[datetime, int, int | None]]:
    """Drafts and posts from ``start`` on that quote a customer: (time, customer, comment)."""
    return [
        (at, customer_id, interaction_id)
        for at, customer_id, interaction_id in session.execute(
            select(Post.scheduled_at, BuyerShowSource.customer_id, BuyerShowSource.interaction_id)
            .join(Post, Post.id == BuyerShowSource.post_id)
            .where(Post.status != PostStatus.SKIPPED, Post.scheduled_at >= start)
        )
        if at is not None
    ]


def record_sources(session: Session, quoted: Iterable[tuple[int, int, int]]) -> None:
    """Remember which customer and comment each new draft quotes: (post, customer, comment)."""
    rows = [
        {"post_id": post_id, "customer_id": customer_id, "interaction_id": interaction_id}
        for post_id, customer_id, interaction_id in quoted
    ]
    if rows:
        session.execute(insert(BuyerShowSource), rows)
