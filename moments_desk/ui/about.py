"""The About box: version, data folder and the promise never to automate WeChat."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from moments_desk import __version__
from moments_desk.startup import Shop


def show_about(parent: QWidget, shop: Shop) -> None:
    QMessageBox.about(
        parent,
        QCoreApplication.translate("About", "About Moments Desk"),
        QCoreApplication.translate(
            "About",
            "<h3>Moments Desk {version}</h3>"
            "<p>Plan, prepare and track WeChat Moments selling for small shops.</p>"
            "<p>Moments Desk never controls WeChat: it prepares each post and you publish it "
            "from your phone, so your account stays safe.</p>"
            "<p>Data folder: {folder}<br>Database: {database}</p>",
        ).format(
            version=__version__,
            folder=shop.paths.data_dir,
            database=shop.database_display,
        ),
    )
