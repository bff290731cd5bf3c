"""The questions asked before a restore and when the database is found damaged."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk.core.safety.backup import Manifest


def when(manifest: Manifest) -> str:
    return manifest.created_at.astimezone().strftime("%Y-%m-%d %H:%M")


def contents(manifest: Manifest) -> str:
    """One line per kind of record, e.g. "Customers: 1,204"."""
    counts = manifest.counts
    lines = [
        (QCoreApplication.translate("BackupDialogs", "Customers"), counts.get("customer", 0)),
        (QCoreApplication.translate("BackupDialogs", "Products"), counts.get("product", 0)),
        (QCoreApplication.translate("BackupDialogs", "Orders"), counts.get("sales_order", 0)),
        (QCoreApplication.translate("BackupDialogs", "Posts"), counts.get("post", 0)),
        (
            QCoreApplication.translate("BackupDialogs", "Likes, comments and chats"),
            counts.get("interaction", 0),
        ),
        (QCoreApplication.translate("BackupDialogs", "Pictures"), counts.get("media_file", 0)),
    ]
    line = QCoreApplication.translate("BackupDialogs", "{name}: {value}")
    return "\n".join(line.format(name=name, value=f"{value:,}") for name, value in lines)


def restore_question(parent: QWidget | None, manifest: Manifest, source: str) -> QMessageBox:
    """The confirmation shown before a restore; built separately so tests can look at it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("BackupDialogs", "Restore this backup?"))
    box.setText(
        QCoreApplication.translate("BackupDialogs", "Restore the backup made on {date}?").format(
            date=when(manifest)
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "BackupDialogs",
            "{source}\nMade by Moments Desk {version} (data format {schema}). It holds:\n\n"
            "{contents}\n\nEverything in the shop now is replaced by it. A copy of the shop as "
            "it is now is saved in the backups folder first.",
        ).format(
            source=source,
            version=manifest.app_version,
            schema=manifest.schema_revision or "?",
            contents=contents(manifest),
        )
    )
    restore = box.addButton(
        QCoreApplication.translate("BackupDialogs", "Replace with this backup"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    restore.setObjectName("restoreButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    return box


def confirm_restore(parent: QWidget | None, manifest: Manifest, source: str) -> bool:
    box = restore_question(parent, manifest, source)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and clicked.objectName() == "restoreButton"


def damaged_question(detail: str, database: str, manifest: Manifest | None) -> QMessageBox:
    """Start-up found the database damaged: offer the newest good backup instead."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("BackupDialogs", "Database is damaged"))
    box.setText(
        QCoreApplication.translate(
            "BackupDialogs", "The shop's database failed its check and was not opened."
        )
    )
    if manifest is None:
        box.setInformativeText(
            QCoreApplication.translate(
                "BackupDialogs",
                "{database}\nWhat the check found: {detail}\n\n"
                "No good backup was found in the backups folder. The file has not been "
                "changed; ask for help before deleting it.",
            ).format(database=database, detail=detail)
        )
        box.addButton(QMessageBox.StandardButton.Close)
        return box
    box.setInformativeText(
        QCoreApplication.translate(
            "BackupDialogs",
            "{database}\nWhat the check found: {detail}\n\n"
            "The newest good backup was made on {date}:\n\n{contents}\n\n"
            "Restore it? Changes made after {date} are lost; the damaged file is kept in the "
            "backups folder.",
        ).format(database=database, detail=detail, date=when(manifest), contents=contents(manifest))
    )
    restore = box.addButton(
        QCoreApplication.translate("BackupDialogs", "Restore the backup"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    restore.setObjectName("restoreButton")
    box.addButton(
        QCoreApplication.translate("BackupDialogs", "Quit"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(restore)
    return box
