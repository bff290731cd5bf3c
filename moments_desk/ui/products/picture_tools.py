"""九宫格 tools: cut one picture into nine squares, or compose up to nine into one collage."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.pictures.export_settings import load_export_settings
from moments_desk.core.pictures.image_export import ExportSettings, compose_collage, split_nine_grid
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.products.editor import image_files_filter

TILE = 150


class PictureToolsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sources: list[Path] = []
        self._preview_dir = Path(tempfile.mkdtemp(prefix="moments-desk-preview-"))
        self._results: list[Path] = []
        self._saved = ExportSettings()
        self.setWindowTitle(QCoreApplication.translate("PictureTools", "Nine-grid and collage"))
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        modes = QHBoxLayout()
        self.split_mode = QRadioButton(
            QCoreApplication.translate("PictureTools", "Cut one picture into 9 squares (九宫格)")
        )
        self.collage_mode = QRadioButton(
            QCoreApplication.translate("PictureTools", "Combine up to 9 pictures into one")
        )
        self.split_mode.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.split_mode)
        group.addButton(self.collage_mode)
        group.buttonToggled.connect(lambda *_: self._clear())
        modes.addWidget(self.split_mode)
        modes.addWidget(self.collage_mode)
        layout.addLayout(modes)

        pick_row = QHBoxLayout()
        self.pick = QPushButton(QCoreApplication.translate("PictureTools", "Choose pictures…"))
        self.pick.clicked.connect(self.choose)
        self.chosen = QLabel(QCoreApplication.translate("PictureTools", "No picture chosen"))
        self.chosen.setObjectName("muted")
        pick_row.addWidget(self.pick)
        pick_row.addWidget(self.chosen, 1)
        layout.addLayout(pick_row)

        crop_row = QHBoxLayout()
        self.crop_label = QLabel(QCoreApplication.translate("PictureTools", "Square from"))
        self.crop = QComboBox()
        for key, text in (
            ("top", QCoreApplication.translate("PictureTools", "the top")),
            ("centre", QCoreApplication.translate("PictureTools", "the middle")),
            ("bottom", QCoreApplication.translate("PictureTools", "the bottom")),
            ("whole", QCoreApplication.translate("PictureTools", "the whole picture, on white")),
        ):
            self.crop.addItem(text, key)
        self.crop.setCurrentIndex(1)
        self.crop.setToolTip(
            QCoreApplication.translate(
                "PictureTools",
                "A phone photo is taller than wide: choose which part becomes the nine squares.",
            )
        )
        self.crop.currentIndexChanged.connect(lambda _: self.render_preview())
        crop_row.addWidget(self.crop_label)
        crop_row.addWidget(self.crop)
        crop_row.addStretch(1)
        layout.addLayout(crop_row)
        group.buttonToggled.connect(lambda *_: self._show_crop())

        watermark_row = QHBoxLayout()
        watermark_row.addWidget(QLabel(QCoreApplication.translate("PictureTools", "Watermark")))
        self.watermark = QLineEdit()
        self.watermark.setPlaceholderText(
            QCoreApplication.translate("PictureTools", "optional, e.g. your shop name or WeChat ID")
        )
        self.watermark.editingFinished.connect(self.render_preview)
        watermark_row.addWidget(self.watermark, 1)
        layout.addLayout(watermark_row)

        self.preview = QWidget()
        self.grid = QGridLayout(self.preview)
        self.grid.setSpacing(4)
        self.tiles: list[QLabel] = []
        for i in range(9):
            tile = QLabel()
            tile.setFixedSize(TILE, TILE)
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tile.setStyleSheet("background: #F3F4F6;")
            self.grid.addWidget(tile, i // 3, i % 3)
            self.tiles.append(tile)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hint = QLabel(
            QCoreApplication.translate(
                "PictureTools",
                "This is how the post looks in Moments. Export saves the pictures numbered in "
                "posting order.",
            )
        )
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton(
            QCoreApplication.translate("PictureTools", "Export…"),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, load_export_settings), self._use_saved, self._failed
        )

    def _show_crop(self) -> None:
        for widget in (self.crop_label, self.crop):
            widget.setVisible(self.split_mode.isChecked())

    def crop_choice(self) -> str:
        return str(self.crop.currentData())

    def _use_saved(self, saved: ExportSettings) -> None:
        self._saved = saved
        if not self.watermark.text():
            self.watermark.setText(saved.watermark_text)

    def _clear(self) -> None:
        self._sources = []
        self._results = []
        self.chosen.setText(QCoreApplication.translate("PictureTools", "No picture chosen"))
        for tile in self.tiles:
            tile.clear()
            tile.show()
        self.export_button.setEnabled(False)

    def settings(self) -> ExportSettings:
        return replace(self._saved, watermark_text=self.watermark.text().strip())

    def choose(self) -> None:
        if self.split_mode.isChecked():
            name, _ = QFileDialog.getOpenFileName(
                self, self.pick.text(), str(Path.home()), image_files_filter()
            )
            files = [name] if name else []
        else:
            files, _ = QFileDialog.getOpenFileNames(
                self, self.pick.text(), str(Path.home()), image_files_filter()
            )
        if files:
            self.set_sources([Path(f) for f in files])

    def set_sources(self, sources: list[Path]) -> None:
        if self.collage_mode.isChecked() and len(sources) > 9:
            QMessageBox.information(
                self,
                self.windowTitle(),
                QCoreApplication.translate(
                    "PictureTools", "A collage holds at most 9 pictures; the first 9 are used."
                ),
            )
            sources = sources[:9]
        self._sources = sources
        self.chosen.setText("、".join(p.name for p in sources))
        self.render_preview()

    def render_preview(self) -> None:
        if not self._sources:
            return
        sources, settings, folder = list(self._sources), self.settings(), self._preview_dir
        split, crop = self.split_mode.isChecked(), self.crop_choice()
        stamp = datetime.now().strftime("%H%M%S%f")

        def work() -> list[QImage]:
            if split:
                paths = split_nine_grid(
                    sources[0], folder, settings, stem=f"preview-{stamp}", crop=crop
                )
            else:
                target = folder / f"collage-{stamp}.jpg"
                compose_collage(sources, target, settings)
                paths = [target]
            return [QImage(str(p)) for p in paths]

        self._ctx.executor.submit(work, self._show, self._failed)

    def _show(self, images: list[QImage]) -> None:
        self._results = []
        for i, tile in enumerate(self.tiles):
            if len(images) == 1:
                # A single collage spans the whole preview, as WeChat shows one big picture.
                tile.setVisible(i == 0)
            else:
                tile.setVisible(True)
            tile.clear()
        if len(images) == 1:
            self.grid.addWidget(self.tiles[0], 0, 0, 3, 3)
            self.tiles[0].setFixedSize(TILE * 3 + 8, TILE * 3 + 8)
        else:
            self.grid.addWidget(self.tiles[0], 0, 0, 1, 1)
            self.tiles[0].setFixedSize(TILE, TILE)
        for tile, image in zip(self.tiles, images, strict=False):
            tile.setPixmap(
                QPixmap.fromImage(image).scaled(
                    tile.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.export_button.setEnabled(bool(images))

    def export(self) -> None:
        base = self._ctx.shop.paths.exports
        base.mkdir(parents=True, exist_ok=True)
        folder = QFileDialog.getExistingDirectory(self, self.export_button.text(), str(base))
        if not folder:
            return
        sources, settings = list(self._sources), self.settings()
        split, crop = self.split_mode.isChecked(), self.crop_choice()
        target = Path(folder)

        def work() -> list[Path]:
            if split:
                return split_nine_grid(
                    sources[0], target, settings, stem=sources[0].stem, crop=crop
                )
            out = target / f"{sources[0].stem}-collage.jpg"
            compose_collage(sources, out, settings)
            return [out]

        def done(paths: list[Path]) -> None:
            self._results = paths
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

        self._ctx.executor.submit(work, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(
            self,
            QCoreApplication.translate("PictureTools", "Could not prepare the pictures"),
            tr_msg(error),
        )
