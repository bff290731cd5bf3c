"""Importing friend-customers from a spreadsheet: check every row, then write all or nothing.

The write path is built for 50,000 rows: pinyin keys come from the character table (see
core/pinyin.py) and rows go in as tuples through ``bulk_insert``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, update
from sqlalchemy.orm import Session

from moments_desk.core.addresses import ParsedAddress, parse_address
from moments_desk.core.birthdays import Birthday, BirthdayError, parse_birthday
from moments_desk.core.catalogue import split_tags
from moments_desk.core.customers import CustomerError, clean_phone, clean_text
from moments_desk.core.importing import RowError, Ticker, bulk_insert, gc_paused
from moments_desk.core.messages import QT_TRANSLATE_NOOP, Msg, message_of
from moments_desk.core.pinyin import search_columns
from moments_desk.core.tabular import Table
from moments_desk.core.tags import MAX_TAG
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
#: At least one of these must be mapped: a customer needs something to be recognised by.
IDENTITY = ("wechat_id", "nickname", "remark")
ON_EXISTING = ("update", "skip", "error")

GENDER_WORDS = {
    "女": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "男": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "未知": Gender.UNKNOWN,
    "unknown": Gender.UNKNOWN,
}
RELATIONSHIP_WORDS = {
    "客户": Relationship.CUSTOMER,
    "顾客": Relationship.CUSTOMER,
    "customer": Relationship.CUSTOMER,
    "朋友": Relationship.FRIEND,
    "好友": Relationship.FRIEND,
    "friend": Relationship.FRIEND,
    "家人": Relationship.FAMILY,
    "亲戚": Relationship.FAMILY,
    "family": Relationship.FAMILY,
    "同事": Relationship.COLLEAGUE,
    "colleague": Relationship.COLLEAGUE,
}
SOURCE_WORDS = {
    "淘宝": CustomerSource.TAOBAO,
    "taobao": CustomerSource.TAOBAO,
    "线下": CustomerSource.OFFLINE,
    "实体店": CustomerSource.OFFLINE,
    "offline": CustomerSource.OFFLINE,
    "转介绍": CustomerSource.REFERRAL,
    "介绍": CustomerSource.REFERRAL,
    "老带新": CustomerSource.REFERRAL,
    "referral": CustomerSource.REFERRAL,
    "朋友圈": CustomerSource.MOMENTS,
    "moments": CustomerSource.MOMENTS,
    "未知": CustomerSource.UNKNOWN,
    "unknown": CustomerSource.UNKNOWN,
}
STAGE_WORDS = {
    "潜在客户": CustomerStage.PROSPECT,
    "潜在": CustomerStage.PROSPECT,
    "prospect": CustomerStage.PROSPECT,
    "客户": CustomerStage.CUSTOMER,
    "用户": CustomerStage.CUSTOMER,
    "customer": CustomerStage.CUSTOMER,
    "粉丝": CustomerStage.FAN,
    "fan": CustomerStage.FAN,
    "铁粉": CustomerStage.IRON_FAN,
    "iron_fan": CustomerStage.IRON_FAN,
}
#: Column limits of the customer table, checked per row so nothing is cut silently.
LIMITS = {"wechat_id": 60, "nickname": 100, "remark": 100, "city": 60}
_LIMIT_ITEMS = tuple(LIMITS.items())
_ADDRESS_LIMITS = {"province": 30, "city": 30, "district": 30, "detail": 300}

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
    "search_initials",
    "search_full",
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


@dataclass
class CustomerImportPlan:
    account_id: int
    customers: list[PlannedCustomer]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0

    @property
    def to_create(self) -> int:
        return sum(1 for c in self.customers if c.existing_id is None)

    @property
    def to_update(self) -> int:
        return sum(1 for c in self.customers if c.existing_id is not None)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CustomerImportResult:
    created: int
    updated: int
    addresses: int


def _word(text: str, words: dict[str, Any], number: int, name: str, errors: list[RowError]) -> Any:
    value = words.get(text.strip().lower())
    if value is None:
        accepted = "、".join(w for w in words if not w.isascii())
        errors.append(
            RowError(
                number,
                name,
                QT_TRANSLATE_NOOP("CustomerImport", "{text} is not one of {accepted}").format(
                    text=text, accepted=accepted
                ),
            )
        )
    return value


def _address_part(part: str) -> Msg:
    return {
        "province": QT_TRANSLATE_NOOP("CustomerImport", "province"),
        "city": QT_TRANSLATE_NOOP("CustomerImport", "city"),
        "district": QT_TRANSLATE_NOOP("CustomerImport", "district"),
        "detail": QT_TRANSLATE_NOOP("CustomerImport", "detail"),
    }[part]


def _address_error(address: ParsedAddress) -> Msg | None:
    for part, limit in _ADDRESS_LIMITS.items():
        value = getattr(address, part)
        if len(value) > limit:
            return QT_TRANSLATE_NOOP(
                "CustomerImport", "the {part} part is {count} characters long; at most {limit}"
            ).format(part=_address_part(part), count=len(value), limit=limit)
    return None


@lru_cache(maxsize=32768)
def _birthday_cell(raw: str) -> tuple[Birthday | None, str | None]:
    """A birthday cell's date or its problem: a friend list repeats a few thousand dates."""
    try:
        return parse_birthday(raw), None
    except BirthdayError as error:
        return None, message_of(error)


@lru_cache(maxsize=4096)
def _tags_cell(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tags, those too long) of a tags cell: a few distinct cells repeat on many rows."""
    tags = tuple(split_tags(clean_text(raw, 10_000)))
    return tags, tuple(t for t in tags if len(t) >= MAX_TAG)


def forget_cached_cells() -> None:
    """Drop the per-cell caches (benchmarks measure an import that has seen no cell yet)."""
    _birthday_cell.cache_clear()
    _tags_cell.cache_clear()


_WORD_FIELDS = (
    ("gender", GENDER_WORDS),
    ("relationship", RELATIONSHIP_WORDS),
    ("source", SOURCE_WORDS),
    ("stage", STAGE_WORDS),
)


def parse_customer_row(
    number: int, row: dict[str, str], errors: list[RowError]
) -> PlannedCustomer | None:
    """One row's values (field → cell), or None with its problems appended to ``errors``."""
    get = row.get
    found: list[RowError] = []
    values: dict[str, Any] = {}
    for name, limit in _LIMIT_ITEMS:
        raw = get(name)
        if not raw:
            continue
        # The usual cell is already clean: short, no zero-width characters (they are not
        # printable) and no edge whitespace (the only printable one is the ASCII space).
        if len(raw) <= limit and raw.isprintable() and raw[0] != " " and raw[-1] != " ":
            values[name] = raw
            continue
        text = clean_text(raw, 10 * limit)
        if len(text) > limit:
            found.append(
                RowError(
                    number,
                    name,
                    QT_TRANSLATE_NOOP(
                        "CustomerImport", "is {count} characters long; at most {limit}"
                    ).format(count=len(text), limit=limit),
                )
            )
        elif text:
            values[name] = text
    if not ("wechat_id" in values or "nickname" in values or "remark" in values):
        found.append(
            RowError(
                number,
                None,
                QT_TRANSLATE_NOOP(
                    "CustomerImport", "needs a WeChat ID, a nickname or a remark name"
                ),
            )
        )
    raw_phone = get("phone")
    if raw_phone:
        try:
            phone = clean_phone(raw_phone)
        except CustomerError as error:
            found.append(RowError(number, "phone", message_of(error)))
        else:
            if phone:
                values["phone"] = phone
    raw_birthday = get("birthday")
    if raw_birthday:
        birthday, problem = _birthday_cell(raw_birthday)
        if problem is not None:
            found.append(RowError(number, "birthday", problem))
        elif birthday is not None:
            values["birthday_year"] = birthday.year
            values["birthday_month"] = birthday.month
            values["birthday_day"] = birthday.day
            values["birthday_lunar"] = birthday.lunar
            values["birthday_leap_month"] = birthday.leap_month
    for name, words in _WORD_FIELDS:
        raw = get(name)
        if raw:
            value = words.get(raw)  # the usual case: a word exactly as listed
            if value is None:
                raw = raw.strip()
                if raw:
                    value = _word(raw, words, number, name, found)
            if value is not None:
                values[name] = value
    if "stage" in values:
        values["stage_set_by_hand"] = True
    notes = get("notes")
    if notes:
        values["notes"] = notes  # kept verbatim, however long or odd it looks
    tags: list[str] = []
    raw_tags = get("tags")
    if raw_tags:
        cell_tags, too_long = _tags_cell(raw_tags)
        for tag in too_long:
            found.append(
                RowError(
                    number,
                    "tags",
                    QT_TRANSLATE_NOOP("CustomerImport", "{tag}… is longer than {limit}").format(
                        tag=tag, limit=MAX_TAG - 1
                    ),
                )
            )
        tags = list(cell_tags)
    address = None
    raw_address = get("address")
    if raw_address and raw_address.strip():
        address = parse_address(clean_text(raw_address, 2000))
        problem = _address_error(address)
        if problem:
            found.append(RowError(number, "address", problem))
    if found:
        errors.extend(found)
        return None
    return PlannedCustomer(number, values, tags, address)


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
        return _plan_customer_import(table, mapping, session, account_id, on_existing=on_existing)


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
            [],
            [RowError(1, None, QT_TRANSLATE_NOOP("CustomerImport", "no such WeChat account"))],
        )
    if not any(name in mapping for name in IDENTITY):
        return CustomerImportPlan(
            account_id,
            [],
            [
                RowError(
                    1,
                    None,
                    QT_TRANSLATE_NOOP("CustomerImport", "choose a column for 微信号, 昵称 or 备注"),
                )
            ],
        )
    by_wechat, by_phone = _account_customers(session, account_id)
    errors: list[RowError] = []
    planned: list[PlannedCustomer] = []
    first_row: dict[str, int] = {}
    skipped = 0
    columns = [(name, index) for name, index in mapping.items() if name in CUSTOMER_FIELDS]
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row = {name: cells[index] for name, index in columns}
        customer = parse_customer_row(number, row, errors)
        if customer is None:
            continue
        wechat_id = customer.values.get("wechat_id")
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
        elif customer.values.get("phone"):
            existing = by_phone.get(customer.values["phone"])
        if existing is not None:
            if on_existing == "skip":
                skipped += 1
                continue
            if on_existing == "error":
                who = wechat_id or customer.values["phone"]
                errors.append(
                    RowError(
                        number,
                        "wechat_id",
                        QT_TRANSLATE_NOOP(
                            "CustomerImport", "{who} is already a customer of this account"
                        ).format(who=who),
                    )
                )
                continue
            customer.existing_id = existing
        planned.append(customer)
    return CustomerImportPlan(account_id, planned, errors, [], skipped)


def _search_columns(values: dict[str, Any]) -> tuple[str, str, str]:
    nickname, remark = values.get("nickname", ""), values.get("remark", "")
    return search_columns((nickname, remark), (values.get("wechat_id"), values.get("phone")))


def customer_tuple(account_id: int, values: dict[str, Any], moment: datetime) -> tuple[Any, ...]:
    get = values.get
    wechat_id, phone = get("wechat_id"), get("phone")
    nickname, remark = get("nickname", ""), get("remark", "")
    initials, full, text = search_columns((nickname, remark), (wechat_id, phone))
    return (
        account_id,
        wechat_id,
        nickname,
        remark,
        phone,
        get("gender", Gender.UNKNOWN),
        get("birthday_year"),
        get("birthday_month"),
        get("birthday_day"),
        get("birthday_lunar", False),
        get("birthday_leap_month", False),
        get("city", ""),
        get("relationship", Relationship.CUSTOMER),
        get("stage", CustomerStage.PROSPECT),
        get("stage_set_by_hand", False),
        get("source", CustomerSource.UNKNOWN),
        "",
        get("notes", ""),
        initials,
        full,
        text,
        moment,
        moment,
    )


def chunks(items: Sequence[Any], size: int = 900) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def new_customer_ids(conn: Connection, account_id: int, before: int, moment: datetime) -> list[int]:
    """Ids of the customers just bulk-inserted, in insertion order."""
    return list(
        conn.scalars(
            select(Customer.id)
            .where(
                Customer.id > before,
                Customer.account_id == account_id,
                Customer.created_at == moment,
            )
            .order_by(Customer.id)
        )
    )


#: From this many new customers on, the search index is rebuilt rather than updated.
REBUILD_FROM = 5000
#: SQLite page cache (KiB) while bulk-inserting that many.
BULK_CACHE_KB = 65536


@contextmanager
def search_index_rebuilt(conn: Connection, rows: int) -> Iterator[None]:
    """Drop the search index for a big bulk insert and build it again afterwards.

    Its keys are long texts in random order: updating it row by row tripled the cost of
    inserting 50,000 customers, while building it from sorted keys takes a fraction of
    that. Inside the import's transaction, so a failure puts the index back too.
    The page cache is widened meanwhile: the other indexes (phone, birthday) take keys in
    random order too, and SQLite's default 2 MB cache re-reads their pages (10% of the
    insert at 50,000 rows).
    """
    index = next(i for i in Customer.__table__.indexes if i.name == "ix_customer_search")  # type: ignore[attr-defined]
    if rows < REBUILD_FROM or conn.dialect.name != "sqlite":
        yield
        return
    # pysqlite opens its transaction at the first INSERT/UPDATE/DELETE, not at a DROP:
    # a no-op UPDATE first keeps the drop inside the import's transaction.
    conn.exec_driver_sql("UPDATE customer SET id = id WHERE 0")
    cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KB}")
    try:
        index.drop(conn)
        yield
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
    with gc_paused():
        return _apply_customer_import(
            plan, engine, now=now, progress=progress, should_cancel=should_cancel
        )


def _apply_customer_import(
    plan: CustomerImportPlan,
    engine: Engine,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> CustomerImportResult:
    if not plan.ok:
        raise ValueError(
            QT_TRANSLATE_NOOP("CustomerImport", "the import has errors; fix them first")
        )
    moment = now or datetime.now(UTC)
    creates = [c for c in plan.customers if c.existing_id is None]
    updates = [c for c in plan.customers if c.existing_id is not None]
    tick = Ticker(len(plan.customers) + 1, progress, should_cancel)
    customer_table: Any = Customer.__table__
    with engine.begin() as conn:
        before = conn.scalar(select(func.coalesce(func.max(Customer.id), 0))) or 0
        with search_index_rebuilt(conn, len(creates)):
            bulk_insert(
                conn,
                customer_table,
                CUSTOMER_COLUMNS,
                (customer_tuple(plan.account_id, c.values, moment) for c in creates),
                tick=tick,
            )
        new_ids = new_customer_ids(conn, plan.account_id, before, moment)
        if len(new_ids) != len(creates):
            raise RuntimeError(
                QT_TRANSLATE_NOOP(
                    "CustomerImport",
                    "another program added customers at the same moment; try again",
                )
            )
        for customer, new_id in zip(creates, new_ids, strict=True):
            customer.existing_id = new_id
        if updates:
            _apply_updates(conn, updates, moment)
        tick(len(updates))
        tags = ensure_tags(conn, [t for c in plan.customers for t in c.tags])
        linked: set[tuple[int, int]] = set()
        tagged_updates = [c.existing_id for c in updates if c.tags]
        for chunk in chunks(tagged_updates):
            query = select(customer_tag.c.customer_id, customer_tag.c.tag_id).where(
                customer_tag.c.customer_id.in_(chunk)
            )
            linked.update((owner, tag) for owner, tag in conn.execute(query))
        links = {
            (c.existing_id, tags[t])
            for c in plan.customers
            for t in c.tags
            if c.existing_id is not None
        } - linked
        bulk_insert(conn, customer_tag, ("customer_id", "tag_id"), sorted(links))
        addresses = add_addresses(
            conn,
            [
                (c.existing_id, c.address, c.display_name, c.values.get("phone") or "")
                for c in plan.customers
                if c.address is not None and c.existing_id is not None
            ],
        )
        tick()
    return CustomerImportResult(len(creates), len(updates), addresses)


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
        initials, full, text = _search_columns(merged)
        rows.append(
            {
                **{f"v_{k}": v for k, v in merged.items()},
                "v_search_initials": initials,
                "v_search_full": full,
                "v_search_text": text,
                "v_updated_at": moment,
                "pid": customer.existing_id,
            }
        )
    names = [*_UPDATABLE, "search_initials", "search_full", "search_text", "updated_at"]
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
