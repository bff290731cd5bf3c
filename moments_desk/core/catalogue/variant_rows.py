"""Spreadsheet rows that are variants: rows sharing a 编码 with 颜色/尺码 columns, or one
Taobao-style 销售属性 cell such as ``颜色分类:黑色;尺码:M``.

The first row of a code gives the product; every row (the first too) gives one variant
with its own stock, and its own price when it differs from the first row's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.catalogue.variants import (
    MAX_ATTRIBUTE,
    MAX_VARIANTS,
    VariantDraft,
    extra_text,
    variants_of,
)
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

#: Import columns for variants, added to the product fields (first alias: export header).
VARIANT_FIELDS: dict[str, tuple[str, ...]] = {
    "color": ("颜色", "颜色分类", "color"),
    "size": ("尺码", "尺寸", "size"),
    "sale_props": ("销售属性", "SKU属性", "sale_props"),
}
COLOR_KEYS = ("颜色分类", "颜色", "主要颜色", "color", "colour")
SIZE_KEYS = ("尺码", "尺寸", "参考身高", "size")
MAX_PAIRS = 8
_PAIR_SPLIT = re.compile(r"[;；\n]+")


@dataclass(frozen=True)
class RowVariant:
    color: str = ""
    size: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.color, self.size, extra_text(self.extra))

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.color, self.size, *self.extra.values()) if p)


def parse_sale_props(text: str) -> RowVariant:
    """``颜色分类:黑色;尺码:M`` (also with full-width ：；) → colour, size, other attributes.

    Raises ValueError with a sentence when the cell cannot be read.
    """
    color = size = ""
    extra: dict[str, str] = {}
    pairs = [p.strip() for p in _PAIR_SPLIT.split(text.strip()) if p.strip()]
    if len(pairs) > MAX_PAIRS:
        raise ValueError(
            QT_TRANSLATE_NOOP(
                "ProductImport", "{count} attributes is more than {limit} in one cell"
            ).format(count=len(pairs), limit=MAX_PAIRS)
        )
    for pair in pairs:
        name, sep, value = pair.replace("：", ":").partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ValueError(
                QT_TRANSLATE_NOOP(
                    "ProductImport", "{pair} is not name:value, as in 颜色分类:黑色;尺码:M"
                ).format(pair=pair[:60])
            )
        if len(name) > MAX_ATTRIBUTE or len(value) > MAX_ATTRIBUTE:
            raise ValueError(
                QT_TRANSLATE_NOOP(
                    "ProductImport", "{pair} is longer than {limit} characters"
                ).format(pair=pair[:60], limit=MAX_ATTRIBUTE)
            )
        if name.lower() in COLOR_KEYS and not color:
            color = value
        elif name.lower() in SIZE_KEYS and not size:
            size = value
        else:
            extra[name] = value
    return RowVariant(color, size, extra)


def row_variant(cell: Callable[[str], str]) -> RowVariant | None:
    """The row's variant, or None for a product sold in one version."""
    props = cell("sale_props").strip()
    found = parse_sale_props(props) if props else RowVariant()
    color = cell("color").strip() or found.color
    size = cell("size").strip() or found.size
    if len(color) > MAX_ATTRIBUTE or len(size) > MAX_ATTRIBUTE:
        raise ValueError(
            QT_TRANSLATE_NOOP(
                "ProductImport", "a colour or size is longer than {limit} characters"
            ).format(limit=MAX_ATTRIBUTE)
        )
    if not (color or size or found.extra):
        return None
    return RowVariant(color, size, found.extra)


def start_variants(draft: ProductDraft, variant: RowVariant) -> None:
    """The first row of a code: the product's first variant carries the row's stock."""
    draft.variants = [VariantDraft(variant.color, variant.size, draft.stock, extra=variant.extra)]


def add_variant(draft: ProductDraft, variant: RowVariant, stock: int, price: Decimal) -> str | None:
    """A further row of the same code; returns the problem, or None when it was added."""
    variants = draft.variants if draft.variants is not None else []
    if any((v.color, v.size, extra_text(v.extra)) == variant.key for v in variants):
        return QT_TRANSLATE_NOOP("ProductImport", "{label} is already in an earlier row").format(
            label=variant.label
        )
    if len(variants) >= MAX_VARIANTS:
        return QT_TRANSLATE_NOOP("ProductImport", "more than {limit} variants for {code}").format(
            limit=MAX_VARIANTS, code=draft.code
        )
    own_price = None if price == draft.price else price
    variants.append(
        VariantDraft(variant.color, variant.size, stock, own_price, extra=variant.extra)
    )
    draft.variants = variants
    draft.stock = sum(v.stock for v in variants)
    return None


def sized_stock_warnings(session: Session, planned: Sequence[Any]) -> list[str]:
    """Rows without sizes for products already sold in several: their stock stays per size
    (one number cannot be split), and the seller is told so before importing."""
    ids = [p.existing_id for p in planned if p.existing_id and p.draft.variants is None]
    several = {pid for pid, found in stock_by_size_ids(session, ids).items() if found}
    return [
        QT_TRANSLATE_NOOP(
            "ProductImport",
            "row {row}: {code} has sizes or colours; its stock stays as set per size",
        ).format(row=p.row, code=p.draft.code)
        for p in planned
        if p.existing_id in several and p.draft.variants is None
    ]


def stock_by_size_ids(session: Session, ids: Sequence[int]) -> dict[int, bool]:
    return {pid: len(found) > 1 for pid, found in variants_of(session, ids).items()}
