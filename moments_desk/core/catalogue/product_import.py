"""Importing products from a spreadsheet: check everything first, then write all or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Executable, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.catalogue import ProductDraft, ProductError, validate_draft
from moments_desk.core.catalogue.import_pictures import (
    PictureChecks,
    exists,
    images_by_code,
    natural_order,
)
from moments_desk.core.catalogue.variant_rows import (
    VARIANT_FIELDS,
    RowVariant,
    add_variant,
    row_variant,
    sized_stock_warnings,
    start_variants,
)
from moments_desk.core.catalogue.variants import save_variants, write_stocks_in_bulk
from moments_desk.core.pictures.media import ImageRejected, StoredImage, store_image
from moments_desk.core.shared.batches import execute_in, rows_in
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.core.shared.pinyin import search_keys, search_text
from moments_desk.core.shared.tags import split_tags as _split_tags
from moments_desk.core.spreadsheets.importing import ImportCancelled as ImportCancelled
from moments_desk.core.spreadsheets.importing import RowError as RowError
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.db.models import MediaFile, Product, ProductImage, ProductStatus, Tag, product_tag

PRODUCT_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "商品编码", "货号", "款号", "商家编码", "SKU", "code"),
    "name": ("名称", "商品名称", "宝贝标题", "标题", "name"),
    "category": ("分类", "类目", "品类", "category"),
    "tags": ("标签", "tags"),
    "price": ("售价", "价格", "一口价", "price"),
    "cost": ("成本", "进价", "cost"),
    "stock": ("库存", "数量", "stock"),
    "status": ("状态", "status"),
    "new_arrival_date": ("上新日期", "上新时间", "new_arrival"),
    "selling_points": ("卖点", "亮点", "描述", "selling_points"),
    "taobao_url": ("淘宝链接", "链接", "taobao_url"),
    "notes": ("备注", "notes"),
    "images": ("图片", "图片路径", "images"),
    # One row per variant: rows sharing a code make one product (see variant_rows).
    **VARIANT_FIELDS,
}
REQUIRED = ("code", "name", "price")
STATUS_WORDS = {
    "在售": ProductStatus.ON_SALE,
    "on_sale": ProductStatus.ON_SALE,
    "售罄": ProductStatus.SOLD_OUT,
    "sold_out": ProductStatus.SOLD_OUT,
    "下架": ProductStatus.OFF_SHELF,
    "off_shelf": ProductStatus.OFF_SHELF,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?$")


def _pairs(conn: Connection | Session, stmt: Any) -> dict[Any, Any]:
    return {key: value for key, value in conn.execute(stmt)}


@dataclass
class PlannedProduct:
    row: int
    draft: ProductDraft
    existing_id: int | None
    image_files: list[Path] = field(default_factory=list)


@dataclass
class ProductImportPlan:
    products: list[PlannedProduct]
    errors: list[RowError]
    warnings: list[str]
    skipped: int = 0

    @property
    def to_create(self) -> int:
        return sum(1 for p in self.products if p.existing_id is None)

    @property
    def to_update(self) -> int:
        return sum(1 for p in self.products if p.existing_id is not None)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    images: int


def parse_date(text: str) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(
            QT_TRANSLATE_NOOP("ProductImport", "{text} is not a date; write 2026-11-24").format(
                text=text
            )
        )
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            QT_TRANSLATE_NOOP("ProductImport", "{text} does not exist").format(text=text)
        ) from None


def plan_product_import(
    table: Table,
    mapping: dict[str, int],
    session: Session,
    *,
    images_folder: Path | None = None,
    on_existing: str = "update",
) -> ProductImportPlan:
    """Check every row without writing anything; the plan lists what would change."""
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        names = ", ".join(f"{f} ({PRODUCT_FIELDS[f][0]})" for f in missing)
        return ProductImportPlan(
            [],
            [
                RowError(
                    1,
                    None,
                    QT_TRANSLATE_NOOP("ProductImport", "no column chosen for {names}").format(
                        names=names
                    ),
                )
            ],
            [],
        )
    existing = _pairs(session, select(Product.code, Product.id))
    pictures, folder_warnings = images_by_code(images_folder, table.path)
    checks = PictureChecks()
    errors: list[RowError] = []
    warnings: list[str] = [*table.warnings, *folder_warnings]
    planned: list[PlannedProduct] = []
    first_row: dict[str, int] = {}
    #: code → the planned product whose later rows are its variants
    with_variants: dict[str, PlannedProduct] = {}
    left_out: set[str] = set()
    skipped = 0
    for number, cells in zip(table.row_numbers, table.rows, strict=True):

        def cell(name: str, cells: list[str] = cells) -> str:
            index = mapping.get(name)
            return cells[index] if index is not None else ""

        row_errors: list[RowError] = []
        code = cell("code").strip()
        variant: RowVariant | None = None
        try:
            variant = row_variant(cell)
        except ValueError as error:
            # Said once: the unreadable size is the problem, not the shared code.
            row_errors.append(RowError(number, "sale_props", message_of(error)))
        joins = code in first_row and (variant is not None or bool(row_errors))
        joins = joins and code in with_variants
        if code in first_row and not joins and not (variant and code in left_out):
            row_errors.append(
                RowError(
                    number,
                    "code",
                    QT_TRANSLATE_NOOP(
                        "ProductImport", "{code} is also used in row {first_row}"
                    ).format(code=code, first_row=first_row[code]),
                )
            )
        elif code and code not in first_row:
            first_row[code] = number
        try:
            price = parse_price(cell("price"))
        except PriceError as error:
            row_errors.append(RowError(number, "price", message_of(error)))
            price = None
        try:
            cost = parse_price(cell("cost"), allow_empty=True)
        except PriceError as error:
            row_errors.append(RowError(number, "cost", message_of(error)))
            cost = None
        stock_text = cell("stock").strip() or "0"
        stock = int(stock_text) if re.fullmatch(r"\d{1,9}", stock_text) else None
        if stock is None:
            row_errors.append(
                RowError(
                    number,
                    "stock",
                    QT_TRANSLATE_NOOP(
                        "ProductImport", "{stock_text} is not a whole number of pieces"
                    ).format(stock_text=stock_text),
                )
            )
        status_text = cell("status").strip()
        status = STATUS_WORDS.get(status_text.lower() or "在售")
        if status is None:
            row_errors.append(
                RowError(
                    number,
                    "status",
                    QT_TRANSLATE_NOOP(
                        "ProductImport", "{status_text} is not 在售, 售罄 or 下架"
                    ).format(status_text=status_text),
                )
            )
        arrival = None
        if cell("new_arrival_date").strip():
            try:
                arrival = parse_date(cell("new_arrival_date"))
            except ValueError as error:
                row_errors.append(RowError(number, "new_arrival_date", message_of(error)))
        files: list[Path] = []
        for name in re.split(r"[;\n；]+", cell("images")):
            if name.strip():
                path = Path(name.strip())
                if not path.is_absolute():
                    path = table.path.parent / path
                if not exists(path):
                    row_errors.append(
                        RowError(
                            number,
                            "images",
                            QT_TRANSLATE_NOOP("ProductImport", "{name} was not found").format(
                                name=name.strip()
                            ),
                        )
                    )
                files.append(path)
        if code:
            matched = [
                p
                for stem, paths in pictures.items()
                if stem == code.lower() or re.match(re.escape(code.lower()) + r"[-_ ]\d+$", stem)
                for p in paths
            ]
            files += sorted(matched, key=natural_order)
        if len(files) > 9:
            warnings.append(
                QT_TRANSLATE_NOOP(
                    "ProductImport", "row {row}: only the first 9 of {count} pictures are used"
                ).format(row=number, count=len(files))
            )
            files = files[:9]
        for path in files:
            problem = checks.problem(path) if exists(path) else None  # missing: named above
            if problem is not None:
                row_errors.append(RowError(number, "images", problem))
        if row_errors:
            errors.extend(row_errors)
            continue
        assert price is not None and stock is not None and status is not None
        if variant is not None and code in left_out:
            continue  # the product's first row was skipped or refused: so are its sizes
        if joins and variant is not None:
            problem = add_variant(with_variants[code].draft, variant, stock, price)
            if problem is not None:
                errors.append(RowError(number, "sale_props", problem))
            continue
        draft = ProductDraft(
            code=code,
            name=cell("name"),
            category=cell("category"),
            tags=_split_tags(cell("tags")),
            price=price,
            cost=cost,
            stock=stock,
            status=status,
            new_arrival_date=arrival,
            selling_points=cell("selling_points"),
            taobao_url=cell("taobao_url"),
            notes=cell("notes"),
        )
        try:
            draft = validate_draft(draft)
        except ProductError as error:
            errors.append(RowError(number, error.field, message_of(error)))
            left_out.add(code)
            continue
        existing_id = existing.get(draft.code)
        if existing_id is not None and on_existing == "skip":
            skipped += 1
            left_out.add(code)
            continue
        if existing_id is not None and on_existing == "error":
            errors.append(
                RowError(
                    number,
                    "code",
                    QT_TRANSLATE_NOOP("ProductImport", "{code} is already in the catalogue").format(
                        code=draft.code
                    ),
                )
            )
            continue
        planned.append(PlannedProduct(number, draft, existing_id, files))
        if variant is not None:
            start_variants(draft, variant)
            with_variants[code] = planned[-1]
    warnings += sized_stock_warnings(session, planned)
    return ProductImportPlan(planned, errors, warnings, skipped)


def apply_product_import(
    plan: ProductImportPlan,
    engine: Engine,
    media_root: Path,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Write the plan in one transaction; any failure or a cancel leaves the shop unchanged.

    Pictures are copied into the media store first. If the import then fails, those files
    stay on disk unreferenced; they are content-addressed, so a retry reuses them.
    """
    if not plan.ok:
        raise ValueError(
            QT_TRANSLATE_NOOP("ProductImport", "the import has errors; fix them first")
        )
    moment = now or datetime.now(UTC)
    total = len(plan.products) + 2
    done = 0

    def tick(step: int = 1) -> None:
        nonlocal done
        if should_cancel is not None and should_cancel():
            raise ImportCancelled
        done += step
        if progress is not None:
            progress(min(done, total), total)

    stored: dict[int, list[StoredImage]] = {}
    for product in plan.products:
        images = []
        for path in product.image_files:
            try:
                images.append(store_image(path, media_root))
            except ImageRejected as error:
                raise ValueError(
                    QT_TRANSLATE_NOOP("ProductImport", "row {row}: {error}").format(
                        row=product.row, error=message_of(error)
                    )
                ) from error
        stored[product.row] = images
        tick()
    with engine.begin() as conn:
        tag_names = sorted({t for p in plan.products for t in p.draft.tags})

        def tag_query(names: list[str]) -> Executable:
            return select(Tag.name, Tag.id).where(Tag.name.in_(names))

        tags = dict(rows_in(conn, tag_query, tag_names))
        new_tags = [{"name": n} for n in tag_names if n not in tags]
        if new_tags:
            conn.execute(insert(Tag), new_tags)
            tags = dict(rows_in(conn, tag_query, tag_names))
        shas = sorted({img.sha256 for imgs in stored.values() for img in imgs})

        def media_query(wanted: list[str]) -> Executable:
            return select(MediaFile.sha256, MediaFile.id).where(MediaFile.sha256.in_(wanted))

        media = dict(rows_in(conn, media_query, shas))
        new_media = {
            img.sha256: img for imgs in stored.values() for img in imgs if img.sha256 not in media
        }
        if new_media:
            conn.execute(
                insert(MediaFile),
                [
                    {
                        "sha256": i.sha256,
                        "rel_path": i.rel_path,
                        "original_name": i.original_name,
                        "width": i.width,
                        "height": i.height,
                        "format": i.format,
                        "size_bytes": i.size_bytes,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                    for i in new_media.values()
                ],
            )
            media = dict(rows_in(conn, media_query, shas))

        def values(p: PlannedProduct) -> dict[str, Any]:
            d = p.draft
            initials, full = search_keys(d.name, d.code)
            return {
                "code": d.code,
                "name": d.name,
                "category": d.category,
                "price": d.price,
                "cost": d.cost,
                "stock": d.stock,
                "status": d.status,
                "new_arrival_date": d.new_arrival_date,
                "selling_points": d.selling_points,
                "taobao_url": d.taobao_url or None,
                "notes": d.notes,
                "search_initials": initials,
                "search_full": full,
                "search_text": search_text((d.name, d.code)),
                "updated_at": moment,
            }

        creates = [p for p in plan.products if p.existing_id is None]
        updates = [p for p in plan.products if p.existing_id is not None]
        if creates:
            conn.execute(
                insert(Product),
                [{**values(p), "archived": False, "created_at": moment} for p in creates],
            )
        if updates:
            conn.execute(
                update(Product).where(Product.id == bindparam("pid")),
                [{**values(p), "pid": p.existing_id} for p in updates],
            )
        codes = [p.draft.code for p in plan.products]
        ids = dict(
            rows_in(
                conn, lambda c: select(Product.code, Product.id).where(Product.code.in_(c)), codes
            )
        )
        execute_in(
            conn,
            lambda chunk: product_tag.delete().where(product_tag.c.product_id.in_(chunk)),
            list(ids.values()),
        )
        links = [
            {"product_id": ids[p.draft.code], "tag_id": tags[t]}
            for p in plan.products
            for t in p.draft.tags
        ]
        if links:
            conn.execute(insert(product_tag), links)
        write_stocks_in_bulk(
            conn,
            {ids[p.draft.code]: p.draft.stock for p in plan.products if p.draft.variants is None},
        )
        _write_variants(conn, [(ids[p.draft.code], p.draft) for p in plan.products])
        with_images = [p for p in plan.products if stored.get(p.row)]
        execute_in(
            conn,
            lambda chunk: delete(ProductImage).where(ProductImage.product_id.in_(chunk)),
            [ids[p.draft.code] for p in with_images],
        )
        image_rows = [
            {"product_id": ids[p.draft.code], "media_id": media[img.sha256], "position": n}
            for p in with_images
            for n, img in enumerate(dict((i.sha256, i) for i in stored[p.row]).values())
        ]
        if image_rows:
            conn.execute(insert(ProductImage), image_rows)
        tick(2)
    return ImportResult(len(creates), len(updates), len(image_rows))


def _write_variants(conn: Connection, products: list[tuple[int, ProductDraft]]) -> None:
    """Each product's variant rows, matched to stored variants by colour and size, so that
    importing the same file again changes nothing."""
    with Session(bind=conn) as session:
        for product_id, draft in products:
            if draft.variants is not None:
                try:
                    save_variants(session, product_id, draft.variants)
                except ValueError as error:
                    raise ValueError(f"{draft.code}: {message_of(error)}") from error
        session.flush()
