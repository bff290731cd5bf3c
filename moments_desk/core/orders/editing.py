"""What the order editor reads and how it saves: one order with its buyer's addresses, the
customers and products a search offers, and create-or-update in one call. No Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from moments_desk.core.catalogue import listing as pl
from moments_desk.core.catalogue.variants import variants_of
from moments_desk.core.customers import customers as cu
from moments_desk.core.orders import listing as ol
from moments_desk.core.orders import orders as od

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


def save_order(session: Session, order_id: int | None, draft: od.OrderDraft, now: datetime) -> int:
    """Create the order (``order_id`` None) or update it; the order's id."""
    if order_id is None:
        return od.create_order(session, draft, now)
    od.update_order(session, order_id, draft, now)
    return order_id
