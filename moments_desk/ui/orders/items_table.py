"""The order editor's items: product, size / colour, quantity and unit price per line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from moments_desk.core.orders import orders as od
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.ui.i18n import tr_msg

#: On a line's size cell: the product's (size, stock) pairs, offered in its drop-down.
SIZES_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class SizeDelegate(QStyledItemDelegate):
    """The size cell of a product sold in several sizes: a drop-down of its sizes with the
    stock of each, which still takes a typed size ("m", "黑色L"); the cell keeps the text, so
    saving asks as before when it is missing or could mean several."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        sizes = index.data(SIZES_ROLE)
        if not sizes:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for label, stock in sizes:
            left = QCoreApplication.translate("OrderEditor", "{size} · {stock} in stock")
            combo.addItem(left.format(size=label, stock=stock), label)
        line = combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(" / ".join(label for label, _ in sizes))
        combo.setCurrentIndex(-1)
        # Picked or typed, the cell follows at once: the total and "edited?" read the cell.
        combo.currentTextChanged.connect(lambda _text: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if not isinstance(editor, QComboBox):
            super().setEditorData(editor, index)
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if _chosen(editor) == text:
            return
        blocked = editor.blockSignals(True)
        found = editor.findData(text)
        editor.setCurrentIndex(found)
        if found < 0:
            editor.setEditText(text)
        editor.blockSignals(blocked)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if not isinstance(editor, QComboBox):
            super().setModelData(editor, model, index)
            return
        text = _chosen(editor)
        if text != str(index.data(Qt.ItemDataRole.DisplayRole) or ""):
            model.setData(index, text, Qt.ItemDataRole.EditRole)


def _chosen(combo: QComboBox) -> str:
    """The size picked from the list, else the text typed."""
    index = combo.currentIndex()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        return str(combo.itemData(index))
    return combo.currentText().strip()


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
        self.horizontalHeader().resizeSection(1, 170)
        self.setItemDelegateForColumn(1, SizeDelegate(self))
        self.itemChanged.connect(self.changed)

    def append(
        self,
        product_id: int | None,
        name: str,
        variant: str,
        quantity: int,
        price: Decimal,
        sizes: Sequence[tuple[str, int]] = (),
    ) -> None:
        # Quiet while the row is half built: itemChanged would read a row without its spin box.
        blocked = self.blockSignals(True)
        row = self.rowCount()
        self.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.ItemDataRole.UserRole, product_id if product_id is not None else -1)
        self.setItem(row, 0, name_item)
        size_item = QTableWidgetItem(variant)
        if sizes:
            size_item.setData(SIZES_ROLE, [(label, stock) for label, stock in sizes])
        self.setItem(row, 1, size_item)
        spin = QSpinBox()
        spin.setRange(1, od.MAX_QUANTITY)
        spin.setValue(max(1, quantity))
        spin.valueChanged.connect(self.changed)
        self.setCellWidget(row, 2, spin)
        self.setItem(row, 3, QTableWidgetItem(str(price)))
        if sizes:
            # Always open: a line of a product in several sizes shows its drop-down.
            self.openPersistentEditor(size_item)
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
