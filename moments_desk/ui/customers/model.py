"""The customers table: rows read a window at a time, fluid at 200,000 customers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from moments_desk.core.customers.customers import CustomerRow, CustomerSort
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.paged_table import PagedTableModel


class Column:
    NAME, NICKNAME, WECHAT_ID, PHONE, ACCOUNT, CITY, STAGE, TAGS, LAST_CONTACT = range(9)


SORT_KEYS = {
    Column.NAME: CustomerSort.NAME,
    Column.STAGE: CustomerSort.STAGE,
    Column.LAST_CONTACT: CustomerSort.LAST_CONTACT,
}


def _headers() -> list[str]:
    return [
        QCoreApplication.translate("CustomersModel", "Name"),
        QCoreApplication.translate("CustomersModel", "Nickname"),
        QCoreApplication.translate("CustomersModel", "WeChat ID"),
        QCoreApplication.translate("CustomersModel", "Phone"),
        QCoreApplication.translate("CustomersModel", "Account"),
        QCoreApplication.translate("CustomersModel", "City"),
        QCoreApplication.translate("CustomersModel", "Stage"),
        QCoreApplication.translate("CustomersModel", "Tags"),
        QCoreApplication.translate("CustomersModel", "Last contact"),
    ]


class CustomerTableModel(PagedTableModel[CustomerRow]):
    def __init__(self, now: Callable[[], datetime]):
        super().__init__(_headers())
        self._now = now

    def cell(self, customer: CustomerRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case Column.NAME:
                    return customer.display_name
                case Column.NICKNAME:
                    return customer.nickname
                case Column.WECHAT_ID:
                    return customer.wechat_id or ""
                case Column.PHONE:
                    return customer.phone or ""
                case Column.ACCOUNT:
                    return customer.account_label
                case Column.CITY:
                    return customer.city
                case Column.STAGE:
                    return labels.customer_stage(customer.stage)
                case Column.TAGS:
                    return "、".join(customer.tags)
                case Column.LAST_CONTACT:
                    if customer.last_contact is None:
                        return QCoreApplication.translate("CustomersModel", "never")
                    days = (self._now() - customer.last_contact).days
                    return QCoreApplication.translate("CustomersModel", "%Ln day(s) ago", "", days)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME:
            return f"{customer.remark}\n{customer.nickname}".strip()
        return None
