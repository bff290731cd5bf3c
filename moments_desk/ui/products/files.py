"""The Products page's files: pictures added to the open product, its pictures exported for
posting by hand, and the product list exported to Excel or CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from moments_desk.core.pictures.export_settings import load_export_settings
from moments_desk.core.pictures.image_export import export_pictures
from moments_desk.core.pictures.media import StoredImage, media_file_path, register_media
from moments_desk.core.shared import uow
from moments_desk.core.shared.money import format_price
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.products.editor import ProductEditor, image_files_filter


def _register(session: Any, stored: StoredImage) -> int:
    return register_media(session, stored).id


def add_images(parent: QWidget, ctx: AppContext, editor: ProductEditor) -> None:
    """Pictures chosen by the seller, stored once by content and added to the editor."""
    from moments_desk.core.pictures.media import ImageRejected, store_image

    files, _ = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("ProductsPage", "Add pictures"),
        str(Path.home()),
        image_files_filter(),
    )
    if not files:
        return
    media_root = ctx.shop.paths.media
    sessions = ctx.shop.sessions

    def work() -> tuple[list[tuple[int, str]], list[str]]:
        added: list[tuple[int, str]] = []
        problems: list[str] = []
        for name in files:
            try:
                stored = store_image(Path(name), media_root)
            except ImageRejected as error:
                problems.append(tr_msg(error))
                continue
            media_id = uow.write(sessions, partial(_register, stored=stored))
            added.append((media_id, stored.rel_path))
            problems.extend(f"{Path(name).name}: {tr_msg(note)}" for note in stored.notes)
        return added, problems

    def done(result: tuple[list[tuple[int, str]], list[str]]) -> None:
        added, problems = result
        skipped = [rel for media_id, rel in added if not editor.add_image(media_id, rel)]
        if skipped:
            count = len(skipped)
            problems.append(
                QCoreApplication.translate(
                    "ProductsPage", "Only 9 pictures fit in a post; %Ln were not added.", "", count
                )
            )
        if problems:
            QMessageBox.information(
                parent,
                QCoreApplication.translate("ProductsPage", "About these pictures"),
                "\n".join(problems),
            )

    ctx.executor.submit(work, done, partial(show_failure, parent))


def export_for_moments(
    parent: QWidget,
    ctx: AppContext,
    editor: ProductEditor,
    target: Path | None,
    exported: Callable[[list[Path]], None],
) -> None:
    """The open product's pictures, numbered in posting order, ready to post by hand."""
    detail = editor.detail
    if detail is None or not detail.images:
        return
    if target is None:
        base = ctx.shop.paths.exports
        base.mkdir(parents=True, exist_ok=True)
        chosen = QFileDialog.getExistingDirectory(parent, editor.export.text(), str(base))
        if not chosen:
            return
        target = Path(chosen)
    shop = ctx.shop
    sources = [media_file_path(shop.paths.media, image.rel_path) for image in detail.images]
    price = format_price(detail.draft.price)
    stem = detail.draft.code
    folder = target

    def work() -> list[Path]:
        settings = uow.read(shop.sessions, load_export_settings)
        if settings.show_price:
            settings = replace(settings, price_tag=price)
        return export_pictures(sources, folder, settings, stem)

    def done(paths: list[Path]) -> None:
        exported(paths)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    ctx.executor.submit(work, done, partial(show_failure, parent))


def export_products(
    parent: QWidget,
    ctx: AppContext,
    chosen: list[int],
    every_match: Callable[[Callable[[list[int]], None]], None],
) -> None:
    """The selected products (two or more), else every product the search matches."""
    from moments_desk.core.catalogue.product_export import export_products as write_products

    target, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ProductsPage", "Export products"),
        str(ctx.shop.paths.exports / "products.xlsx"),
        "Excel (*.xlsx);;CSV (*.csv)",
    )
    if not target:
        return
    ctx.shop.paths.exports.mkdir(exist_ok=True)
    sessions = ctx.shop.sessions

    def done(count: int) -> None:
        QMessageBox.information(
            parent,
            QCoreApplication.translate("ProductsPage", "Export finished"),
            QCoreApplication.translate(
                "ProductsPage", "%Ln product(s) written to {file}.", "", count
            ).format(file=target),
        )

    def write(ids: list[int]) -> None:
        ctx.executor.submit(
            lambda: uow.read(sessions, lambda s: write_products(s, Path(target), product_ids=ids)),
            done,
            partial(show_failure, parent),
        )

    if len(chosen) > 1:
        write(chosen)
    else:
        every_match(write)  # not only the rows scrolled to
