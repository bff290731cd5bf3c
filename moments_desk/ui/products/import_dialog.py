"""Importing products: choose the file, map its columns, preview every row, then import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core import uow
from moments_desk.core.money import format_price
from moments_desk.core.product_import import (
    PRODUCT_FIELDS,
    REQUIRED,
    ImportCancelled,
    ImportResult,
    ProductImportPlan,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.shop_settings import get_setting, set_setting
from moments_desk.core.tabular import Table, guess_mapping, mapping_signature, read_table
from moments_desk.ui import combo as combos
from moments_desk.ui.context import AppContext
from moments_desk.ui.list_view import progress_dialog

PREVIEW_ROWS = 300


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
    }
    return labels[name] + (" *" if name in REQUIRED else "")


class ProductImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.table: Table | None = None
        self.plan: ProductImportPlan | None = None
        self.imported: ImportResult | None = None
        self.images_folder: Path | None = None
        self.setWindowTitle(QCoreApplication.translate("ImportDialog", "Import products"))
        self.resize(920, 640)

        layout = QVBoxLayout(self)
        self.file_label = QLabel("")
        self.file_label.setObjectName("sectionTitle")
        layout.addWidget(self.file_label)
        top = QHBoxLayout()
        mapping_box = QWidget()
        self.mapping_form = QFormLayout(mapping_box)
        self.combos: dict[str, QComboBox] = {}
        for name in PRODUCT_FIELDS:
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[name] = combo
            self.mapping_form.addRow(field_label(name), combo)
        top.addWidget(mapping_box, 1)
        options = QVBoxLayout()
        self.on_existing = QComboBox()
        self.on_existing.addItem(
            QCoreApplication.translate("ImportDialog", "Update products whose code exists"),
            "update",
        )
        self.on_existing.addItem(
            QCoreApplication.translate("ImportDialog", "Skip products whose code exists"), "skip"
        )
        self.on_existing.addItem(
            QCoreApplication.translate("ImportDialog", "Treat an existing code as an error"),
            "error",
        )
        self.on_existing.currentIndexChanged.connect(self._mapping_changed)
        options.addWidget(self.on_existing)
        self.folder_button = QPushButton(
            QCoreApplication.translate("ImportDialog", "Pictures folder (named by code)…")
        )
        self.folder_button.clicked.connect(self._choose_folder)
        options.addWidget(self.folder_button)
        self.folder_label = QLabel("")
        self.folder_label.setObjectName("muted")
        self.folder_label.setWordWrap(True)
        options.addWidget(self.folder_label)
        options.addStretch(1)
        top.addLayout(options, 1)
        layout.addLayout(top)

        self.summary = QLabel("")
        self.summary.setObjectName("sectionTitle")
        layout.addWidget(self.summary)
        self.errors = QListWidget()
        self.errors.setMaximumHeight(120)
        self.errors.hide()
        layout.addWidget(self.errors)
        self.preview = QTableWidget(0, 5)
        self.preview.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ImportDialog", "Row"),
                QCoreApplication.translate("ImportDialog", "Code"),
                QCoreApplication.translate("ImportDialog", "Name"),
                QCoreApplication.translate("ImportDialog", "Price"),
                QCoreApplication.translate("ImportDialog", "Action"),
            ]
        )
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setColumnWidth(2, 320)
        layout.addWidget(self.preview, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            QCoreApplication.translate("ImportDialog", "Import"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._filling = False

    # -- loading -------------------------------------------------------------------------------

    def start(self, path: Path | None = None) -> bool:
        """Ask for the file (unless given) and start reading it; False if none was chosen."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self,
                self.windowTitle(),
                str(Path.home()),
                QCoreApplication.translate("ImportDialog", "Spreadsheets (*.csv *.txt *.xlsx)"),
            )
            if not name:
                return False
            path = Path(name)
        self.file_label.setText(path.name)
        self.summary.setText(QCoreApplication.translate("ImportDialog", "Reading the file…"))
        sessions = self._ctx.shop.sessions

        def load() -> tuple[Table, dict[str, int] | None]:
            table = read_table(path)
            key = f"import.products.mapping.{mapping_signature(table.headers)}"
            saved = uow.read(sessions, lambda s: get_setting(s, key))
            return table, saved

        self._ctx.executor.submit(load, self._loaded, self._failed)
        return True

    def _loaded(self, result: tuple[Table, dict[str, int] | None]) -> None:
        table, saved = result
        self.table = table
        mapping = saved if isinstance(saved, dict) else guess_mapping(table.headers, PRODUCT_FIELDS)
        self._filling = True
        skip = QCoreApplication.translate("ImportDialog", "(not imported)")
        for name, combo in self.combos.items():
            combo.clear()
            combos.add_item(combo, skip, None)
            for index, header in enumerate(table.headers):
                combo.addItem(header, index)
            chosen = mapping.get(name)
            combo.setCurrentIndex(combos.find(combo, chosen) if chosen is not None else 0)
        self._filling = False
        encoding = f" · {table.encoding}" if table.encoding else ""
        count = len(table.rows)
        self.file_label.setText(
            QCoreApplication.translate(
                "ImportDialog", "{file}: %Ln row(s){encoding}", "", count
            ).format(file=table.path.name, encoding=encoding)
        )
        self._mapping_changed()

    def mapping(self) -> dict[str, int]:
        return {
            name: combos.value(combo)
            for name, combo in self.combos.items()
            if combos.value(combo) is not None
        }

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.folder_button.text(), str(Path.home()))
        if folder:
            self.images_folder = Path(folder)
            self.folder_label.setText(folder)
            self._mapping_changed()

    def _mapping_changed(self, *_: Any) -> None:
        if self._filling or self.table is None:
            return
        table, mapping = self.table, self.mapping()
        folder, on_existing = self.images_folder, combos.value(self.on_existing)
        self.import_button.setEnabled(False)
        self.summary.setText(QCoreApplication.translate("ImportDialog", "Checking every row…"))
        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions,
                lambda s: plan_product_import(
                    table, mapping, s, images_folder=folder, on_existing=on_existing
                ),
            ),
            self._show_plan,
            self._failed,
        )

    def _show_plan(self, plan: ProductImportPlan) -> None:
        self.plan = plan
        self.summary.setText(
            QCoreApplication.translate(
                "ImportDialog",
                "New: {new} · Updated: {updated} · Skipped: {skipped} · Errors: {errors}",
            ).format(
                new=plan.to_create,
                updated=plan.to_update,
                skipped=plan.skipped,
                errors=len(plan.errors),
            )
        )
        self.errors.clear()
        for error in plan.errors:
            self.errors.addItem(str(error))
        for warning in plan.warnings:
            self.errors.addItem(warning)
        self.errors.setVisible(bool(plan.errors or plan.warnings))
        rows = plan.products[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        create = QCoreApplication.translate("ImportDialog", "create")
        update = QCoreApplication.translate("ImportDialog", "update")
        for r, product in enumerate(rows):
            cells = (
                str(product.row),
                product.draft.code,
                product.draft.name,
                format_price(product.draft.price),
                update if product.existing_id else create,
            )
            for c, text in enumerate(cells):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        if plan.errors:
            for i in range(self.errors.count()):
                self.errors.item(i).setForeground(QBrush(QColor("#B91C1C")))
        self.import_button.setEnabled(plan.ok and bool(plan.products))

    # -- importing -----------------------------------------------------------------------------

    def run_import(self) -> None:
        plan, table = self.plan, self.table
        if plan is None or table is None or not plan.ok:
            return
        progress, bridge = progress_dialog(
            self, QCoreApplication.translate("ImportDialog", "Importing products…")
        )
        shop = self._ctx.shop
        key = f"import.products.mapping.{mapping_signature(table.headers)}"
        mapping = self.mapping()
        self.import_button.setEnabled(False)

        def work() -> ImportResult:
            result = apply_product_import(
                plan,
                shop.engine,
                shop.paths.media,
                progress=bridge.report,
                should_cancel=bridge.cancelled,
            )
            uow.write(shop.sessions, lambda s: set_setting(s, key, mapping))
            return result

        def done(result: ImportResult) -> None:
            progress.reset()
            self.imported = result
            QMessageBox.information(
                self,
                self.windowTitle(),
                QCoreApplication.translate(
                    "ImportDialog", "Imported: {created} new, {updated} updated, {images} pictures."
                ).format(created=result.created, updated=result.updated, images=result.images),
            )
            self.accept()

        def failed(error: BaseException) -> None:
            progress.reset()
            self.import_button.setEnabled(True)
            if isinstance(error, ImportCancelled):
                self.summary.setText(
                    QCoreApplication.translate("ImportDialog", "Cancelled: nothing was imported.")
                )
                return
            self._failed(error)

        self._ctx.executor.submit(work, done, failed)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(
            QCoreApplication.translate("ImportDialog", "Nothing was imported: {error}").format(
                error=error
            )
        )
