"""The About box: version, data folder and the promise never to automate WeChat."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk import __version__
from moments_desk.resources import icon_path
from moments_desk.startup import Shop


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def support_text(shop: Shop) -> str:
    """What to paste when asking for help: versions and where things are (no passwords)."""
    return "\n".join(
        (
            f"Moments Desk {__version__} (data format {shop.migration.to_revision})",
            f"Python {platform.python_version()}, PySide6 {pyside_version}",
            f"System: {platform.platform()}",
            f"Data folder: {shop.paths.data_dir}",
            f"Database: {shop.database_display}",
        )
    )


class AboutDialog(QDialog):
    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(QCoreApplication.translate("About", "About Moments Desk"))
        self.setMinimumWidth(560)
        self._shop = shop
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 14)
        layout.setSpacing(12)

        top = QHBoxLayout()
        top.setSpacing(16)
        logo = QLabel()
        logo.setPixmap(QIcon(str(icon_path())).pixmap(QSize(72, 72)))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(logo)
        names = QVBoxLayout()
        names.setSpacing(2)
        title = QLabel(QCoreApplication.translate("About", "Moments Desk · 朋友圈卖货台"))
        title.setObjectName("pageTitle")
        self.version = QLabel(
            QCoreApplication.translate("About", "Version {version} · data format {schema}").format(
                version=__version__, schema=shop.migration.to_revision
            )
        )
        self.version.setObjectName("pageSubtitle")
        tagline = QLabel(
            QCoreApplication.translate(
                "About", "Plan, prepare and track WeChat Moments selling for small shops."
            )
        )
        tagline.setWordWrap(True)
        names.addWidget(title)
        names.addWidget(self.version)
        names.addWidget(tagline)
        top.addLayout(names, 1)
        layout.addLayout(top)

        promise = QLabel(
            QCoreApplication.translate(
                "About",
                "Moments Desk never controls WeChat: it prepares each post and you publish it "
                "from your phone, so your account stays safe.",
            )
        )
        promise.setObjectName("muted")
        promise.setWordWrap(True)
        layout.addWidget(promise)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        folder_row = QHBoxLayout()
        self.folder = _selectable(str(shop.paths.data_dir))
        folder_row.addWidget(self.folder, 1)
        open_folder = QPushButton(QCoreApplication.translate("About", "Open folder"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(shop.paths.data_dir)))
        )
        folder_row.addWidget(open_folder)
        form.addRow(QCoreApplication.translate("About", "Data folder"), folder_row)
        form.addRow(
            QCoreApplication.translate("About", "Backups"), _selectable(str(shop.paths.backups))
        )
        form.addRow(
            QCoreApplication.translate("About", "Database"),
            _selectable(
                QCoreApplication.translate("About", "SQLite file in the data folder")
                if shop.is_sqlite
                else shop.database_display
            ),
        )
        form.addRow(
            QCoreApplication.translate("About", "Built with"),
            _selectable(f"Python {platform.python_version()} · Qt/PySide6 {pyside_version}"),
        )
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(QCoreApplication.translate("About", "Copy details"))
        self.copy_button.setToolTip(
            QCoreApplication.translate(
                "About", "Versions and folders, to paste into a message when asking for help."
            )
        )
        self.copy_button.clicked.connect(self._copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(support_text(self._shop))
        self.copy_button.setText(QCoreApplication.translate("About", "Copied"))


def show_about(parent: QWidget, shop: Shop) -> AboutDialog:
    dialog = AboutDialog(shop, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
