"""Importing friend-customers from a spreadsheet: check every row, then write all or nothing.

The path is built for 50,000 rows: cells are checked a column at a time (see
core/customer_cells.py), the plan keeps its customers as columns, pinyin keys are read
once per distinct name (core/pinyin.py) and the new customers go in as columns through
``bulk_insert_columns``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import compress, repeat
from typing import Any, overload

from sqlalchemy import Connection, Engine, bindparam, false, func, select, update
from sqlalchemy import Table as DbTable
from sqlalchemy.orm import Session

from moments_desk.core.customers.addresses import ParsedAddress
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customer_cells import (
    IDENTITY,
    WORD_FIELDS,
    CheckedCells,
    check_customer_cells,
)
from moments_desk.core.shared.batches import IN_BATCH, batched
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.pinyin import customer_search_text, customer_search_texts
from moments_desk.core.spreadsheets.importing import (
    RowError,
    Ticker,
    bulk_insert,
    bulk_insert_columns,
    gc_paused,
)
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    CustomerSource,
    CustomerStage,
    Gender,
    Relationship,
    Tag,
    WeChatAccount,
    customer_tag,
)

CUSTOMER_FIELDS: dict[str, tuple[str, ...]] = {
    "wechat_id": ("微信号", "微信", "微信ID", "wxid", "wechat_id", "wechat"),
    "nickname": ("昵称", "微信昵称", "nickname"),
    "remark": ("备注", "备注名", "姓名", "remark", "name"),
    "tags": ("标签", "tags"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile"),
    "address": ("地址", "收货地址", "address"),
    "birthday": ("生日", "出生日期", "birthday"),
    "gender": ("性别", "gender"),
    "city": ("城市", "所在城市", "地区", "city"),
    "relationship": ("关系", "relationship"),
    "source": ("来源", "客户来源", "source"),
    "stage": ("阶段", "客户阶段", "stage"),
    "notes": ("笔记", "跟进记录", "说明", "notes"),
}
ON_EXISTING = ("update", "skip", "error")

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


@dataclass
class PlannedCustomer:
    """One row of the plan, as the preview and an update read it."""

    row: int
    #: Customer column → value, for the fields this row fills in.
    values: dict[str, Any]
    tags: list[str]
    address: ParsedAddress | None
    existing_id: int | None = None

    @property
    def display_name(self) -> str:
        values = self.values
        return str(values.get("remark") or values.get("nickname") or values.get("wechat_id", ""))


#: Fields of the checked columns that are customer columns as they are.
_PLAIN_FIELDS = ("wechat_id", "nickname", "remark", "phone", "city", "notes", *WORD_FIELDS)


def _planned(
    columns: dict[str, list[Any]], position: int, row: int, existing_id: int | None
) -> PlannedCustomer:
    values = {
        name: value
        for name in _PLAIN_FIELDS
        if name in columns and (value := columns[name][position]) is not None
    }
    birthday: Birthday | None = columns["birthday"][position] if "birthday" in columns else None
    if birthday is not None:
        values["birthday_year"] = birthday.year
        values["birthday_month"] = birthday.month
        values["birthday_day"] = birthday.day
        values["birthday_lunar"] = birthday.lunar
        values["birthday_leap_month"] = birthday.leap_month
    if "stage" in values:
        values["stage_set_by_hand"] = True
    tags = list(columns["tags"][position]) if "tags" in columns else []
    address = columns["address"][position] if "address" in columns else None
    return PlannedCustomer(row, values, tags, address, existing_id)


@dataclass
class CustomerImportPlan:
    """What an import would do, kept as columns: a 50,000-row plan is a few lists, and
    ``customers`` builds the row view only for the rows someone looks at."""

    account_id: int
    errors: list[RowError]
    #: File row number of each customer to write.
    rows: list[int] = field(default_factory=list)
    #: Field → value per customer to write (see ``CheckedCells.columns``).
    columns: dict[str, list[Any]] = field(default_factory=dict)
    #: The customer each row updates, or None for a new one.
    existing_ids: list[int | None] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0

    @property
    def customers(self) -> PlannedCustomers:
        return PlannedCustomers(self)

    @property
    def to_create(self) -> int:
        return self.existing_ids.count(None)

    @property
    def to_update(self) -> int:
        return len(self.existing_ids) - self.to_create

    @property
    def ok(self) -> bool:
        return not self.errors

    def column(self, name: str, positions: Sequence[int] | None = None) -> list[Any]:
        """A field's values (None where empty), for all customers or those at ``positions``
        (ascending). Asked for all of them, it is the plan's own list: read it, never change it.
        """
        found = self.columns.get(name)
        if found is None:
            return [None] * (len(self.rows) if positions is None else len(positions))
        if positions is None or len(positions) == len(found):
            return found
        return [found[i] for i in positions]


class PlannedCustomers(Sequence[PlannedCustomer]):
    """The plan's customers, one row at a time, built when read."""

    def __init__(self, plan: CustomerImportPlan) -> None:
        self._plan = plan

    def __len__(self) -> int:
        return len(self._plan.rows)

    @overload
    def __getitem__(self, index: int) -> PlannedCustomer: ...
    @overload
    def __getitem__(self, index: slice) -> list[PlannedCustomer]: ...
    def __getitem__(self, index: int | slice) -> PlannedCustomer | list[PlannedCustomer]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        plan = self._plan
        position = range(len(plan.rows))[index]  # IndexError and negative indexes as a list
        return _planned(plan.columns, position, plan.rows[position], plan.existing_ids[position])


@dataclass(frozen=True)
class CustomerImportResult:
    created: int
    updated: int
    addresses: int


def parse_customer_row(
    number: int, row: dict[str, str], errors: list[RowError]
) -> PlannedCustomer | None:
    """One row's values (field → cell), or None with its problems appended to ``errors``."""
    checked = check_customer_cells([number], {name: [cell] for name, cell in row.items()})
    if checked.problems:
        errors.extend(checked.problems[0])
        return None
    return _planned(checked.columns, 0, number, None)


def _matches_anything(
    checked: CheckedCells, by_wechat: dict[str, int], by_phone: dict[str, int]
) -> bool:
    """Whether a row repeats another row's WeChat ID or matches a customer already there."""
    column = checked.column("wechat_id")
    wechat_ids = _casefolded(list(compress(column, column)))  # the filled ones
    if len(set(wechat_ids)) != len(wechat_ids) or not by_wechat.keys().isdisjoint(wechat_ids):
        return True
    if not by_phone:
        return False
    phones = checked.column("phone")
    return any(
        phone in by_phone
        for wechat_id, phone in zip(checked.column("wechat_id"), phones, strict=True)
        if phone and not wechat_id
    )


def _casefolded(texts: list[str]) -> list[str]:
    """Each text casefolded, as one string when none holds a line break (50,000 IDs)."""
    folded = "\n".join(texts).casefold().split("\n") if texts else []
    return folded if len(folded) == len(texts) else [t.casefold() for t in texts]


def _account_customers(session: Session, account_id: int) -> tuple[dict[str, int], dict[str, int]]:
    by_wechat: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for customer_id, wechat_id, phone in session.execute(
        select(Customer.id, Customer.wechat_id, Customer.phone).where(
            Customer.account_id == account_id
        )
    ):
        if wechat_id:
            by_wechat[wechat_id.casefold()] = customer_id
        if phone:
            by_phone.setdefault(phone, customer_id)
    return by_wechat, by_phone


def plan_customer_import(
    table: Table,
    mapping: dict[str, int],
    session: Session,
    account_id: int,
    *,
    on_existing: str = "update",
) -> CustomerImportPlan:
    """Check every row without writing; the plan says what would be created or updated.

    A row matches an existing customer of the same account by WeChat ID (case-insensitive,
    as WeChat treats them), or by phone when the row has no WeChat ID.
    """
    with gc_paused():
        plan = _plan_customer_import(table, mapping, session, account_id, on_existing=on_existing)
    plan.warnings[:0] = table.warnings
    return plan


def _plan_customer_import(
    table: Table,
    mapping: dict[str, int],
    session: Session,
    account_id: int,
    *,
    on_existing: str = "update",
) -> CustomerImportPlan:
    if on_existing not in ON_EXISTING:
        raise ValueError(f"on_existing must be one of {', '.join(ON_EXISTING)}")
    if session.get(WeChatAccount, account_id) is None:
        return CustomerImportPlan(
            account_id,
            [RowError(1, None, QT_TRANSLATE_NOOP("CustomerImport", "no such WeChat account"))],
        )
    if not any(name in mapping for name in IDENTITY):
        return CustomerImportPlan(
            account_id,
            [
                RowError(
                    1,
                    None,
                    QT_TRANSLATE_NOOP("CustomerImport", "choose a column for 微信号, 昵称 or 备注"),
                )
            ],
        )
    by_wechat, by_phone = _account_customers(session, account_id)
    numbers = table.row_numbers
    file_columns = list(zip(*table.rows, strict=True)) if table.rows else []
    cells: dict[str, Sequence[str]] = {
        name: file_columns[index] if file_columns else ()
        for name, index in mapping.items()
        if name in CUSTOMER_FIELDS
    }
    checked = check_customer_cells(numbers, cells, tidy=table.tidy)
    if not checked.problems and not _matches_anything(checked, by_wechat, by_phone):
        # The usual import of a new friend list: every row is a new customer.
        return CustomerImportPlan(
            account_id, [], list(numbers), checked.columns, [None] * checked.count
        )
    problems = checked.problems
    errors: list[RowError] = []
    keep: list[int] = []
    existing_ids: list[int | None] = []
    first_row: dict[str, int] = {}
    skipped = 0
    for position, (number, wechat_id, phone) in enumerate(
        zip(numbers, checked.column("wechat_id"), checked.column("phone"), strict=True)
    ):
        if position in problems:
            errors.extend(problems[position])
            continue
        existing = None
        if wechat_id:
            key = wechat_id.casefold()
            if key in first_row:
                errors.append(
                    RowError(
                        number,
                        "wechat_id",
                        QT_TRANSLATE_NOOP(
                            "CustomerImport", "{wechat_id} is also in row {first_row}"
                        ).format(wechat_id=wechat_id, first_row=first_row[key]),
                    )
                )
                continue
            first_row[key] = number
            existing = by_wechat.get(key)
        elif phone:
            existing = by_phone.get(phone)
        if existing is not None:
            if on_existing == "skip":
                skipped += 1
                continue
            if on_existing == "error":
                errors.append(
                    RowError(
                        number,
                        "wechat_id",
                        QT_TRANSLATE_NOOP(
                            "CustomerImport", "{who} is already a customer of this account"
                        ).format(who=wechat_id or phone),
                    )
                )
                continue
        keep.append(position)
        existing_ids.append(existing)
    columns = checked.columns
    if len(keep) != checked.count:
        columns = {name: [values[i] for i in keep] for name, values in columns.items()}
    rows = [numbers[i] for i in keep]
    return CustomerImportPlan(account_id, errors, rows, columns, existing_ids, [], skipped)


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
