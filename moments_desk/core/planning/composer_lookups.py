"""Reads the post composer needs: what it opens with, pictures by id, tags, products for
placeholders. No Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.catalogue.catalogue import ProductImageRef
from moments_desk.core.catalogue.listing import (
    ProductQuery,
    ProductRow,
    load_product_rows,
    search_product_ids,
)
from moments_desk.core.catalogue.variants import in_stock, stock_line, variants_of
from moments_desk.core.pictures.media import ImageRejected
from moments_desk.core.planning.cadence import SlotView, list_slots
from moments_desk.core.planning.post_views import PostView, get_post
from moments_desk.core.planning.posts import add_free_pictures
from moments_desk.core.planning.rules import RuleSettings
from moments_desk.core.planning.settings import load_rule_settings
from moments_desk.core.planning.templates import TemplateProduct
from moments_desk.core.team.accounts import AccountSummary, list_accounts
from moments_desk.db.models import MediaFile, Product, ProductImage, Tag


@dataclass(frozen=True)
class LinkedProduct:
    id: int
    label: str  # "QZ2611-03 雾霾蓝连衣裙"
    template: TemplateProduct
    pictures: tuple[ProductImageRef, ...]


def media_refs(session: Session, media_ids: Sequence[int]) -> dict[int, ProductImageRef]:
    """Stored pictures by id (ids that no longer exist are left out)."""
    if not media_ids:
        return {}
    return {
        m.id: ProductImageRef(m.id, m.rel_path, m.width, m.height)
        for m in session.scalars(select(MediaFile).where(MediaFile.id.in_(set(media_ids))))
    }


def all_tags(session: Session) -> list[tuple[int, str]]:
    """Every tag, by name: the audiences 部分可见 / 不给谁看 can target."""
    return [(t.id, t.name) for t in session.scalars(select(Tag).order_by(Tag.name))]


def linked_products(session: Session, product_ids: Sequence[int]) -> list[LinkedProduct]:
    """The products in the given order, with what placeholders and the picture strip need."""
    if not product_ids:
        return []
    rows = {
        p.id: p
        for p in session.scalars(
            select(Product)
            .where(Product.id.in_(set(product_ids)))
            .options(
                selectinload(Product.images).selectinload(ProductImage.media),
                selectinload(Product.tags),
            )
        )
    }
    found = []
    skus = variants_of(session, list(rows))
    for product_id in dict.fromkeys(product_ids):
        p = rows.get(product_id)
        if p is None:
            continue
        colors, sizes = in_stock(skus.get(p.id, []))
        found.append(
            LinkedProduct(
                p.id,
                f"{p.code} {p.name}",
                TemplateProduct(
                    name=p.name,
                    price=p.price,
                    code=p.code,
                    category=p.category,
                    selling_points=p.selling_points,
                    link=p.taobao_url or "",
                    stock=p.stock,
                    tags=tuple(t.name for t in p.tags),
                    sizes=tuple(sizes),
                    colors=tuple(colors),
                    stock_line=stock_line(skus.get(p.id, [])),
                ),
                tuple(
                    ProductImageRef(i.media_id, i.media.rel_path, i.media.width, i.media.height)
                    for i in p.images
                ),
            )
        )
    return found


@dataclass(frozen=True)
class ComposerData:
    """Everything the composer shows when it opens, read in one go on the database thread."""

    view: PostView | None  # None for a new post
    accounts: list[AccountSummary]
    tags: list[tuple[int, str]]
    products: list[LinkedProduct]
    media: dict[int, ProductImageRef]
    slots: list[SlotView]
    rules: RuleSettings


def load_composer(
    session: Session, account_id: int, post_id: int | None, media_root: Path, zone: tzinfo
) -> ComposerData:
    view = get_post(session, post_id, media_root, zone) if post_id else None
    return ComposerData(
        view=view,
        accounts=list_accounts(session),
        tags=all_tags(session),
        products=linked_products(session, [p.id for p in view.products]) if view else [],
        media=media_refs(session, [i.media_id for i in view.images]) if view else {},
        slots=list_slots(session, account_id),
        rules=load_rule_settings(session, account_id),
    )


@dataclass(frozen=True)
class StoredPictures:
    """Pictures the seller added from files: the ones stored, in order, and the ones refused."""

    pictures: list[ProductImageRef]
    rejected: list[ImageRejected]


def store_pictures(session: Session, files: Sequence[Path], media_root: Path) -> StoredPictures:
    """Store pictures the seller adds from files (a write: run it in ``uow.write``)."""
    ids, rejected = add_free_pictures(session, files, media_root)
    refs = media_refs(session, ids)
    return StoredPictures([refs[i] for i in ids if i in refs], rejected)


def pick_products(session: Session, text: str, now: datetime, limit: int) -> list[ProductRow]:
    """The first ``limit`` products a search for ``text`` finds, in the search's order: the
    product picker's list."""
    ids = search_product_ids(session, ProductQuery(text=text), now)[:limit]
    rows = load_product_rows(session, ids)
    return [rows[i] for i in ids if i in rows]
