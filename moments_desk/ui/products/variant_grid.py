"""The colour × size grid in the product editor: one cell per variant, stock and price each.

Rows are colours, columns sizes. A product with neither keeps the single stock field; the
first colour or size added turns that stock into the grid's first cell.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.catalogue.variants import MAX_STOCK, MAX_VARIANTS, VariantDraft
from moments_desk.core.shared.money import PriceError, parse_price

#: The sizes a clothing seller adds most, offered as the placeholder of the size field.
SIZE_HINT = "S M L XL 2XL / 均码 / 160 165"


class VariantCell(QWidget):
    """Stock (always) and an optional price of one colour × size."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.setSpacing(2)
        self.stock = QSpinBox()
        self.stock.setRange(0, MAX_STOCK)
        self.stock.setToolTip(QCoreApplication.translate("VariantGrid", "Stock"))
        self.price = QLineEdit()
        self.price.setPlaceholderText("¥")
        self.price.setMaximumWidth(56)
        self.price.setToolTip(
            QCoreApplication.translate(
                "VariantGrid", "Own price; empty: the product's price applies"
            )
        )
        layout.addWidget(self.stock, 1)
        layout.addWidget(self.price)
        self.stock.valueChanged.connect(self.changed)
        self.price.textEdited.connect(self.changed)


class VariantGrid(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: dict[tuple[str, str], int] = {}
        self._codes: dict[tuple[str, str], str] = {}
        #: variants with further attributes the grid cannot show; saved as they were
        self._others: list[VariantDraft] = []
        #: colour → the product picture shown for it; the product's pictures, in order
        self._pictures: dict[str, int] = {}
        self._picture_ids: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(
            QCoreApplication.translate(
                "VariantGrid", "Colours × sizes (each cell: stock, optional own price)"
            )
        )
        title.setObjectName("muted")
        layout.addWidget(title)

        # Colour and sizes on lines of their own: side by side they overflowed the editor.
        color_line, size_line = QHBoxLayout(), QHBoxLayout()
        self.new_color = QLineEdit()
        self.new_color.setPlaceholderText(
            QCoreApplication.translate("VariantGrid", "Colour, e.g. 燕麦色")
        )
        self.add_color_button = QPushButton(QCoreApplication.translate("VariantGrid", "Add colour"))
        self.new_size = QLineEdit()
        self.new_size.setPlaceholderText(SIZE_HINT)
        self.add_size_button = QPushButton(QCoreApplication.translate("VariantGrid", "Add sizes"))
        color_line.addWidget(self.new_color, 1)
        color_line.addWidget(self.add_color_button)
        size_line.addWidget(self.new_size, 1)
        size_line.addWidget(self.add_size_button)
        layout.addLayout(color_line)
        layout.addLayout(size_line)

        self.table = QTableWidget(0, 0)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(86)
        # The editor beside the list is narrow: many sizes scroll inside the grid instead of
        # widening the whole editor.
        self.table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        layout.addWidget(self.table)

        tools = QHBoxLayout()
        self.fill_value = QSpinBox()
        self.fill_value.setRange(0, MAX_STOCK)
        self.fill_value.setMaximumWidth(90)
        self.fill_value.setPrefix(QCoreApplication.translate("VariantGrid", "stock "))
        self.fill_row = QPushButton(QCoreApplication.translate("VariantGrid", "Fill row"))
        self.fill_row.setToolTip(
            QCoreApplication.translate(
                "VariantGrid", "Give every size of the selected colour this stock"
            )
        )
        self.remove_row = QPushButton(QCoreApplication.translate("VariantGrid", "Remove colour"))
        self.remove_column = QPushButton(QCoreApplication.translate("VariantGrid", "Remove size"))
        self.code_button = QPushButton(QCoreApplication.translate("VariantGrid", "Code…"))
        self.code_button.setToolTip(
            QCoreApplication.translate(
                "VariantGrid", "The selected size's own code (SKU), e.g. KS-021-BK-M"
            )
        )
        self.total = QLabel("")
        self.total.setObjectName("muted")
        for widget in (self.fill_value, self.fill_row, self.remove_row, self.remove_column):
            tools.addWidget(widget)
        tools.addStretch(1)
        layout.addLayout(tools)
        pictures = QHBoxLayout()
        pictures.addWidget(QLabel(QCoreApplication.translate("VariantGrid", "Picture of")))
        self.picture_color = QComboBox()
        self.picture = QComboBox()
        self.picture.setToolTip(
            QCoreApplication.translate(
                "VariantGrid", "Which of the product's pictures shows this colour"
            )
        )
        pictures.addWidget(self.picture_color, 1)
        pictures.addWidget(self.picture)
        # Here rather than beside 整行填充: that row already fills the narrow editor.
        pictures.addWidget(self.code_button)
        layout.addLayout(pictures)
        layout.addWidget(self.total)
        self.picture_color.currentIndexChanged.connect(self._show_color_picture)
        self.picture.activated.connect(self._picture_chosen)

        self.add_color_button.clicked.connect(self._add_color_clicked)
        self.new_color.returnPressed.connect(self._add_color_clicked)
        self.add_size_button.clicked.connect(self._add_sizes_clicked)
        self.new_size.returnPressed.connect(self._add_sizes_clicked)
        self.fill_row.clicked.connect(self._fill_selected_row)
        self.remove_row.clicked.connect(self._remove_selected_row)
        self.remove_column.clicked.connect(self._remove_selected_column)
        self.code_button.clicked.connect(self._edit_selected_code)
        self._update_total()

    # -- contents ------------------------------------------------------------------------------

    def colors(self) -> list[str]:
        return [self._header(self.table.verticalHeaderItem(r)) for r in range(self.rowCount())]

    def sizes(self) -> list[str]:
        return [self._header(self.table.horizontalHeaderItem(c)) for c in range(self.columnCount())]

    def rowCount(self) -> int:
        return self.table.rowCount()

    def columnCount(self) -> int:
        return self.table.columnCount()

    @staticmethod
    def _header(item: QTableWidgetItem | None) -> str:
        text = item.text() if item is not None else ""
        return "" if text == "—" else text

    def is_single(self) -> bool:
        """No colour and no size: the product is sold in one version."""
        return (
            self.rowCount() <= 1
            and self.columnCount() <= 1
            and not any(self.colors() + self.sizes())
        )

    def cell(self, row: int, column: int) -> VariantCell:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, VariantCell)
        return widget

    def set_variants(self, variants: list[VariantDraft]) -> None:
        self._ids = {(v.color, v.size): v.id for v in variants if v.id is not None and not v.extra}
        self._codes = {(v.color, v.size): v.code for v in variants if not v.extra}
        self._others = [v for v in variants if v.extra]
        plain = [v for v in variants if not v.extra]
        self._pictures = {v.color: v.media_id for v in plain if v.media_id is not None}
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        if len(plain) <= 1 and not any(v.color or v.size for v in plain):
            self._update_total()
            self._refresh_picture_colors()
            return
        colors = list(dict.fromkeys(v.color for v in plain))
        sizes = list(dict.fromkeys(v.size for v in plain))
        for color in colors:
            self._insert_row(color)
        for size in sizes:
            self._insert_column(size)
        for v in plain:
            cell = self.cell(colors.index(v.color), sizes.index(v.size))
            cell.stock.setValue(v.stock)
            cell.price.setText("" if v.price is None else _amount(v.price))
            self._show_code(cell, v.code)
        self._update_total()
        self._refresh_picture_colors()

    def drafts(self) -> list[VariantDraft] | None:
        """The cells as variant drafts; None for a product sold in one version.

        Raises ValueError naming the cell whose price cannot be read.
        """
        if self.is_single():
            return None if not self._others else [*self._others]
        out: list[VariantDraft] = []
        colors, sizes = self.colors(), self.sizes()
        for r, color in enumerate(colors):
            for c, size in enumerate(sizes):
                cell = self.cell(r, c)
                try:
                    price = parse_price(cell.price.text(), allow_empty=True)
                except PriceError as error:
                    label = " ".join(p for p in (color, size) if p)
                    raise ValueError(f"{label}: {error}") from error
                out.append(
                    VariantDraft(
                        color,
                        size,
                        cell.stock.value(),
                        price,
                        self._codes.get((color, size), ""),
                        id=self._ids.get((color, size)),
                        media_id=self._picture_of(color),
                    )
                )
        return out + self._others

    def total_stock(self) -> int:
        if self.is_single():
            return 0
        return sum(
            self.cell(r, c).stock.value()
            for r in range(self.rowCount())
            for c in range(self.columnCount())
        )

    # -- editing -------------------------------------------------------------------------------

    def add_color(self, color: str, seed_stock: int = 0) -> bool:
        color = color.strip()[:40]
        if color in self.colors() and self.rowCount() and color:
            return False
        if self._too_many(rows=1):
            return False
        if self.rowCount() == 1 and self.colors() == [""] and color:
            # Sizes first, colours later: the unnamed row becomes the first colour.
            self.table.setVerticalHeaderItem(0, _header_item(color))
        else:
            self._insert_row(color)
        if self.columnCount() == 0:
            self._insert_column("")
            self.cell(0, 0).stock.setValue(seed_stock)
        self._changed()
        return True

    def add_size(self, size: str, seed_stock: int = 0) -> bool:
        size = size.strip()[:40]
        if size in self.sizes() and self.columnCount() and size:
            return False
        if self._too_many(columns=1):
            return False
        if self.columnCount() == 1 and self.sizes() == [""] and size:
            self.table.setHorizontalHeaderItem(0, _header_item(size))
        else:
            self._insert_column(size)
        if self.rowCount() == 0:
            self._insert_row("")
            self.cell(0, 0).stock.setValue(seed_stock)
        self._changed()
        return True

    def fill_row_with(self, row: int, stock: int) -> None:
        for c in range(self.columnCount()):
            self.cell(row, c).stock.setValue(stock)
        self._changed()

    def _too_many(self, rows: int = 0, columns: int = 0) -> bool:
        return (max(1, self.rowCount() + rows)) * (max(1, self.columnCount() + columns)) > (
            MAX_VARIANTS
        )

    def _insert_row(self, color: str) -> None:
        row = self.rowCount()
        self.table.insertRow(row)
        self.table.setVerticalHeaderItem(row, _header_item(color))
        for c in range(self.columnCount()):
            self._place_cell(row, c)

    def _insert_column(self, size: str) -> None:
        column = self.columnCount()
        self.table.insertColumn(column)
        self.table.setHorizontalHeaderItem(column, _header_item(size))
        for r in range(self.rowCount()):
            self._place_cell(r, column)

    def _place_cell(self, row: int, column: int) -> None:
        cell = VariantCell()
        cell.changed.connect(self._changed)
        self.table.setCellWidget(row, column, cell)

    def _add_color_clicked(self) -> None:
        if self.add_color(self.new_color.text(), self.seed_stock):
            self.new_color.clear()

    def _add_sizes_clicked(self) -> None:
        # "S M L" or "S,M,L" adds three sizes at once.
        added = False
        for size in self.new_size.text().replace(",", " ").replace("，", " ").split():
            added = self.add_size(size, self.seed_stock) or added
        if added:
            self.new_size.clear()

    #: The single stock the product had, given to the first cell the grid creates.
    seed_stock = 0

    def _fill_selected_row(self) -> None:
        row = self.table.currentRow()
        if row < 0 and self.rowCount() == 1:
            row = 0
        if row >= 0:
            self.fill_row_with(row, self.fill_value.value())

    def code_of(self, row: int, column: int) -> str:
        return self._codes.get((self.colors()[row], self.sizes()[column]), "")

    def set_code(self, row: int, column: int, code: str) -> None:
        """Give one cell its own code; saving checks it like any variant's."""
        self._codes[(self.colors()[row], self.sizes()[column])] = code.strip()
        self._show_code(self.cell(row, column), code.strip())
        self._changed()

    def _selected_cell(self) -> tuple[int, int] | None:
        """The cell being edited (its stock or price has the focus), else the current one."""
        focus = self.table.focusWidget() or self.focusWidget()
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                cell = self.cell(r, c)
                if focus is not None and (focus is cell or cell.isAncestorOf(focus)):
                    return r, c
        row, column = self.table.currentRow(), self.table.currentColumn()
        if row < 0 and self.rowCount() * self.columnCount() == 1:
            row = column = 0
        return (row, column) if row >= 0 and column >= 0 else None

    def _edit_selected_code(self) -> None:
        chosen = self._selected_cell()
        if chosen is None:
            return
        row, column = chosen
        label = " ".join(p for p in (self.colors()[row], self.sizes()[column]) if p)
        code, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("VariantGrid", "Variant code"),
            QCoreApplication.translate("VariantGrid", "Code of {variant}:").format(
                variant=label or "—"
            ),
            text=self.code_of(row, column),
        )
        if ok:
            self.set_code(row, column, code)

    @staticmethod
    def _show_code(cell: VariantCell, code: str) -> None:
        cell.setToolTip(
            QCoreApplication.translate("VariantGrid", "Code: {code}").format(code=code)
            if code
            else ""
        )

    def _remove_selected_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            if self.rowCount() == 0:
                self.table.setColumnCount(0)
            self._changed()

    def _remove_selected_column(self) -> None:
        column = self.table.currentColumn()
        if column >= 0:
            self.table.removeColumn(column)
            if self.columnCount() == 0:
                self.table.setRowCount(0)
            self._changed()

    def set_pictures(self, media_ids: list[int]) -> None:
        """The product's pictures, numbered as in the editor's strip (1 is the cover)."""
        self._picture_ids = list(media_ids)
        self._show_color_picture()

    def _picture_of(self, color: str) -> int | None:
        chosen = self._pictures.get(color)
        return chosen if chosen in self._picture_ids else None

    def _refresh_picture_colors(self) -> None:
        current = self.picture_color.currentText()
        self.picture_color.blockSignals(True)
        self.picture_color.clear()
        self.picture_color.addItems([c for c in self.colors() if c])
        self.picture_color.setCurrentIndex(max(0, self.picture_color.findText(current)))
        self.picture_color.blockSignals(False)
        self._show_color_picture()

    def _show_color_picture(self, *_: object) -> None:
        color = self.picture_color.currentText()
        self.picture.clear()
        self.picture.addItem("—", None)
        for number, media_id in enumerate(self._picture_ids, 1):
            self.picture.addItem(str(number), media_id)
        chosen = self._picture_of(color)
        self.picture.setCurrentIndex(
            self._picture_ids.index(chosen) + 1 if chosen is not None else 0
        )
        enabled = bool(color) and bool(self._picture_ids)
        self.picture.setEnabled(enabled)
        self.picture_color.setEnabled(bool(color))

    def _picture_chosen(self, index: int) -> None:
        color = self.picture_color.currentText()
        media_id = self.picture.itemData(index)
        if not color:
            return
        if media_id is None:
            self._pictures.pop(color, None)
        else:
            self._pictures[color] = int(media_id)
        self.changed.emit()

    def _changed(self) -> None:
        self._update_total()
        self._refresh_picture_colors()
        self.changed.emit()

    def _update_total(self) -> None:
        single = self.is_single()
        # Tall enough for every colour (up to eight) so the editor's own scroll is the only one.
        rows = min(max(self.rowCount(), 1), 8)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows * 30 + 6)
        self.total.setText(
            ""
            if single
            else QCoreApplication.translate(
                "VariantGrid", "{count} variants, {stock} in stock"
            ).format(count=self.rowCount() * self.columnCount(), stock=self.total_stock())
        )
        for widget in (
            self.fill_value,
            self.fill_row,
            self.remove_row,
            self.remove_column,
            self.code_button,
        ):
            widget.setEnabled(not single)


def _header_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text or "—")
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def _amount(amount: Decimal) -> str:
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
