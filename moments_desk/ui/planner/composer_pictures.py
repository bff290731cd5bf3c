"""The composer's products and pictures: linked products, up to nine pictures from the
products, from files or cut into a 九宫格."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMessageBox,
)

from moments_desk.core.catalogue.catalogue import ProductImageRef
from moments_desk.core.planning.composer_lookups import (
    LinkedProduct,
    StoredPictures,
    linked_products,
    store_pictures,
)
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.planner.composer_form import MAX_IMAGES, ComposerForm
from moments_desk.ui.planner.product_picker import ProductPicker
from moments_desk.ui.products.editor import image_files_filter


class ComposerPictures(QDialog):
    """The part of ``ComposerDialog`` that handles products and pictures."""

    _ctx: AppContext
    form: ComposerForm
    products: list[LinkedProduct]
    media: dict[int, ProductImageRef]

    def _failed(self, error: BaseException) -> None:
        """Shows a failure; the dialog says how (planning errors in its own words)."""
        raise NotImplementedError

    def pick_products(self) -> None:
        picker = ProductPicker(self._ctx, {p.id: p.label for p in self.products}, self)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return
        ids = list(picker.chosen)
        ctx = self._ctx

        def done(products: list[LinkedProduct]) -> None:
            self.products = products
            self.form.set_products({p.id: p.label for p in products})

        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: linked_products(s, ids)),
            done,
            self._failed,
        )

    def add_images(self, refs: list[ProductImageRef]) -> int:
        """Append pictures up to nine; returns how many did not fit."""
        left_out = 0
        for ref in refs:
            if ref.media_id in self.form.images.media_ids():
                continue
            if self.form.images.count() >= MAX_IMAGES:
                left_out += 1
                continue
            self.media[ref.media_id] = ref
            self.form.images.append(ref.media_id, ref.rel_path)
        if left_out:
            QMessageBox.information(
                self,
                self.windowTitle(),
                QCoreApplication.translate(
                    "Composer",
                    "A Moments post holds at most 9 pictures; %n picture(s) were not added.",
                    "",
                    left_out,
                ),
            )
        return left_out

    def add_product_pictures(self) -> None:
        if not self.products:
            QMessageBox.information(
                self,
                self.windowTitle(),
                QCoreApplication.translate("Composer", "Link a product first (Linked products)."),
            )
            return
        # Round robin, covers first, as auto-drafting does.
        pictures: list[ProductImageRef] = []
        depth = 0
        while any(len(p.pictures) > depth for p in self.products):
            pictures += [p.pictures[depth] for p in self.products if len(p.pictures) > depth]
            depth += 1
        self.add_images(pictures)

    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.form.from_files.text(), str(Path.home()), image_files_filter()
        )
        if files:
            self.add_file_paths([Path(f) for f in files])

    def add_file_paths(self, files: list[Path]) -> None:
        ctx = self._ctx
        media_root = ctx.shop.paths.media

        def done(stored: StoredPictures) -> None:
            self.add_images(stored.pictures)
            if stored.rejected:
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("Composer", "Some pictures were not added"),
                    "\n".join(tr_msg(r) for r in stored.rejected),
                )

        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: store_pictures(s, files, media_root)),
            done,
            self._failed,
        )

    def nine_grid(self) -> None:
        from moments_desk.ui.products.picture_tools import PictureToolsDialog

        dialog = PictureToolsDialog(self._ctx, self)
        selected = self.form.images.selectedItems() or [
            self.form.images.item(i) for i in range(min(self.form.images.count(), 1))
        ]
        media_root = self._ctx.shop.paths.media
        sources = [
            media_root.joinpath(*str(item.data(Qt.ItemDataRole.UserRole + 1)).split("/"))
            for item in selected
        ]
        if sources:
            dialog.set_sources(sources)
        dialog.exec()
        results = list(dialog._results)
        if not results:
            return
        exported = len(results)
        answer = QMessageBox.question(
            self,
            dialog.windowTitle(),
            QCoreApplication.translate(
                "Composer",
                "Use the %n exported picture(s) as this post's pictures?",
                "",
                exported,
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.form.images.set_images([])
            self.add_file_paths(results)
