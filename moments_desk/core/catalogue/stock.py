"""Stock changes only here, and only as operations: take pieces, put them back, lock a row.

Every change is one conditional UPDATE (``stock = stock - n WHERE stock >= n``), never a
value read earlier and written back, so two laptops selling the last piece at once cannot
both succeed and stock never goes below zero: the database decides which UPDATE matched.
Forms never set stock; a stock edit in the product editor becomes ``change_stock`` by the
difference the person typed.

Product variants (stock per size/colour) only need these functions pointed at the variant
table: nothing else in the app writes a stock column.
"""

from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from moments_desk.core.shared.uow import affected
from moments_desk.db.models import Product


def take_pieces(session: Session, product_id: int, quantity: int) -> bool:
    """Take ``quantity`` pieces if that many are left; False (nothing written) if not."""
    if quantity <= 0:
        return True
    result = session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    return affected(result) == 1


def put_back(session: Session, product_id: int, quantity: int) -> None:
    if quantity <= 0:
        return
    session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity)
        .execution_options(synchronize_session=False)
    )


def change_stock(session: Session, product_id: int, delta: int) -> bool:
    """Add ``delta`` pieces (negative: take them); False when that would go below zero."""
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
