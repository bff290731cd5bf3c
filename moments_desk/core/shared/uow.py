"""Units of work: one session per use-case, one transaction per write."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # SQLAlchemy is not imported before a SQLite shop's first paint
    from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

#: A use-case for one session, as ui hands it to ``read``/``write`` on the database thread:
#: ui composes core calls this way without importing SQLAlchemy itself.
Work = Callable[["Session"], T]


def affected(result: Any) -> int:
    """Rows an UPDATE or DELETE touched (typed as a plain Result by SQLAlchemy's stubs)."""
    return int(getattr(result, "rowcount", 0) or 0)


def read(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with sessions() as session:
        return work(session)


def write(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction: it commits entirely or not at all."""
    with sessions.begin() as session:
        return work(session)
