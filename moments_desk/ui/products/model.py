"""The products table: rows read a window at a time, with thumbnails."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QBrush, QColor

from moments_desk.core.catalogue.listing import ProductRow, SortKey
from moments_desk.core.shared.money import format_price
from moments_desk.db.models import ProductStatus
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.paged_table import PagedTableModel
from moments_desk.ui.kit.thumbnails import ThumbnailCache


class Column:
    THUMB, CODE, NAME, CATEGORY, PRICE, STOCK, STATUS, NEW_ARRIVAL, LAST_POSTED, TAGS = range(10)
    #: stock per size, shown right after the stock (added last so saved layouts keep theirs)
    SIZES = 10


SORT_KEYS: dict[int, SortKey] = {
    Column.CODE: SortKey.CODE,
    Column.NAME: SortKey.NAME,
    Column.CATEGORY: SortKey.CATEGORY,
    Column.PRICE: SortKey.PRICE,
    Column.STOCK: SortKey.STOCK,
    Column.STATUS: SortKey.STATUS,
    Column.NEW_ARRIVAL: SortKey.NEW_ARRIVAL,
    Column.LAST_POSTED: SortKey.LAST_POSTED,
}

MUTED = QColor("#9CA3AF")
ALERT = QColor("#DC2626")
# Built once: combining Qt flags creates Python enum members, which cost ~10 ms on the
# first paint when done per cell.
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _headers() -> list[str]:
    return [
        "",
        QCoreApplication.translate("ProductsModel", "Code"),
        QCoreApplication.translate("ProductsModel", "Name"),
        QCoreApplication.translate("ProductsModel", "Category"),
        QCoreApplication.translate("ProductsModel", "Price"),
        QCoreApplication.translate("ProductsModel", "Stock"),
        QCoreApplication.translate("ProductsModel", "Status"),
        QCoreApplication.translate("ProductsModel", "New arrival"),
        QCoreApplication.translate("ProductsModel", "Last posted"),
        QCoreApplication.translate("ProductsModel", "Tags"),
        QCoreApplication.translate("ProductsModel", "Sizes"),
    ]


class ProductTableModel(PagedTableModel[ProductRow]):
    def __init__(self, thumbnails: ThumbnailCache) -> None:
        super().__init__(_headers())
        self._thumbnails = thumbnails
        self._locale = QLocale()
        # Which rows show a cover, so a finished thumbnail repaints just those cells.
        self._cover_rows: dict[str, set[int]] = {}
        thumbnails.ready.connect(self._thumbnail_ready)

    def reset_caches(self) -> None:
        self._cover_rows = {}

    def rows_arrived(self, start: int, rows: list[ProductRow]) -> None:
        for offset, row in enumerate(rows):
            if row.cover_path:
                self._cover_rows.setdefault(row.cover_path, set()).add(start + offset)

    def product_id(self, row: int) -> int:
        return self.item_id(row)

    def cell(self, product: ProductRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(product, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.THUMB:
            return self._thumbnails.get(product.cover_path) if product.cover_path else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.PRICE, Column.STOCK):
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            if product.archived or product.status is ProductStatus.OFF_SHELF:
                return QBrush(MUTED)
            if column == Column.STOCK and product.stock == 0:
                return QBrush(ALERT)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.NAME:
                return product.name
            if column in (Column.STOCK, Column.SIZES) and product.sizes:
                return product.sizes
        return None

    def _display(self, product: ProductRow, column: int) -> str | None:
        match column:
            case Column.CODE:
                return product.code
            case Column.NAME:
                if product.archived:
                    archived = QCoreApplication.translate("ProductsModel", "archived")
                    return f"{product.name}（{archived}）"
                return product.name
            case Column.CATEGORY:
                return product.category
            case Column.PRICE:
                return format_price(product.price)
            case Column.STOCK:
                return self._locale.toString(product.stock)
            case Column.STATUS:
                return labels.product_status(product.status)
            case Column.NEW_ARRIVAL:
                return product.new_arrival_date.isoformat() if product.new_arrival_date else ""
            case Column.LAST_POSTED:
                if product.last_posted_at is None:
                    return QCoreApplication.translate("ProductsModel", "never")
                return product.last_posted_at.astimezone().strftime("%Y-%m-%d")
            case Column.TAGS:
                return "、".join(product.tags)
            case Column.SIZES:
                return product.sizes
        return None

    def _thumbnail_ready(self, rel_path: str) -> None:
        for row in self._cover_rows.get(rel_path, ()):
            index = self.index(row, Column.THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
