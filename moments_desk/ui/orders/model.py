"""The orders table: id-backed, fluid at 50,000 rows."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from moments_desk.core.orders.listing import OrderRow, OrderSort
from moments_desk.core.shared.money import format_price
from moments_desk.db.models import OrderStatus
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.paged_table import PagedTableModel


class Column:
    ID, CREATED, CUSTOMER, ITEMS, TOTAL, STATUS, POST, SHIPPING = range(8)


SORT_KEYS = {
    Column.ID: OrderSort.ID,
    Column.CREATED: OrderSort.CREATED,
    Column.CUSTOMER: OrderSort.CUSTOMER,
    Column.TOTAL: OrderSort.TOTAL,
    Column.STATUS: OrderSort.STATUS,
}

STATUS_COLOURS = {
    OrderStatus.AWAITING_PAYMENT: "#B45309",
    OrderStatus.PAID: "#1D4ED8",
    OrderStatus.SHIPPED: "#7C3AED",
    OrderStatus.COMPLETED: "#07A35A",
    OrderStatus.CANCELLED: "#6B7280",
    OrderStatus.REFUNDED: "#B91C1C",
}


def _headers() -> list[str]:
    return [
        QCoreApplication.translate("OrdersModel", "No."),
        QCoreApplication.translate("OrdersModel", "Created"),
        QCoreApplication.translate("OrdersModel", "Customer"),
        QCoreApplication.translate("OrdersModel", "Items"),
        QCoreApplication.translate("OrdersModel", "Total"),
        QCoreApplication.translate("OrdersModel", "Status"),
        QCoreApplication.translate("OrdersModel", "From post"),
        QCoreApplication.translate("OrdersModel", "Courier"),
    ]


class OrderTableModel(PagedTableModel[OrderRow]):
    def __init__(self, zone: tzinfo):
        super().__init__(_headers())
        self._zone = zone

    def cell(self, order: OrderRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case Column.ID:
                    return str(order.id)
                case Column.CREATED:
                    return order.created_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
                case Column.CUSTOMER:
                    return order.customer_name or QCoreApplication.translate(
                        "OrdersModel", "(deleted customer)"
                    )
                case Column.ITEMS:
                    return order.items
                case Column.TOTAL:
                    return format_price(order.total)
                case Column.STATUS:
                    return labels.order_status(order.status)
                case Column.POST:
                    return order.post_line
                case Column.SHIPPING:
                    return f"{order.courier} {order.tracking_no}".strip()
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS:
            return QColor(STATUS_COLOURS[order.status])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.TOTAL, Column.ID):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.ITEMS, Column.CUSTOMER):
            return f"{order.items}\n{order.address}".strip()
        return None
