"""The database server's clock: the one time every laptop of a shared shop can agree on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def database_now(session: Session) -> datetime:
    """The server's current time, timezone-aware UTC (SQLite: this machine's clock)."""
    if session.get_bind().dialect.name == "postgresql":
        # clock_timestamp(), not now(): now() stays at the start of the transaction.
        value = session.scalar(select(func.clock_timestamp()))
    else:
        value = session.scalar(select(func.strftime("%Y-%m-%d %H:%M:%f", "now")))
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
