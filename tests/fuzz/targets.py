"""Every importer the fuzz tests attack, behind one small interface.

A ``FuzzTarget`` reads a file the way the app does and applies it to a database. It may
succeed or refuse; refusing means raising one of ``expected`` with a message that names the
file or row. Anything else (a crash, a bare KeyError, a half-written import) is a bug.

To add an importer (customers, Taobao orders...): write ``consume(path, engine, media)``
that plans and applies a file exactly as the import dialog and CLI do, list its column
aliases, and append one ``FuzzTarget`` to ``TARGETS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from moments_desk.core.media import ImageRejected
from moments_desk.core.tabular import TableError


@dataclass(frozen=True)
class FuzzTarget:
    name: str
    aliases: dict[str, tuple[str, ...]]
    consume: Callable[[Path, Engine, Path, Path | None], str]
    expected: tuple[type[Exception], ...]


def consume_products(path: Path, engine: Engine, media: Path, images: Path | None) -> str:
    from moments_desk.core.product_import import (
        PRODUCT_FIELDS,
        apply_product_import,
        plan_product_import,
    )
    from moments_desk.core.tabular import guess_mapping, read_table

    table = read_table(path)
    with Session(engine) as session:
        plan = plan_product_import(
            table, guess_mapping(table.headers, PRODUCT_FIELDS), session, images_folder=images
        )
    if not plan.ok:
        for error in plan.errors:
            assert str(error).strip(), "a row error without a message"
        return f"refused: {plan.errors[0]}"
    result = apply_product_import(plan, engine, media)
    return f"imported {result.created + result.updated}"


def _product_aliases() -> dict[str, tuple[str, ...]]:
    from moments_desk.core.product_import import PRODUCT_FIELDS

    return PRODUCT_FIELDS


TARGETS = [
    FuzzTarget(
        "products", _product_aliases(), consume_products, (TableError, ValueError, ImageRejected)
    ),
]
