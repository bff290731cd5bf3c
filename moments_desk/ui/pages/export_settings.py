"""The "pictures for Moments" card in Settings: size, quality, watermark, price tag."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.pictures.export_settings import load_export_settings, save_export_settings
from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import run_write, show_failure


def position_names() -> list[tuple[str, str]]:
    return [
        ("bottom_right", QCoreApplication.translate("ExportSettings", "Bottom right")),
        ("bottom_left", QCoreApplication.translate("ExportSettings", "Bottom left")),
        ("top_right", QCoreApplication.translate("ExportSettings", "Top right")),
        ("top_left", QCoreApplication.translate("ExportSettings", "Top left")),
        ("center", QCoreApplication.translate("ExportSettings", "Centre")),
    ]


class ExportSettingsCard(QFrame):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        self._loading = True
        self.settings = ExportSettings()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("ExportSettings", "Pictures for Moments"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        form = QFormLayout()
        self.long_side = QComboBox()
        self.long_side.addItem(
            QCoreApplication.translate("ExportSettings", "1080 px (WeChat's usual size)"), 1080
        )
        self.long_side.addItem(
            QCoreApplication.translate("ExportSettings", "2048 px (sharper, larger files)"), 2048
        )
        self.quality = QSpinBox()
        self.quality.setRange(50, 100)
        self.watermark = QLineEdit()
        self.watermark.setPlaceholderText(
            QCoreApplication.translate("ExportSettings", "e.g. shop name or WeChat ID; empty: none")
        )
        self.position = QComboBox()
        for key, name in position_names():
            combos.add_item(self.position, name, key)
        self.opacity = QSpinBox()
        self.opacity.setRange(10, 100)
        self.opacity.setSuffix(" %")
        self.show_price = QCheckBox(
            QCoreApplication.translate("ExportSettings", "Put the product's price on its pictures")
        )
        form.addRow(QCoreApplication.translate("ExportSettings", "Long side"), self.long_side)
        form.addRow(QCoreApplication.translate("ExportSettings", "JPEG quality"), self.quality)
        form.addRow(QCoreApplication.translate("ExportSettings", "Watermark"), self.watermark)
        form.addRow(QCoreApplication.translate("ExportSettings", "Position"), self.position)
        form.addRow(QCoreApplication.translate("ExportSettings", "Opacity"), self.opacity)
        form.addRow("", self.show_price)
        layout.addLayout(form)
        for signal in (
            self.long_side.currentIndexChanged,
            self.quality.valueChanged,
            self.position.currentIndexChanged,
            self.opacity.valueChanged,
            self.show_price.toggled,
        ):
            signal.connect(self._changed)
        self.watermark.editingFinished.connect(self._changed)
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, load_export_settings),
            self._show,
            lambda error: show_failure(self, error),
        )

    def _show(self, settings: ExportSettings) -> None:
        self._loading = True
        self.settings = settings
        self.long_side.setCurrentIndex(combos.find(self.long_side, settings.long_side))
        self.quality.setValue(settings.jpeg_quality)
        self.watermark.setText(settings.watermark_text)
        self.position.setCurrentIndex(combos.find(self.position, settings.watermark_position))
        self.opacity.setValue(round(settings.watermark_opacity * 100))
        self.show_price.setChecked(settings.show_price)
        self._loading = False

    def current(self) -> ExportSettings:
        return replace(
            self.settings,
            long_side=combos.value(self.long_side),
            jpeg_quality=self.quality.value(),
            watermark_text=self.watermark.text().strip(),
            watermark_position=combos.value(self.position),
            watermark_opacity=self.opacity.value() / 100,
            show_price=self.show_price.isChecked(),
        )

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        settings = self.current()
        self.settings = settings
        run_write(
            self._ctx,
            self,
            lambda s: save_export_settings(s, settings),
            lambda _: self.saved.emit(),
            lambda _error: False,
        )
