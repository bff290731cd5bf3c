"""Stock changes only here, and only as operations: take pieces, put them back, lock a row.

Every change is one conditional UPDATE (``stock = stock - n WHERE stock >= n``), never a
value read earlier and written back, so two laptops selling the last piece at once cannot
both succeed and stock never goes below zero: the database decides which UPDATE matched.
Forms never set stock; a stock edit in the product editor becomes ``change_stock`` by the
difference the person typed.

Stock lives on each variant (size/colour); ``Product.stock`` is their sum and moves with
them. Orders move a named variant (``core.orders.orders.take_stock``, the same conditional
UPDATE); these functions serve products sold without sizes.
"""

from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.variants import ensure_default_variant
from moments_desk.core.shared.uow import affected
from moments_desk.db.models import Product, ProductVariant


def _only_variant(session: Session, product_id: int, variant_id: int | None) -> int | None:
    """The variant a stock move is for: the one named, else the product's only one (None
    for a product sold in several sizes: the caller must say which, or one deleted)."""
    if variant_id is not None:
        return variant_id
    variants = ensure_default_variant(session, product_id)
    return variants[0].id if len(variants) == 1 else None


def take_pieces(
    session: Session, product_id: int, quantity: int, variant_id: int | None = None
) -> bool:
    """Take ``quantity`` pieces if that many are left; False (nothing written) if not."""
    if quantity <= 0:
        return True
    chosen = _only_variant(session, product_id, variant_id)
    if chosen is None:
        return False
    result = session.execute(
        update(ProductVariant)
        .where(ProductVariant.id == chosen, ProductVariant.stock >= quantity)
        .values(stock=ProductVariant.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    if affected(result) != 1:
        return False
    _move_total(session, product_id, -quantity)
    return True


def put_back(
    session: Session, product_id: int, quantity: int, variant_id: int | None = None
) -> None:
    if quantity <= 0:
        return
    chosen = _only_variant(session, product_id, variant_id)
    if chosen is None:
        return
    session.execute(
        update(ProductVariant)
        .where(ProductVariant.id == chosen)
        .values(stock=ProductVariant.stock + quantity)
        .execution_options(synchronize_session=False)
    )
    _move_total(session, product_id, quantity)


def _move_total(session: Session, product_id: int, delta: int) -> None:
    """``Product.stock`` is the sum of its variants' stock and moves with them."""
    session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + delta)
        .execution_options(synchronize_session=False)
    )


def change_stock(session: Session, product_id: int, delta: int) -> bool:
    """Add ``delta`` pieces to a product sold without sizes (negative: take them); False
    when that would go below zero."""
    if delta < 0:
        return take_pieces(session, product_id, -delta)
    put_back(session, product_id, delta)
    return True


def pieces_left(session: Session, product_id: int) -> int | None:
    return session.scalar(select(Product.stock).where(Product.id == product_id))


def lock_stock(session: Session, product_id: int) -> int | None:
    """Hold this product's stock until the transaction ends, and read it; None if deleted.

    For a decision that reads stock before writing (allocating the first N likers): the
    other laptop's same decision waits here instead of deciding on the same pieces.
    PostgreSQL locks the row (``FOR UPDATE``); SQLite takes the database's write lock with
    an UPDATE that changes nothing, before anything is read, so the read is current.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE product SET stock = stock WHERE id = :id"), {"id": product_id})
        return pieces_left(session, product_id)
    return session.scalar(select(Product.stock).where(Product.id == product_id).with_for_update())
