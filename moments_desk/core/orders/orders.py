"""Orders: items, totals and stock, exactly and in one transaction.

The status pipeline is in ``status.py``, reading orders for lists and the editor in
``listing.py``.

Stock moves with a conditional UPDATE (``stock = stock - q WHERE stock >= q``): two orders
taking the last piece at the same moment cannot both succeed, and stock never goes negative.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.stock import put_back, take_pieces
from moments_desk.core.catalogue.variants import ensure_default_variant, variant_label
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.stages.ladder import apply_ladder
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    Order,
    OrderItem,
    OrderStatus,
    ProductVariant,
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


def resolve_variant(
    session: Session, product_id: int, variant_id: int | None, label: str, wanted: str = ""
) -> int | None:
    """The variant a line moves: the one named, else the product's only one, else the one
    whose label is ``wanted`` ("黑色 M"); None when the product is gone.

    A product sold in several sizes refuses a line that does not say which.
    """
    variants = ensure_default_variant(session, product_id)
    if not variants:
        return None
    if variant_id is not None:
        if any(v.id == variant_id for v in variants):
            return variant_id
        raise OrderError(
            QT_TRANSLATE_NOOP(
                "Orders", "{label}: this size or colour was removed meanwhile."
            ).format(label=label)
        )
    if len(variants) == 1:
        return variants[0].id
    key = "".join(wanted.split()).casefold()
    for v in variants:
        if key and "".join(v.label.split()).casefold() == key:
            return v.id
    raise OrderError(
        QT_TRANSLATE_NOOP("Orders", "{label}: choose the size or colour ({choices}).").format(
            label=label, choices=" / ".join(v.label for v in variants)
        )
    )


def take_stock(
    session: Session,
    product_id: int,
    quantity: int,
    label: str,
    variant_id: int | None = None,
) -> None:
    """Take ``quantity`` pieces of one variant, or refuse: the UPDATE only matches while
    enough of that variant is left, so another size's stock never covers it."""
    if quantity <= 0:
        return
    chosen = resolve_variant(session, product_id, variant_id, label)
    if chosen is None:
        raise OrderError(
            QT_TRANSLATE_NOOP("Orders", "{label}: this product was deleted meanwhile.").format(
                label=label
            )
        )
    if not take_pieces(session, product_id, quantity, chosen):
        left = session.scalar(select(ProductVariant.stock).where(ProductVariant.id == chosen))
        raise OrderError(
            QT_TRANSLATE_NOOP(
                "Orders", "{label}: only {left} left in stock, {quantity} needed."
            ).format(label=label, left=left or 0, quantity=quantity)
        )


def restore_stock(
    session: Session, product_id: int | None, quantity: int, variant_id: int | None = None
) -> None:
    if product_id is None or quantity <= 0:
        return
    variants = ensure_default_variant(session, product_id)
    if not variants:
        return
    # A line from before sizes existed goes back to the product's first variant.
    chosen = variant_id if any(v.id == variant_id for v in variants) else variants[0].id
    put_back(session, product_id, quantity, chosen)


def take_order_stock(session: Session, order: Order) -> None:
    if order.stock_taken:
        return
    # Always in product order: two orders taking the same products lock them in one order,
    # so PostgreSQL never has to break a deadlock between two laptops.
    for item in sorted(order.items, key=lambda i: i.product_id or 0):
        if item.product_id is not None:
            label = f"Order {order.id}, {item.product_name}"
            if item.variant:
                label += f" {item.variant}"
            take_stock(session, item.product_id, item.quantity, label, item.variant_id)
    order.stock_taken = True


def restore_order_stock(session: Session, order: Order) -> None:
    if not order.stock_taken:
        return
    for item in sorted(order.items, key=lambda i: i.product_id or 0):
        restore_stock(session, item.product_id, item.quantity, item.variant_id)
    order.stock_taken = False


# --- drafts ----------------------------------------------------------------------------------


@dataclass
class ItemDraft:
    product_id: int | None
    product_name: str
    quantity: int
    unit_price: Decimal
    #: The size/colour as written ("黑色 M"); filled from the variant when one is chosen.
    variant: str = ""
    #: The product variant (SKU) whose stock the line moves; None: the product's only one,
    #: or the one whose label is ``variant``.
    variant_id: int | None = None


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


def _resolved_items(session: Session, draft: OrderDraft) -> list[ItemDraft]:
    out: list[ItemDraft] = []
    for number, i in enumerate(draft.items, 1):
        variant_id, text = i.variant_id, i.variant.strip()[:60]
        if i.product_id is not None:
            label = f"Line {number} ({i.product_name.strip() or '?'})"
            variant_id = resolve_variant(session, i.product_id, i.variant_id, label, text)
            if variant_id is not None:
                chosen = session.get(ProductVariant, variant_id)
                if chosen is not None:
                    text = variant_label(chosen.color, chosen.size, chosen.extra)[:60] or text
        out.append(replace(i, variant=text, variant_id=variant_id))
    return out


def _write_items(session: Session, order: Order, draft: OrderDraft) -> None:
    order.items = [
        OrderItem(
            product_id=i.product_id,
            product_name=i.product_name.strip()[:200],
            variant=i.variant,
            variant_id=i.variant_id,
            quantity=i.quantity,
            unit_price=i.unit_price,
        )
        for i in _resolved_items(session, draft)
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
    _write_items(session, order, draft)
    session.add(order)
    session.flush()
    if (policy or stock_policy(session)) is StockPolicy.ON_CREATION:
        take_order_stock(session, order)
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
    # Compared as written: an order whose product gained sizes later keeps its lines (and
    # can still have its address edited) until the lines themselves change.
    old = [
        (i.product_id, i.variant_id, i.product_name, i.variant, i.quantity, i.unit_price)
        for i in order.items
    ]
    new = [
        (
            i.product_id,
            i.variant_id if i.variant_id is not None else (was[1] if was else None),
            i.product_name.strip(),
            i.variant.strip(),
            i.quantity,
            i.unit_price,
        )
        for i, was in zip(draft.items, old + [None] * len(draft.items), strict=False)
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
        restore_order_stock(session, order)
        _write_items(session, order, draft)
        session.flush()
        if had_stock:
            take_order_stock(session, order)
    before = order.customer_id
    _apply(order, draft)
    order.updated_at = now
    if before != order.customer_id:
        session.flush()
        apply_ladder(session, [c for c in (before, order.customer_id) if c is not None])
