"""The order editor's items: product, size / colour, quantity and unit price per line."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QSpinBox, QTableWidget, QTableWidgetItem, QWidget

from moments_desk.core.orders import orders as od
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.ui.i18n import tr_msg


class OrderItemsTable(QTableWidget):
    #: A line was added, removed or edited (the total needs working out again).
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("OrderEditor", "Product"),
                QCoreApplication.translate("OrderEditor", "Size / colour"),
                QCoreApplication.translate("OrderEditor", "Quantity"),
                QCoreApplication.translate("OrderEditor", "Unit price"),
            ]
        )
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.itemChanged.connect(self.changed)

    def append(
        self, product_id: int | None, name: str, variant: str, quantity: int, price: Decimal
    ) -> None:
        # Quiet while the row is half built: itemChanged would read a row without its spin box.
        blocked = self.blockSignals(True)
        row = self.rowCount()
        self.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.ItemDataRole.UserRole, product_id if product_id is not None else -1)
        self.setItem(row, 0, name_item)
        self.setItem(row, 1, QTableWidgetItem(variant))
        spin = QSpinBox()
        spin.setRange(1, od.MAX_QUANTITY)
        spin.setValue(max(1, quantity))
        spin.valueChanged.connect(self.changed)
        self.setCellWidget(row, 2, spin)
        self.setItem(row, 3, QTableWidgetItem(str(price)))
        self.blockSignals(blocked)

    def _quantity(self, row: int) -> int:
        spin = self.cellWidget(row, 2)
        assert isinstance(spin, QSpinBox)
        return spin.value()

    def _text(self, row: int, column: int) -> str:
        cell = self.item(row, column)
        return cell.text() if cell else ""

    def lines(self) -> tuple[tuple[str, str, int, str], ...]:
        """What each line shows: name, size / colour, quantity, price as typed."""
        return tuple(
            (self._text(row, 0), self._text(row, 1), self._quantity(row), self._text(row, 3))
            for row in range(self.rowCount())
        )

    def item_drafts(self) -> list[od.ItemDraft]:
        """The lines as drafts; raises OrderError naming a line whose price is not a price."""
        items = []
        for row, (name, variant, quantity, price_text) in enumerate(self.lines()):
            try:
                price = parse_price(price_text)
            except PriceError as error:
                raise od.OrderError(
                    QCoreApplication.translate(
                        "OrderEditor", "Line {row} ({name}): {error}"
                    ).format(row=row + 1, name=name, error=tr_msg(error))
                ) from error
            name_item = self.item(row, 0)
            product_id = name_item.data(Qt.ItemDataRole.UserRole) if name_item else -1
            items.append(
                od.ItemDraft(
                    product_id if isinstance(product_id, int) and product_id > 0 else None,
                    name,
                    quantity,
                    price or Decimal(0),
                    variant,
                )
            )
        return items
