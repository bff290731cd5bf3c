"""Writing a checked friend-customer import (a ``CustomerImportPlan``): all rows or none, in
one transaction, in bulk. New customers go in as columns through ``bulk_insert_columns`` with
their pinyin search keys read once per distinct name; updates change only what the file fills
in. The bulk helpers here (a new customer's row, its id, addresses, tags, index rebuilds) are
shared with the Taobao order import, which creates customers too.

Checking the file, before any of this, is ``customer_import_plan``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, false, func, select, update
from sqlalchemy import Table as DbTable

from moments_desk.core.customers.addresses import ParsedAddress
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customer_import_plan import CustomerImportPlan, PlannedCustomer
from moments_desk.core.shared.batches import IN_BATCH, batched
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.pinyin import customer_search_text, customer_search_texts
from moments_desk.core.spreadsheets.importing import (
    Ticker,
    bulk_insert,
    bulk_insert_columns,
    gc_paused,
)
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    CustomerSource,
    CustomerStage,
    Gender,
    Relationship,
    Tag,
    customer_tag,
)

#: Columns written for a new customer, in this order (see ``customer_tuple``).
CUSTOMER_COLUMNS = (
    "account_id",
    "wechat_id",
    "nickname",
    "remark",
    "phone",
    "gender",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "birthday_lunar",
    "birthday_leap_month",
    "city",
    "relationship",
    "stage",
    "stage_set_by_hand",
    "source",
    "consent_note",
    "notes",
    "search_text",
    "created_at",
    "updated_at",
)
#: Fields an update may change: only those the file fills in.
_UPDATABLE = (
    "wechat_id",
    "nickname",
    "remark",
    "phone",
    "gender",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "birthday_lunar",
    "birthday_leap_month",
    "city",
    "relationship",
    "stage",
    "stage_set_by_hand",
    "source",
    "notes",
)


@dataclass(frozen=True)
class CustomerImportResult:
    created: int
    updated: int
    addresses: int


#: What a new customer has where the file says nothing.
NEW_CUSTOMER_DEFAULTS: dict[str, Any] = {
    "nickname": "",
    "remark": "",
    "gender": Gender.UNKNOWN,
    "birthday_lunar": False,
    "birthday_leap_month": False,
    "city": "",
    "relationship": Relationship.CUSTOMER,
    "stage": CustomerStage.PROSPECT,
    "stage_set_by_hand": False,
    "source": CustomerSource.UNKNOWN,
    "consent_note": "",
    "notes": "",
}


def customer_tuple(account_id: int, values: dict[str, Any], moment: datetime) -> tuple[Any, ...]:
    """One new customer's row in the order of ``CUSTOMER_COLUMNS``."""
    row = {**NEW_CUSTOMER_DEFAULTS, **values, "account_id": account_id, "consent_note": ""}
    row["search_text"] = customer_search_text(
        row["nickname"], row["remark"], row.get("wechat_id"), row.get("phone")
    )
    row["created_at"] = row["updated_at"] = moment
    return tuple(row.get(name) for name in CUSTOMER_COLUMNS)


def chunks(items: Sequence[Any], size: int = IN_BATCH) -> list[Sequence[Any]]:
    """``items`` cut into lists short enough for one ``IN (…)`` (see core/shared/batches.py)."""
    return list(batched(items, size))


def new_customer_ids(conn: Connection, account_id: int, before: int, moment: datetime) -> list[int]:
    """Ids of the customers just bulk-inserted, in insertion order."""
    mine = (
        Customer.id > before,
        Customer.account_id == account_id,
        Customer.created_at == moment,
    )
    count, first, last = conn.execute(
        select(func.count(), func.min(Customer.id), func.max(Customer.id)).where(*mine)
    ).one()
    if count and last - first + 1 == count:  # the usual case: one unbroken run of ids
        return list(range(first, last + 1))
    return list(conn.scalars(select(Customer.id).where(*mine).order_by(Customer.id)))


#: From this many new rows on (and at least as many as are already there), a table's
#: indexes are built again after the insert rather than updated row by row.
REBUILD_FROM = 5000
#: SQLite page cache (KiB) while bulk-inserting that many.
BULK_CACHE_KB = 65536


@contextmanager
def indexes_rebuilt(conn: Connection, table: DbTable, rows: int) -> Iterator[None]:
    """Drop ``table``'s plain indexes for a big bulk insert and build them again afterwards.

    Updating an index row by row costs a B-tree search per row, and the customer search
    index's keys are long texts in random order; building an index sorts its keys once.
    At 50,000 new customers the rebuild saves a third of the insert (the search index
    alone tripled it). Only when the import is at least as big as the table: rebuilding
    also reads the rows already there. Unique indexes stay, so duplicates are still
    refused. Inside the import's transaction, so a failure puts the indexes back too.
    The page cache is widened meanwhile, as a unique index takes keys in random order.
    """
    if rows < REBUILD_FROM or conn.dialect.name != "sqlite":
        yield
        return
    existing = conn.scalar(select(func.count()).select_from(table)) or 0
    if rows < existing:
        yield
        return
    indexes = sorted((i for i in table.indexes if not i.unique), key=lambda i: str(i.name))
    # pysqlite opens its transaction at the first INSERT/UPDATE/DELETE, not at a DROP:
    # a no-op DELETE first keeps the drop inside the import's transaction.
    conn.execute(table.delete().where(false()))
    cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KB}")
    try:
        for index in indexes:
            index.drop(conn)
        yield
        for index in indexes:
            index.create(conn)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size or -2000)}")


def ensure_tags(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    wanted = sorted(set(names))
    ids: dict[str, int] = {}
    for chunk in chunks(wanted):
        ids.update(dict(conn.execute(select(Tag.name, Tag.id).where(Tag.name.in_(chunk))).all()))
    missing = [(n,) for n in wanted if n not in ids]
    if missing:
        bulk_insert(conn, Tag.__table__, ["name"], missing)  # type: ignore[arg-type]
        for chunk in chunks([m[0] for m in missing]):
            query = select(Tag.name, Tag.id).where(Tag.name.in_(chunk))
            ids.update(dict(conn.execute(query).all()))
    return ids


def apply_customer_import(
    plan: CustomerImportPlan,
    engine: Engine,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> CustomerImportResult:
    """Write the plan in one transaction; a failure or a cancel leaves the shop unchanged."""
    return apply_customer_imports(
        [plan], engine, now=now, progress=progress, should_cancel=should_cancel
    )


def apply_customer_imports(
    plans: Sequence[CustomerImportPlan],
    engine: Engine,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> CustomerImportResult:
    """Write several plans (a file split over accounts) in ONE transaction: a failure or a
    cancel in any share leaves the shop unchanged, as for a single import."""
    for plan in plans:
        if not plan.ok:
            raise ValueError(
                QT_TRANSLATE_NOOP("CustomerImport", "the import has errors; fix them first")
            )
    moment = now or datetime.now(UTC)
    tick = Ticker(sum(len(plan.rows) + 1 for plan in plans), progress, should_cancel)
    with gc_paused(), engine.begin() as conn:
        done = [_write_plan(conn, plan, moment, tick) for plan in plans]
    return CustomerImportResult(
        sum(r.created for r in done), sum(r.updated for r in done), sum(r.addresses for r in done)
    )


def _write_plan(
    conn: Connection, plan: CustomerImportPlan, moment: datetime, tick: Ticker
) -> CustomerImportResult:
    creates = [i for i, existing in enumerate(plan.existing_ids) if existing is None]
    updates = [i for i, existing in enumerate(plan.existing_ids) if existing is not None]
    customer_table: Any = Customer.__table__
    before = conn.scalar(select(func.coalesce(func.max(Customer.id), 0))) or 0
    with indexes_rebuilt(conn, customer_table, len(creates)):
        bulk_insert_columns(
            conn, customer_table, new_customer_columns(plan, creates, moment), tick=tick
        )
    new_ids = new_customer_ids(conn, plan.account_id, before, moment)
    if len(new_ids) != len(creates):
        raise RuntimeError(
            QT_TRANSLATE_NOOP(
                "CustomerImport",
                "another program added customers at the same moment; try again",
            )
        )
    ids: list[int | None]
    if updates:
        ids = list(plan.existing_ids)
        for position, new_id in zip(creates, new_ids, strict=True):
            ids[position] = new_id
    else:
        ids = list(new_ids)
    if updates:
        _apply_updates(conn, [plan.customers[i] for i in updates], moment)
    tick(len(updates))
    tag_column: list[tuple[str, ...] | None] = plan.column("tags")
    tags = ensure_tags(conn, [t for cell in tag_column if cell for t in cell])
    linked: set[tuple[int, int]] = set()
    tagged_updates = [ids[i] for i in updates if tag_column[i]]
    for chunk in chunks(tagged_updates):
        query = select(customer_tag.c.customer_id, customer_tag.c.tag_id).where(
            customer_tag.c.customer_id.in_(chunk)
        )
        linked.update((owner, tag) for owner, tag in conn.execute(query))
    links = {(ids[i], tags[t]) for i, cell in enumerate(tag_column) if cell for t in cell} - linked
    with indexes_rebuilt(conn, customer_tag, len(links)):
        bulk_insert(conn, customer_tag, ("customer_id", "tag_id"), sorted(links))
    phones = plan.column("phone")
    addresses = add_addresses(
        conn,
        [
            (ids[i], address, plan.customers[i].display_name, phones[i] or "")
            for i, address in enumerate(plan.column("address"))
            if address is not None
        ],
    )
    tick()
    return CustomerImportResult(len(creates), len(updates), addresses)


def new_customer_columns(
    plan: CustomerImportPlan, positions: Sequence[int], moment: datetime
) -> dict[str, Sequence[Any]]:
    """The customer table's columns for the plan's customers at ``positions``."""
    count = len(positions)

    def column(name: str) -> list[Any]:
        values = plan.column(name, positions)
        default = NEW_CUSTOMER_DEFAULTS.get(name)
        if default is None or None not in values:
            return values
        return [default if v is None else v for v in values]

    wechat_ids, phones = column("wechat_id"), column("phone")
    nicknames, remarks = column("nickname"), column("remark")
    texts = customer_search_texts(nicknames, remarks, wechat_ids, phones)
    birthdays: list[Birthday | None] = column("birthday")
    stages = plan.column("stage", positions)
    columns: dict[str, Sequence[Any]] = {
        "account_id": [plan.account_id] * count,
        "wechat_id": wechat_ids,
        "nickname": nicknames,
        "remark": remarks,
        "phone": phones,
        "gender": column("gender"),
        "birthday_year": [b and b.year for b in birthdays],
        "birthday_month": [b and b.month for b in birthdays],
        "birthday_day": [b and b.day for b in birthdays],
        "birthday_lunar": [b is not None and b.lunar for b in birthdays],
        "birthday_leap_month": [b is not None and b.leap_month for b in birthdays],
        "city": column("city"),
        "relationship": column("relationship"),
        "stage": column("stage"),
        "stage_set_by_hand": list(map(operator.is_not, stages, repeat(None))),
        "source": column("source"),
        "consent_note": [""] * count,
        "notes": column("notes"),
        "search_text": texts,
        "created_at": [moment] * count,
        "updated_at": [moment] * count,
    }
    return columns


def _apply_updates(conn: Connection, updates: list[PlannedCustomer], moment: datetime) -> None:
    """Fill in what the file says; fields the file leaves empty keep their value."""
    ids = [c.existing_id for c in updates]
    current: dict[int, dict[str, Any]] = {}
    table: Any = Customer.__table__
    columns = [table.c[name] for name in _UPDATABLE]
    for chunk in chunks(ids):
        for row in conn.execute(
            select(Customer.id, *columns).where(Customer.id.in_(chunk))
        ).mappings():
            current[row["id"]] = {name: row[name] for name in _UPDATABLE}
    rows = []
    for customer in updates:
        assert customer.existing_id is not None
        # She was matched by WeChat ID regardless of case: keep the spelling on record.
        changes = {k: v for k, v in customer.values.items() if k != "wechat_id"}
        merged = {**current[customer.existing_id], **changes}
        text = customer_search_text(
            merged.get("nickname", ""),
            merged.get("remark", ""),
            merged.get("wechat_id"),
            merged.get("phone"),
        )
        rows.append(
            {
                **{f"v_{k}": v for k, v in merged.items()},
                "v_search_text": text,
                "v_updated_at": moment,
                "pid": customer.existing_id,
            }
        )
    names = [*_UPDATABLE, "search_text", "updated_at"]
    conn.execute(
        update(table)
        .where(table.c.id == bindparam("pid"))
        .values({name: bindparam(f"v_{name}") for name in names}),
        rows,
    )


def add_addresses(
    conn: Connection, items: Sequence[tuple[int | None, ParsedAddress, str, str]]
) -> int:
    """Add each (customer id, address, recipient, phone) unless she already has it.

    Her first address becomes the default one.
    """
    ids = sorted({i for i, *_ in items if i is not None})
    known: dict[int, set[tuple[str, str, str, str]]] = {}
    for chunk in chunks(ids):
        for row in conn.execute(
            select(
                CustomerAddress.customer_id,
                CustomerAddress.province,
                CustomerAddress.city,
                CustomerAddress.district,
                CustomerAddress.detail,
            ).where(CustomerAddress.customer_id.in_(chunk))
        ):
            known.setdefault(row[0], set()).add((row[1], row[2], row[3], row[4]))
    rows = []
    for customer_id, address, recipient, phone in items:
        if customer_id is None:
            continue
        key = (address.province, address.city, address.district, address.detail)
        have = known.setdefault(customer_id, set())
        if key in have:
            continue
        rows.append(
            (
                customer_id,
                recipient[:100],
                phone,
                *key,
                address.postcode,
                not have,
            )
        )
        have.add(key)
    columns = (
        "customer_id",
        "recipient",
        "phone",
        "province",
        "city",
        "district",
        "detail",
        "postcode",
        "is_default",
    )
    bulk_insert(conn, CustomerAddress.__table__, columns, rows)  # type: ignore[arg-type]
    return len(rows)
