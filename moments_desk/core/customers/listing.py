"""Searching customers and the rows of the Customers table. No Qt here.

Listing is id-based: the filter and the order run in SQL (``customer_id_statement``); the
page reads a window of rows at a time through ``customer_listing``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.birthdays import birthdays_between
from moments_desk.core.shared.batches import rows_in
from moments_desk.core.shared.listing import SqlListSource
from moments_desk.core.shared.tags import like_pattern
from moments_desk.core.shared.text import clean_text
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    Interaction,
    Order,
    OrderStatus,
    Tag,
    WeChatAccount,
    customer_tag,
)


class CustomerSort(enum.StrEnum):
    RECENT = "recent"
    NAME = "name"
    STAGE = "stage"
    CREATED = "created"
    LAST_CONTACT = "last_contact"


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    account_id: int | None = None
    tag: str | None = None
    stage: CustomerStage | None = None
    birthday_within_days: int | None = None
    dormant_days: int | None = None
    has_unpaid_order: bool = False
    sort: CustomerSort = CustomerSort.RECENT
    descending: bool = True


@dataclass(frozen=True)
class CustomerRow:
    id: int
    account_id: int
    account_label: str
    nickname: str
    remark: str
    wechat_id: str | None
    phone: str | None
    city: str
    stage: CustomerStage
    tags: tuple[str, ...]
    last_contact: datetime | None

    @property
    def display_name(self) -> str:
        """WeChat shows the remark (备注) when there is one; so do we."""
        return self.remark or self.nickname or self.wechat_id or "—"


def _last_contact() -> Any:
    return (
        select(func.max(Interaction.occurred_at))
        .where(Interaction.customer_id == Customer.id)
        .correlate(Customer)
        .scalar_subquery()
    )


def _filters(query: CustomerQuery, now: datetime, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    text = clean_text(query.text, 100)
    if text:
        # One lowercase column (names, remark, WeChat ID, phone, pinyin) written with the row:
        # a single LIKE instead of five lower(col) LIKE tests per customer.
        lowered = like_pattern(text.lower())
        compact = like_pattern(re.sub(r"[\s\-]+", "", text).lower())
        matches = [Customer.search_text.like(lowered, escape="\\")]
        if compact != lowered:
            matches.append(Customer.search_text.like(compact, escape="\\"))
        conditions.append(or_(*matches))
    if query.account_id is not None:
        conditions.append(Customer.account_id == query.account_id)
    if query.tag:
        conditions.append(
            exists(
                select(1)
                .select_from(customer_tag.join(Tag, Tag.id == customer_tag.c.tag_id))
                .where(customer_tag.c.customer_id == Customer.id, Tag.name == query.tag)
            )
        )
    if query.stage is not None:
        conditions.append(Customer.stage == query.stage)
    if query.birthday_within_days is not None:
        solar, lunar = birthdays_between(today, today + timedelta(days=query.birthday_within_days))
        birthday = [
            and_(
                ~Customer.birthday_lunar,
                tuple_(Customer.birthday_month, Customer.birthday_day).in_(sorted(solar)),
            )
        ]
        if lunar:
            birthday.append(
                and_(
                    Customer.birthday_lunar,
                    tuple_(
                        Customer.birthday_month, Customer.birthday_day, Customer.birthday_leap_month
                    ).in_(sorted(lunar)),
                )
            )
        conditions.append(or_(*birthday))
    if query.dormant_days is not None:
        since = now - timedelta(days=query.dormant_days)
        conditions.append(
            ~exists(
                select(1).where(
                    Interaction.customer_id == Customer.id, Interaction.occurred_at >= since
                )
            )
        )
        conditions.append(
            ~exists(select(1).where(Order.customer_id == Customer.id, Order.created_at >= since))
        )
    if query.has_unpaid_order:
        conditions.append(
            exists(
                select(1).where(
                    Order.customer_id == Customer.id,
                    Order.status == OrderStatus.AWAITING_PAYMENT,
                )
            )
        )
    return conditions


def customer_id_statement(query: CustomerQuery, now: datetime) -> Select[Any]:
    """The ids the Customers page lists for ``query``, in its order."""
    stmt = select(Customer.id).where(*_filters(query, now, now.date()))
    column: Any
    nullable = False
    match query.sort:
        case CustomerSort.NAME:
            column = func.coalesce(func.nullif(Customer.remark, ""), Customer.nickname)
            nullable = True
        case CustomerSort.STAGE:
            column = Customer.stage
        case CustomerSort.CREATED:
            column = Customer.created_at
        case CustomerSort.LAST_CONTACT:
            column = _last_contact()
            nullable = True
        case _:
            column = Customer.updated_at
    ordered = column.desc() if query.descending else column.asc()
    # NULLs last only where there can be any: an "IS NULL" key first would keep the database
    # from walking ix_customer_recent for the default order (a sort of every customer).
    keys = [column.is_(None)] if nullable else []
    return stmt.order_by(*keys, ordered, Customer.id.desc())


def search_customer_ids(session: Session, query: CustomerQuery, now: datetime) -> list[int]:
    return list(session.scalars(customer_id_statement(query, now)))


def load_customer_rows(session: Session, ids: Sequence[int]) -> dict[int, CustomerRow]:
    if not ids:
        return {}
    query = select(
        Customer.id,
        Customer.account_id,
        WeChatAccount.label,
        Customer.nickname,
        Customer.remark,
        Customer.wechat_id,
        Customer.phone,
        Customer.city,
        Customer.stage,
        _last_contact().label("last_contact"),
    ).join(WeChatAccount, WeChatAccount.id == Customer.account_id)
    # Plain Core on the session's connection: these are column reads, and the ORM's result
    # machinery took most of a window's time (a page of rows per keystroke).
    conn = session.connection()
    rows = list(rows_in(conn, lambda chunk: query.where(Customer.id.in_(chunk)), ids))
    tags: dict[int, list[str]] = {}
    for customer_id, name in rows_in(
        conn,
        lambda chunk: (
            select(customer_tag.c.customer_id, Tag.name)
            .join(Tag, Tag.id == customer_tag.c.tag_id)
            .where(customer_tag.c.customer_id.in_(chunk))
            .order_by(Tag.name)
        ),
        ids,
    ):
        tags.setdefault(customer_id, []).append(name)
    return {
        r.id: CustomerRow(
            id=r.id,
            account_id=r.account_id,
            account_label=r.label,
            nickname=r.nickname,
            remark=r.remark,
            wechat_id=r.wechat_id,
            phone=r.phone,
            city=r.city,
            stage=r.stage,
            tags=tuple(tags.get(r.id, ())),
            last_contact=r.last_contact,
        )
        for r in rows
    }


def customer_listing(
    sessions: sessionmaker[Session], now: Callable[[], datetime]
) -> SqlListSource[CustomerQuery, CustomerRow]:
    """The Customers page's rows, read a window at a time ("now" for birthdays, quiet)."""
    return SqlListSource(
        sessions, lambda query: customer_id_statement(query, now()), load_customer_rows
    )
