"""What the order editor reads and how it saves: one order with its buyer's addresses, the
customers and products a search offers, and create-or-update in one call. No Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.catalogue import listing as pl
from moments_desk.core.catalogue.variants import variants_of
from moments_desk.core.customers import customers as cu
from moments_desk.core.orders import listing as ol
from moments_desk.core.orders import orders as od
from moments_desk.core.shared.edits import EditConflict, EditConflictError, merge_edit, stale_row
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import Order

#: Customers and products a search in the editor offers; the seller narrows the search
#: rather than scrolling.
CHOICES_SHOWN = 30


@dataclass(frozen=True)
class OrderForEditing:
    detail: ol.OrderDetail
    #: the buyer's saved addresses (none when the order has no customer)
    addresses: list[od.AddressChoice]
    #: the lines' products sold in several sizes → (size, stock) each, for the size drop-down
    size_choices: dict[int, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class EditorChoices:
    #: (customer id, "name · account")
    customers: list[tuple[int, str]]
    #: (product id, "code name", price, stock)
    products: list[tuple[int, str, Decimal, int]]
    #: product id → "S 1 · M 3" for products sold in several sizes
    sizes: dict[int, str] = field(default_factory=dict)
    #: product id → (size, stock) each, for a line's size drop-down
    size_choices: dict[int, list[tuple[str, int]]] = field(default_factory=dict)


def order_for_editing(session: Session, order_id: int) -> OrderForEditing:
    detail = ol.get_order(session, order_id)
    customer = detail.draft.customer_id
    addresses = od.customer_addresses(session, customer) if customer else []
    products = [i.product_id for i in detail.draft.items if i.product_id is not None]
    return OrderForEditing(detail, addresses, size_choices(session, products))


def size_choices(session: Session, product_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    """(size label, stock) of each product sold in several sizes or colours, in the grid's
    order, read in one query for all of them."""
    return {
        pid: [(v.label, v.stock) for v in found]
        for pid, found in variants_of(session, product_ids).items()
        if len(found) > 1
    }


def editor_choices(
    session: Session,
    customer_text: str,
    product_text: str,
    now: datetime,
    *,
    with_customers: bool,
) -> EditorChoices:
    """Customers (only when ``with_customers``) and products matching the two searches."""
    customers: list[tuple[int, str]] = []
    if with_customers:
        ids = cu.search_customer_ids(session, cu.CustomerQuery(text=customer_text), now)
        ids = ids[:CHOICES_SHOWN]
        rows = cu.load_customer_rows(session, ids)
        customers = [
            (i, f"{rows[i].display_name} · {rows[i].account_label}") for i in ids if i in rows
        ]
    pids = pl.search_product_ids(session, pl.ProductQuery(text=product_text), now)
    pids = pids[:CHOICES_SHOWN]
    prows = pl.load_product_rows(session, pids)
    products = [
        (i, f"{prows[i].code} {prows[i].name}", prows[i].price, prows[i].stock)
        for i in pids
        if i in prows
    ]
    choices = size_choices(session, [p[0] for p in products])
    sizes = {
        pid: " · ".join(f"{label} {n}" for label, n in found) for pid, found in choices.items()
    }
    return EditorChoices(customers, products, sizes, choices)


#: what the conflict sentence calls each field of the order editor
FIELD_LABELS = {
    "customer_id": QT_TRANSLATE_NOOP("Orders", "Customer"),
    "items": QT_TRANSLATE_NOOP("Orders", "Items"),
    "discount": QT_TRANSLATE_NOOP("Orders", "Discount"),
    "shipping_fee": QT_TRANSLATE_NOOP("Orders", "Shipping fee"),
    "recipient": QT_TRANSLATE_NOOP("Orders", "Recipient"),
    "phone": QT_TRANSLATE_NOOP("Orders", "Phone"),
    "address": QT_TRANSLATE_NOOP("Orders", "Address"),
    "notes": QT_TRANSLATE_NOOP("Orders", "Notes"),
    "courier": QT_TRANSLATE_NOOP("Orders", "Courier"),
    "tracking_no": QT_TRANSLATE_NOOP("Orders", "Tracking number"),
}


class OrderConflictError(od.OrderError):
    """A field changed here was saved with another value elsewhere; ``conflict`` has both."""

    def __init__(self, conflict: EditConflict[od.OrderDraft]) -> None:
        super().__init__(conflict.message(FIELD_LABELS))
        self.conflict = conflict


def draft_of(order: Order) -> od.OrderDraft:
    """The order as the editor shows it."""
    return ol.draft_of(order)


def save_order(
    session: Session,
    order_id: int | None,
    draft: od.OrderDraft,
    now: datetime,
    base: od.OrderDraft | None = None,
) -> int:
    """Create the order (``order_id`` None) or update it; the order's id.

    An update writes only the fields changed since ``base`` (the order as the editor opened
    it), so a tracking number saved on another laptop meanwhile stays; a field changed on
    both sides is refused with both values (``OrderConflictError``), and a save landing
    between another save's read and write is refused by the order's ``version``.
    """
    if order_id is None:
        return od.create_order(session, draft, now)
    order = session.get(Order, order_id)
    if order is None:
        raise od.OrderError(
            QT_TRANSLATE_NOOP("Orders", "Order {order_id} was deleted meanwhile.").format(
                order_id=order_id
            )
        )
    theirs = draft_of(order)
    try:
        merged = merge_edit(base or theirs, draft, theirs)
    except EditConflictError as clash:
        raise OrderConflictError(clash.conflict) from None
    try:
        od.update_order(session, order_id, merged, now)
        session.flush()
    except StaleDataError:
        raise od.OrderError(stale_row()) from None
    return order_id
