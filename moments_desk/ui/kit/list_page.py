"""The one list page that products, customers and orders configure.

A page gives a ``ListSource`` from core (a window of rows, the count, every id), a
``PagedTableModel`` with its columns, the query its filters make, and the change kinds it
shows. This module does the rest the three pages used to repeat: the header with its count,
the search box, the bulk bar, the table, searching as the seller types, re-reading after a
change set with selection and scroll kept, writes in one transaction, failures shown.

Searching: every read runs on the database thread. One search is in flight at a time; keys
typed meanwhile only replace the query waiting behind it, so fast typing or backspacing
never queues scans, and an answer to a query the seller has typed past is dropped
(a generation counter also drops late windows and counts). The rows come first; the count
follows in its own read once the seller pauses typing, skipped if she typed on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.listing import ListSource, Window
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import run_write, show_failure
from moments_desk.ui.kit.paged_table import WINDOW, HasId, PagedTableModel
from moments_desk.ui.kit.widgets import page_header

#: How long the seller pauses typing before the matches are counted.
COUNT_AFTER_MS = 250
QueryT = TypeVar("QueryT")
RowT = TypeVar("RowT", bound=HasId)


class _Superseded:
    """What a read returns when the seller typed past it before it started."""


SUPERSEDED = _Superseded()


class ListPage(QWidget, Generic[QueryT, RowT]):
    """A searchable, filterable list of rows read from core a window at a time."""

    #: rows of a search are on screen (their number so far)
    results_shown = Signal(int)
    #: the number of rows the current query matches is known
    counted = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        source: ListSource[QueryT, RowT],
        model: PagedTableModel[RowT],
        kinds: tuple[Kind, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self.source = source
        self.model = model
        self._loaded_once = False
        self._generation = 0
        self._in_flight = False
        self._waiting: tuple[QueryT, bool] | None = None
        #: the query whose rows the table shows
        self._query: QueryT | None = None
        self.last_search_ms = 0.0
        self.total: int | None = None
        #: the errors a write of this page refuses with (shown, not a failure)
        self.refusals: tuple[type[BaseException], ...] = (ValueError,)
        #: set by the page once it made its table (``list_view.make_table``)
        self.table: QTableView
        model.more_wanted.connect(self._more_wanted)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_AFTER_MS)
        self._count_timer.timeout.connect(self._count_now)
        self._to_count: tuple[QueryT, int] | None = None
        follow(ctx.changes, self, kinds, self._heard)

        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(24, 20, 24, 16)
        self.page_layout.setSpacing(10)
        self.header_row = QHBoxLayout()
        header, self.count_label = page_header(title, "")
        self.header_row.addWidget(header, 1)
        self.page_layout.addLayout(self.header_row)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.run_search)
        self.filters = QHBoxLayout()
        self.filters.addWidget(self.search, 3)
        self.page_layout.addLayout(self.filters)
        self.bulk_bar = QWidget()
        self.bulk = QHBoxLayout(self.bulk_bar)
        self.bulk.setContentsMargins(0, 0, 0, 0)
        self.bulk_label = QLabel("")
        self.bulk_label.setObjectName("sectionTitle")
        self.bulk.addWidget(self.bulk_label)
        self.bulk_bar.hide()
        self.page_layout.addWidget(self.bulk_bar)

    # -- what a page configures ----------------------------------------------------------------

    def current_query(self) -> QueryT:
        raise NotImplementedError

    def count_text(self, count: int) -> str:
        raise NotImplementedError

    def first_shown(self) -> None:
        """The page is shown for the first time: the search has started; load lookups."""

    def data_changed(self, changes: ChangeSet) -> None:
        """A change set touched the page's kinds; the list is already being re-read."""

    def rows_shown(self, keep_view: bool) -> None:
        """A search's rows are on screen (``keep_view``: a re-read after a change)."""

    # -- loading -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.run_search()
            self.first_shown()

    def _heard(self, changes: ChangeSet) -> None:
        if not self._loaded_once:
            return  # the first show reads everything anyway
        self.run_search(keep_view=True)
        self.data_changed(changes)

    def run_search(self, *_: object, keep_view: bool = False) -> None:
        """Search with the filters as they are now (``keep_view``: re-read after a change,
        keeping selection and scroll)."""
        query = self.current_query()
        if self._waiting is not None:
            keep_view = keep_view and self._waiting[1]  # the seller's search was not shown yet
        self._waiting = (query, keep_view)
        self._generation += 1  # what is in flight or queued is stale from here
        if not self._in_flight:
            self._start()

    def _start(self) -> None:
        assert self._waiting is not None
        query, keep_view = self._waiting
        self._waiting = None
        self._in_flight = True
        generation = self._generation
        # A re-read covers the rows already scrolled through, so the view stays where it was.
        limit = max(WINDOW, self.model.rowCount()) if keep_view else WINDOW
        source = self.source
        started = time.perf_counter()

        def read() -> Window[RowT] | _Superseded:
            if generation != self._generation:
                return SUPERSEDED
            return source.window(query, 0, limit)

        def answered(window: Window[RowT] | _Superseded) -> None:
            if not self._alive():
                return
            self._in_flight = False
            if self._waiting is not None or isinstance(window, _Superseded):
                if self._waiting is not None:
                    self._start()
                return
            self._query = query
            self._show(window, keep_view)
            self.last_search_ms = (time.perf_counter() - started) * 1000
            self.results_shown.emit(self.model.rowCount())
            self._count(query, window, generation)

        def failed(error: BaseException) -> None:
            self._in_flight = False
            if self._waiting is not None:
                self._start()
            else:
                self._error(error)

        self._ctx.executor.submit(read, answered, failed)

    def _show(self, window: Window[RowT], keep_view: bool) -> None:
        table = self.table
        if not keep_view or [r.id for r in window.rows] == self.model.ids():
            self.model.show(window.rows, window.more)
        else:
            chosen = self.selected_ids()
            scroll = table.verticalScrollBar().value()
            self.model.show(window.rows, window.more)
            selection = QItemSelection()
            for item_id in chosen:
                row = self.model.row_of(item_id)
                if row is not None:
                    last = self.model.columnCount() - 1
                    selection.select(self.model.index(row, 0), self.model.index(row, last))
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            table.selectionModel().select(selection, flags)
            table.verticalScrollBar().setValue(scroll)
        self.rows_shown(keep_view)

    def _count(self, query: QueryT, window: Window[RowT], generation: int) -> None:
        if window.total is not None or not window.more:
            self._counted(window.total if window.total is not None else len(window.rows))
            return
        # Counting scans every match: only once the seller stops typing, so a count never
        # holds the database thread while her next key waits behind it.
        self._to_count = (query, generation)
        self._count_timer.start()

    def _count_now(self) -> None:
        if self._to_count is None or self._to_count[1] != self._generation:
            return
        query, generation = self._to_count
        source = self.source

        def read() -> int | _Superseded:
            if generation != self._generation:
                return SUPERSEDED
            return source.count(query)

        def answered(count: int | _Superseded) -> None:
            if isinstance(count, int) and generation == self._generation and self._alive():
                self._counted(count)

        self._ctx.executor.submit(read, answered, self._error)

    def _counted(self, count: int) -> None:
        self.total = count
        self.count_label.setText(self.count_text(count))
        self.counted.emit(count)

    def _more_wanted(self, start: int) -> None:
        query, generation, source = self._query, self._generation, self.source
        if query is None or self._in_flight or self._waiting is not None:
            # A new search is coming: its rows replace these, more of them would be stale.
            self.model.window_failed()
            return

        def read() -> Window[RowT] | _Superseded:
            if generation != self._generation:
                return SUPERSEDED
            return source.window(query, start, WINDOW)

        def answered(window: Window[RowT] | _Superseded) -> None:
            if not self._alive():
                return
            if isinstance(window, _Superseded) or generation != self._generation:
                self.model.window_failed()
                return
            self.model.append(start, window.rows, window.more)

        def failed(error: BaseException) -> None:
            self.model.window_failed()
            self._error(error)

        self._ctx.executor.submit(read, answered, failed)

    def all_ids(self, done: Callable[[list[int]], None]) -> None:
        """Every id the current query matches, not only the rows scrolled through."""
        query, source = self.current_query(), self.source
        self._ctx.executor.submit(lambda: source.all_ids(query), done, self._error)

    # -- selection and failures ----------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.item_id(row) for row in rows]

    def reselect(self, item_id: int | None) -> None:
        if item_id is not None and (row := self.model.row_of(item_id)) is not None:
            self.table.selectRow(row)

    def _alive(self) -> bool:
        """False once Qt deleted the page: a read may answer after its page was closed."""
        return shiboken6.isValid(self)

    def _error(self, error: BaseException) -> None:
        if self._alive():
            show_failure(self, error)

    def bulk_selected_text(self, count: int) -> str:
        return QCoreApplication.translate("ListPage", "%Ln selected", "", count)

    def submit(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """A read for the page on the database thread; failures are shown."""
        self._ctx.executor.submit(fn, done, self._error)

    def write(
        self,
        work: Callable[[Any], Any],
        done: Callable[[Any], None],
        shown_by: Callable[[BaseException], None] | None = None,
    ) -> None:
        """One transaction on the database thread. A refusal of the page's kind
        (``refusals``) is shown by ``shown_by`` (an editor beside the list) or in a message
        box; anything else as an unexpected failure. The change set of the commit re-reads
        the list."""

        def refused(error: BaseException) -> bool:
            if not isinstance(error, self.refusals):
                return False
            if shown_by is not None:
                shown_by(error)
            else:
                title = QCoreApplication.translate("ListPage", "Not changed")
                QMessageBox.warning(self, title, tr_msg(error))
            return True

        run_write(self._ctx, self, work, done, refused)
