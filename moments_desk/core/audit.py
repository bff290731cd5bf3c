"""The audit log: who created, changed, approved, posted, skipped or deleted what.

``record`` is called inside the caller's transaction, so an entry exists exactly when the
change it describes was committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from moments_desk.db.models import AuditEntry, User

#: Actions other areas use; free text is allowed but these are what the filter offers.
ACTIONS = (
    "create",
    "change",
    "delete",
    "schedule",
    "submit",
    "approve",
    "return",
    "post",
    "skip",
    "reschedule",
    "dismiss",
    "sign_in",
    "sign_in_failed",
    "locked",
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


def search_audit(session: Session, wanted: AuditFilter, limit: int = 50_000) -> list[int]:
    """Entry ids, newest first, filtered in SQL."""
    query = _filtered(select(AuditEntry.id), wanted)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))


def count_audit(session: Session, wanted: AuditFilter) -> int:
    query = _filtered(select(func.count(AuditEntry.id)), wanted)
    return int(session.scalar(query) or 0)


def audit_rows(session: Session, ids: Sequence[int]) -> dict[int, AuditRow]:
    query = (
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.id.in_(list(ids)))
    )
    return {
        entry.id: AuditRow(
            entry.id,
            entry.at,
            name or "",
            entry.action,
            entry.entity_type,
            entry.entity_id,
            entry.summary,
        )
        for entry, name in session.execute(query)
    }
