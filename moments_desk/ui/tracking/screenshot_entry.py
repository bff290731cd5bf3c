"""Screenshots into the quick entry: Ctrl+V of a picture, chosen or dropped files.

The OCR runs on its own worker thread (never the database thread, never the GUI thread)
with a cancellable progress dialog; the worker builds ``QImage`` strips of where each name
was read, the GUI thread turns them into pixmaps for the confirmation list.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication, QMimeData, QObject, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLabel, QPlainTextEdit, QWidget

from moments_desk.core.screenshots.intents import OrderIntent
from moments_desk.core.screenshots.parse import Reading, Region
from moments_desk.core.screenshots.review import ScreenshotReview, review_reading
from moments_desk.core.shared import uow
from moments_desk.core.tracking.matching import PasteReview
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import progress_dialog, show_failure
from moments_desk.ui.kit.tasks import DbExecutor, ProgressBridge


class ReviewTarget(QWidget):
    """The 互动 entry that screenshots fill (ui/tracking/quick_entry.QuickEntry): its post,
    account, messages and the confirmation list. Declared here so reading needs no import
    of the entry, which imports this module."""

    post_id: int | None
    account: QComboBox
    error: QLabel
    note: QLabel

    def show_error(self, message: str) -> None:
        raise NotImplementedError

    def show_review(
        self,
        review: PasteReview,
        strips: list[QPixmap | None] | None = None,
        intents: tuple[OrderIntent | None, ...] = (),
    ) -> None:
        raise NotImplementedError


#: Height of a strip in the confirmation list, in pixels.
STRIP_HEIGHT = 34
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif", ".gif", ".bmp")


@dataclass(frozen=True)
class ReadScreenshots:
    reading: Reading
    #: the strip of the screenshot where each name was read, by region
    strips: dict[Region, QImage]


def strip_image(image: Image.Image, region: Region) -> QImage:
    """The region of a screenshot, scaled to ``STRIP_HEIGHT``, as a QImage (any thread)."""
    box = (
        max(0, region.left),
        max(0, region.top),
        min(image.width, region.right),
        min(image.height, region.bottom),
    )
    crop = image.crop(box).convert("RGB")
    height = max(1, crop.height)
    width = max(1, round(crop.width * STRIP_HEIGHT / height))
    crop = crop.resize((width, STRIP_HEIGHT), Image.Resampling.LANCZOS)
    data = crop.tobytes()
    return QImage(data, crop.width, crop.height, crop.width * 3, QImage.Format.Format_RGB888).copy()


def read_with_strips(
    paths: Sequence[Path], progress: Callable[[int, int], None], cancelled: Callable[[], bool]
) -> ReadScreenshots:
    """Worker side: check and read the files, then cut a strip for every name."""
    from moments_desk.core.screenshots.reading import (
        MAX_FILES,
        load_screenshot,
        read_images,
    )

    if len(paths) > MAX_FILES:
        from moments_desk.core.screenshots.reading import read_screenshots

        read_screenshots(paths)  # raises the sentence about too many files
    images = [load_screenshot(path) for path in paths]
    reading = read_images(images, progress, cancelled)
    strips: dict[Region, QImage] = {}
    regions = [like.region for like in reading.likes]
    regions += [comment.region for comment in reading.comments]
    for region in regions:
        if region is not None and region not in strips:
            strips[region] = strip_image(images[region.source], region)
    return ReadScreenshots(reading, strips)


class ScreenshotReader(QObject):
    """Reads screenshots off the GUI thread; one reading at a time."""

    read = Signal(object)  # ReadScreenshots
    failed = Signal(object)  # BaseException
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        # Its own thread: a reading takes seconds and must not hold up database work.
        self._worker = DbExecutor(self)
        self._busy = False
        self._temp: Path | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self._parent,
            QCoreApplication.translate("ScreenshotReader", "Screenshots of the post"),
            "",
            QCoreApplication.translate("ScreenshotReader", "Pictures")
            + " (*.png *.jpg *.jpeg *.webp *.heic *.heif *.gif)",
        )
        if files:
            self.read_files([Path(f) for f in files])

    def read_image(self, image: QImage) -> None:
        """A pasted picture (WeChat for PC's Alt+A): saved to a private temporary file."""
        self._temp = Path(tempfile.mkdtemp(prefix="moments-desk-shot-"))
        path = self._temp / "pasted.png"
        image.save(str(path))  # PNG by its suffix; the file lives only while it is read
        self.read_files([path])

    def read_files(self, paths: Sequence[Path]) -> None:
        """Read these screenshots of one post, in this order (the relay's uploads too)."""
        if self._busy or not paths:
            return
        self._busy = True
        total = len(paths)
        dialog, bridge = progress_dialog(
            self._parent,
            QCoreApplication.translate(
                "ScreenshotReader", "Reading %n screenshot(s) on this computer…", "", total
            ),
        )
        dialog.setMaximum(total)
        self._bridge: ProgressBridge = bridge

        def done(result: ReadScreenshots) -> None:
            dialog.close()
            self._finish()
            self.read.emit(result)

        def failed(error: BaseException) -> None:
            dialog.close()
            self._finish()
            from moments_desk.core.screenshots.reading import ReadingCancelled

            if isinstance(error, ReadingCancelled):
                self.cancelled.emit()
            else:
                self.failed.emit(error)

        chosen = list(paths)
        self._worker.submit(
            lambda: read_with_strips(chosen, bridge.report, bridge.cancelled), done, failed
        )

    def _finish(self) -> None:
        self._busy = False
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def wait(self, timeout_ms: int = 60_000) -> bool:
        return self._worker.wait(timeout_ms)


def picture_paths(mime: QMimeData) -> list[Path]:
    """Local picture files in dragged or pasted data, in their order."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(PICTURE_SUFFIXES)
    ]


class PasteBox(QPlainTextEdit):
    """The paste box: text as before; a picture or picture files go to the reader."""

    picture_pasted = Signal(QImage)
    files_pasted = Signal(list)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            source.hasImage()
            or bool(picture_paths(source))
            or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = picture_paths(source)
        if files:
            self.files_pasted.emit(files)
        elif source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.picture_pasted.emit(image)
        else:
            super().insertFromMimeData(source)


class ScreenshotIntake(QObject):
    """The quick entry's screenshot side: read, then match like a paste, then show."""

    def __init__(self, entry: ReviewTarget, ctx: AppContext) -> None:
        super().__init__(entry)
        self._entry = entry
        self._ctx = ctx
        self.reader = ScreenshotReader(entry)
        self.reader.read.connect(self._read)
        self.reader.failed.connect(self._failed)

    def _ready(self) -> bool:
        entry = self._entry
        if entry.post_id is None or combos.value(entry.account) is None:
            entry.show_error(
                QCoreApplication.translate("QuickEntry", "Choose a posted post first.")
            )
            return False
        entry.error.hide()
        return True

    def read_screenshots(self, paths: list[Path]) -> None:
        """Read screenshots of the chosen post (files chosen, dropped, or from the relay)."""
        if self._ready():
            self.reader.read_files(paths)

    def read_picture(self, image: QImage) -> None:
        if self._ready():
            self.reader.read_image(image)

    def paste_from_clipboard(self) -> bool:
        """Ctrl+V on the page: a picture (or picture files) on the clipboard is read."""
        mime = QApplication.clipboard().mimeData()
        files = picture_paths(mime)
        if files:
            self.read_screenshots(files)
            return True
        if mime.hasImage():
            image = mime.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.read_picture(image)
                return True
        return False

    def _read(self, result: ReadScreenshots) -> None:
        entry = self._entry
        account_id = combos.value(entry.account)
        reading = result.reading
        if account_id is None:
            return
        if not reading.likes and not reading.comments:
            entry.show_error(
                QCoreApplication.translate(
                    "QuickEntry",
                    "No likes or comments were found on the screenshot. Take it with the "
                    "likes and comments under the post in view.",
                )
            )
            return

        def done(review: ScreenshotReview) -> None:
            strips = [
                QPixmap.fromImage(result.strips[region]) if region in result.strips else None
                for region in review.regions
            ]
            entry.show_review(review.review, strips, review.intents)
            replies = review.seller_replies
            if replies:
                left_out = QCoreApplication.translate(
                    "QuickEntry", "%n reply(ies) by you left out", "", replies
                )
                entry.note.setText(f"{entry.note.text()} · {left_out}")

        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions, lambda s: review_reading(s, account_id, reading)
            ),
            done,
            lambda error: show_failure(entry, error),
        )

    def _failed(self, error: BaseException) -> None:
        from moments_desk.core.pictures.media import ImageRejected

        # A refused picture or too many files: the sentence names the file and says why.
        if isinstance(error, ImageRejected | ValueError):
            self._entry.show_error(tr_msg(error))
        else:
            show_failure(self._entry, error)
