"""A table model over one list query, its rows read a window at a time on the database thread.

The model never reads the database itself: with PostgreSQL a page of rows is a network
round trip, so the GUI thread only ever shows rows that already arrived. The first window
comes with the search (``show``); scrolling to the end asks for the next one
(``canFetchMore``/``fetchMore``, answered through ``more_wanted``); rows are plain data
from core.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

#: Rows per window: about three screens, so a first paint and a scroll step need one read.
WINDOW = 100
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class HasId(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=HasId)


class PagedTableModel(QAbstractTableModel, Generic[RowT]):
    """The rows of the current query that have arrived, in the query's order."""

    #: the view scrolled to the last row and more rows exist: the page reads the next window
    more_wanted = Signal(int)

    def __init__(self, headers: list[str]) -> None:
        super().__init__()
        self._headers = headers
        self._rows: list[RowT] = []
        self._ids: list[int] = []
        self._more = False
        self._asking = False

    # -- subclass hooks ------------------------------------------------------------------------

    def cell(self, row: RowT, column: int, role: int) -> Any:
        raise NotImplementedError

    def rows_arrived(self, start: int, rows: list[RowT]) -> None:
        """Called after rows from ``start`` arrived (e.g. to note which rows show a picture)."""

    def reset_caches(self) -> None:
        """Subclasses drop their own per-row caches here."""

    # -- rows ----------------------------------------------------------------------------------

    def show(self, rows: list[RowT], more: bool) -> None:
        """Show a new answer. The same ids in the same order (a re-read after a change) are
        updated in place, keeping selection and scroll; anything else resets the model."""
        ids = [r.id for r in rows]
        self._more = more
        self._asking = False
        if ids == self._ids:
            self._rows = list(rows)
            self.reset_caches()
            self.rows_arrived(0, self._rows)
            if self._rows:
                last = self.index(len(self._rows) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._ids = ids
        self.reset_caches()
        self.endResetModel()
        self.rows_arrived(0, self._rows)

    def append(self, start: int, rows: list[RowT], more: bool) -> None:
        """The next window arrived; one that no longer follows the rows shown is dropped."""
        self._asking = False
        if start != len(self._rows):
            return
        known = set(self._ids)
        fresh = [r for r in rows if r.id not in known]  # moved down by a change meanwhile
        self._more = more
        if fresh:
            self.beginInsertRows(_ROOT, start, start + len(fresh) - 1)
            self._rows.extend(fresh)
            self._ids.extend(r.id for r in fresh)
            self.endInsertRows()
            self.rows_arrived(start, fresh)

    def window_failed(self) -> None:
        self._asking = False

    def ids(self) -> list[int]:
        return list(self._ids)

    def item_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, item_id: int) -> int | None:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def has_more(self) -> bool:
        return self._more

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:
        return not parent.isValid() and self._more and not self._asking

    def fetchMore(self, parent: Index = _ROOT) -> None:
        if self.canFetchMore(parent):
            self._asking = True
            self.more_wanted.emit(len(self._rows))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return self.cell(row, index.column(), role)
