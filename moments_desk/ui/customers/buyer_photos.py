"""The photos a buyer sent of what she bought (买家返图), in her details: how many, add more,
remove them. 买家秀 drafts show them only while she allows sharing."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from moments_desk.core.customers.buyer_show import add_photo_files, photo_ids, remove_photos
from moments_desk.core.pictures.media import ImageRejected, StoredImage, store_image
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import show_failure

Change = Callable[[Any, list[StoredImage]], int]


def _files_filter() -> str:
    pictures = QCoreApplication.translate("BuyerPhotos", "Pictures")
    return f"{pictures} (*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC)"


class BuyerPhotos(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self.customer_id: int | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel("")
        self.add = QPushButton(QCoreApplication.translate("BuyerPhotos", "Add photos…"))
        self.add.clicked.connect(self._choose)
        self.clear = QPushButton(QCoreApplication.translate("BuyerPhotos", "Remove photos"))
        self.clear.clicked.connect(self._remove)
        row.addWidget(self.count, 1)
        row.addWidget(self.add)
        row.addWidget(self.clear)
        self.set_customer(None)

    def bind(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self.set_customer(self.customer_id)

    def set_customer(self, customer_id: int | None) -> None:
        self.customer_id = customer_id
        self._show(0)
        self.add.setEnabled(customer_id is not None and self._ctx is not None)
        ctx = self._ctx
        if ctx is None or customer_id is None:
            return
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: len(photo_ids(s, customer_id))),
            partial(self._counted, customer_id),
            lambda _error: None,
        )

    def _counted(self, customer_id: int, count: int) -> None:
        # A bound method, so an answer for a card closed meanwhile is dropped (DbExecutor).
        if customer_id == self.customer_id:
            self._show(count)

    def _show(self, count: int) -> None:
        self.count.setText(
            QCoreApplication.translate("BuyerPhotos", "%n photo(s) she sent", "", count)
        )
        self.clear.setEnabled(count > 0)

    def _choose(self) -> None:
        ctx, customer_id = self._ctx, self.customer_id
        if ctx is None or customer_id is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("BuyerPhotos", "Photos she sent"),
            str(Path.home()),
            _files_filter(),
        )
        if files:
            self._write(lambda s, stored: add_photo_files(s, customer_id, stored), files)

    def _remove(self) -> None:
        ctx, customer_id = self._ctx, self.customer_id
        if ctx is not None and customer_id is not None:
            self._write(lambda s, _stored: remove_photos(s, customer_id), [])

    def _write(self, change: Change, files: list[str]) -> None:
        ctx, customer_id = self._ctx, self.customer_id
        if ctx is None:
            return
        media_root = ctx.shop.paths.media

        def work() -> list[str]:
            stored: list[StoredImage] = []
            problems: list[str] = []
            for name in files:
                try:
                    stored.append(store_image(Path(name), media_root))
                except ImageRejected as error:
                    problems.append(tr_msg(error))
            uow.write(ctx.shop.sessions, lambda s: change(s, stored))
            return problems

        def done(problems: list[str]) -> None:
            self.set_customer(customer_id)
            if problems:
                QMessageBox.information(self, self.add.text(), "\n".join(problems))

        def failed(error: BaseException) -> None:
            if isinstance(error, ValueError):
                QMessageBox.information(self, self.add.text(), tr_msg(error))
            else:
                show_failure(self, error)

        ctx.executor.submit(work, done, failed)
