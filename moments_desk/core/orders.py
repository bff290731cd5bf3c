"""Orders: items, totals, the status pipeline and stock, exactly and in one transaction.

Stock moves with a conditional UPDATE (``stock = stock - q WHERE stock >= q``): two orders
taking the last piece at the same moment cannot both succeed, and stock never goes negative.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from moments_desk.core.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shop_settings import get_setting, set_setting
from moments_desk.core.stages.ladder import apply_ladder
from moments_desk.core.tags import like_pattern
from moments_desk.core.uow import affected
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    Customer,
    CustomerAddress,
    Order,
    OrderItem,
    OrderStatus,
    Post,
    Product,
)

STOCK_POLICY_KEY = "orders.stock_taken_on"
MAX_QUANTITY = 9999


class StockPolicy(enum.StrEnum):
    """When an order takes its pieces out of stock."""

    ON_PAYMENT = "paid"
    ON_CREATION = "created"


class OrderError(ValueError):
    """Something the seller can fix; ``str()`` names the order, line or product."""


def stock_policy(session: Session) -> StockPolicy:
    try:
        return StockPolicy(get_setting(session, STOCK_POLICY_KEY, StockPolicy.ON_PAYMENT.value))
    except ValueError:
        return StockPolicy.ON_PAYMENT


def set_stock_policy(session: Session, policy: StockPolicy) -> None:
    set_setting(session, STOCK_POLICY_KEY, policy.value)


# --- stock -----------------------------------------------------------------------------------


def take_stock(session: Session, product_id: int, quantity: int, label: str) -> None:
    """Take ``quantity`` pieces, or refuse: the UPDATE only matches while enough is left."""
    if quantity <= 0:
        return
    result = session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    if affected(result) != 1:
        left = session.scalar(select(Product.stock).where(Product.id == product_id))
        if left is None:
            raise OrderError(
                QT_TRANSLATE_NOOP("Orders", "{label}: this product was deleted meanwhile.").format(
                    label=label
                )
            )
        raise OrderError(
            QT_TRANSLATE_NOOP(
                "Orders", "{label}: only {left} left in stock, {quantity} needed."
            ).format(label=label, left=left, quantity=quantity)
        )


def restore_stock(session: Session, product_id: int | None, quantity: int) -> None:
    if product_id is None or quantity <= 0:
        return
    session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity)
        .execution_options(synchronize_session=False)
    )


def _take_order_stock(session: Session, order: Order) -> None:
    if order.stock_taken:
        return
    for item in order.items:
        if item.product_id is not None:
            take_stock(
                session, item.product_id, item.quantity, f"Order {order.id}, {item.product_name}"
            )
    order.stock_taken = True


def _restore_order_stock(session: Session, order: Order) -> None:
    if not order.stock_taken:
        return
    for item in order.items:
        restore_stock(session, item.product_id, item.quantity)
    order.stock_taken = False


# --- drafts ----------------------------------------------------------------------------------


@dataclass
class ItemDraft:
    product_id: int | None
    product_name: str
    quantity: int
    unit_price: Decimal
    variant: str = ""


@dataclass
class OrderDraft:
    customer_id: int | None
    items: list[ItemDraft] = field(default_factory=list)
    discount: Decimal = Decimal(0)
    shipping_fee: Decimal = Decimal(0)
    recipient: str = ""
    phone: str = ""
    address: str = ""
    post_id: int | None = None
    account_id: int | None = None
    notes: str = ""
    courier: str = ""
    tracking_no: str = ""

    @property
    def subtotal(self) -> Decimal:
        return sum((i.unit_price * i.quantity for i in self.items), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping_fee


def validate_order(draft: OrderDraft) -> OrderDraft:
    if draft.customer_id is None:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "Choose the customer of this order."))
    if not draft.items:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "An order needs at least one item."))
    for number, item in enumerate(draft.items, 1):
        label = f"Line {number} ({item.product_name or '?'})"
        if not item.product_name.strip():
            raise OrderError(
                QT_TRANSLATE_NOOP("Orders", "Line {number}: the product name is empty.").format(
                    number=number
                )
            )
        if not isinstance(item.quantity, int) or item.quantity < 1:
            raise OrderError(
                QT_TRANSLATE_NOOP(
                    "Orders", "{label}: the quantity must be at least 1, not {quantity}."
                ).format(label=label, quantity=item.quantity)
            )
        if item.quantity > MAX_QUANTITY:
            raise OrderError(
                QT_TRANSLATE_NOOP(
                    "Orders", "{label}: {quantity} pieces is more than {MAX_QUANTITY}."
                ).format(label=label, quantity=item.quantity, MAX_QUANTITY=MAX_QUANTITY)
            )
        if item.unit_price < 0:
            raise OrderError(
                QT_TRANSLATE_NOOP("Orders", "{label}: the unit price cannot be negative.").format(
                    label=label
                )
            )
    if draft.discount < 0:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "The discount cannot be negative."))
    if draft.shipping_fee < 0:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "The shipping fee cannot be negative."))
    if draft.discount > draft.subtotal:
        raise OrderError(
            QT_TRANSLATE_NOOP("Orders", "The discount is larger than the items' total.")
        )
    return draft


def address_text(address: CustomerAddress) -> str:
    parts = [address.province, address.city, address.district, address.detail]
    text = " ".join(p for p in parts if p)
    return f"{text} ({address.postcode})" if address.postcode else text


@dataclass(frozen=True)
class AddressChoice:
    id: int
    recipient: str
    phone: str
    text: str
    is_default: bool


def customer_addresses(session: Session, customer_id: int) -> list[AddressChoice]:
    rows = session.scalars(
        select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer_id)
        .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id)
    ).all()
    return [AddressChoice(a.id, a.recipient, a.phone, address_text(a), a.is_default) for a in rows]


def _fill_address(session: Session, draft: OrderDraft) -> None:
    if draft.address.strip() or draft.customer_id is None:
        return
    choices = customer_addresses(session, draft.customer_id)
    if choices:
        draft.recipient = draft.recipient or choices[0].recipient
        draft.phone = draft.phone or choices[0].phone
        draft.address = choices[0].text


def _write_items(order: Order, draft: OrderDraft) -> None:
    order.items = [
        OrderItem(
            product_id=i.product_id,
            product_name=i.product_name.strip()[:200],
            variant=i.variant.strip()[:60],
            quantity=i.quantity,
            unit_price=i.unit_price,
        )
        for i in draft.items
    ]


def _apply(order: Order, draft: OrderDraft) -> None:
    order.customer_id = draft.customer_id
    order.post_id = draft.post_id
    order.account_id = draft.account_id
    order.discount = draft.discount
    order.shipping_fee = draft.shipping_fee
    order.total = draft.total
    order.recipient = draft.recipient.strip()[:100]
    order.phone = draft.phone.strip()[:20]
    order.address = draft.address.strip()[:400]
    order.notes = draft.notes
    order.courier = draft.courier.strip()[:40]
    order.tracking_no = draft.tracking_no.strip()[:60]


def create_order(
    session: Session, draft: OrderDraft, now: datetime, policy: StockPolicy | None = None
) -> int:
    validate_order(draft)
    customer = session.get(Customer, draft.customer_id)
    if customer is None:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "This customer was deleted meanwhile."))
    if draft.account_id is None:
        draft.account_id = customer.account_id
    _fill_address(session, draft)
    order = Order(status=OrderStatus.AWAITING_PAYMENT, created_at=now, updated_at=now)
    _apply(order, draft)
    _write_items(order, draft)
    session.add(order)
    session.flush()
    if (policy or stock_policy(session)) is StockPolicy.ON_CREATION:
        _take_order_stock(session, order)
    return order.id


def update_order(session: Session, order_id: int, draft: OrderDraft, now: datetime) -> None:
    """Edit an order; items change only while it awaits payment (stock is re-taken)."""
    validate_order(draft)
    order = session.get(Order, order_id)
    if order is None:
        raise OrderError(
            QT_TRANSLATE_NOOP("Orders", "Order {order_id} was deleted meanwhile.").format(
                order_id=order_id
            )
        )
    if session.get(Customer, draft.customer_id) is None:
        raise OrderError(QT_TRANSLATE_NOOP("Orders", "This customer was deleted meanwhile."))
    old = [(i.product_id, i.product_name, i.variant, i.quantity, i.unit_price) for i in order.items]
    new = [
        (i.product_id, i.product_name.strip(), i.variant.strip(), i.quantity, i.unit_price)
        for i in draft.items
    ]
    if old != new:
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            raise OrderError(
                QT_TRANSLATE_NOOP(
                    "Orders",
                    "Order {order_id} is already paid: its items can no longer change. "
                    "Cancel it and create a new one.",
                ).format(order_id=order_id)
            )
        had_stock = order.stock_taken
        _restore_order_stock(session, order)
        _write_items(order, draft)
        session.flush()
        if had_stock:
            _take_order_stock(session, order)
    before = order.customer_id
    _apply(order, draft)
    order.updated_at = now
    if before != order.customer_id:
        session.flush()
        apply_ladder(session, [c for c in (before, order.customer_id) if c is not None])


#: Where each status may go next; anything else is refused with a message.
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.AWAITING_PAYMENT: (OrderStatus.PAID, OrderStatus.CANCELLED),
    OrderStatus.PAID: (OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED),
    OrderStatus.SHIPPED: (OrderStatus.COMPLETED, OrderStatus.REFUNDED),
    OrderStatus.COMPLETED: (OrderStatus.REFUNDED,),
    OrderStatus.CANCELLED: (),
    OrderStatus.REFUNDED: (),
}


@dataclass(frozen=True)
class StatusOutcome:
    changed: tuple[int, ...]
    #: (order id, its status) of orders that could not move to the new status
    skipped: tuple[tuple[int, OrderStatus], ...]


def change_status(
    session: Session,
    ids: Sequence[int],
    status: OrderStatus,
    now: datetime,
    *,
    courier: str = "",
    tracking_no: str = "",
    policy: StockPolicy | None = None,
) -> StatusOutcome:
    """Move orders along the pipeline, taking or restoring stock in the same transaction.

    Orders that cannot make this move (e.g. a completed order to "paid") are skipped and
    reported; if stock runs out for any order, nothing changes at all.
    """
    from moments_desk.core.allocation import release_for_order

    chosen = policy or stock_policy(session)
    orders = session.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id)).all()
    changed: list[int] = []
    skipped: list[tuple[int, OrderStatus]] = []
    for order in orders:
        if status not in TRANSITIONS[order.status]:
            skipped.append((order.id, order.status))
            continue
        if status is OrderStatus.PAID:
            order.paid_at = now
            if chosen is StockPolicy.ON_PAYMENT:
                _take_order_stock(session, order)
        elif status is OrderStatus.SHIPPED:
            order.shipped_at = now
            if courier.strip():
                order.courier = courier.strip()[:40]
            if tracking_no.strip():
                order.tracking_no = tracking_no.strip()[:60]
            _take_order_stock(session, order)  # shipped goods have left the shelf
        elif status is OrderStatus.COMPLETED:
            order.completed_at = now
        elif status is OrderStatus.CANCELLED or (
            status is OrderStatus.REFUNDED and order.shipped_at is None
        ):
            # A refund after shipping keeps the stock as it is: the goods may not come back.
            _restore_order_stock(session, order)
        order.status = status
        order.updated_at = now
        changed.append(order.id)
        if status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
            session.flush()
            release_for_order(session, order.id)
    session.flush()
    # Paying (or a refund) moves the buyer on the stage ladder.
    apply_ladder(session, [o.customer_id for o in orders if o.id in changed and o.customer_id])
    return StatusOutcome(tuple(changed), tuple(skipped))


# --- listing ---------------------------------------------------------------------------------


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


def search_order_ids(session: Session, query: OrderQuery) -> list[int]:
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
    return list(session.scalars(stmt.order_by(ordered, Order.id.desc())))


def load_order_rows(session: Session, ids: Sequence[int]) -> dict[int, OrderRow]:
    if not ids:
        return {}
    rows = session.execute(
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
        .where(Order.id.in_(ids))
    ).all()
    items: dict[int, list[str]] = {}
    pieces: dict[int, int] = {}
    for order_id, name, variant, quantity in session.execute(
        select(OrderItem.order_id, OrderItem.product_name, OrderItem.variant, OrderItem.quantity)
        .where(OrderItem.order_id.in_(ids))
        .order_by(OrderItem.id)
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


def get_order(session: Session, order_id: int) -> OrderDetail:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderError(
            QT_TRANSLATE_NOOP("Orders", "Order {order_id} was deleted meanwhile.").format(
                order_id=order_id
            )
        )
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    draft = OrderDraft(
        customer_id=order.customer_id,
        items=[
            ItemDraft(i.product_id, i.product_name, i.quantity, i.unit_price, i.variant)
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
