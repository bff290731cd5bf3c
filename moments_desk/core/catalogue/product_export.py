"""Exporting products to CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it) or XLSX.

Column names are the first import alias of each field, so an export imports back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.catalogue.product_import import PRODUCT_FIELDS
from moments_desk.core.shared.batches import scalars_in
from moments_desk.core.spreadsheets.safe_cells import SafeCsvWriter, xlsx_row
from moments_desk.db.models import Product, ProductImage

STATUS_TEXT = {"on_sale": "在售", "sold_out": "售罄", "off_shelf": "下架"}


def _rows(session: Session, product_ids: Sequence[int] | None) -> list[list[str]]:
    query = (
        select(Product)
        .options(
            selectinload(Product.tags),
            selectinload(Product.variants),
            selectinload(Product.images).selectinload(ProductImage.media),
        )
        .order_by(Product.code)
    )
    products = (
        session.scalars(query)
        if product_ids is None
        else sorted(
            scalars_in(session, lambda chunk: query.where(Product.id.in_(chunk)), product_ids),
            key=lambda p: p.code,
        )
    )
    rows = []
    for p in products:
        base = [
            p.code,
            p.name,
            p.category,
            "、".join(t.name for t in p.tags),
            f"{p.price}",
            "" if p.cost is None else f"{p.cost}",
            str(p.stock),
            STATUS_TEXT[p.status.value],
            p.new_arrival_date.isoformat() if p.new_arrival_date else "",
            p.selling_points,
            p.taobao_url or "",
            p.notes,
            ";".join(img.media.rel_path for img in p.images),
        ]
        sized = [v for v in p.variants if v.color or v.size or v.extra]
        if not sized:
            rows.append([*base, "", "", ""])
            continue
        # One row per variant, sharing the code: the import makes them one product again.
        for v in sized:
            row = list(base)
            row[4] = f"{v.price if v.price is not None else p.price}"
            row[6] = str(v.stock)
            rows.append([*row, v.color, v.size, _props(v.extra)])
    return rows


def _props(extra: str) -> str:
    """Further attributes as a 销售属性 cell: ``款式:长款;材质:羊毛``."""
    if not extra:
        return ""
    loaded = json.loads(extra)
    return ";".join(f"{k}:{v}" for k, v in loaded.items()) if isinstance(loaded, dict) else ""


def export_products(
    session: Session, target: Path, *, product_ids: Sequence[int] | None = None
) -> int:
    headers = [aliases[0] for aliases in PRODUCT_FIELDS.values()]
    rows = _rows(session, product_ids)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("商品")
        sheet.append(xlsx_row(sheet, headers))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        book.save(target)
    else:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = SafeCsvWriter(handle)
            writer.writerow(headers)
            writer.writerows(rows)
    return len(rows)
