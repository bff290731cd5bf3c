"""Sales and stock by variant: which sizes and colours sell, per category (the size curve).

Pieces sold count order lines of orders that count as sales (not cancelled or refunded)
created in the range; stock is what is left now. Lines from before sizes existed (no
variant) are counted under an empty size, so the totals still add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.orders.variant_words import normalise_size
from moments_desk.core.reports.period import ReportFilter, counted_order
from moments_desk.core.reports.table import Column, ReportTable
from moments_desk.db.models import Order, OrderItem, Product, ProductVariant


@dataclass(frozen=True)
class VariantFigures:
    category: str
    size: str
    color: str
    sold: int
    stock: int
    #: this size's share of the category's pieces sold (0..1)
    share: float


def sales_by_variant(
    session: Session, f: ReportFilter, *, by_color: bool = False
) -> list[VariantFigures]:
    """Per category and size (and colour with ``by_color``): pieces sold and left."""
    sold_query = (
        select(
            Product.category,
            func.coalesce(ProductVariant.size, ""),
            func.coalesce(ProductVariant.color, ""),
            func.sum(OrderItem.quantity),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .join(Product, Product.id == OrderItem.product_id)
        .outerjoin(ProductVariant, ProductVariant.id == OrderItem.variant_id)
        .where(counted_order(), Order.created_at >= f.start_utc, Order.created_at < f.end_utc)
        .group_by(Product.category, ProductVariant.size, ProductVariant.color)
    )
    if f.account_id is not None:
        sold_query = sold_query.where(Order.account_id == f.account_id)
    stock_query = (
        select(
            Product.category,
            ProductVariant.size,
            ProductVariant.color,
            func.sum(ProductVariant.stock),
        )
        .join(Product, Product.id == ProductVariant.product_id)
        .where(Product.archived.is_(False))
        .group_by(Product.category, ProductVariant.size, ProductVariant.color)
    )
    sold: dict[tuple[str, str, str], int] = {}
    stock: dict[tuple[str, str, str], int] = {}
    for target, query in ((sold, sold_query), (stock, stock_query)):
        for category, size, color, amount in session.execute(query):
            key = (category or "", normalise_size(size or ""), (color or "") if by_color else "")
            target[key] = target.get(key, 0) + int(amount or 0)
    per_category: dict[str, int] = {}
    for (category, _, _), amount in sold.items():
        per_category[category] = per_category.get(category, 0) + amount
    keys = sorted(set(sold) | set(stock), key=lambda k: (k[0], _size_order(k[1]), k[2]))
    return [
        VariantFigures(
            category,
            size,
            color,
            sold.get((category, size, color), 0),
            stock.get((category, size, color), 0),
            sold.get((category, size, color), 0) / per_category[category]
            if per_category.get(category)
            else 0.0,
        )
        for category, size, color in keys
    ]


_LETTERS = ("XXS", "XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL")


def _size_order(size: str) -> tuple[int, float, str]:
    """S < M < L < XL < 2XL, heights by number, words (均码, 大码) after them."""
    if size in _LETTERS:
        return (0, _LETTERS.index(size), size)
    head = size.split("/", 1)[0]
    if head.isdigit():
        return (1, float(head), size)
    return (2, 0.0, size)


def variants_table(rows: list[VariantFigures]) -> ReportTable:
    return ReportTable(
        "variants",
        "Sales and stock by size",
        (
            Column("category", "Category", "text"),
            Column("variant_size", "Size", "text"),
            Column("variant_color", "Colour", "text"),
            Column("pieces_sold", "Pieces sold"),
            Column("size_share", "Share of the category", "percent"),
            Column("in_stock", "In stock"),
        ),
        tuple((r.category, r.size, r.color, r.sold, r.share, r.stock) for r in rows),
    )
