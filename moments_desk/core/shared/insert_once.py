"""Insert a row unless one with the same key exists: ``INSERT … ON CONFLICT DO NOTHING``.

Checking first and inserting after is a race between two laptops (both check, both
insert); the database's unique index decides instead, on SQLite and on PostgreSQL alike.
On PostgreSQL a second transaction inserting the same key waits for the first to commit
and then skips; it never fails the transaction around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_once(
    session: Session, table: Table, values: Mapping[str, Any], key: Sequence[str]
) -> int | None:
    """Insert ``values`` into ``table``; return the new row's id, or None when a row with the
    same ``key`` columns was already there (or committed meanwhile by someone else)."""
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = pg_insert(table).values(**values).on_conflict_do_nothing(index_elements=key)
    elif dialect == "sqlite":
        statement = sqlite_insert(table).values(**values).on_conflict_do_nothing(index_elements=key)
    else:  # pragma: no cover - engine.check_supported refuses other databases
        raise NotImplementedError(dialect)
    new_id = session.execute(statement.returning(table.c.id)).scalar()
    return None if new_id is None else int(new_id)
