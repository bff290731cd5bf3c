"""A customer's history, newest first: likes, comments, chats, notes and orders."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.customers.customers import CustomerDraft, get_customer
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderStatus,
    Post,
)


class EntryKind(enum.StrEnum):
    LIKE = "like"
    COMMENT = "comment"
    INQUIRY = "inquiry"
    NOTE = "note"
    ORDER = "order"


@dataclass(frozen=True)
class TimelineEntry:
    kind: EntryKind
    at: datetime
    text: str
    #: interaction id for likes/comments/inquiries/notes, order id for orders
    ref_id: int
    post_id: int | None = None
    post_text: str = ""
    amount: Decimal | None = None
    order_status: OrderStatus | None = None


@dataclass(frozen=True)
class Timeline:
    entries: tuple[TimelineEntry, ...]
    last_contact: datetime | None

    def days_since_contact(self, now: datetime) -> int | None:
        if self.last_contact is None:
            return None
        return max(0, (now - self.last_contact).days)


def load_timeline(session: Session, customer_id: int, limit: int = 500) -> Timeline:
    interactions = session.execute(
        select(
            Interaction.id,
            Interaction.kind,
            Interaction.content,
            Interaction.occurred_at,
            Interaction.post_id,
            Post.text,
        )
        .outerjoin(Post, Post.id == Interaction.post_id)
        .where(Interaction.customer_id == customer_id)
        .order_by(Interaction.occurred_at.desc())
        .limit(limit)
    ).all()
    orders = session.execute(
        select(Order.id, Order.created_at, Order.total, Order.status, Order.post_id)
        .where(Order.customer_id == customer_id)
        .order_by(Order.created_at.desc())
        .limit(limit)
    ).all()
    names: dict[int, list[str]] = {}
    if orders:
        for order_id, name in session.execute(
            select(OrderItem.order_id, OrderItem.product_name)
            .where(OrderItem.order_id.in_([o.id for o in orders]))
            .order_by(OrderItem.id)
        ):
            names.setdefault(order_id, []).append(name)
    entries = [
        TimelineEntry(
            kind=EntryKind(row.kind.value),
            at=row.occurred_at,
            text=row.content,
            ref_id=row.id,
            post_id=row.post_id,
            post_text=(row.text or "").split("\n", 1)[0][:40],
        )
        for row in interactions
    ]
    entries += [
        TimelineEntry(
            kind=EntryKind.ORDER,
            at=row.created_at,
            text="、".join(names.get(row.id, [])),
            ref_id=row.id,
            post_id=row.post_id,
            amount=row.total,
            order_status=row.status,
        )
        for row in orders
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    last = max((e.at for e in entries), default=None)
    return Timeline(tuple(entries[:limit]), last)


@dataclass(frozen=True)
class CustomerCard:
    """One customer as the detail panel shows her: her fields and her timeline."""

    draft: CustomerDraft
    timeline: Timeline


def customer_card(session: Session, customer_id: int) -> CustomerCard:
    draft, _addresses = get_customer(session, customer_id)
    return CustomerCard(draft, load_timeline(session, customer_id))


def add_note(
    session: Session, customer_id: int, text: str, at: datetime, user_id: int | None = None
) -> int:
    """A hand-written follow-up (chat summary) on the customer's timeline."""
    text = text.strip()
    if not text:
        raise ValueError(QT_TRANSLATE_NOOP("Timeline", "The note is empty."))
    note = Interaction(
        customer_id=customer_id,
        kind=InteractionKind.NOTE,
        content=text[:10_000],
        occurred_at=at,
        created_by_id=user_id,
    )
    session.add(note)
    session.flush()
    return note.id


def edit_note(session: Session, note_id: int, text: str) -> None:
    note = session.get(Interaction, note_id)
    if note is None or note.kind is not InteractionKind.NOTE:
        raise ValueError(QT_TRANSLATE_NOOP("Timeline", "Only hand-written notes can be edited."))
    if not text.strip():
        raise ValueError(QT_TRANSLATE_NOOP("Timeline", "The note is empty."))
    note.content = text.strip()[:10_000]
