"""A restore leaves a trace that outlives it, and every laptop of a team hears of it.

The audit log is part of the shop, so restoring a backup used to erase the audit rows
written since that backup, and the restore itself went unrecorded. Now the rows the backup
does not have are carried over, a "restore" entry is added (who, which file, from when),
and the change log gets a ``restore`` row: another laptop's poll reloads everything and
says why. All of it happens in the restore's own transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, inspect, select

from moments_desk.core.shared.change_feed import RESTORED
from moments_desk.db import change_log
from moments_desk.db.models import AuditEntry, User

_AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
_COLUMNS = ("at", "user_id", "action", "entity_type", "entity_id", "summary")


def audit_before(conn: Connection) -> list[dict[str, Any]]:
    """The live shop's audit rows, read before the restore replaces them."""
    if "audit_log" not in inspect(conn).get_table_names():
        return []
    columns = [_AUDIT.c[name] for name in _COLUMNS]
    return [dict(row._mapping) for row in conn.execute(select(*columns).order_by(_AUDIT.c.id))]


def record_restore(
    conn: Connection,
    before: list[dict[str, Any]],
    *,
    name: str,
    backup_made: datetime | None,
    user_id: int | None,
    now: datetime,
) -> int:
    """Carry over the audit rows newer than the backup's newest, record the restore and log
    it for the other laptops. Returns how many audit rows were carried over."""
    newest = conn.scalar(select(func.max(_AUDIT.c.at)))
    users = set(conn.scalars(select(User.__table__.c.id)))
    carried = [
        {**row, "user_id": row["user_id"] if row["user_id"] in users else None}
        for row in before
        if newest is None or row["at"] > newest
    ]
    if carried:
        conn.execute(insert(_AUDIT), carried)
    made = backup_made.isoformat(timespec="minutes") if backup_made else "?"
    conn.execute(
        insert(_AUDIT).values(
            at=now,
            user_id=user_id if user_id in users else None,
            action="restore",
            entity_type="shop",
            entity_id=None,
            summary=f"{name} ({made}); {len(carried)} audit entries kept",
        )
    )
    change_log.log_now(conn, RESTORED)
    return len(carried)
