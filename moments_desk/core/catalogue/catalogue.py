"""The product catalogue: creating, editing, copying, archiving and deleting products. No Qt.

Searching and the rows a table shows are in ``listing.py``; changes to many products at once
(tags, status, stock) in ``bulk.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Select,
    delete,
    select,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.catalogue.bulk import add_tag as add_tag
from moments_desk.core.catalogue.bulk import adjust_stock as adjust_stock
from moments_desk.core.catalogue.bulk import remove_tag as remove_tag
from moments_desk.core.catalogue.bulk import set_status as set_status
from moments_desk.core.catalogue.errors import ProductError as ProductError
from moments_desk.core.catalogue.stock import change_stock, pieces_left
from moments_desk.core.catalogue.variants import (
    VariantDraft,
    VariantError,
    list_variants,
    save_variants,
    set_single_stock,
)
from moments_desk.core.shared.batches import execute_in, scalars_in
from moments_desk.core.shared.edits import (
    EditConflict,
    EditConflictError,
    merge_edit,
    stale_row,
)
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.tags import tags_named
from moments_desk.db.models import (
    Allocation,
    MediaFile,
    OrderItem,
    PostProduct,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
)

MAX_IMAGES = 9


@dataclass(frozen=True)
class ProductImageRef:
    media_id: int
    rel_path: str
    width: int
    height: int


@dataclass
class ProductDraft:
    """The editable fields of a product, as the editor and importers hand them in."""

    code: str
    name: str
    category: str = ""
    tags: list[str] = field(default_factory=list)
    price: Decimal = Decimal("0")
    cost: Decimal | None = None
    stock: int = 0
    status: ProductStatus = ProductStatus.ON_SALE
    new_arrival_date: date | None = None
    selling_points: str = ""
    taobao_url: str = ""
    notes: str = ""
    image_media_ids: list[int] = field(default_factory=list)
    #: The colour × size cells; None keeps the variants as stored and ``stock`` goes to the
    #: single default variant (the product sold without sizes).
    variants: list[VariantDraft] | None = None


@dataclass(frozen=True)
class ProductDetail:
    id: int
    draft: ProductDraft
    images: tuple[ProductImageRef, ...]
    archived: bool
    updated_at: datetime


@dataclass(frozen=True)
class DeleteOutcome:
    deleted: tuple[int, ...]
    #: Products kept because posts, orders or allocations refer to them: archive them instead.
    refused: tuple[tuple[int, str], ...]


# --- editing ---------------------------------------------------------------------------------


def validate_draft(draft: ProductDraft) -> ProductDraft:
    code = draft.code.strip()
    name = draft.name.strip()
    if not code:
        raise ProductError(
            QT_TRANSLATE_NOOP("Catalogue", "Every product needs a code (货号)."), "code"
        )
    if len(code) > 60:
        raise ProductError(
            QT_TRANSLATE_NOOP("Catalogue", "The code is longer than 60 characters."), "code"
        )
    if not name:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "Every product needs a name."), "name")
    if len(name) > 200:
        raise ProductError(
            QT_TRANSLATE_NOOP("Catalogue", "The name is longer than 200 characters."), "name"
        )
    if draft.price < 0:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "The price cannot be negative."), "price")
    if draft.cost is not None and draft.cost < 0:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "The cost cannot be negative."), "cost")
    if draft.stock < 0:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "Stock cannot be negative."), "stock")
    if len(draft.image_media_ids) > MAX_IMAGES:
        raise ProductError(
            QT_TRANSLATE_NOOP(
                "Catalogue", "A product can have at most {MAX_IMAGES} pictures."
            ).format(MAX_IMAGES=MAX_IMAGES),
            "images",
        )
    url = draft.taobao_url.strip()
    if url and not re.match(r"^https?://\S+$", url):
        raise ProductError(
            QT_TRANSLATE_NOOP("Catalogue", "The Taobao link must start with http:// or https://"),
            "taobao_url",
        )
    return replace(
        draft,
        code=code,
        name=name,
        category=draft.category.strip()[:60],
        taobao_url=url,
        tags=[t for t in dict.fromkeys(t.strip()[:40] for t in draft.tags) if t],
    )


def _search_keys(*texts: str) -> tuple[str, str]:
    from moments_desk.core.shared.pinyin import search_keys

    return search_keys(*texts)


def _search_text(*texts: str) -> str:
    from moments_desk.core.shared.pinyin import search_text

    return search_text(texts)


def _apply(session: Session, product: Product, draft: ProductDraft) -> None:
    # Lookups below must not flush a half-filled new product (NOT NULL code, name).
    with session.no_autoflush:
        clash = session.scalar(
            select(Product.id).where(Product.code == draft.code, Product.id != product.id)
            if product.id is not None
            else select(Product.id).where(Product.code == draft.code)
        )
        if clash is not None:
            raise ProductError(
                QT_TRANSLATE_NOOP(
                    "Catalogue", "Another product already uses the code {code}."
                ).format(code=draft.code),
                "code",
            )
        known = set(
            session.scalars(select(MediaFile.id).where(MediaFile.id.in_(draft.image_media_ids)))
        )
        if any(m not in known for m in draft.image_media_ids):
            raise ProductError(
                QT_TRANSLATE_NOOP(
                    "Catalogue", "A picture was removed from the media store meanwhile."
                ),
                "images",
            )
        tags = tags_named(session, draft.tags)
    product.code = draft.code
    product.name = draft.name
    product.category = draft.category
    product.price = draft.price
    product.cost = draft.cost
    if sa_inspect(product).transient:
        # Only a new product takes the form's stock; afterwards stock moves only through
        # stock operations (``stock.change_stock``), never by writing a value read earlier.
        product.stock = draft.stock
    product.status = draft.status
    product.new_arrival_date = draft.new_arrival_date
    product.selling_points = draft.selling_points
    product.taobao_url = draft.taobao_url or None
    product.notes = draft.notes
    product.tags = tags
    product.search_initials, product.search_full = _search_keys(draft.name, draft.code)
    product.search_text = _search_text(draft.name, draft.code)
    wanted = list(dict.fromkeys(draft.image_media_ids))
    if product.id is not None and [i.media_id for i in product.images] == wanted:
        return
    if product.id is not None and product.images:
        product.images.clear()
        session.flush()  # positions are unique per product: old rows must go before new ones
    product.images.extend(
        ProductImage(media_id=media_id, position=position)
        for position, media_id in enumerate(wanted)
    )


def _write_variants(session: Session, product_id: int, draft: ProductDraft) -> None:
    try:
        if draft.variants is None:
            set_single_stock(session, product_id, draft.stock)
        else:
            save_variants(session, product_id, draft.variants)
    except VariantError as exc:
        raise ProductError(str(exc), "variants") from exc


def create_product(session: Session, draft: ProductDraft) -> int:
    product = Product()
    _apply(session, product, validate_draft(draft))
    session.add(product)
    session.flush()
    _write_variants(session, product.id, draft)
    return product.id


#: The editor's names for the fields a conflict sentence names.
FIELD_LABELS = {
    "code": QT_TRANSLATE_NOOP("Catalogue", "Code"),
    "name": QT_TRANSLATE_NOOP("Catalogue", "Name"),
    "category": QT_TRANSLATE_NOOP("Catalogue", "Category"),
    "tags": QT_TRANSLATE_NOOP("Catalogue", "Tags"),
    "price": QT_TRANSLATE_NOOP("Catalogue", "Price"),
    "cost": QT_TRANSLATE_NOOP("Catalogue", "Cost"),
    "status": QT_TRANSLATE_NOOP("Catalogue", "Status"),
    "new_arrival_date": QT_TRANSLATE_NOOP("Catalogue", "New arrival date"),
    "selling_points": QT_TRANSLATE_NOOP("Catalogue", "Selling points"),
    "taobao_url": QT_TRANSLATE_NOOP("Catalogue", "Taobao link"),
    "notes": QT_TRANSLATE_NOOP("Catalogue", "Notes"),
    "image_media_ids": QT_TRANSLATE_NOOP("Catalogue", "Pictures"),
}


class ProductConflictError(ProductError):
    """A field changed here was saved with another value elsewhere; ``conflict`` has both."""

    def __init__(self, conflict: EditConflict[ProductDraft]) -> None:
        super().__init__(conflict.message(FIELD_LABELS), conflict.fields[0])
        self.conflict = conflict


def update_product(
    session: Session, product_id: int, draft: ProductDraft, base: ProductDraft | None = None
) -> None:
    """Save the editor's changes: only the fields changed since ``base`` (the product as the
    editor opened it) are written, so what another laptop saved meanwhile stays. Stock is
    moved by the difference the person typed, never set. ``base=None``: against the stored
    product (every field that differs is written)."""
    product = session.get(Product, product_id)
    if product is None:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "This product was deleted meanwhile."))
    theirs = _draft_of(product)
    mine = validate_draft(draft)
    start = base or theirs
    try:
        # Stock is never merged: it moves by the difference typed against what the form
        # showed, so "theirs" carries the form's stock and can be the base of a second save.
        # Variants are saved by their own rules below.
        merged = merge_edit(
            start, mine, replace(theirs, stock=start.stock), skip=("stock", "variants")
        )
    except EditConflictError as clash:
        raise ProductConflictError(clash.conflict) from None
    _apply(session, product, merged)
    try:
        session.flush()
    except StaleDataError:
        raise ProductError(stale_row()) from None
    if draft.variants is not None and len(draft.variants) > 1:
        # Sizes and colours: the grid saves each variant's cells as typed.
        _write_variants(session, product.id, draft)
        session.refresh(product, ["stock"])
        return
    if draft.variants:
        # One variant: its attributes, price and code as typed; its stock moves below.
        kept = _stored_variant_stock(session, product_id, draft.variants[0].id)
        _write_variants(
            session, product.id, replace(draft, variants=[replace(draft.variants[0], stock=kept)])
        )
    if not change_stock(session, product_id, mine.stock - start.stock):
        raise ProductError(
            QT_TRANSLATE_NOOP(
                "Catalogue",
                "Only {left} left in stock now (sold on another computer meanwhile): "
                "stock cannot go {delta} below that.",
            ).format(left=pieces_left(session, product_id), delta=start.stock - mine.stock),
            "stock",
        )
    session.refresh(product, ["stock"])


def _draft_of(product: Product) -> ProductDraft:
    return ProductDraft(
        code=product.code,
        name=product.name,
        category=product.category,
        tags=[t.name for t in product.tags],
        price=product.price,
        cost=product.cost,
        stock=product.stock,
        status=product.status,
        new_arrival_date=product.new_arrival_date,
        selling_points=product.selling_points,
        taobao_url=product.taobao_url or "",
        notes=product.notes,
        image_media_ids=[i.media_id for i in product.images],
    )


def get_product(session: Session, product_id: int) -> ProductDetail:
    product = session.get(Product, product_id)
    if product is None:
        raise ProductError(QT_TRANSLATE_NOOP("Catalogue", "This product was deleted meanwhile."))
    images = tuple(
        ProductImageRef(img.media_id, img.media.rel_path, img.media.width, img.media.height)
        for img in product.images
    )
    draft = replace(
        _draft_of(product),
        variants=[
            VariantDraft(
                v.color, v.size, v.stock, v.price, v.code, _extra_dict(v.extra), v.id, v.media_id
            )
            for v in list_variants(session, product.id)
        ],
    )
    return ProductDetail(product.id, draft, images, product.archived, product.updated_at)


def _stored_variant_stock(session: Session, product_id: int, variant_id: int | None) -> int:
    """The stock stored for a product's (single) variant: a form never sets it."""
    query = select(ProductVariant.stock).where(ProductVariant.product_id == product_id)
    if variant_id is not None:
        query = query.where(ProductVariant.id == variant_id)
    return int(session.scalar(query.order_by(ProductVariant.position).limit(1)) or 0)


def _extra_dict(extra: str) -> dict[str, str]:
    if not extra:
        return {}
    try:
        loaded = json.loads(extra)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _free_code(session: Session, base: str) -> str:
    taken = set(session.scalars(select(Product.code).where(Product.code.like(f"{base}%"))))
    for n in range(1, 10_000):
        candidate = f"{base}-{n}" if n > 1 else f"{base}-copy"
        if candidate not in taken and len(candidate) <= 60:
            return candidate
    raise ProductError(
        QT_TRANSLATE_NOOP("Catalogue", "No free code for the copy."), "code"
    )  # pragma: no cover


def duplicate_product(session: Session, product_id: int, copy_suffix: str = "（副本）") -> int:
    """A copy with a fresh code, ready for the next colour or size of the same item."""
    detail = get_product(session, product_id)
    draft = replace(
        detail.draft,
        code=_free_code(session, detail.draft.code[:50]),
        name=(detail.draft.name + copy_suffix)[:200],
        tags=list(detail.draft.tags),
        image_media_ids=list(detail.draft.image_media_ids),
        variants=[replace(v, id=None, code="") for v in detail.draft.variants or []],
    )
    return create_product(session, draft)


def set_archived(session: Session, ids: Sequence[int], archived: bool) -> int:
    return execute_in(
        session,
        lambda chunk: (
            update(Product)
            .where(Product.id.in_(chunk))
            .values(archived=archived, version=Product.version + 1)
        ),
        ids,
    )


def _references(session: Session, ids: Sequence[int]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    checks = (
        (OrderItem.product_id, "it was sold in an order"),
        (PostProduct.product_id, "a post shows it"),
        (Allocation.product_id, "likers were allocated it"),
    )
    for column, reason in checks:

        def referring(chunk: list[int], column: Any = column) -> Select[Any]:
            return select(column).where(column.in_(chunk)).distinct()

        for product_id in scalars_in(session, referring, ids):
            if product_id is not None:
                reasons.setdefault(product_id, reason)
    return reasons


def delete_products(session: Session, ids: Sequence[int]) -> DeleteOutcome:
    """Delete products nobody refers to; the others are refused so no row is left dangling."""
    refused = _references(session, ids)
    deletable = [i for i in ids if i not in refused]
    if deletable:
        execute_in(session, lambda chunk: delete(Product).where(Product.id.in_(chunk)), deletable)
    return DeleteOutcome(tuple(deletable), tuple(sorted(refused.items())))
