"""The audit log: who created, changed, approved, posted, skipped or deleted what.

``record`` is called inside the caller's transaction, so an entry exists exactly when the
change it describes was committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from moments_desk.core.shared.listing import SqlListSource
from moments_desk.db.models import AuditEntry, Customer, Post, Product, Reminder, User

#: Actions other areas use; free text is allowed but these are what the filter offers.
ACTIONS = (
    "create",
    "change",
    "delete",
    "schedule",
    "submit",
    "resubmit",
    "approve",
    "return",
    "post",
    "skip",
    "reschedule",
    "dismiss",
    "sign_in",
    "sign_in_failed",
    "locked",
    "restore",
)


def record(
    session: Session,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one audit entry to the current transaction."""
    entry = AuditEntry(
        user_id=user_id,
        action=action[:30],
        entity_type=entity[:30],
        entity_id=entity_id,
        summary=detail,
    )
    if at is not None:
        entry.at = at
    session.add(entry)


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    action: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_name: str
    action: str
    entity_type: str
    entity_id: int | None
    summary: str
    #: what the entry is about in words (a post's first line, a profile's or product's name);
    #: empty when the entity is gone or has no name
    entity_label: str = ""


def _filtered(query: Select[tuple[int]], wanted: AuditFilter) -> Select[tuple[int]]:
    if wanted.user_id is not None:
        query = query.where(AuditEntry.user_id == wanted.user_id)
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AuditEntry.at < wanted.until)
    return query


def audit_id_statement(wanted: AuditFilter) -> Select[tuple[int]]:
    """Entry ids, newest first, filtered in SQL."""
    query = _filtered(select(AuditEntry.id), wanted)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def search_audit(session: Session, wanted: AuditFilter, limit: int = 50_000) -> list[int]:
    """Entry ids, newest first, filtered in SQL."""
    return list(session.scalars(audit_id_statement(wanted).limit(limit)))


def count_audit(session: Session, wanted: AuditFilter) -> int:
    query = _filtered(select(func.count(AuditEntry.id)), wanted)
    return int(session.scalar(query) or 0)


def _first_line(text: str | None, width: int = 40) -> str:
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def audit_rows(session: Session, ids: Sequence[int]) -> dict[int, AuditRow]:
    """Entries with their user's name and, joined per entity type in the same query, a
    readable label for what each entry is about."""
    profile = aliased(User)

    def about(model: type[Any], entity: str) -> Any:
        return and_(AuditEntry.entity_type == entity, model.id == AuditEntry.entity_id)

    customer_name = func.coalesce(
        func.nullif(Customer.remark, ""), func.nullif(Customer.nickname, ""), Customer.wechat_id
    )
    query = (
        select(
            AuditEntry,
            User.name,
            Post.text,
            profile.name,
            Product.name,
            customer_name,
            Reminder.message,
        )
        .outerjoin(User, User.id == AuditEntry.user_id)
        .outerjoin(Post, about(Post, "post"))
        .outerjoin(profile, about(profile, "user"))
        .outerjoin(Product, about(Product, "product"))
        .outerjoin(Customer, about(Customer, "customer"))
        .outerjoin(Reminder, about(Reminder, "reminder"))
        .where(AuditEntry.id.in_(list(ids)))
    )
    rows = {}
    for entry, name, post_text, profile_name, product, customer, reminder in session.execute(query):
        label = _first_line(post_text) or profile_name or product or customer or ""
        label = label or _first_line(reminder)
        rows[entry.id] = AuditRow(
            entry.id,
            entry.at,
            name or "",
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.summary,
            label,
        )
    return rows


def audit_listing(sessions: sessionmaker[Session]) -> SqlListSource[AuditFilter, AuditRow]:
    """The audit log dialog's rows, read a window at a time."""
    return SqlListSource(sessions, audit_id_statement, audit_rows)
