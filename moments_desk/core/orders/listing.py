"""Reading orders: the filtered, sorted id list, the rows a table shows, one order to edit.

Like products and customers, listing is id-based: the filter and sort run in SQL and return
ids; the table fetches only the rows it shows.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.orders.orders import (
    ItemDraft,
    OrderDraft,
    OrderError,
)
from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.listing import SqlListSource
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.tags import like_pattern
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Post,
)


class OrderSort(enum.StrEnum):
    CREATED = "created"
    TOTAL = "total"
    STATUS = "status"
    CUSTOMER = "customer"
    ID = "id"


@dataclass(frozen=True)
class OrderQuery:
    text: str = ""
    status: OrderStatus | None = None
    since: datetime | None = None
    until: datetime | None = None
    post_id: int | None = None
    sort: OrderSort = OrderSort.CREATED
    descending: bool = True


@dataclass(frozen=True)
class OrderRow:
    id: int
    created_at: datetime
    customer_id: int | None
    customer_name: str
    items: str
    pieces: int
    total: Decimal
    status: OrderStatus
    post_line: str
    courier: str
    tracking_no: str
    address: str


def _filters(query: OrderQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.status is not None:
        conditions.append(Order.status == query.status)
    if query.since is not None:
        conditions.append(Order.created_at >= query.since)
    if query.until is not None:
        conditions.append(Order.created_at < query.until)
    if query.post_id is not None:
        conditions.append(Order.post_id == query.post_id)
    text = query.text.strip()
    if text:
        matches: list[ColumnElement[bool]] = [
            Order.customer_id.in_(
                select(Customer.id).where(
                    Customer.search_text.like(like_pattern(text.lower()), escape="\\")
                )
            ),
            Order.tracking_no == text,
            Order.external_no == text,
        ]
        digits = text.lstrip("#")
        if digits.isdigit() and len(digits) < 12:
            matches.append(Order.id == int(digits))
        conditions.append(or_(*matches))
    return conditions


def order_id_statement(query: OrderQuery) -> Select[Any]:
    """The ids the Orders page lists for ``query``, in its order."""
    stmt = select(Order.id).where(*_filters(query))
    column: Any
    match query.sort:
        case OrderSort.TOTAL:
            column = Order.total
        case OrderSort.STATUS:
            column = Order.status
        case OrderSort.ID:
            column = Order.id
        case OrderSort.CUSTOMER:
            column = (
                select(func.coalesce(func.nullif(Customer.remark, ""), Customer.nickname))
                .where(Customer.id == Order.customer_id)
                .scalar_subquery()
            )
        case _:
            column = Order.created_at
    ordered = column.desc() if query.descending else column.asc()
    return stmt.order_by(ordered, Order.id.desc())


def search_order_ids(session: Session, query: OrderQuery) -> list[int]:
    return list(session.scalars(order_id_statement(query)))


def order_listing(sessions: sessionmaker[Session]) -> SqlListSource[OrderQuery, OrderRow]:
    """The Orders page's rows, read a window at a time."""
    return SqlListSource(sessions, order_id_statement, load_order_rows)


def load_order_rows(session: Session, ids: Sequence[int]) -> dict[int, OrderRow]:
    if not ids:
        return {}
    query = (
        select(
            Order.id,
            Order.created_at,
            Order.customer_id,
            Customer.remark,
            Customer.nickname,
            Order.total,
            Order.status,
            Post.text,
            Order.courier,
            Order.tracking_no,
            Order.address,
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .outerjoin(Post, Post.id == Order.post_id)
    )
    rows = list(rows_in(session, lambda chunk: query.where(Order.id.in_(chunk)), ids))
    items: dict[int, list[str]] = {}
    pieces: dict[int, int] = {}
    # An order's items all come in its own batch, in the order they were added.
    for order_id, name, variant, quantity in rows_in(
        session,
        lambda chunk: (
            select(
                OrderItem.order_id, OrderItem.product_name, OrderItem.variant, OrderItem.quantity
            )
            .where(OrderItem.order_id.in_(chunk))
            .order_by(OrderItem.id)
        ),
        ids,
    ):
        label = f"{name}（{variant}）" if variant else name
        items.setdefault(order_id, []).append(f"{label}×{quantity}")
        pieces[order_id] = pieces.get(order_id, 0) + quantity
    return {
        r.id: OrderRow(
            id=r.id,
            created_at=r.created_at,
            customer_id=r.customer_id,
            customer_name=(r.remark or r.nickname or "") if r.customer_id else "",
            items="、".join(items.get(r.id, [])),
            pieces=pieces.get(r.id, 0),
            total=r.total,
            status=r.status,
            post_line=(r.text or "").strip().split("\n", 1)[0][:40],
            courier=r.courier,
            tracking_no=r.tracking_no,
            address=r.address,
        )
        for r in rows
    }


@dataclass(frozen=True)
class OrderDetail:
    id: int
    status: OrderStatus
    created_at: datetime
    customer_name: str
    draft: OrderDraft
    stock_taken: bool


def draft_of(order: Order) -> OrderDraft:
    """The order as the editor shows it."""
    return OrderDraft(
        customer_id=order.customer_id,
        items=[
            ItemDraft(
                i.product_id, i.product_name, i.quantity, i.unit_price, i.variant, i.variant_id
            )
            for i in order.items
        ],
        discount=order.discount,
        shipping_fee=order.shipping_fee,
        recipient=order.recipient,
        phone=order.phone,
        address=order.address,
        post_id=order.post_id,
        account_id=order.account_id,
        notes=order.notes,
        courier=order.courier,
        tracking_no=order.tracking_no,
    )


def get_order(session: Session, order_id: int) -> OrderDetail:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderError(
            QT_TRANSLATE_NOOP("Orders", "Order {order_id} was deleted meanwhile.").format(
                order_id=order_id
            )
        )
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    draft = draft_of(order)
    name = (customer.remark or customer.nickname) if customer else ""
    return OrderDetail(order.id, order.status, order.created_at, name, draft, order.stock_taken)


def allocations_of(session: Session, order_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Allocation.id).where(
                Allocation.order_id == order_id, Allocation.status == AllocationStatus.ORDERED
            )
        )
    )
