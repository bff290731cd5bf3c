"""What PIPL asks of a seller: hand a customer her data, or forget her completely."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moments_desk.core.customers.buyer_show import drop_untouched_quotes
from moments_desk.core.shared.batches import execute_in
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.uow import affected
from moments_desk.core.spreadsheets.safe_cells import SafeCsvWriter
from moments_desk.core.team.permissions import Action, require_owner
from moments_desk.db.models import (
    Allocation,
    BuyerShowSource,
    Customer,
    CustomerAddress,
    CustomerPhoto,
    Interaction,
    MediaFile,
    Order,
    OrderItem,
    Post,
    Reminder,
    Tag,
    customer_tag,
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):
        return value.value
    return value


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: _plain(getattr(row, c.key)) for c in row.__mapper__.column_attrs}


def export_customer(
    session: Session, customer_id: int, folder: Path, by: int | None = None
) -> list[Path]:
    """Everything stored about one customer: a JSON file and a CSV of her timeline."""
    require_owner(session, by, Action.EXPORT_CUSTOMER, "customer", customer_id)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise ValueError(QT_TRANSLATE_NOOP("Privacy", "This customer was deleted meanwhile."))
    orders = session.scalars(select(Order).where(Order.customer_id == customer_id)).all()
    data: dict[str, Any] = {
        "customer": _columns(customer),
        "tags": list(
            session.scalars(
                select(Tag.name)
                .join(customer_tag, customer_tag.c.tag_id == Tag.id)
                .where(customer_tag.c.customer_id == customer_id)
            )
        ),
        "addresses": [
            _columns(a)
            for a in session.scalars(
                select(CustomerAddress).where(CustomerAddress.customer_id == customer_id)
            )
        ],
        "interactions": [
            _columns(i)
            for i in session.scalars(
                select(Interaction)
                .where(Interaction.customer_id == customer_id)
                .order_by(Interaction.occurred_at)
            )
        ],
        "orders": [
            {
                **_columns(o),
                "items": [
                    _columns(item)
                    for item in session.scalars(select(OrderItem).where(OrderItem.order_id == o.id))
                ],
            }
            for o in orders
        ],
        # 买家秀: the photos she sent and the posts that quote her (consent is on "customer").
        "buyer_show_photos": [
            {"sha256": sha, "file": rel_path, "original_name": original}
            for sha, rel_path, original in session.execute(
                select(MediaFile.sha256, MediaFile.rel_path, MediaFile.original_name)
                .join(CustomerPhoto, CustomerPhoto.media_id == MediaFile.id)
                .where(CustomerPhoto.customer_id == customer_id)
                .order_by(CustomerPhoto.position)
            )
        ],
        "buyer_show_posts": [
            {"post_id": post_id, "status": _plain(status), "text": text}
            for post_id, status, text in session.execute(
                select(Post.id, Post.status, Post.text)
                .join(BuyerShowSource, BuyerShowSource.post_id == Post.id)
                .where(BuyerShowSource.customer_id == customer_id)
                .order_by(Post.id)
            )
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"customer-{customer_id}"
    json_path = folder / f"{stem}.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    csv_path = folder / f"{stem}-timeline.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(["time", "kind", "content", "post_id", "order_total"])
        for item in data["interactions"]:
            writer.writerow(
                [item["occurred_at"], item["kind"], item["content"], item["post_id"], ""]
            )
        for order in data["orders"]:
            writer.writerow(
                [order["created_at"], "order", order["notes"], order["post_id"], order["total"]]
            )
    return [json_path, csv_path]


@dataclass(frozen=True)
class ForgetOutcome:
    interactions_deleted: int
    orders_anonymised: int
    orders_deleted: int
    #: Untouched 买家秀 drafts quoting her, deleted with her.
    quotes_deleted: int = 0


def forget_customer(
    session: Session, customer_id: int, *, keep_order_totals: bool, by: int | None = None
) -> ForgetOutcome:
    """Delete a customer and everything that names her, in one transaction.

    With ``keep_order_totals`` her orders stay as anonymous sales (amounts and products,
    no name, phone or address) so revenue reports still add up; otherwise they go too.
    Search columns live on the customer row itself, so no index keeps her name.
    """
    require_owner(session, by, Action.DELETE_CUSTOMER, "customer", customer_id)
    if session.get(Customer, customer_id) is None:
        raise ValueError(QT_TRANSLATE_NOOP("Privacy", "This customer was deleted meanwhile."))
    interactions = affected(
        session.execute(delete(Interaction).where(Interaction.customer_id == customer_id))
    )
    session.execute(delete(Allocation).where(Allocation.customer_id == customer_id))
    quotes = drop_untouched_quotes(session, customer_id)
    # A 买家秀 a person edited or scheduled loses its link to her; its text is the seller's.
    session.execute(delete(BuyerShowSource).where(BuyerShowSource.customer_id == customer_id))
    session.execute(delete(CustomerPhoto).where(CustomerPhoto.customer_id == customer_id))
    session.execute(delete(Reminder).where(Reminder.customer_id == customer_id))
    order_ids = list(session.scalars(select(Order.id).where(Order.customer_id == customer_id)))
    anonymised = deleted = 0
    if order_ids and keep_order_totals:
        anonymised = execute_in(
            session,
            lambda chunk: (
                update(Order)
                .where(Order.id.in_(chunk))
                .values(
                    customer_id=None, recipient="", phone="", address="", notes="", tracking_no=""
                )
            ),
            order_ids,
        )
    elif order_ids:
        deleted = execute_in(
            session, lambda chunk: delete(Order).where(Order.id.in_(chunk)), order_ids
        )
    session.execute(
        update(Customer).where(Customer.referred_by_id == customer_id).values(referred_by_id=None)
    )
    session.execute(delete(Customer).where(Customer.id == customer_id))
    return ForgetOutcome(interactions, anonymised, deleted, quotes)
