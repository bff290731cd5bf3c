"""Finding products: the filtered, sorted id list and the light rows a table shows. No Qt.

Listing is id-based: ``search_product_ids`` runs the filter and sort in SQL and returns ids
only, and ``load_product_rows`` fetches the light rows a table actually shows. That keeps a
keystroke cheap at 5,000 products and the UI free of SQL.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.variants import variant_label
from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.listing import SqlListSource
from moments_desk.core.shared.tags import like_pattern
from moments_desk.db.models import (
    MediaFile,
    Post,
    PostProduct,
    PostStatus,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Tag,
    product_tag,
)


class SortKey(enum.StrEnum):
    UPDATED = "updated"
    CODE = "code"
    NAME = "name"
    CATEGORY = "category"
    PRICE = "price"
    STOCK = "stock"
    STATUS = "status"
    NEW_ARRIVAL = "new_arrival"
    LAST_POSTED = "last_posted"


@dataclass(frozen=True)
class ProductQuery:
    text: str = ""
    category: str | None = None
    status: ProductStatus | None = None
    new_within_days: int | None = None
    not_posted_days: int | None = None
    include_archived: bool = False
    sort: SortKey = SortKey.UPDATED
    descending: bool = True


@dataclass(frozen=True)
class ProductRow:
    """What one line of the products table shows."""

    id: int
    code: str
    name: str
    category: str
    price: Decimal
    stock: int
    status: ProductStatus
    new_arrival_date: date | None
    archived: bool
    tags: tuple[str, ...]
    cover_path: str | None
    last_posted_at: datetime | None
    #: "S 2 · M 0 · L 5" for a product sold in several sizes or colours; "" otherwise
    sizes: str = ""


def _last_posted_subquery() -> Any:
    return (
        select(func.max(Post.posted_at))
        .join(PostProduct, PostProduct.post_id == Post.id)
        .where(PostProduct.product_id == Product.id, Post.status == PostStatus.POSTED)
        .correlate(Product)
        .scalar_subquery()
    )


def _filters(query: ProductQuery, today: date, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_archived:
        conditions.append(~Product.archived)
    text = query.text.strip()
    if text:
        pattern = like_pattern(text)
        lowered = like_pattern(text.lower())
        compact = like_pattern(re.sub(r"\s+", "", text).lower())
        tag_match = exists(
            select(1)
            .select_from(product_tag.join(Tag, Tag.id == product_tag.c.tag_id))
            .where(product_tag.c.product_id == Product.id, Tag.name.ilike(pattern, escape="\\"))
        )
        # search_text holds the name, code and their pinyin, lowercased when written.
        conditions.append(
            or_(
                Product.search_text.like(lowered, escape="\\"),
                Product.search_text.like(compact, escape="\\"),
                tag_match,
            )
        )
    if query.category is not None:
        conditions.append(Product.category == query.category)
    if query.status is not None:
        conditions.append(Product.status == query.status)
    if query.new_within_days is not None:
        conditions.append(Product.new_arrival_date >= today - timedelta(days=query.new_within_days))
    if query.not_posted_days is not None:
        since = now - timedelta(days=query.not_posted_days)
        recently_posted = exists(
            select(1)
            .select_from(PostProduct)
            .join(Post, Post.id == PostProduct.post_id)
            .where(
                PostProduct.product_id == Product.id,
                Post.status == PostStatus.POSTED,
                Post.posted_at >= since,
            )
        )
        conditions.append(~recently_posted)
    return conditions


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.UPDATED: Product.updated_at,
    SortKey.CODE: Product.code,
    SortKey.NAME: Product.name,
    SortKey.CATEGORY: Product.category,
    SortKey.PRICE: Product.price,
    SortKey.STOCK: Product.stock,
    SortKey.STATUS: Product.status,
    SortKey.NEW_ARRIVAL: Product.new_arrival_date,
}


def _id_statement(query: ProductQuery, today: date, now: datetime) -> Select[Any]:
    stmt = select(Product.id).where(*_filters(query, today, now))
    if query.sort is SortKey.LAST_POSTED:
        column: Any = _last_posted_subquery()
    else:
        column = _SORT_COLUMNS[query.sort]
    ordered = column.desc() if query.descending else column.asc()
    # NULLs (never posted, no date) last either way; id keeps the order stable between runs.
    return stmt.order_by(column.is_(None), ordered, Product.id.desc())


def product_listing(
    sessions: sessionmaker[Session], now: Callable[[], datetime]
) -> SqlListSource[ProductQuery, ProductRow]:
    """The Products page's rows, read a window at a time."""
    return SqlListSource(
        sessions, lambda query: _id_statement(query, now().date(), now()), load_product_rows
    )


def search_product_ids(session: Session, query: ProductQuery, now: datetime) -> list[int]:
    return list(session.scalars(_id_statement(query, now.date(), now)))


def load_product_rows(session: Session, ids: Sequence[int]) -> dict[int, ProductRow]:
    if not ids:
        return {}
    cover = (
        select(MediaFile.rel_path)
        .join(ProductImage, ProductImage.media_id == MediaFile.id)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )
    columns = (
        Product.id,
        Product.code,
        Product.name,
        Product.category,
        Product.price,
        Product.stock,
        Product.status,
        Product.new_arrival_date,
        Product.archived,
        cover.label("cover"),
        _last_posted_subquery().label("last_posted"),
    )
    rows = list(rows_in(session, lambda chunk: select(*columns).where(Product.id.in_(chunk)), ids))
    tags: dict[int, list[str]] = {}
    for product_id, name in rows_in(
        session,
        lambda chunk: (
            select(product_tag.c.product_id, Tag.name)
            .join(Tag, Tag.id == product_tag.c.tag_id)
            .where(product_tag.c.product_id.in_(chunk))
            .order_by(Tag.name)
        ),
        ids,
    ):
        tags.setdefault(product_id, []).append(name)
    sizes = _size_breakdown(session, ids)
    return {
        row.id: ProductRow(
            id=row.id,
            code=row.code,
            name=row.name,
            category=row.category,
            price=row.price,
            stock=row.stock,
            status=row.status,
            new_arrival_date=row.new_arrival_date,
            archived=row.archived,
            tags=tuple(tags.get(row.id, ())),
            cover_path=row.cover,
            last_posted_at=row.last_posted,
            sizes=sizes.get(row.id, ""),
        )
        for row in rows
    }


def _size_breakdown(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Each shown product's stock per size, read for the whole window at once (one query per
    batch of ids, not one per row: the list must stay fluid at 5,000 products × 8 sizes)."""
    found: dict[int, list[str]] = {}
    rows = rows_in(
        session,
        lambda chunk: (
            select(
                ProductVariant.product_id,
                ProductVariant.color,
                ProductVariant.size,
                ProductVariant.extra,
                ProductVariant.stock,
            )
            .where(ProductVariant.product_id.in_(chunk))
            .order_by(ProductVariant.product_id, ProductVariant.position, ProductVariant.id)
        ),
        ids,
    )
    for product_id, color, size, extra, stock in rows:
        found.setdefault(product_id, []).append(f"{variant_label(color, size, extra)} {stock}")
    return {pid: " · ".join(parts) for pid, parts in found.items() if len(parts) > 1}


def categories(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Product.category)
            .where(Product.category != "", ~Product.archived)
            .distinct()
            .order_by(Product.category)
        )
    )


def tag_names(session: Session) -> list[str]:
    return list(session.scalars(select(Tag.name).order_by(Tag.name)))
