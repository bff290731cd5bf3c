"""The system-tray icon: notifications, and keeping the app running with the window closed."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox, QSystemTrayIcon

from moments_desk.core.planning.reminders import Notice
from moments_desk.resources import icon_path
from moments_desk.ui.context import AppContext
from moments_desk.ui.reminders.texts import summary

#: Per-machine preferences (prefs.json ``extra``).
KEEP_IN_TRAY = "keep_in_tray"
TRAY_EXPLAINED = "tray_explained"


def keep_in_tray(ctx: AppContext) -> bool:
    return bool(ctx.shop.prefs.extra.get(KEEP_IN_TRAY, True))


def set_keep_in_tray(ctx: AppContext, keep: bool) -> None:
    ctx.shop.prefs.extra[KEEP_IN_TRAY] = keep
    with contextlib.suppress(OSError):
        ctx.shop.prefs.save(ctx.shop.paths.prefs_file)


class ReminderTray(QObject):
    """Owns the tray icon and filters the main window's close event."""

    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self.quitting = False
        self.last_message: tuple[str, str] | None = None
        self.icon = QSystemTrayIcon(QIcon(str(icon_path())), self)
        self.icon.setToolTip(QCoreApplication.translate("Tray", "Moments Desk"))
        menu = QMenu(window)
        show = QAction(QCoreApplication.translate("Tray", "Show Moments Desk"), menu)
        show.triggered.connect(self.show_window)
        quit_action = QAction(QCoreApplication.translate("Tray", "Quit"), menu)
        quit_action.triggered.connect(self.quit)
        menu.addAction(show)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.show_window)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()
            # A hidden window plus a closed dialog must not end the app; quitting is
            # explicit (tray menu, or closing the window with the tray setting off).
            QApplication.setQuitOnLastWindowClosed(False)
        window.installEventFilter(self)

    @property
    def available(self) -> bool:
        return self.icon.isVisible()

    def notify(self, notices: list[Notice]) -> None:
        if not notices:
            return
        title, body = summary(notices, self._ctx.zone)
        self.last_message = (title, body)
        if self.available:
            self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 15_000)
        else:
            QApplication.alert(self._window)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window()

    def show_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def quit(self) -> None:
        self.quitting = True
        self._window.close()
        QApplication.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close and self.available:
            if not self.quitting and keep_in_tray(self._ctx):
                self._window.hide()
                event.ignore()
                self._explain_once()
                return True
            QTimer.singleShot(0, QApplication.quit)
        return super().eventFilter(watched, event)

    def _explain_once(self) -> None:
        prefs = self._ctx.shop.prefs
        if prefs.extra.get(TRAY_EXPLAINED):
            return
        prefs.extra[TRAY_EXPLAINED] = True
        with contextlib.suppress(OSError):
            prefs.save(self._ctx.shop.paths.prefs_file)
        QMessageBox.information(
            None,
            QCoreApplication.translate("Tray", "Still running in the tray"),
            QCoreApplication.translate(
                "Tray",
                "Moments Desk keeps running in the system tray so it can remind you when a "
                "post is due. Click the tray icon to open it again, or choose Quit in its "
                "menu. You can turn this off in Settings → Team and reminders.",
            ),
        )
