"""A product's variants (SKUs: 黑色 M, 燕麦色 L): their attributes, own stock, price and code.

Every product has at least one variant; one without sizes or colours has a single default
variant with both attributes empty. ``Product.stock`` is kept as the sum of its variants'
stock, so lists, planning ("in stock") and reports keep reading one number; only this
module and the stock moves of ``core.orders`` change variant stock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.insert_once import insert_once
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import Allocation, MediaFile, OrderItem, Product, ProductVariant

#: A colour × size grid larger than this is a mistake in a file or a paste, not a garment.
MAX_VARIANTS = 200
MAX_ATTRIBUTE = 40
MAX_STOCK = 999_999


class VariantError(ValueError):
    """A variant the seller has to fix; ``str()`` names it."""


@dataclass
class VariantDraft:
    """One cell of the colour × size grid as the editor or an import hands it in."""

    color: str = ""
    size: str = ""
    stock: int = 0
    price: Decimal | None = None
    code: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: The stored variant this cell edits; None for a new one.
    id: int | None = None
    #: the picture shown for this colour (one of the product's pictures), optional
    media_id: int | None = None


@dataclass(frozen=True)
class VariantInfo:
    id: int
    product_id: int
    color: str
    size: str
    extra: str
    stock: int
    price: Decimal | None
    code: str
    position: int
    media_id: int | None = None

    @property
    def label(self) -> str:
        return variant_label(self.color, self.size, self.extra)

    @property
    def is_default(self) -> bool:
        return not (self.color or self.size or self.extra)


def extra_text(extra: Mapping[str, str]) -> str:
    """Further attributes as canonical JSON (sorted keys), "" when there are none."""
    cleaned = {k.strip(): v.strip() for k, v in extra.items() if k.strip() and v.strip()}
    if not cleaned:
        return ""
    return json.dumps(dict(sorted(cleaned.items())), ensure_ascii=False, separators=(",", ":"))


def variant_label(color: str, size: str, extra: str = "") -> str:
    """What a seller reads on a packing list: "黑色 M", "M", "黑色", or "" for the default."""
    parts = [color, size]
    if extra:
        try:
            parts.extend(str(v) for v in json.loads(extra).values())
        except (ValueError, AttributeError):
            parts.append(extra)
    return " ".join(p for p in parts if p)


def _info(v: ProductVariant) -> VariantInfo:
    return VariantInfo(
        v.id,
        v.product_id,
        v.color,
        v.size,
        v.extra,
        v.stock,
        v.price,
        v.code or "",
        v.position,
        v.media_id,
    )


def list_variants(session: Session, product_id: int) -> list[VariantInfo]:
    rows = session.scalars(
        select(ProductVariant)
        .where(ProductVariant.product_id == product_id)
        .order_by(ProductVariant.position, ProductVariant.id)
    ).all()
    return [_info(v) for v in rows]


def variants_of(session: Session, product_ids: Iterable[int]) -> dict[int, list[VariantInfo]]:
    ids = sorted(set(product_ids))
    out: dict[int, list[VariantInfo]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = session.scalars(
            select(ProductVariant)
            .where(ProductVariant.product_id.in_(ids[start : start + 500]))
            .order_by(ProductVariant.product_id, ProductVariant.position, ProductVariant.id)
        ).all()
        for v in rows:
            out[v.product_id].append(_info(v))
    return out


def ensure_default_variant(session: Session, product_id: int) -> list[VariantInfo]:
    """The product's variants; a product written without any (a bulk insert, an older
    caller) gets its default variant now, carrying the product's stock."""
    found = list_variants(session, product_id)
    if found:
        return found
    stock = session.scalar(select(Product.stock).where(Product.id == product_id))
    if stock is None:
        return []
    # Two laptops selling a product from before sizes existed may both get here: the unique
    # key (product, colour, size, extra) lets one insert and the other skip.
    insert_once(
        session,
        ProductVariant.__table__,  # type: ignore[arg-type]
        {
            "product_id": product_id,
            "color": "",
            "size": "",
            "extra": "",
            "stock": max(0, int(stock)),
            "position": 0,
        },
        ("product_id", "color", "size", "extra"),
    )
    return list_variants(session, product_id)


def sync_product_stock(session: Session, product_ids: Iterable[int]) -> None:
    """Product.stock := the sum of its variants (products without variants keep theirs)."""
    for product_id in set(product_ids):
        total = session.scalar(
            select(func.sum(ProductVariant.stock)).where(ProductVariant.product_id == product_id)
        )
        if total is not None:
            session.execute(
                update(Product)
                .where(Product.id == product_id)
                .values(stock=int(total))
                .execution_options(synchronize_session=False)
            )


def validate_variants(drafts: Sequence[VariantDraft]) -> list[VariantDraft]:
    if len(drafts) > MAX_VARIANTS:
        raise VariantError(
            QT_TRANSLATE_NOOP(
                "Variants", "{count} variants is more than {limit} for one product."
            ).format(count=len(drafts), limit=MAX_VARIANTS)
        )
    seen: dict[tuple[str, str, str], int] = {}
    cleaned: list[VariantDraft] = []
    for number, d in enumerate(drafts, 1):
        color, size = d.color.strip(), d.size.strip()
        label = variant_label(color, size) or f"#{number}"
        if len(color) > MAX_ATTRIBUTE or len(size) > MAX_ATTRIBUTE:
            raise VariantError(
                QT_TRANSLATE_NOOP(
                    "Variants", "Variant {label}: a colour or size is longer than {limit}."
                ).format(label=label[:50], limit=MAX_ATTRIBUTE)
            )
        if not isinstance(d.stock, int) or not 0 <= d.stock <= MAX_STOCK:
            raise VariantError(
                QT_TRANSLATE_NOOP(
                    "Variants", "Variant {label}: the stock must be 0 to {limit}, not {stock}."
                ).format(label=label, limit=MAX_STOCK, stock=d.stock)
            )
        if d.price is not None and d.price < 0:
            raise VariantError(
                QT_TRANSLATE_NOOP(
                    "Variants", "Variant {label}: the price cannot be negative."
                ).format(label=label)
            )
        extra = extra_text(d.extra)
        key = (color, size, extra)
        if key in seen:
            raise VariantError(
                QT_TRANSLATE_NOOP("Variants", "Variant {label} appears twice.").format(label=label)
            )
        seen[key] = number
        cleaned.append(
            VariantDraft(
                color, size, d.stock, d.price, d.code.strip()[:60], d.extra, d.id, d.media_id
            )
        )
    return cleaned


def _in_use(session: Session, variant_ids: Sequence[int]) -> set[int]:
    if not variant_ids:
        return set()
    used = set(
        session.scalars(select(OrderItem.variant_id).where(OrderItem.variant_id.in_(variant_ids)))
    )
    used |= set(
        session.scalars(select(Allocation.variant_id).where(Allocation.variant_id.in_(variant_ids)))
    )
    return {i for i in used if i is not None}


def save_variants(session: Session, product_id: int, drafts: Sequence[VariantDraft]) -> None:
    """Make the product's variants exactly ``drafts`` (in this order), all or nothing.

    Cells are matched to stored variants by id, else by colour and size, so a re-import of
    the same file updates in place and adds nothing. A variant that was sold or holds a
    first-N place cannot be removed (its orders would lose their size); set its stock to 0.
    An empty list means the single default variant with the product's stock.
    """
    cleaned = validate_variants(drafts)
    pictures = {d.media_id for d in cleaned if d.media_id is not None}
    if pictures - set(session.scalars(select(MediaFile.id).where(MediaFile.id.in_(pictures)))):
        raise VariantError(
            QT_TRANSLATE_NOOP("Variants", "A colour's picture was removed meanwhile.")
        )
    with session.no_autoflush:
        stored = {
            v.id: v
            for v in session.scalars(
                select(ProductVariant).where(ProductVariant.product_id == product_id)
            )
        }
    if not cleaned:
        stock = session.scalar(select(Product.stock).where(Product.id == product_id)) or 0
        cleaned = [VariantDraft(stock=max(0, int(stock)))]
    by_key = {(v.color, v.size, v.extra): v for v in stored.values()}
    keep: dict[int, VariantDraft] = {}
    new: list[tuple[int, VariantDraft]] = []
    for position, d in enumerate(cleaned):
        match = stored.get(d.id) if d.id is not None else None
        match = match or by_key.get((d.color, d.size, extra_text(d.extra)))
        if match is not None and match.id not in keep:
            keep[match.id] = d
            match.position = position
        else:
            new.append((position, d))
    gone = [i for i in stored if i not in keep]
    used = _in_use(session, gone)
    if used:
        labels = ", ".join(
            variant_label(stored[i].color, stored[i].size, stored[i].extra) or "默认"
            for i in sorted(used)
        )
        raise VariantError(
            QT_TRANSLATE_NOOP(
                "Variants",
                "{labels} cannot be removed: orders or first-N places use it. Set its stock "
                "to 0 instead.",
            ).format(labels=labels)
        )
    for i in gone:
        session.delete(stored[i])
    # Attributes are unique per product: renamed cells get placeholder keys first so that
    # swapping two sizes cannot collide halfway through the flush.
    for variant_id in keep:
        stored[variant_id].extra = f"#tmp{variant_id}"
    session.flush()
    for variant_id, d in keep.items():
        _fill(stored[variant_id], d)
    for position, d in new:
        v = ProductVariant(product_id=product_id, position=position)
        _fill(v, d)
        session.add(v)
    session.flush()
    sync_product_stock(session, [product_id])


def _fill(v: ProductVariant, d: VariantDraft) -> None:
    v.color = d.color
    v.size = d.size
    v.extra = extra_text(d.extra)
    v.stock = d.stock
    v.price = d.price
    v.code = d.code or None
    v.media_id = d.media_id


def set_single_stock(session: Session, product_id: int, stock: int) -> None:
    """The product's one stock number, for products sold without sizes or colours.

    With several variants the number cannot be split; the variants keep theirs and the
    product shows their sum.
    """
    variants = ensure_default_variant(session, product_id)
    if len(variants) == 1:
        session.execute(
            update(ProductVariant)
            .where(ProductVariant.id == variants[0].id)
            .values(stock=max(0, stock))
            .execution_options(synchronize_session=False)
        )
    sync_product_stock(session, [product_id])


def in_stock(variants: Sequence[VariantInfo]) -> tuple[list[str], list[str]]:
    """Colours and sizes that still have a piece, in the grid's order (sold-out left out)."""
    left = [v for v in variants if v.stock > 0]
    colors = list(dict.fromkeys(v.color for v in left if v.color))
    sizes = list(dict.fromkeys(v.size for v in left if v.size))
    return colors, sizes


def stock_line(variants: Sequence[VariantInfo], prefix: str = "现货：") -> str:
    """ "现货：S M L" from stock, sold-out sizes left out; per colour when colours vary
    ("现货：燕麦色 S M / 黑色 M"); "" when nothing varies or nothing is left."""
    if len(variants) <= 1:
        return ""
    colors, sizes = in_stock(variants)
    if len(colors) > 1 and sizes:
        parts = []
        for color in colors:
            have = [v.size for v in variants if v.color == color and v.stock > 0 and v.size]
            parts.append(" ".join([color, *dict.fromkeys(have)]))
        return prefix + " / ".join(parts)
    shown = sizes or colors
    return f"{prefix}{' '.join(shown)}" if shown else ""


def stock_by_size(session: Session, product_ids: Iterable[int]) -> dict[int, str]:
    """ "燕麦色 S 1 · 燕麦色 M 3" per product sold in several sizes or colours."""
    return {
        pid: " · ".join(f"{v.label} {v.stock}" for v in found)
        for pid, found in variants_of(session, product_ids).items()
        if len(found) > 1
    }


def write_stocks_in_bulk(conn: Connection | Session, stocks: Mapping[int, int]) -> None:
    """Many products' one stock number each (imports, the demo shop), in a few statements.

    A product without variants gets its default variant with that stock; one with a single
    variant has it set; one with several keeps them and shows their sum.
    """
    ids = list(stocks)
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for product_id, count in rows_in(
        conn,
        lambda chunk: (
            select(ProductVariant.product_id, func.count(ProductVariant.id))
            .where(ProductVariant.product_id.in_(chunk))
            .group_by(ProductVariant.product_id)
        ),
        ids,
    ):
        counts[product_id] = int(count)
    missing = [
        {"product_id": i, "stock": max(0, stocks[i]), "position": 0} for i in ids if counts[i] == 0
    ]
    for start in range(0, len(missing), 2000):
        conn.execute(insert(ProductVariant), missing[start : start + 2000])
    single = [{"pid": i, "new_stock": max(0, stocks[i])} for i in ids if counts[i] == 1]
    if single:
        conn.execute(
            update(ProductVariant)
            .where(ProductVariant.product_id == bindparam("pid"))
            .values(stock=bindparam("new_stock")),
            single,
        )
    several = [i for i in ids if counts[i] > 1]
    totals = sa_sum_by_product(conn, several)
    if totals:
        conn.execute(
            update(Product).where(Product.id == bindparam("pid")).values(stock=bindparam("total")),
            [{"pid": i, "total": t} for i, t in totals.items()],
        )


def sa_sum_by_product(conn: Connection | Session, product_ids: Sequence[int]) -> dict[int, int]:
    return {
        int(pid): int(total or 0)
        for pid, total in rows_in(
            conn,
            lambda chunk: (
                select(ProductVariant.product_id, func.sum(ProductVariant.stock))
                .where(ProductVariant.product_id.in_(chunk))
                .group_by(ProductVariant.product_id)
            ),
            product_ids,
        )
    }
