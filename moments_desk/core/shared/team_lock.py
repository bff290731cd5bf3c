"""One laptop at a time for work that reads the shop and then adds what it found missing.

Filling empty slots with drafts reads which slots are free, then inserts; two laptops doing
it at once would both see the same slot free and both fill it. ``one_at_a_time`` makes the
second wait until the first has committed, so it reads the first one's drafts.
PostgreSQL: a transaction-scoped advisory lock; SQLite: the database's write lock, taken by a
write that changes nothing.
"""

from __future__ import annotations

import zlib

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session


def one_at_a_time(session: Session, name: str) -> None:
    """Hold the lock called ``name`` until this transaction ends. Call before reading."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(name.encode()) - 2**31  # a stable bigint per name
        session.execute(select(func.pg_advisory_xact_lock(key)))
        return
    session.execute(text("UPDATE app_setting SET value = value WHERE 0"))
