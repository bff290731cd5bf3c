"""The Orders page: 50,000 orders with filters, SQL sorting, bulk status and packing lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.orders import listing as ol
from moments_desk.core.orders import status as ost
from moments_desk.core.orders.packing import packing_html, packing_slips, write_packing_csv
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.tracking.tracking import PostedPost, list_posted_posts
from moments_desk.db.models import OrderStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_page import ListPage
from moments_desk.ui.kit.list_view import SortState, make_table, show_failure
from moments_desk.ui.orders.editor import OrderEditor
from moments_desk.ui.orders.model import SORT_KEYS, Column, OrderTableModel


def write_pdf(html: str, path: Path) -> None:
    """Render the packing list's HTML to an A4 PDF with Qt's own text engine."""
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ShippingDialog(QDialog):
    """Courier and tracking number for orders marked shipped."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("OrdersPage", "Mark shipped"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                QCoreApplication.translate("OrdersPage", "Mark %n order(s) as shipped?", "", count)
            )
        )
        form = QFormLayout()
        self.courier = QLineEdit()
        self.courier.setPlaceholderText("中通快递")
        self.tracking_no = QLineEdit()
        self.tracking_no.setEnabled(count == 1)
        form.addRow(QCoreApplication.translate("OrdersPage", "Courier"), self.courier)
        form.addRow(QCoreApplication.translate("OrdersPage", "Tracking number"), self.tracking_no)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class OrdersPage(ListPage[ol.OrderQuery, ol.OrderRow]):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("OrdersPage", "Orders"),
            ol.order_listing(ctx.shop.sessions),
            OrderTableModel(ctx.zone),
            (Kind.ORDERS, Kind.CUSTOMERS, Kind.PRODUCTS, Kind.POSTS),
            parent,
        )
        layout = self.page_layout
        header_row = self.header_row
        self.packing_button = QPushButton(QCoreApplication.translate("OrdersPage", "Packing list"))
        packing_menu = QMenu(self.packing_button)
        packing_menu.addAction(
            QCoreApplication.translate("OrdersPage", "PDF…"), partial(self.export_packing, "pdf")
        )
        packing_menu.addAction(
            QCoreApplication.translate("OrdersPage", "HTML…"), partial(self.export_packing, "html")
        )
        packing_menu.addAction(
            QCoreApplication.translate("OrdersPage", "CSV…"), partial(self.export_packing, "csv")
        )
        self.packing_button.setMenu(packing_menu)
        self.packing_button.setToolTip(
            QCoreApplication.translate(
                "OrdersPage",
                "For the selected orders, or every paid order shown when none is selected",
            )
        )
        header_row.addWidget(self.packing_button, 0, Qt.AlignmentFlag.AlignTop)
        self.new_button = QPushButton(QCoreApplication.translate("OrdersPage", "New order"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_order)
        header_row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        filters = self.filters
        self.search.setPlaceholderText(
            QCoreApplication.translate(
                "OrdersPage", "Search customer (name, pinyin, phone), order no. or tracking no."
            )
        )
        self.status = QComboBox()
        combos.add_item(self.status, QCoreApplication.translate("OrdersPage", "Any status"), None)
        for status in OrderStatus:
            self.status.addItem(labels.order_status(status), status.value)
        self.status.currentIndexChanged.connect(self.run_search)
        self.use_dates = QCheckBox(QCoreApplication.translate("OrdersPage", "From"))
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_changed)
        self.use_dates.toggled.connect(self.run_search)
        self.post = QComboBox()
        self.post.setMaximumWidth(260)
        combos.add_item(self.post, QCoreApplication.translate("OrdersPage", "Any post"), None)
        self.post.currentIndexChanged.connect(self.run_search)
        filters.addWidget(self.status)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(QCoreApplication.translate("OrdersPage", "to")))
        filters.addWidget(self.date_to)
        filters.addWidget(self.post, 1)

        bulk = self.bulk
        self.bulk_status = QPushButton(QCoreApplication.translate("OrdersPage", "Set status"))
        status_menu = QMenu(self.bulk_status)
        for status in OrderStatus:
            if status is not OrderStatus.AWAITING_PAYMENT:
                status_menu.addAction(
                    labels.order_status(status), partial(self.bulk_set_status, status)
                )
        self.bulk_status.setMenu(status_menu)
        bulk.addWidget(self.bulk_status)
        bulk.addStretch(1)

        # The source post takes what is left: as the stretching column the items shrank to
        # "奶…" next to the due-now panel, though they are what a packing seller reads.
        self.table = make_table(
            self.model,
            30,
            widths={
                Column.ID: 64,
                Column.CREATED: 130,
                Column.CUSTOMER: 130,
                Column.ITEMS: 200,
                Column.TOTAL: 80,
                Column.STATUS: 80,
                Column.SHIPPING: 160,
            },
            stretch=Column.POST,
            on_sort=self._sort_clicked,
        )
        self.table.doubleClicked.connect(self._open_row)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.sort = SortState(self.table, SORT_KEYS, ol.OrderSort.CREATED, {ol.OrderSort.CUSTOMER})
        layout.addWidget(self.table, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_order),
            (QKeySequence.StandardKey.Find, self.search.setFocus),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        open_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        open_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_shortcut.activated.connect(self._open_current)

    # -- searching -------------------------------------------------------------------------

    def first_shown(self) -> None:
        self.reload_posts()

    def data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.POSTS):
            self.reload_posts()

    def count_text(self, count: int) -> str:
        return QCoreApplication.translate("OrdersPage", "%Ln order(s) shown", "", count)

    def reload_posts(self) -> None:
        sessions = self._ctx.shop.sessions
        self.submit(
            lambda: uow.read(sessions, lambda s: list_posted_posts(s, limit=60)), self._apply_posts
        )

    def _apply_posts(self, posts: list[PostedPost]) -> None:
        current = combos.value(self.post)
        self.post.blockSignals(True)
        while self.post.count() > 1:
            self.post.removeItem(1)
        for post in posts:
            when = (
                post.posted_at.astimezone(self._ctx.zone).strftime("%m-%d")
                if post.posted_at
                else ""
            )
            self.post.addItem(f"{when} {post.first_line}", post.id)
        self.post.setCurrentIndex(max(0, combos.find(self.post, current)))
        self.post.blockSignals(False)

    def _dates_changed(self) -> None:
        if self.use_dates.isChecked():
            self.run_search()

    def current_query(self) -> ol.OrderQuery:
        since = until = None
        if self.use_dates.isChecked():
            start = _day(self.date_from.date())
            end = _day(self.date_to.date())
            since = datetime.combine(start, datetime.min.time(), self._ctx.zone)
            until = datetime.combine(end, datetime.min.time(), self._ctx.zone) + timedelta(days=1)
        status = combos.value(self.status)
        return ol.OrderQuery(
            text=self.search.text(),
            status=OrderStatus(status) if status else None,
            since=since,
            until=until,
            post_id=combos.value(self.post),
            sort=self.sort.key,
            descending=self.sort.descending,
        )

    def _sort_clicked(self, column: int) -> None:
        if self.sort.click(column):
            self.run_search()

    # -- selection, editing ----------------------------------------------------------------

    def _selection_changed(self) -> None:
        count = len(self.selected_ids())
        self.bulk_bar.setVisible(count > 0)
        self.bulk_label.setText(self.bulk_selected_text(count))

    def _open_row(self, index: object) -> None:
        row = getattr(index, "row", lambda: -1)()
        if row >= 0:
            self.open_order(self.model.item_id(row))

    def _open_current(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_order(ids[0])

    def open_order(self, order_id: int | None) -> OrderEditor:
        editor = OrderEditor(self._ctx, order_id, self)
        editor.accepted.connect(partial(self._edited, editor))
        editor.setModal(True)
        editor.show()
        return editor

    def new_order(self) -> OrderEditor:
        return self.open_order(None)

    def _edited(self, editor: OrderEditor) -> None:
        # The editor's commit announces its change set: the list re-reads itself.
        self.changed.emit()

    # -- bulk ------------------------------------------------------------------------------

    def bulk_set_status(self, status: OrderStatus, *, confirm: bool = True) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        courier = tracking = ""
        count = len(ids)
        if confirm:
            if status is OrderStatus.SHIPPED:
                dialog = ShippingDialog(count, self)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                courier, tracking = dialog.courier.text(), dialog.tracking_no.text()
            else:
                answer = QMessageBox.question(
                    self,
                    QCoreApplication.translate("OrdersPage", "Change status"),
                    QCoreApplication.translate(
                        "OrdersPage", "Set %n order(s) to “{status}”?", "", count
                    ).format(status=labels.order_status(status)),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
        now = self._ctx.clock.now()

        def done(outcome: ost.StatusOutcome) -> None:
            self.changed.emit()  # the list re-reads itself from the commit's change set
            skipped = len(outcome.skipped)
            if skipped:
                first = outcome.skipped[:5]
                QMessageBox.information(
                    self,
                    QCoreApplication.translate("OrdersPage", "Some orders were not changed"),
                    QCoreApplication.translate(
                        "OrdersPage",
                        "%n order(s) cannot go to “{status}” from where they are:",
                        "",
                        skipped,
                    ).format(status=labels.order_status(status))
                    + "\n"
                    + "\n".join(f"#{i} ({labels.order_status(s)})" for i, s in first),
                )

        self.write(
            lambda s: ost.change_status(s, ids, status, now, courier=courier, tracking_no=tracking),
            done,
        )

    # -- packing lists ---------------------------------------------------------------------

    def export_packing(self, kind: str, path: Path | None = None) -> None:
        ids = self.selected_ids()
        if ids:
            self._pack(kind, path, ids)
            return
        # Every paid order the filters match, read on the database thread (not only the
        # rows scrolled to).
        query = self.current_query()
        if query.status not in (None, OrderStatus.PAID):
            self._pack(kind, path, [])
            return
        paid = replace(query, status=OrderStatus.PAID)
        source = self.source
        self.submit(lambda: source.all_ids(paid)[:2000], lambda ids: self._pack(kind, path, ids))

    def _pack(self, kind: str, path: Path | None, ids: list[int]) -> None:
        if not ids:
            QMessageBox.information(
                self,
                QCoreApplication.translate("OrdersPage", "Packing list"),
                QCoreApplication.translate(
                    "OrdersPage", "Select the orders to pack (or show paid orders) first."
                ),
            )
            return
        if path is None:
            filters = {"pdf": "PDF (*.pdf)", "html": "HTML (*.html)", "csv": "CSV (*.csv)"}
            default = self._ctx.shop.paths.exports / f"packing.{kind}"
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                QCoreApplication.translate("OrdersPage", "Save packing list"),
                str(default),
                filters[kind],
            )
            if not chosen:
                return
            path = Path(chosen)
        parcels = len(ids)
        title = QCoreApplication.translate("OrdersPage", "Packing list · %n parcel(s)", "", parcels)
        words = {
            "recipient": QCoreApplication.translate("OrdersPage", "Recipient"),
            "address": QCoreApplication.translate("OrdersPage", "Address"),
            "product": QCoreApplication.translate("OrdersPage", "Product"),
            "variant": QCoreApplication.translate("OrdersPage", "Size / colour"),
            "quantity": QCoreApplication.translate("OrdersPage", "Qty"),
            "notes": QCoreApplication.translate("OrdersPage", "Notes"),
        }
        target = path

        def build(s: Any) -> str:
            slips = packing_slips(s, ids)
            target.parent.mkdir(parents=True, exist_ok=True)
            if kind == "csv":
                write_packing_csv(slips, target)
                return ""
            return packing_html(slips, title, words)

        def done(html: str) -> None:
            try:
                if kind == "html":
                    target.write_text(html, encoding="utf-8")
                elif kind == "pdf":
                    write_pdf(html, target)
            except OSError as error:
                show_failure(self, error)
                return
            self.last_export = target

        sessions = self._ctx.shop.sessions
        self.submit(lambda: uow.read(sessions, build), done)

    last_export: Path | None = None
