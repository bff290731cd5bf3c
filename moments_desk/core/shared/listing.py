"""Reading a big list a window at a time: what the products, customers and orders pages ask.

A list is an ordered ``SELECT id`` (filtering and sorting in SQL) and a loader turning ids
into plain rows. A page asks for the first window when the seller searches, for the next
one when she scrolls to the end, and for the count after the rows are on screen: the
database never hands the whole list to the GUI, and a keystroke never waits for a count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.shared import uow

QueryT = TypeVar("QueryT")
RowT = TypeVar("RowT")
QueryT_contra = TypeVar("QueryT_contra", contravariant=True)


@dataclass(frozen=True)
class Window(Generic[RowT]):
    """Rows ``offset`` to ``offset + len(rows)`` of a list, in its order."""

    offset: int
    rows: list[RowT]
    #: whether rows follow this window
    more: bool
    #: how many rows the whole list has, when reading the window told
    total: int | None = None


class ListSource(Protocol[QueryT_contra, RowT]):
    """What a list page reads; every method runs on the database thread."""

    def window(self, query: QueryT_contra, offset: int, limit: int) -> Window[RowT]: ...

    def count(self, query: QueryT_contra) -> int: ...

    def all_ids(self, query: QueryT_contra) -> list[int]: ...


class SqlListSource(Generic[QueryT, RowT]):
    """A list read through ``statement(query)`` (ordered ids) and ``load(session, ids)``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        statement: Callable[[QueryT], Select[Any]],
        load: Callable[[Session, Sequence[int]], dict[int, RowT]],
    ) -> None:
        self._sessions = sessions
        self._statement = statement
        self._load = load

    def window(self, query: QueryT, offset: int, limit: int) -> Window[RowT]:
        # One row past the window says whether more follow, without counting them.
        stmt = self._statement(query).offset(offset).limit(limit + 1)

        def read(s: Session) -> Window[RowT]:
            ids = list(s.connection().scalars(stmt))  # Core: no ORM result machinery
            shown = ids[:limit]
            loaded = self._load(s, shown)
            rows = [loaded[i] for i in shown if i in loaded]
            return Window(offset, rows, len(ids) > limit)

        return uow.read(self._sessions, read)

    def count(self, query: QueryT) -> int:
        inner = self._statement(query).order_by(None).subquery()
        stmt = select(func.count()).select_from(inner)
        return uow.read(self._sessions, lambda s: int(s.scalar(stmt) or 0))

    def all_ids(self, query: QueryT) -> list[int]:
        stmt = self._statement(query)
        return uow.read(self._sessions, lambda s: list(s.scalars(stmt)))
