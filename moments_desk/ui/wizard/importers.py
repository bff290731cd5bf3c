"""The importers the wizard offers after the shop is created.

Each area registers its import dialog here with one call (customers plug in the same way as
products); the wizard shows one button per importer, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

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
