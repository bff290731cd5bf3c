"""The Products page: search and filters, the id-backed table, the editor and bulk actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue import listing as pl
from moments_desk.core.catalogue.catalogue import ProductDraft, ProductError
from moments_desk.core.catalogue.listing import ProductQuery, ProductRow, SortKey, product_listing
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.db.models import ProductStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_page import ListPage
from moments_desk.ui.kit.list_view import SortState, make_table
from moments_desk.ui.kit.thumbnails import ThumbnailCache
from moments_desk.ui.products import files
from moments_desk.ui.products.editor import ProductEditor
from moments_desk.ui.products.model import SORT_KEYS, Column, ProductTableModel

NEW_ARRIVAL_DAYS = 14


class ProductsPage(ListPage[ProductQuery, ProductRow]):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        paths = ctx.shop.paths
        thumbnails = ThumbnailCache(paths.media, paths.thumbnails, 96)
        super().__init__(
            ctx,
            QCoreApplication.translate("ProductsPage", "Products"),
            product_listing(ctx.shop.sessions, ctx.clock.now),
            ProductTableModel(thumbnails),
            # Stock moves with orders; "not posted for" moves with posts.
            (Kind.PRODUCTS, Kind.ORDERS, Kind.POSTS),
            parent,
        )
        self.refusals = (ProductError,)
        self.thumbnails = thumbnails
        thumbnails.setParent(self)
        self.last_export: list[Path] = []
        #: after a conflicting save: the other computer's version, so saving again keeps ours
        self._conflict_base: dict[int, ProductDraft] = {}
        layout = self.page_layout
        header_row = self.header_row
        self.new_button = QPushButton(QCoreApplication.translate("ProductsPage", "New product"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_product)
        self.import_button = QPushButton(QCoreApplication.translate("ProductsPage", "Import…"))
        self.import_button.clicked.connect(self.import_products)
        self.export_button = QPushButton(QCoreApplication.translate("ProductsPage", "Export…"))
        self.export_button.clicked.connect(self.export_products)
        self.grid_button = QPushButton(QCoreApplication.translate("ProductsPage", "Nine-grid…"))
        self.grid_button.clicked.connect(self.open_picture_tools)
        for button in (self.grid_button, self.import_button, self.export_button, self.new_button):
            header_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        filters = self.filters
        self.search.setPlaceholderText(
            QCoreApplication.translate(
                "ProductsPage", "Search name, code, tag or pinyin (e.g. lyq for 连衣裙)"
            )
        )
        self.category = QComboBox()
        self.category.setMinimumWidth(120)
        combos.add_item(
            self.category, QCoreApplication.translate("ProductsPage", "All categories"), None
        )
        self.category.currentIndexChanged.connect(self.run_search)
        self.status = QComboBox()
        combos.add_item(self.status, QCoreApplication.translate("ProductsPage", "Any status"), None)
        for status in ProductStatus:
            self.status.addItem(labels.product_status(status), status)
        self.status.currentIndexChanged.connect(self.run_search)
        self.new_only = QCheckBox(
            QCoreApplication.translate(
                "ProductsPage", "New arrivals (%n days)", "", NEW_ARRIVAL_DAYS
            )
        )
        self.new_only.toggled.connect(self.run_search)
        self.not_posted = QCheckBox(QCoreApplication.translate("ProductsPage", "Not posted for"))
        self.not_posted_days = QSpinBox()
        self.not_posted_days.setRange(1, 365)
        self.not_posted_days.setValue(14)
        self.not_posted_days.setSuffix(QCoreApplication.translate("ProductsPage", " days"))
        self.not_posted.toggled.connect(self.run_search)
        self.not_posted_days.valueChanged.connect(self._not_posted_days_changed)
        self.archived = QCheckBox(QCoreApplication.translate("ProductsPage", "Show archived"))
        self.archived.toggled.connect(self.run_search)
        for widget in (
            self.category,
            self.status,
            self.new_only,
            self.not_posted,
            self.not_posted_days,
            self.archived,
        ):
            filters.addWidget(widget)

        bulk = self.bulk
        self.bulk_tag = QPushButton(QCoreApplication.translate("ProductsPage", "Add tag…"))
        self.bulk_tag.clicked.connect(self.bulk_add_tag)
        self.bulk_status = QPushButton(QCoreApplication.translate("ProductsPage", "Set status"))
        status_menu = QMenu(self.bulk_status)
        for status in ProductStatus:
            status_menu.addAction(
                labels.product_status(status), partial(self.bulk_set_status, status)
            )
        self.bulk_status.setMenu(status_menu)
        self.bulk_stock = QPushButton(QCoreApplication.translate("ProductsPage", "Adjust stock…"))
        self.bulk_stock.clicked.connect(self.bulk_adjust_stock)
        self.bulk_archive = QPushButton(QCoreApplication.translate("ProductsPage", "Archive"))
        self.bulk_archive.clicked.connect(lambda: self.set_archived(self.selected_ids(), True))
        self.bulk_delete = QPushButton(QCoreApplication.translate("ProductsPage", "Delete…"))
        self.bulk_delete.clicked.connect(lambda: self.delete_products(self.selected_ids()))
        for button in (
            self.bulk_tag,
            self.bulk_status,
            self.bulk_stock,
            self.bulk_archive,
            self.bulk_delete,
        ):
            bulk.addWidget(button)
        bulk.addStretch(1)

        self.table = make_table(
            self.model,
            52,
            widths={
                Column.THUMB: 60,
                Column.CODE: 100,
                Column.CATEGORY: 80,
                Column.PRICE: 76,
                Column.STOCK: 56,
                Column.STATUS: 64,
                Column.NEW_ARRIVAL: 92,
                Column.LAST_POSTED: 92,
                Column.NAME: 180,
                Column.SIZES: 110,
            },
            # The name keeps a readable width beside price, stock and sizes; the tags at the
            # end take what is left (or scroll on a 1366-pixel laptop).
            stretch=Column.TAGS,
            on_sort=self._sort_clicked,
        )
        self.table.setIconSize(QSize(44, 44))
        # Price and stock right after the name: on a 1366-pixel laptop they stay in view.
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(Column.PRICE), header.visualIndex(Column.NAME) + 1)
        header.moveSection(header.visualIndex(Column.STOCK), header.visualIndex(Column.PRICE) + 1)
        header.moveSection(header.visualIndex(Column.SIZES), header.visualIndex(Column.STOCK) + 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.sort = SortState(self.table, SORT_KEYS, SortKey.UPDATED, {SortKey.CODE})

        self.editor = ProductEditor(self.thumbnails)
        self.editor.setMinimumWidth(360)
        self.editor.follow_changes(ctx)
        self.editor.save_requested.connect(self.save_product)
        self.editor.duplicate_requested.connect(self.duplicate_current)
        self.editor.archive_requested.connect(
            lambda archived: self.set_archived([self.editor.product_id or 0], archived)
        )
        self.editor.delete_requested.connect(
            lambda: self.delete_products([self.editor.product_id or 0])
        )
        self.editor.add_images_requested.connect(self.add_images)
        self.editor.export_requested.connect(self.export_for_moments)
        # The editor opens blank, ready for a new product: dated today like Ctrl+N's.
        self.editor.show_new(self.today())

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The list needs its price, stock and status columns in view next to the editor.
        splitter.setSizes([860, 420])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_product),
            (QKeySequence.StandardKey.Find, self.search.setFocus),
            (QKeySequence(Qt.Key.Key_Delete), lambda: self.delete_products(self.selected_ids())),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- searching -----------------------------------------------------------------------------

    def first_shown(self) -> None:
        # The worker runs jobs in order: rows first, the category filter's list after.
        self.reload_categories()

    def data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.PRODUCTS):
            self.reload_categories()

    def count_text(self, count: int) -> str:
        return QCoreApplication.translate("ProductsPage", "%Ln product(s) shown", "", count)

    def rows_shown(self, keep_view: bool) -> None:
        if not keep_view:
            self.reselect(self.editor.product_id)

    def _not_posted_days_changed(self) -> None:
        if self.not_posted.isChecked():
            self.run_search()

    def current_query(self) -> ProductQuery:
        return ProductQuery(
            text=self.search.text(),
            category=combos.value(self.category),
            status=combos.value(self.status),
            new_within_days=NEW_ARRIVAL_DAYS if self.new_only.isChecked() else None,
            not_posted_days=self.not_posted_days.value() if self.not_posted.isChecked() else None,
            include_archived=self.archived.isChecked(),
            sort=self.sort.key,
            descending=self.sort.descending,
        )

    def reload_categories(self) -> None:
        def apply(names: list[str]) -> None:
            current = combos.value(self.category)
            self.category.blockSignals(True)
            while self.category.count() > 1:
                self.category.removeItem(1)
            for name in names:
                self.category.addItem(name, name)
            self.category.setCurrentIndex(max(0, combos.find(self.category, current)))
            self.category.blockSignals(False)
            self.editor.set_categories(names)

        sessions = self._ctx.shop.sessions
        self.submit(lambda: uow.read(sessions, pl.categories), apply)

    def _sort_clicked(self, column: int) -> None:
        if self.sort.click(column):
            self.run_search()

    # -- selection and editing -----------------------------------------------------------------

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.bulk_bar.setVisible(len(ids) > 1)
        self.bulk_label.setText(self.bulk_selected_text(len(ids)))
        if len(ids) == 1 and ids[0] != self.editor.product_id:
            self.open_product(ids[0])

    def _confirm_discard(self) -> bool:
        if not self.editor.dirty:
            return True
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("ProductsPage", "Unsaved changes"),
            QCoreApplication.translate(
                "ProductsPage", "The product you were editing has unsaved changes. Discard them?"
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def open_product(self, product_id: int) -> None:
        if not self._confirm_discard():
            return
        sessions = self._ctx.shop.sessions
        self.submit(
            lambda: uow.read(sessions, lambda s: cat.get_product(s, product_id)),
            self.editor.show_product,
        )

    def today(self) -> date:
        return self._ctx.clock.now().astimezone(self._ctx.zone).date()

    def new_product(self) -> None:
        if not self._confirm_discard():
            return
        self.table.clearSelection()
        self.editor.show_new(self.today())
        self.editor.code.setFocus()

    def save_product(self, draft: ProductDraft) -> None:
        product_id, detail = self.editor.product_id, self.editor.detail
        base = self._conflict_base.get(product_id or 0) or (detail.draft if detail else None)

        def work(s: Any) -> int:
            if product_id is None:
                return cat.create_product(s, draft)
            cat.update_product(s, product_id, draft, base)
            return product_id

        def done(saved_id: int) -> None:
            self._conflict_base.pop(saved_id, None)
            self.editor.mark_saved()
            self.reload_categories()
            self._reopen(saved_id)
            if product_id is None:
                self.run_search()

        self._write(work, done, editor_errors=True)

    def _reopen(self, product_id: int) -> None:
        sessions = self._ctx.shop.sessions
        self.submit(
            lambda: uow.read(sessions, lambda s: cat.get_product(s, product_id)),
            self.editor.show_product,
        )

    def duplicate_current(self) -> None:
        product_id = self.editor.product_id
        if product_id is None or not self._confirm_discard():
            return
        suffix = QCoreApplication.translate("ProductsPage", "（copy）")

        def done(new_id: int) -> None:
            self._reopen(new_id)
            self.run_search()

        self._write(lambda s: cat.duplicate_product(s, product_id, suffix), done)

    def set_archived(self, ids: list[int], archived: bool) -> None:
        if not ids:
            return

        def done(_: int) -> None:
            if self.editor.product_id in ids:
                self._reopen(ids[0] if len(ids) == 1 else self.editor.product_id or ids[0])

        self._write(lambda s: cat.set_archived(s, ids, archived), done)

    def delete_products(self, ids: list[int]) -> None:
        ids = [i for i in ids if i]
        if not ids:
            return
        count = len(ids)
        answer = QMessageBox.warning(
            self,
            QCoreApplication.translate("ProductsPage", "Delete products"),
            QCoreApplication.translate(
                "ProductsPage",
                "Delete %Ln product(s) for good? Products that posts or orders refer to are "
                "kept; archive those instead.",
                "",
                count,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(outcome: cat.DeleteOutcome) -> None:
            if self.editor.product_id in outcome.deleted:
                self.editor.show_new(self.today())
            self.run_search()
            if outcome.refused:
                self._explain_refused(outcome)

        self._write(lambda s: cat.delete_products(s, ids), done)

    def _explain_refused(self, outcome: cat.DeleteOutcome) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(QCoreApplication.translate("ProductsPage", "Some products were kept"))
        count = len(outcome.deleted)
        box.setText(
            QCoreApplication.translate(
                "ProductsPage",
                "Deleted: %Ln. Kept because posts, orders or allocations refer to them: {kept}.",
                "",
                count,
            ).format(kept=QLocale().toString(len(outcome.refused)))
        )
        archive = box.addButton(
            QCoreApplication.translate("ProductsPage", "Archive those"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is archive:
            self.set_archived([product_id for product_id, _ in outcome.refused], True)

    # -- bulk actions --------------------------------------------------------------------------

    def bulk_add_tag(self) -> None:
        ids = self.selected_ids()
        count = len(ids)
        name, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("ProductsPage", "Add tag"),
            QCoreApplication.translate(
                "ProductsPage", "Tag for the %Ln selected product(s):", "", count
            ),
        )
        if ok and name.strip():
            self._write(lambda s: cat.add_tag(s, ids, name), lambda _: self._bulk_done(ids))

    def bulk_set_status(self, status: ProductStatus) -> None:
        ids = self.selected_ids()
        self._write(lambda s: cat.set_status(s, ids, status), lambda _: self._bulk_done(ids))

    def bulk_adjust_stock(self) -> None:
        ids = self.selected_ids()
        delta, ok = QInputDialog.getInt(
            self,
            QCoreApplication.translate("ProductsPage", "Adjust stock"),
            QCoreApplication.translate(
                "ProductsPage", "Add to the stock of each selected product (negative to remove):"
            ),
            0,
            -100_000,
            100_000,
        )
        if ok and delta:
            self._write(lambda s: cat.adjust_stock(s, ids, delta), lambda _: self._bulk_done(ids))

    def _bulk_done(self, ids: list[int]) -> None:
        # The write's change set re-reads the rows; the open product is re-read here.
        if self.editor.product_id in ids and not self.editor.dirty:
            self._reopen(self.editor.product_id or ids[0])

    # -- pictures, import, export --------------------------------------------------------------

    def add_images(self) -> None:
        files.add_images(self, self._ctx, self.editor)

    def export_for_moments(self, target: Path | None = None) -> None:
        files.export_for_moments(self, self._ctx, self.editor, target, self._exported)

    def _exported(self, paths: list[Path]) -> None:
        self.last_export = paths

    def import_products(self) -> None:
        from moments_desk.ui.products.import_dialog import ProductImportDialog

        dialog = ProductImportDialog(self._ctx, self)
        if dialog.start():
            dialog.exec()
            if dialog.imported:
                self.reload_categories()
                self.run_search()

    def export_products(self) -> None:
        files.export_products(self, self._ctx, self.selected_ids(), self.all_ids)

    def open_picture_tools(self) -> None:
        from moments_desk.ui.products.picture_tools import PictureToolsDialog

        PictureToolsDialog(self._ctx, self).exec()

    # -- plumbing ------------------------------------------------------------------------------

    def _write(
        self,
        work: Callable[[Any], Any],
        done: Callable[[Any], None],
        *,
        editor_errors: bool = False,
    ) -> None:
        def in_editor(error: BaseException) -> None:
            pid = self.editor.product_id
            if isinstance(error, cat.ProductConflictError) and pid:
                # Saving again keeps the seller's text over what the other computer saved.
                detail = self.editor.detail
                base = self._conflict_base.get(pid) or (detail.draft if detail else None)
                self._conflict_base[pid] = error.conflict.rebased(base)
            self.editor.show_error(tr_msg(error), getattr(error, "field", None))

        self.write(work, done, in_editor if editor_errors else None)
