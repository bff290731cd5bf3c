"""The variant a Taobao order line bought, from its 销售属性 (颜色分类:黑色;尺码:M).

A size or colour the shop does not have yet is created with no stock: the piece left on
Taobao, so the export must not take it again, but the sale counts for that size.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from moments_desk.core.catalogue.variant_rows import RowVariant
from moments_desk.core.catalogue.variants import MAX_VARIANTS, extra_text, variant_label
from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import ProductVariant

Key = tuple[int, str, str, str]


def count_variant(
    seen: dict[str, set[tuple[str, str, str]]], code: str, variant: RowVariant | None
) -> None:
    """Bound what one file can add: refuse a row naming more sizes of one product than a
    product may have (a hostile or broken file, not a garment)."""
    if variant is None or not code:
        return
    keys = seen.setdefault(code, set())
    keys.add(variant.key)
    if len(keys) > MAX_VARIANTS:
        raise ValueError(
            QT_TRANSLATE_NOOP(
                "TaobaoImport", "{code} has more than {limit} sizes and colours in this file"
            ).format(code=code[:60], limit=MAX_VARIANTS)
        )


def variants_for_lines(
    conn: Connection, lines: Sequence[tuple[int | None, RowVariant | None]]
) -> list[tuple[int | None, str]]:
    """(variant id, label) for each (product id, sale attributes) line, creating the
    missing variants; a product sold in one version gets its only variant."""
    product_ids = sorted({p for p, _ in lines if p is not None})
    known: dict[Key, int] = {}
    counts: dict[int, int] = {}
    only: dict[int, int] = {}
    positions: dict[int, int] = {}

    def load() -> None:
        known.clear()
        counts.clear()
        for vid, pid, color, size, extra, position in rows_in(
            conn,
            lambda chunk: select(
                ProductVariant.id,
                ProductVariant.product_id,
                ProductVariant.color,
                ProductVariant.size,
                ProductVariant.extra,
                ProductVariant.position,
            ).where(ProductVariant.product_id.in_(chunk)),
            product_ids,
        ):
            known[(pid, color, size, extra)] = vid
            counts[pid] = counts.get(pid, 0) + 1
            only[pid] = vid
            positions[pid] = max(positions.get(pid, 0), position)

    load()
    missing: dict[Key, dict[str, object]] = {}
    for pid, variant in lines:
        if pid is None or variant is None:
            continue
        key = (pid, variant.color, variant.size, extra_text(variant.extra))
        if key not in known and key not in missing:
            positions[pid] = positions.get(pid, 0) + 1
            missing[key] = {
                "product_id": pid,
                "color": key[1],
                "size": key[2],
                "extra": key[3],
                "stock": 0,
                "position": positions[pid],
            }
    if missing:
        conn.execute(insert(ProductVariant), list(missing.values()))
        load()
    out: list[tuple[int | None, str]] = []
    for pid, variant in lines:
        if pid is None:
            out.append((None, variant.label[:60] if variant else ""))
        elif variant is None:
            out.append((only[pid] if counts.get(pid) == 1 else None, ""))
        else:
            key = (pid, variant.color, variant.size, extra_text(variant.extra))
            out.append((known[key], variant_label(key[1], key[2], key[3])[:60]))
    return out
