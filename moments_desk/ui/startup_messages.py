"""What to tell the seller when the shop cannot be opened."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk.db.migrate import MigrationResult
from moments_desk.startup import StartupError, StartupProblem


def describe(error: StartupError) -> tuple[str, str]:
    """(title, message) for a start-up failure, in the UI language."""

    subject, detail = error.subject, error.detail
    match error.problem:
        case StartupProblem.DATA_DIR_MISSING_PARENT:
            return QCoreApplication.translate(
                "StartupError", "Data folder not found"
            ), QCoreApplication.translate(
                "StartupError",
                "The data folder {path} does not exist, and neither does the folder it should be "
                "in. If it is on an external disk, connect the disk and start again; otherwise "
                "check the --data-dir you gave.",
            ).format(path=subject)
        case StartupProblem.DATA_DIR_NOT_A_DIRECTORY:
            return QCoreApplication.translate(
                "StartupError", "Data folder is a file"
            ), QCoreApplication.translate(
                "StartupError",
                "{path} is a file, not a folder. Choose another data folder with --data-dir.",
            ).format(path=subject)
        case StartupProblem.DATA_DIR_NOT_WRITABLE:
            return QCoreApplication.translate(
                "StartupError", "Data folder is read-only"
            ), QCoreApplication.translate(
                "StartupError",
                "Moments Desk cannot write to {path} ({detail}). Check the folder's permissions "
                "or choose another data folder with --data-dir.",
            ).format(
                path=subject,
                detail=detail or QCoreApplication.translate("StartupError", "permission denied"),
            )
        case StartupProblem.ALREADY_RUNNING:
            return QCoreApplication.translate(
                "StartupError", "Already running"
            ), QCoreApplication.translate(
                "StartupError",
                "Moments Desk is already open with the data folder {path}. Switch to that "
                "window (it may be in the system tray) instead of starting it twice.",
            ).format(path=subject)
        case StartupProblem.DATABASE_CORRUPT:
            return QCoreApplication.translate(
                "StartupError", "Database is damaged"
            ), QCoreApplication.translate(
                "StartupError",
                "The database {path} cannot be read ({detail}). It has not been changed. Restore "
                "it from a backup in the backups folder, or ask for help before deleting it.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_TOO_NEW:
            return QCoreApplication.translate(
                "StartupError", "Database is from a newer version"
            ), QCoreApplication.translate(
                "StartupError",
                "The database {path} was last opened by a newer version of Moments Desk (data "
                "format {revision}). Install the newest version to open it; this version will "
                "not touch it.",
            ).format(path=subject, revision=detail)
        case StartupProblem.DATABASE_FOREIGN:
            return QCoreApplication.translate(
                "StartupError", "Not a Moments Desk database"
            ), QCoreApplication.translate(
                "StartupError",
                "The database {path} already holds other tables ({detail}) and was not made by "
                "Moments Desk. It has not been changed. Choose an empty database.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_UNREACHABLE:
            return QCoreApplication.translate(
                "StartupError", "Cannot reach the database"
            ), QCoreApplication.translate(
                "StartupError",
                "Could not connect to {path}: {detail}. Check that the server is running and "
                "the address, user name and password are right.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_URL_INVALID:
            return QCoreApplication.translate(
                "StartupError", "Database address not understood"
            ), QCoreApplication.translate(
                "StartupError",
                "{path} is not a database address Moments Desk can use. Write it like "
                "postgresql://user:password@host/database.",
            ).format(path=subject)


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
