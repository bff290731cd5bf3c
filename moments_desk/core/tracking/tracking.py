"""What happened under a posted post: likes, comments and private chats, recorded at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.tags import like_pattern
from moments_desk.db.models import (
    Customer,
    CustomerSource,
    Interaction,
    InteractionKind,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    WeChatAccount,
)


class TrackingError(ValueError):
    """Something the seller can fix; ``str()`` names the line or the post."""


@dataclass(frozen=True)
class PostedPost:
    id: int
    kind: PostKind
    posted_at: datetime | None
    first_line: str
    text: str
    account_ids: tuple[int, ...]
    likes: int
    comments: int
    inquiries: int


@dataclass(frozen=True)
class PostProductInfo:
    id: int
    code: str
    name: str
    price_fen: int
    stock: int


@dataclass(frozen=True)
class EntryLine:
    """One reviewed row: who (an existing customer, or a new one by this name) and what."""

    line: int
    name: str
    kind: InteractionKind
    comment: str = ""
    customer_id: int | None = None  # None: create a new customer named ``name``


@dataclass(frozen=True)
class RecordOutcome:
    recorded: int
    new_customers: int
    #: likes already on record for this post (pasting the same list twice adds nothing)
    already_recorded: int
    customer_ids: tuple[int, ...]


def first_line(text: str, limit: int = 60) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def list_posted_posts(session: Session, text: str = "", limit: int = 300) -> list[PostedPost]:
    """Posted posts, newest first, optionally filtered by a word of their text."""
    stmt = select(Post.id, Post.kind, Post.posted_at, Post.scheduled_at, Post.text).where(
        Post.status == PostStatus.POSTED
    )
    if text.strip():
        stmt = stmt.where(Post.text.like(like_pattern(text.strip()), escape="\\"))
    rows = session.execute(
        stmt.order_by(
            func.coalesce(Post.posted_at, Post.scheduled_at).desc(), Post.id.desc()
        ).limit(limit)
    ).all()
    ids = [r.id for r in rows]
    if not ids:
        return []
    counts: dict[tuple[int | None, InteractionKind], int] = {}
    for post_id, kind, count in session.execute(
        select(Interaction.post_id, Interaction.kind, func.count())
        .where(Interaction.post_id.in_(ids))
        .group_by(Interaction.post_id, Interaction.kind)
    ):
        counts[(post_id, kind)] = count
    accounts: dict[int, list[int]] = {}
    for post_id, account_id in session.execute(
        select(PostAccount.post_id, PostAccount.account_id)
        .where(PostAccount.post_id.in_(ids))
        .order_by(PostAccount.account_id)
    ):
        accounts.setdefault(post_id, []).append(account_id)
    return [
        PostedPost(
            id=r.id,
            kind=r.kind,
            posted_at=r.posted_at or r.scheduled_at,
            first_line=first_line(r.text),
            text=r.text,
            account_ids=tuple(accounts.get(r.id, ())),
            likes=counts.get((r.id, InteractionKind.LIKE), 0),
            comments=counts.get((r.id, InteractionKind.COMMENT), 0),
            inquiries=counts.get((r.id, InteractionKind.INQUIRY), 0),
        )
        for r in rows
    ]


def post_products(session: Session, post_id: int) -> list[PostProductInfo]:
    rows = session.execute(
        select(Product.id, Product.code, Product.name, Product.price, Product.stock)
        .join(PostProduct, PostProduct.product_id == Product.id)
        .where(PostProduct.post_id == post_id)
        .order_by(PostProduct.position)
    ).all()
    return [PostProductInfo(r.id, r.code, r.name, int(r.price * 100), r.stock) for r in rows]


def _check_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise TrackingError(QT_TRANSLATE_NOOP("Tracking", "This post was deleted meanwhile."))
    if post.status is not PostStatus.POSTED:
        raise TrackingError(
            QT_TRANSLATE_NOOP(
                "Tracking", "Only a posted post has likes and comments; mark it posted first."
            )
        )
    return post


def record_entries(
    session: Session,
    post_id: int,
    account_id: int,
    lines: Sequence[EntryLine],
    at: datetime,
    user_id: int | None = None,
) -> RecordOutcome:
    """Record reviewed likes, comments and chats under a post, creating new customers.

    Everything commits together or not at all (the caller's unit of work). Likes keep their
    pasted order after the likes already on record: the rank decides "first N".
    """
    _check_post(session, post_id)
    if session.get(WeChatAccount, account_id) is None:
        raise TrackingError(QT_TRANSLATE_NOOP("Tracking", "That WeChat account no longer exists."))
    wanted = {line.customer_id for line in lines if line.customer_id is not None}
    found = dict(
        rows_in(
            session,
            lambda chunk: select(Customer.id, Customer.account_id).where(Customer.id.in_(chunk)),
            wanted,
        )
    )
    for line in lines:
        if line.customer_id is None:
            continue
        if line.customer_id not in found:
            raise TrackingError(
                QT_TRANSLATE_NOOP(
                    "Tracking",
                    "Line {line} ({name}): this customer was deleted meanwhile. "
                    "Match the names again.",
                ).format(line=line.line, name=line.name)
            )
    new_ids: dict[str, int] = {}
    created = 0
    for line in lines:
        if line.customer_id is None and line.name not in new_ids:
            new_ids[line.name] = create_customer(
                session,
                CustomerDraft(
                    account_id=account_id, nickname=line.name, source=CustomerSource.MOMENTS
                ),
            )
            created += 1
    liked = set(
        session.scalars(
            select(Interaction.customer_id).where(
                Interaction.post_id == post_id, Interaction.kind == InteractionKind.LIKE
            )
        )
    )
    rank = (
        session.scalar(
            select(func.max(Interaction.rank)).where(
                Interaction.post_id == post_id, Interaction.kind == InteractionKind.LIKE
            )
        )
        or 0
    )
    rows = []
    skipped = 0
    touched: list[int] = []
    for line in lines:
        customer_id = line.customer_id if line.customer_id is not None else new_ids[line.name]
        like_rank = None
        if line.kind is InteractionKind.LIKE:
            if customer_id in liked:
                skipped += 1
                continue
            liked.add(customer_id)
            rank += 1
            like_rank = rank
        rows.append(
            {
                "customer_id": customer_id,
                "post_id": post_id,
                "kind": line.kind,
                "content": line.comment[:10_000],
                "rank": like_rank,
                "occurred_at": at,
                "created_by_id": user_id,
            }
        )
        touched.append(customer_id)
    if rows:
        session.execute(insert(Interaction), rows)
        from moments_desk.core.stages.ladder import apply_ladder

        apply_ladder(session, touched)  # regular likes and comments make a buyer a fan
    return RecordOutcome(len(rows), created, skipped, tuple(dict.fromkeys(touched)))


@dataclass(frozen=True)
class Engagement:
    customer_id: int
    name: str
    kind: InteractionKind
    rank: int | None
    content: str
    at: datetime


def post_engagement(session: Session, post_id: int, limit: int = 2000) -> list[Engagement]:
    """Who liked (in order), commented and asked under a post."""
    rows = session.execute(
        select(
            Interaction.customer_id,
            Customer.remark,
            Customer.nickname,
            Interaction.kind,
            Interaction.rank,
            Interaction.content,
            Interaction.occurred_at,
        )
        .join(Customer, Customer.id == Interaction.customer_id)
        .where(
            Interaction.post_id == post_id,
            or_(
                Interaction.kind == InteractionKind.LIKE,
                Interaction.kind == InteractionKind.COMMENT,
                Interaction.kind == InteractionKind.INQUIRY,
            ),
        )
        .order_by(Interaction.kind, Interaction.rank, Interaction.occurred_at, Interaction.id)
        .limit(limit)
    ).all()
    return [
        Engagement(r.customer_id, r.remark or r.nickname, r.kind, r.rank, r.content, r.occurred_at)
        for r in rows
    ]
