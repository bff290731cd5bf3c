"""What the Customers page asks and tells: unsaved changes, no WeChat account yet, and
around a customer's privacy rights (PIPL) her data exported, her record deleted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget


def show_exported(parent: QWidget, files: list[Path], folder: Path) -> None:
    QMessageBox.information(
        parent,
        QCoreApplication.translate("CustomersPage", "Data exported"),
        QCoreApplication.translate(
            "CustomersPage", "Everything stored about her is in:\n{files}"
        ).format(files="\n".join(str(f) for f in files)),
    )
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def confirm_forget(parent: QWidget, name: str) -> bool | None:
    """None when the seller cancels; else whether her orders stay as anonymous sales."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("CustomersPage", "Delete customer"))
    box.setText(
        QCoreApplication.translate(
            "CustomersPage",
            "Delete {name} and everything that names her (likes, comments, notes, "
            "addresses)? This cannot be undone.",
        ).format(name=name)
    )
    keep = QCheckBox(
        QCoreApplication.translate(
            "CustomersPage",
            "Keep her orders as anonymous sales so revenue reports still add up",
        )
    )
    keep.setChecked(True)
    box.setCheckBox(keep)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    if box.exec() != QMessageBox.StandardButton.Yes:
        return None
    return keep.isChecked()


def discard_ok(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("CustomersPage", "Unsaved changes"),
        QCoreApplication.translate("CustomersPage", "Discard the changes to this customer?"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def tell_no_account(parent: QWidget) -> None:
    QMessageBox.information(
        parent,
        QCoreApplication.translate("CustomersPage", "No WeChat account yet"),
        QCoreApplication.translate(
            "CustomersPage",
            "Every customer belongs to one of your WeChat accounts. Add your account "
            "in Settings first.",
        ),
    )
