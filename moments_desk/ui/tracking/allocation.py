"""First-N allocation under a post: places up to stock, a waitlist, orders in one action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.orders import allocation as al
from moments_desk.core.orders.comment_allocation import (
    CommentAllocation,
    allocate_order_comments,
)
from moments_desk.core.shared import uow
from moments_desk.db.models import AllocationStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import show_failure

STATUS_COLOURS = {
    AllocationStatus.ALLOCATED: "#07A35A",
    AllocationStatus.WAITLISTED: "#B45309",
    AllocationStatus.ORDERED: "#1D4ED8",
    AllocationStatus.RELEASED: "#9CA3AF",
}


def status_label(status: AllocationStatus) -> str:
    names = {
        AllocationStatus.ALLOCATED: QCoreApplication.translate("AllocationPanel", "Has a place"),
        AllocationStatus.WAITLISTED: QCoreApplication.translate("AllocationPanel", "Waiting"),
        AllocationStatus.ORDERED: QCoreApplication.translate("AllocationPanel", "Order created"),
        AllocationStatus.RELEASED: QCoreApplication.translate("AllocationPanel", "Released"),
    }
    return names[status]


class AllocationPanel(QWidget):
    orders_created = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.post_id: int | None = None
        self._rows: list[al.AllocationRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        options = QHBoxLayout()
        options.addWidget(QLabel(QCoreApplication.translate("AllocationPanel", "Product")))
        self.product = QComboBox()
        self.product.setMinimumWidth(240)
        self.product.currentIndexChanged.connect(self._product_chosen)
        options.addWidget(self.product, 1)
        self.variant = QLineEdit()
        self.variant.setPlaceholderText(QCoreApplication.translate("AllocationPanel", "Size"))
        self.variant.setToolTip(
            QCoreApplication.translate(
                "AllocationPanel",
                "The size or colour to allocate (黑色 M); each has its own stock. With "
                '"only order comments" every comment goes to the size it names',
            )
        )
        self.variant.setMaximumWidth(110)
        self._size_names = QStringListModel(self)
        completer = QCompleter(self._size_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.variant.setCompleter(completer)
        options.addWidget(self.variant)
        layout.addLayout(options)
        # A second row: on one row the product, size, count and buttons overlapped.
        options = QHBoxLayout()
        options.addWidget(QLabel(QCoreApplication.translate("AllocationPanel", "First")))
        self.first_n = QSpinBox()
        self.first_n.setRange(1, 100_000)
        self.first_n.setValue(100)
        self.first_n.setSuffix(QCoreApplication.translate("AllocationPanel", " friends"))
        options.addWidget(self.first_n)
        self.each = QSpinBox()
        self.each.setRange(1, 99)
        self.each.setPrefix("× ")
        self.each.setToolTip(QCoreApplication.translate("AllocationPanel", "Pieces per friend"))
        options.addWidget(self.each)
        self.with_comments = QCheckBox(
            QCoreApplication.translate("AllocationPanel", "then commenters")
        )
        self.with_comments.setChecked(True)
        options.addWidget(self.with_comments)
        self.intents_only = QCheckBox(
            QCoreApplication.translate("AllocationPanel", "only order comments")
        )
        self.intents_only.setToolTip(
            QCoreApplication.translate(
                "AllocationPanel",
                "Only friends whose comment reads as an order (+1, 扣1, 要一件, M码, 黑色L), "
                "in comment order",
            )
        )
        self.intents_only.toggled.connect(lambda on: self.with_comments.setDisabled(on))
        options.addWidget(self.intents_only)
        options.addStretch(1)
        self.allocate_button = QPushButton(
            QCoreApplication.translate("AllocationPanel", "Allocate")
        )
        self.allocate_button.setObjectName("primary")
        self.allocate_button.clicked.connect(self.allocate)
        options.addWidget(self.allocate_button)
        layout.addLayout(options)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.last_outcome = QLabel("")
        self.last_outcome.setObjectName("sectionTitle")
        layout.addWidget(self.last_outcome)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("AllocationPanel", "Place"),
                QCoreApplication.translate("AllocationPanel", "Friend"),
                QCoreApplication.translate("AllocationPanel", "Product"),
                QCoreApplication.translate("AllocationPanel", "Status"),
                QCoreApplication.translate("AllocationPanel", "Order"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 60)
        header.resizeSection(1, 180)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.release_button = QPushButton(
            QCoreApplication.translate("AllocationPanel", "Release selected places")
        )
        self.release_button.clicked.connect(self.release_selected)
        self.orders_button = QPushButton(
            QCoreApplication.translate("AllocationPanel", "Create orders for everyone with a place")
        )
        self.orders_button.setObjectName("primary")
        self.orders_button.clicked.connect(self.create_orders)
        actions.addWidget(self.release_button)
        actions.addStretch(1)
        actions.addWidget(self.orders_button)
        layout.addLayout(actions)

    def set_post(self, post_id: int | None) -> None:
        self.post_id = post_id
        self.last_outcome.setText("")
        self.reload()

    def reload(self) -> None:
        post_id = self.post_id
        if post_id is None:
            self._show(al.PostAllocations([], {}, []))
            return

        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, lambda s: al.post_allocations(s, post_id)),
            self._show,
            self._failed,
        )

    def _show(self, state: al.PostAllocations) -> None:
        self._free = state.free
        self._sizes = state.sizes
        current = combos.value(self.product)
        self.product.blockSignals(True)
        self.product.clear()
        for product in state.products:
            self.product.addItem(
                QCoreApplication.translate(
                    "AllocationPanel", "{code} {name} · stock {stock}, free {free}"
                ).format(
                    code=product.code,
                    name=product.name,
                    stock=product.stock,
                    free=state.free.get(product.id, 0),
                ),
                product.id,
            )
        self.product.setCurrentIndex(max(0, combos.find(self.product, current)))
        self.product.blockSignals(False)
        has_products = bool(state.products)
        self.allocate_button.setEnabled(has_products)
        self._rows = state.rows
        self.table.setRowCount(len(state.rows))
        counts = dict.fromkeys(AllocationStatus, 0)
        for row, place in enumerate(state.rows):
            counts[place.status] += 1
            colour = QBrush(QColor(STATUS_COLOURS[place.status]))
            cells = [
                str(place.rank),
                place.customer_name,
                place.product_name
                + (f"（{place.variant}）" if place.variant else "")
                + (f" × {place.quantity}" if place.quantity > 1 else ""),
                status_label(place.status),
                f"#{place.order_id}" if place.order_id else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setForeground(colour)
                self.table.setItem(row, column, item)
        self.orders_button.setEnabled(counts[AllocationStatus.ALLOCATED] > 0)
        if not has_products:
            self.summary.setText(
                QCoreApplication.translate(
                    "AllocationPanel",
                    "This post shows no product, so there is nothing to allocate.",
                )
            )
        else:
            self.summary.setText(
                QCoreApplication.translate(
                    "AllocationPanel",
                    "{allocated} with a place · {waiting} waiting · {ordered} ordered · "
                    "{released} released",
                ).format(
                    allocated=counts[AllocationStatus.ALLOCATED],
                    waiting=counts[AllocationStatus.WAITLISTED],
                    ordered=counts[AllocationStatus.ORDERED],
                    released=counts[AllocationStatus.RELEASED],
                )
            )
        self._product_chosen()

    def _product_chosen(self, *_: object) -> None:
        product_id = combos.value(self.product)
        free = getattr(self, "_free", {}).get(product_id, 0) if product_id else 0
        sizes = getattr(self, "_sizes", {}).get(product_id, []) if product_id else []
        # Each size has its own places: offer the product's sizes with what is free of each.
        self._size_names.setStringList([label for label, _ in sizes])
        self.variant.setPlaceholderText(
            sizes[0][0] if sizes else QCoreApplication.translate("AllocationPanel", "Size")
        )
        if sizes:
            self.variant.setToolTip(
                "\n".join(
                    QCoreApplication.translate("AllocationPanel", "{size}: {free} free").format(
                        size=label, free=left
                    )
                    for label, left in sizes
                )
            )
        self.first_n.setToolTip(
            QCoreApplication.translate("AllocationPanel", "{free} pieces free now").format(
                free=free
            )
        )

    def allocate(self) -> None:
        post_id, product_id = self.post_id, combos.value(self.product)
        if post_id is None or product_id is None:
            return
        limit, each, comments = (
            self.first_n.value(),
            self.each.value(),
            self.with_comments.isChecked(),
        )
        variant = self.variant.text().strip()[:60]
        intents_only = self.intents_only.isChecked()

        if intents_only:
            self._allocate_comments(post_id, product_id, limit)
            return

        def done(outcome: al.AllocationOutcome) -> None:
            self.reload()
            given, free = outcome.allocated, outcome.free_after
            self.last_outcome.setText(
                QCoreApplication.translate("AllocationPanel", "%n new place(s) given", "", given)
                + QCoreApplication.translate(
                    "AllocationPanel", "; {free} pieces still free"
                ).format(free=free)
            )
            if outcome.allocated == 0 and outcome.free_after == 0:
                QMessageBox.information(
                    self,
                    QCoreApplication.translate("AllocationPanel", "No stock left"),
                    QCoreApplication.translate(
                        "AllocationPanel",
                        "Every free piece is already promised; friends wait in line and move "
                        "up when a place is released or an order is cancelled.",
                    ),
                )

        self._write(
            lambda s: al.allocate_first_n(
                s,
                post_id,
                product_id,
                limit=limit,
                quantity_each=each,
                variant=variant,
                include_comments=comments,
            ),
            done,
        )

    def _allocate_comments(self, post_id: int, product_id: int, limit: int) -> None:
        """Each order comment to the size it names; ambiguous ones are shown to ask."""

        def done(result: CommentAllocation) -> None:
            self.reload()
            given = result.allocated
            self.last_outcome.setText(
                QCoreApplication.translate("AllocationPanel", "%n new place(s) given", "", given)
            )
            if result.asks:
                lines = [
                    QCoreApplication.translate("AllocationPanel", "“{comment}”: {choices}?").format(
                        comment=a.comment, choices=" / ".join(a.choices)
                    )
                    for a in result.asks[:20]
                ]
                QMessageBox.information(
                    self,
                    QCoreApplication.translate("AllocationPanel", "Ask which size"),
                    QCoreApplication.translate(
                        "AllocationPanel",
                        "These comments could mean several sizes or colours; ask the friend, "
                        "then allocate her size by hand:",
                    )
                    + "\n"
                    + "\n".join(lines),
                )

        self._write(lambda s: allocate_order_comments(s, post_id, product_id, limit=limit), done)

    def _selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self._rows[r].id for r in rows if r < len(self._rows)]

    def release_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            return
        places = len(ids)
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("AllocationPanel", "Release places"),
            QCoreApplication.translate(
                "AllocationPanel",
                "Release %n place(s)? The next friends waiting move up.",
                "",
                places,
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda s: al.release_allocations(s, ids), lambda _: self.reload())

    def create_orders(self, *, confirm: bool = True) -> None:
        post_id = self.post_id
        if post_id is None:
            return
        waiting = sum(1 for r in self._rows if r.status is AllocationStatus.ALLOCATED)
        if confirm:
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("AllocationPanel", "Create orders"),
                QCoreApplication.translate(
                    "AllocationPanel",
                    "Create unpaid orders for the %n friend place(s) allocated?",
                    "",
                    waiting,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        now = self._ctx.clock.now()

        def done(ids: list[int]) -> None:
            made = len(ids)
            self.reload()
            # Not in the summary line: the reload rewrites that with the new counts.
            self.last_outcome.setText(
                QCoreApplication.translate("AllocationPanel", "%n order(s) created", "", made)
            )
            self.orders_created.emit(ids)

        self._write(lambda s: al.create_orders_from_allocations(s, post_id, now), done)

    def _write(self, work: uow.Work[Any], done: Callable[[Any], None]) -> None:
        def failed(error: BaseException) -> None:
            if isinstance(error, ValueError):
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("AllocationPanel", "Not changed"),
                    tr_msg(error),
                )
                self.reload()
            else:
                show_failure(self, error)

        self._ctx.executor.submit(lambda: uow.write(self._ctx.shop.sessions, work), done, failed)

    def _failed(self, error: BaseException) -> None:
        show_failure(self, error)
