"""What list pages share: the table's set-up, sorting, writes, failures and progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QProgressDialog,
    QTableView,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import reachability
from moments_desk.ui.kit.tasks import ProgressBridge

KeyT = TypeVar("KeyT")


def make_table(
    model: QAbstractItemModel,
    row_height: int,
    *,
    widths: dict[int, int] | None = None,
    stretch: int | None = None,
    on_sort: Callable[[int], None] | None = None,
) -> QTableView:
    """A list page's table: whole-row selection, no editing, the given column widths, one
    column taking what is left, and header clicks handed to ``on_sort`` (sorting is SQL's)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
    if on_sort is not None:
        header.sectionClicked.connect(on_sort)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in (widths or {}).items():
        header.resizeSection(column, width)
    return table


class SortState(Generic[KeyT]):
    """Which column sorts the list; a click on the same header flips the direction."""

    def __init__(
        self, table: QTableView, keys: dict[int, KeyT], default: KeyT, ascending_first: set[KeyT]
    ) -> None:
        self._table = table
        self._keys = keys
        self._ascending_first = ascending_first
        self.key = default
        self.descending = True

    def click(self, column: int) -> bool:
        """Apply a header click; False when that column does not sort."""
        key = self._keys.get(column)
        if key is None:
            return False
        if key == self.key:
            self.descending = not self.descending
        else:
            self.descending = key not in self._ascending_first
        self.key = key
        order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
        self._table.horizontalHeader().setSortIndicator(column, order)
        return True


def run_write(
    ctx: AppContext,
    parent: QWidget,
    work: Callable[[Any], Any],
    done: Callable[[Any], None],
    refused: Callable[[BaseException], bool],
) -> None:
    """One transaction in the worker. ``refused`` shows rule violations and returns True for
    them; anything else is an unexpected failure, shown as such."""

    def failed(error: BaseException) -> None:
        if not refused(error):
            show_failure(parent, error)

    ctx.executor.submit(lambda: uow.write(ctx.shop.sessions, work), done, failed)


def show_failure(parent: QWidget, error: BaseException) -> None:
    if reachability.notice(error):
        return  # the shop is out of reach: one banner says so, not a dialog per failure
    QMessageBox.critical(
        parent,
        QCoreApplication.translate("ListView", "Something went wrong"),
        QCoreApplication.translate(
            "ListView", "The data could not be read or changed: {error}"
        ).format(error=tr_msg(error)),
    )


def progress_dialog(parent: QWidget, label: str) -> tuple[QProgressDialog, ProgressBridge]:
    """A cancellable progress dialog fed by a worker through the returned bridge."""
    dialog = QProgressDialog(label, QCoreApplication.translate("ListView", "Cancel"), 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    bridge = ProgressBridge(dialog)

    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    bridge.changed.connect(show_progress)
    dialog.canceled.connect(bridge.cancel)
    return dialog, bridge
