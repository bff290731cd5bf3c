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

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moments_desk.core.pictures.media import ImageRejected
from moments_desk.core.spreadsheets.tabular import TableError


@dataclass(frozen=True)
class FuzzTarget:
    name: str
    aliases: dict[str, tuple[str, ...]]
    consume: Callable[[Path, Engine, Path, Path | None], str]
    expected: tuple[type[Exception], ...]


def consume_products(path: Path, engine: Engine, media: Path, images: Path | None) -> str:
    from moments_desk.core.catalogue.product_import import (
        PRODUCT_FIELDS,
        apply_product_import,
        plan_product_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

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
    from moments_desk.core.catalogue.product_import import PRODUCT_FIELDS

    return PRODUCT_FIELDS


def _account(engine: Engine) -> int:
    """The account people are imported into; made once, before any import is measured."""
    from moments_desk.db.models import WeChatAccount

    with Session(engine) as session, session.begin():
        found = session.scalars(select(WeChatAccount.id).order_by(WeChatAccount.id)).first()
        if found is not None:
            return found
        account = WeChatAccount(label="主号")
        session.add(account)
        session.flush()
        return account.id


def consume_customers(path: Path, engine: Engine, media: Path, images: Path | None) -> str:
    from moments_desk.core.customers.customer_import import apply_customer_import
    from moments_desk.core.customers.customer_import_plan import (
        CUSTOMER_FIELDS,
        plan_customer_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

    account_id = _account(engine)
    table = read_table(path)
    with Session(engine) as session:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), session, account_id
        )
    if not plan.ok:
        for error in plan.errors:
            assert str(error).strip(), "a row error without a message"
        return f"refused: {plan.errors[0]}"
    result = apply_customer_import(plan, engine)
    return f"imported {result.created + result.updated}"


def consume_taobao(path: Path, engine: Engine, media: Path, images: Path | None) -> str:
    from moments_desk.core.orders.taobao_import import (
        TAOBAO_FIELDS,
        apply_taobao_import,
        plan_taobao_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

    account_id = _account(engine)
    table = read_table(path)
    with Session(engine) as session:
        plan = plan_taobao_import(
            table, guess_mapping(table.headers, TAOBAO_FIELDS), session, account_id
        )
    if not plan.ok:
        for error in plan.errors:
            assert str(error).strip(), "a row error without a message"
        return f"refused: {plan.errors[0]}"
    result = apply_taobao_import(plan, engine)
    return f"imported {result.orders}"


def _customer_aliases() -> dict[str, tuple[str, ...]]:
    from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS

    return CUSTOMER_FIELDS


def _taobao_aliases() -> dict[str, tuple[str, ...]]:
    from moments_desk.core.orders.taobao_import import TAOBAO_FIELDS

    return TAOBAO_FIELDS


TARGETS = [
    FuzzTarget(
        "products", _product_aliases(), consume_products, (TableError, ValueError, ImageRejected)
    ),
    FuzzTarget("customers", _customer_aliases(), consume_customers, (TableError, ValueError)),
    FuzzTarget("taobao_orders", _taobao_aliases(), consume_taobao, (TableError, ValueError)),
]
