"""Telling "the shared shop cannot be reached" from every other failure.

When Wi-Fi drops, each query fails with psycopg's ``OperationalError`` (a timeout, a lost
connection, a refused one). The window then shows one calm banner and keeps trying, instead
of a dialog per failed read; every other error (a refusal, a bug, SQLite's "database is
locked") is still reported as before.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: psycopg errors that are the server answering, not the network failing.
_ANSWERS = frozenset({"QueryCanceled", "LockNotAvailable", "DeadlockDetected"})


def _from_psycopg(error: BaseException) -> bool:
    return type(error).__module__.startswith("psycopg")


def is_unreachable(error: BaseException) -> bool:
    """True when ``error`` says the PostgreSQL server cannot be reached right now."""
    # Not loaded yet (a SQLite shop before its engine is made): no SQLAlchemy error exists.
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is None:
        pass
    elif isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if not isinstance(error, exc.OperationalError | exc.InterfaceError):
            return False
        error = error.orig if isinstance(error.orig, BaseException) else error
    elif isinstance(error, exc.TimeoutError):  # the pool waited for a connection in vain
        return True
    if not _from_psycopg(error) or type(error).__name__ in _ANSWERS:
        return False
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & {"OperationalError", "InterfaceError"})


def probe(session: Session) -> None:
    """The cheapest round trip: raises when the server is still out of reach."""
    from sqlalchemy import text

    session.execute(text("SELECT 1"))
