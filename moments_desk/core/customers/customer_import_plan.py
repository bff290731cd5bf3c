"""Checking a friend-customer spreadsheet before anything is written: every row's cells, rows
that repeat each other, rows that match a customer the account already has. The result is a
``CustomerImportPlan``, kept as columns; ``customer_import`` writes it.

The path is built for 50,000 rows: cells are checked a column at a time (see
``customer_cells``) and the plan keeps its customers as columns, so a large plan is a few lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.customers.addresses import ParsedAddress
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customer_cells import (
    IDENTITY,
    WORD_FIELDS,
    CheckedCells,
    check_customer_cells,
)
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.spreadsheets.importing import RowError, gc_paused
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.db.models import Customer, WeChatAccount

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
