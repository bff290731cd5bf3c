"""What to tell the seller when the shop cannot be opened."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk.db.migrate import MigrationResult
from moments_desk.startup import StartupError
from moments_desk.startup_errors import startup_sentences
from moments_desk.ui.i18n import tr_msg


def describe(error: StartupError) -> tuple[str, str]:
    """(title, message) for a start-up failure, in the UI language."""
    title, message = startup_sentences(error)
    return tr_msg(title), tr_msg(message)


def upgrade_notice(parent: QWidget, migration: MigrationResult) -> QMessageBox:
    """Tells the seller her data was upgraded, and where the copy of the old data is."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("App", "Shop data updated"),
        QCoreApplication.translate(
            "App",
            "Your data was updated to work with this version of Moments Desk. A copy of the "
            "old data was saved first: {backup}",
        ).format(backup=migration.backup_path or "-"),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("upgradeNotice")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box
