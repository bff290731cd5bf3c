"""The importers the wizard offers after the shop is created.

Each area registers its import dialog here with one call (customers plug in the same way as
products); the wizard shows one button per importer, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from moments_desk.core.shared import uow
from moments_desk.core.team.accounts import list_accounts
from moments_desk.ui.context import AppContext


@dataclass(frozen=True)
class Importer:
    key: str
    #: Button text, translated when called (the language may change while the wizard is open).
    label: Callable[[], str]
    #: What the file should hold, one sentence.
    hint: Callable[[], str]
    #: Opens the importer's own dialog (which previews and writes in one transaction) and
    #: returns a one-line summary of what was imported, or None if the seller cancelled.
    run: Callable[[AppContext, QWidget], str | None]


_IMPORTERS: list[Importer] = []


def register_importer(importer: Importer) -> None:
    if all(existing.key != importer.key for existing in _IMPORTERS):
        _IMPORTERS.append(importer)


def importers() -> list[Importer]:
    return list(_IMPORTERS)


def _import_products(ctx: AppContext, parent: QWidget) -> str | None:
    from moments_desk.ui.products.import_dialog import ProductImportDialog

    dialog = ProductImportDialog(ctx, parent)
    if not dialog.start():
        return None
    dialog.exec()
    result = dialog.imported
    if result is None:
        return None
    return QCoreApplication.translate(
        "Wizard", "Products: {created} added, {updated} updated, {images} pictures."
    ).format(created=result.created, updated=result.updated, images=result.images)


register_importer(
    Importer(
        "products",
        lambda: QCoreApplication.translate("Wizard", "Import products…"),
        lambda: QCoreApplication.translate(
            "Wizard",
            "A CSV or Excel file with code, name and price per row, e.g. exported from Taobao "
            "(宝贝列表) or your own spreadsheet. You see every row before anything is saved.",
        ),
        _import_products,
    )
)


def _accounts(ctx: AppContext) -> list[tuple[int, str]]:
    """The shop's accounts as (id, label), read on the DB thread while the wizard stays live."""
    found: list[tuple[int, str]] = []
    loop = QEventLoop()

    def done(accounts: list[Any]) -> None:
        found.extend((a.id, a.label) for a in accounts)
        loop.quit()

    ctx.executor.submit(
        lambda: uow.read(ctx.shop.sessions, list_accounts), done, lambda _: loop.quit()
    )
    loop.exec()
    return found


def _run_customer_dialog(ctx: AppContext, parent: QWidget, kind: Any) -> Any:
    """Open a Customers-page import dialog into the first account; the imported result or None."""
    accounts = _accounts(ctx)
    if not accounts:  # the wizard creates an account before this page, so only a race gets here
        return None
    dialog = kind(ctx, accounts, accounts[0][0], parent)
    if not dialog.start():
        return None
    dialog.exec()
    return dialog.imported


def _import_customers(ctx: AppContext, parent: QWidget) -> str | None:
    from moments_desk.ui.customers.import_dialogs import CustomerImportDialog

    result = _run_customer_dialog(ctx, parent, CustomerImportDialog)
    if result is None:
        return None
    return QCoreApplication.translate(
        "Wizard", "Customers: {created} added, {updated} updated, {addresses} addresses."
    ).format(created=result.created, updated=result.updated, addresses=result.addresses)


def _import_taobao_orders(ctx: AppContext, parent: QWidget) -> str | None:
    from moments_desk.ui.customers.import_dialogs import TaobaoImportDialog

    result = _run_customer_dialog(ctx, parent, TaobaoImportDialog)
    if result is None:
        return None
    return QCoreApplication.translate(
        "Wizard", "Taobao orders: {orders} imported, {created} new customers."
    ).format(orders=result.orders, created=result.customers_created)


register_importer(
    Importer(
        "customers",
        lambda: QCoreApplication.translate("Wizard", "Import customers…"),
        lambda: QCoreApplication.translate(
            "Wizard",
            "A CSV or Excel file with one friend per row: WeChat ID, nickname or remark name, "
            "phone, birthday (农历 works), tags. You see every row before anything is saved.",
        ),
        _import_customers,
    )
)

register_importer(
    Importer(
        "taobao_orders",
        lambda: QCoreApplication.translate("Wizard", "Import Taobao orders…"),
        lambda: QCoreApplication.translate(
            "Wizard",
            "The order report from Taobao (已卖出的宝贝 → 批量导出). Buyers become customers with "
            "their orders; importing the same file twice adds nothing twice.",
        ),
        _import_taobao_orders,
    )
)
