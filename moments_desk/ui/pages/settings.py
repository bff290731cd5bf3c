"""Settings: language and where the shop's data lives."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from moments_desk import __version__
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.widgets import page_header
from moments_desk.ui.pages.accounts import AccountsCard
from moments_desk.ui.pages.backup_settings import BackupCard
from moments_desk.ui.pages.export_settings import ExportSettingsCard
from moments_desk.ui.pages.order_settings import OrderSettingsCard
from moments_desk.ui.pages.stage_settings import StageSettingsCard
from moments_desk.ui.users.card import TeamCard


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        shop = ctx.shop
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("page")
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 26, 32, 26)
        layout.setSpacing(18)
        header, _ = page_header(
            QCoreApplication.translate("SettingsPage", "Settings"),
            QCoreApplication.translate(
                "SettingsPage", "Preferences for this computer and where your shop's data lives."
            ),
        )
        layout.addWidget(header)

        language_box = QFrame()
        language_box.setObjectName("card")
        language_form = QFormLayout(language_box)
        language_form.setContentsMargins(18, 16, 18, 16)
        self.language = QComboBox()
        combos.add_item(
            self.language, QCoreApplication.translate("SettingsPage", "Follow the system"), None
        )
        # Each language is named in itself so a seller can always find her own.
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setMinimumWidth(240)
        self.language.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.language.setCurrentIndex(max(0, combos.find(self.language, shop.prefs.language)))
        self.language.currentIndexChanged.connect(self._language_changed)
        language_form.addRow(QCoreApplication.translate("SettingsPage", "Language"), self.language)
        self.language_note = QLabel("")
        self.language_note.setObjectName("cardHint")
        self.language_note.hide()
        language_form.addRow("", self.language_note)
        layout.addWidget(language_box)

        self.accounts = AccountsCard(ctx)
        layout.addWidget(self.accounts)
        self.export = ExportSettingsCard(ctx)
        layout.addWidget(self.export)
        self.orders = OrderSettingsCard(ctx)
        layout.addWidget(self.orders)
        self.stages = StageSettingsCard(ctx)
        layout.addWidget(self.stages)
        self.team = TeamCard(ctx)
        layout.addWidget(self.team)

        data_box = QFrame()
        data_box.setObjectName("card")
        data_form = QFormLayout(data_box)
        data_form.setContentsMargins(18, 16, 18, 16)
        folder_row = QHBoxLayout()
        folder_row.addWidget(_selectable(str(shop.paths.data_dir)), 1)
        open_folder = QPushButton(QCoreApplication.translate("SettingsPage", "Open folder"))
        open_folder.clicked.connect(self._open_data_dir)
        folder_row.addWidget(open_folder)
        data_form.addRow(QCoreApplication.translate("SettingsPage", "Data folder"), folder_row)
        database = (
            QCoreApplication.translate("SettingsPage", "SQLite file in the data folder")
            if shop.is_sqlite
            else shop.database_display
        )
        data_form.addRow(
            QCoreApplication.translate("SettingsPage", "Database"), _selectable(database)
        )
        data_form.addRow(
            QCoreApplication.translate("SettingsPage", "Backups"),
            _selectable(str(shop.paths.backups)),
        )
        data_form.addRow(
            QCoreApplication.translate("SettingsPage", "Version"),
            _selectable(
                QCoreApplication.translate(
                    "SettingsPage", "{version} (data format {schema})"
                ).format(version=__version__, schema=shop.migration.to_revision)
            ),
        )
        layout.addWidget(data_box)
        self.backup = BackupCard(ctx)
        layout.addWidget(self.backup)
        layout.addStretch(1)

    def _language_changed(self) -> None:
        prefs = self._ctx.shop.prefs
        prefs.language = combos.value(self.language)
        prefs.save(self._ctx.shop.paths.prefs_file)
        self.language_note.show()
        self.language_note.setText(
            QCoreApplication.translate(
                "SettingsPage", "Saved. The new language is used the next time the app starts."
            )
        )

    def _open_data_dir(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._ctx.shop.paths.data_dir)))
