"""Small reads the post composer needs: pictures by id, tags, products for placeholders. No Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.catalogue.catalogue import ProductImageRef
from moments_desk.core.planning.templates import TemplateProduct
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
    for product_id in dict.fromkeys(product_ids):
        p = rows.get(product_id)
        if p is None:
            continue
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
                ),
                tuple(
                    ProductImageRef(i.media_id, i.media.rel_path, i.media.width, i.media.height)
                    for i in p.images
                ),
            )
        )
    return found
