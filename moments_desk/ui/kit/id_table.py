"""A table model over an ordered list of ids, fetching the rows it shows a page at a time.

Large tables hold ids and page from SQL (docs/architecture.md); filtering and sorting happen in
SQL, followed by a model reset, never in a QSortFilterProxyModel over every row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy.exc import SQLAlchemyError

RowT = TypeVar("RowT")
log = logging.getLogger(__name__)
# About two screens of rows: a keystroke or a first paint fetches only what it shows.
PAGE = 50
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class IdTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows are fetched by primary key in pages of 50 when the view first asks for them.

    Fetching runs on the GUI thread on purpose: a page by primary key takes about a
    millisecond, WAL readers never wait for writers, and a page that arrived later would
    make the table flicker. Searching, the part that scans, runs in the worker.
    """

    def __init__(self, fetch: Callable[[Sequence[int]], dict[int, RowT]], headers: list[str]):
        super().__init__()
        self._fetch = fetch
        self._headers = headers
        self._ids: list[int] = []
        self._rows: dict[int, RowT] = {}
        self._fetch_failed = False

    # -- subclass hooks ------------------------------------------------------------------------

    def cell(self, row: RowT, column: int, role: int) -> Any:
        raise NotImplementedError

    def page_loaded(self, start: int, rows: dict[int, RowT]) -> None:
        """Called after a page was fetched (e.g. to note which rows show which picture)."""

    # -- ids and rows --------------------------------------------------------------------------

    def set_ids(self, ids: list[int]) -> None:
        if ids == self._ids:
            # Same rows (a re-run after a change elsewhere): re-read them without a reset,
            # which would drop the selection and scroll back to the top.
            self._rows = {}
            self.reset_caches()
            self.refresh_rows()
            return
        self.beginResetModel()
        self._ids = ids
        self._rows = {}
        self.reset_caches()
        self.endResetModel()

    def reset_caches(self) -> None:
        """Subclasses drop their own per-row caches here."""

    def refresh_rows(self, ids: Sequence[int] | None = None) -> None:
        """Re-read rows after an edit without losing the order or the selection."""
        if ids is None:
            self._rows.clear()
        else:
            for item_id in ids:
                self._rows.pop(item_id, None)
        if self._ids:
            last = self.index(len(self._ids) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

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
        item_id = self._ids[row]
        cached = self._rows.get(item_id)
        if cached is None:
            start = (row // PAGE) * PAGE
            try:
                fetched = self._fetch(self._ids[start : start + PAGE])
            except SQLAlchemyError as error:
                # A shared database that dropped out, or a shop closed under the view: the
                # cells stay empty (Qt asks again on the next paint) instead of a traceback
                # per cell; the page's own reload reports the failure to the seller.
                if not self._fetch_failed:
                    log.warning("rows could not be read: %s", error)
                self._fetch_failed = True
                return None
            self._fetch_failed = False
            self._rows.update(fetched)
            self.page_loaded(start, fetched)
            cached = self._rows.get(item_id)
        return cached

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self.row_data(index.row())
        if row is None:  # deleted by someone else since the search
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return self.cell(row, index.column(), role)
