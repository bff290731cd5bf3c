"""Changes to many products at once: tags, status and stock. No Qt here.

Each call is part of the caller's one transaction; a refusal raises before anything is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.errors import ProductError
from moments_desk.core.shared.batches import execute_in, rows_in
from moments_desk.core.shared.edits import bump_versions
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.tags import MAX_TAG, attach_tag
from moments_desk.db.models import Product, ProductStatus, ProductVariant, Tag, product_tag


def add_tag(session: Session, ids: Sequence[int], tag_name: str) -> int:
    name = tag_name.strip()[:MAX_TAG]
    if not name:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "The tag is empty."), "tags")
    added = attach_tag(session, product_tag, "product_id", ids, name)
    bump_versions(session, Product, ids)
    return added


def remove_tag(session: Session, ids: Sequence[int], tag_name: str) -> int:
    tag_id = session.scalar(select(Tag.id).where(Tag.name == tag_name.strip()))
    if tag_id is None:
        return 0
    removed = execute_in(
        session,
        lambda chunk: product_tag.delete().where(
            and_(product_tag.c.tag_id == tag_id, product_tag.c.product_id.in_(chunk))
        ),
        ids,
    )
    bump_versions(session, Product, ids)
    return removed


def set_status(session: Session, ids: Sequence[int], status: ProductStatus) -> int:
    return execute_in(
        session,
        lambda chunk: (
            update(Product)
            .where(Product.id.in_(chunk))
            .values(status=status, version=Product.version + 1)
        ),
        ids,
    )


def adjust_stock(session: Session, ids: Sequence[int], delta: int) -> int:
    """Add ``delta`` (may be negative) to each product's stock; all or nothing."""
    short = list(
        rows_in(
            session,
            lambda chunk: select(Product.code, Product.stock).where(
                Product.id.in_(chunk), Product.stock + delta < 0
            ),
            ids,
        )
    )
    if short:
        listed = ", ".join(f"{code} ({stock})" for code, stock in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise ProductError(
            QT_TRANSLATE_NOOP("Catalogue", "Stock would go below zero for {listed}{more}.").format(
                listed=listed, more=more
            ),
            "stock",
        )
    several = list(
        rows_in(
            session,
            lambda chunk: (
                select(Product.code)
                .join(ProductVariant, ProductVariant.product_id == Product.id)
                .where(Product.id.in_(chunk))
                .group_by(Product.id, Product.code)
                .having(func.count(ProductVariant.id) > 1)
            ),
            ids,
        )
    )
    if several:
        listed = ", ".join(code for (code,) in several[:5])
        raise ProductError(
            QT_TRANSLATE_NOOP(
                "Catalogue",
                "{listed} come in several sizes or colours: change their stock per variant "
                "in the product editor.",
            ).format(listed=listed),
            "stock",
        )
    # Conditional, so a sale on another laptop between the check above and here cannot
    # take stock below zero: the refusal rolls the whole change back.
    execute_in(
        session,
        lambda chunk: (
            update(ProductVariant)
            .where(ProductVariant.product_id.in_(chunk), ProductVariant.stock + delta >= 0)
            .values(stock=ProductVariant.stock + delta)
        ),
        ids,
    )
    changed = execute_in(
        session,
        lambda chunk: (
            update(Product)
            .where(Product.id.in_(chunk), Product.stock + delta >= 0)
            .values(stock=Product.stock + delta, version=Product.version + 1)
        ),
        ids,
    )
    if changed != len(set(ids)) and delta < 0:
        raise ProductError(
            QT_TRANSLATE_NOOP(
                "Catalogue", "Stock changed on another computer meanwhile; nothing was changed."
            ),
            "stock",
        )
    return changed
