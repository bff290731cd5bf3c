"""Pick the products a post links to: search as you type (in SQL, on the DB thread)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.catalogue.listing import ProductRow
from moments_desk.core.planning.composer_lookups import pick_products
from moments_desk.core.shared import uow
from moments_desk.core.shared.money import format_price
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import LatestOnly

#: Rows a search shows; a seller narrows the search rather than scrolling 5,000 products.
SHOWN = 200
ID_ROLE = Qt.ItemDataRole.UserRole


def product_line(row: ProductRow) -> str:
    return f"{row.code}  {row.name}  {format_price(row.price)}"


class ProductPicker(QDialog):
    def __init__(
        self, ctx: AppContext, chosen: dict[int, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.chosen = dict(chosen)
        self._search = LatestOnly(ctx.executor)
        self.setWindowTitle(QCoreApplication.translate("Composer", "Linked products"))
        self.resize(520, 520)
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            QCoreApplication.translate("Composer", "Search by name, code, tag or pinyin initials")
        )
        self.query.textChanged.connect(self.search)
        layout.addWidget(self.query)
        self.results = QListWidget()
        self.results.itemChanged.connect(self._toggled)
        layout.addWidget(self.results, 1)
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_summary()
        self.search()

    def search(self) -> None:
        sessions, now = self._ctx.shop.sessions, self._ctx.clock.now()
        text = self.query.text().strip()

        def work() -> list[ProductRow]:
            return uow.read(sessions, lambda s: pick_products(s, text, now, SHOWN))

        self._search.submit(work, self._show)

    def _show(self, rows: list[ProductRow]) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(product_line(row))
            item.setData(ID_ROLE, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if row.id in self.chosen else Qt.CheckState.Unchecked
            )
            self.results.addItem(item)
        self.results.blockSignals(False)

    def _toggled(self, item: QListWidgetItem) -> None:
        product_id = int(item.data(ID_ROLE))
        if item.checkState() == Qt.CheckState.Checked:
            self.chosen[product_id] = item.text()
        else:
            self.chosen.pop(product_id, None)
        self._show_summary()

    def _show_summary(self) -> None:
        linked = len(self.chosen)
        self.summary.setText(
            QCoreApplication.translate("Composer", "%n product(s) linked", "", linked)
        )
