"""Importing products: choose the file, map its columns, preview every row, then import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    REQUIRED,
    ImportResult,
    ProductImportPlan,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.shared import uow
from moments_desk.core.shared.money import format_price
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.import_dialog import (
    Applier,
    Cancelled,
    MappingImportDialog,
    Planner,
    Progress,
    add_button,
    add_on_existing,
)


def field_label(name: str) -> str:
    labels = {
        "code": QCoreApplication.translate("ImportDialog", "Code"),
        "name": QCoreApplication.translate("ImportDialog", "Name"),
        "category": QCoreApplication.translate("ImportDialog", "Category"),
        "tags": QCoreApplication.translate("ImportDialog", "Tags"),
        "price": QCoreApplication.translate("ImportDialog", "Price"),
        "cost": QCoreApplication.translate("ImportDialog", "Cost"),
        "stock": QCoreApplication.translate("ImportDialog", "Stock"),
        "status": QCoreApplication.translate("ImportDialog", "Status"),
        "new_arrival_date": QCoreApplication.translate("ImportDialog", "New arrival date"),
        "selling_points": QCoreApplication.translate("ImportDialog", "Selling points"),
        "taobao_url": QCoreApplication.translate("ImportDialog", "Taobao link"),
        "notes": QCoreApplication.translate("ImportDialog", "Notes"),
        "images": QCoreApplication.translate("ImportDialog", "Pictures"),
        "color": QCoreApplication.translate("ImportDialog", "Colour"),
        "size": QCoreApplication.translate("ImportDialog", "Size"),
        "sale_props": QCoreApplication.translate(
            "ImportDialog", "Sale attributes (颜色分类:黑色;尺码:M)"
        ),
    }
    return labels[name]


class ProductImportDialog(MappingImportDialog):
    FIELDS = PRODUCT_FIELDS
    REQUIRED = REQUIRED
    SETTINGS_KEY = "import.products.mapping"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.images_folder: Path | None = None
        self.on_existing = add_on_existing(
            self,
            (
                QCoreApplication.translate("ImportDialog", "Update products whose code exists"),
                QCoreApplication.translate("ImportDialog", "Skip products whose code exists"),
                QCoreApplication.translate("ImportDialog", "Treat an existing code as an error"),
            ),
        )
        self.folder_button = add_button(
            self, QCoreApplication.translate("ImportDialog", "Pictures folder (named by code)…")
        )
        self.folder_button.clicked.connect(self._choose_folder)
        self.folder_label = QLabel("")
        self.folder_label.setObjectName("muted")
        self.folder_label.setWordWrap(True)
        self.options.addWidget(self.folder_label)
        self.options.addStretch(1)
        self.preview.setColumnWidth(2, 320)

    def title(self) -> str:
        return QCoreApplication.translate("ImportDialog", "Import products")

    def field_label(self, name: str) -> str:
        return field_label(name)

    def preview_headers(self) -> list[str]:
        return [
            QCoreApplication.translate("ImportDialog", "Row"),
            QCoreApplication.translate("ImportDialog", "Code"),
            QCoreApplication.translate("ImportDialog", "Name"),
            QCoreApplication.translate("ImportDialog", "Price"),
            QCoreApplication.translate("ImportDialog", "Action"),
        ]

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.folder_button.text(), str(Path.home()))
        if folder:
            self.images_folder = Path(folder)
            self.folder_label.setText(folder)
            self._mapping_changed()

    def make_planner(self) -> Planner:
        folder, on_existing = self.images_folder, combos.value(self.on_existing)

        def plan(table: Table, mapping: dict[str, int]) -> uow.Work[ProductImportPlan]:
            return lambda s: plan_product_import(
                table, mapping, s, images_folder=folder, on_existing=on_existing
            )

        return plan

    def preview_rows(self, plan: ProductImportPlan) -> list[tuple[str, ...]]:
        create = QCoreApplication.translate("ImportDialog", "create")
        update = QCoreApplication.translate("ImportDialog", "update")
        return [
            (
                str(product.row),
                product.draft.code,
                product.draft.name,
                format_price(product.draft.price),
                update if product.existing_id else create,
            )
            for product in plan.products
        ]

    def has_work(self, plan: ProductImportPlan) -> bool:
        return bool(plan.products)

    def progress_label(self) -> str:
        return QCoreApplication.translate("ImportDialog", "Importing products…")

    def make_applier(self) -> Applier:
        shop = self._ctx.shop

        def apply(plan: Any, progress: Progress, cancelled: Cancelled) -> ImportResult:
            return apply_product_import(
                plan, shop.engine, shop.paths.media, progress=progress, should_cancel=cancelled
            )

        return apply

    def done_text(self, result: ImportResult) -> str:
        return QCoreApplication.translate(
            "ImportDialog", "Imported: {created} new, {updated} updated, {images} pictures."
        ).format(created=result.created, updated=result.updated, images=result.images)
