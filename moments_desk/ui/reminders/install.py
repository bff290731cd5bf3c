"""Wires reminders into the main window: the service, the due-now panel, the tray, dialogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from moments_desk.core.planning.reminders import Notice
from moments_desk.ui.context import AppContext
from moments_desk.ui.reminders.dock import EXPANDED_WIDTH, DueNowDock
from moments_desk.ui.reminders.service import ReminderService
from moments_desk.ui.reminders.tray import ReminderTray

if TYPE_CHECKING:
    # Imported when first opened, not at start-up (pictures, export settings).
    from moments_desk.ui.publish.dialog import PublishDialog
    from moments_desk.ui.reminders.missed import MissedDialog


class Reminders(QObject):
    def __init__(self, ctx: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self.service = ReminderService(ctx, self)
        self.dock = DueNowDock(ctx, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        if not self.dock.collapsed:
            # A fixed start width: on a 1366-pixel laptop the pages keep the room they need.
            window.resizeDocks([self.dock], [EXPANDED_WIDTH], Qt.Orientation.Horizontal)
        self.tray = ReminderTray(ctx, window)
        # The panel can be closed; F9 (also in the Go and tray menus) brings it back.
        toggle = self.dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(Qt.Key.Key_F9))
        window.addAction(toggle)
        go_menu = window.findChild(QMenu, "goMenu")
        if go_menu is not None:
            go_menu.addSeparator()
            go_menu.addAction(toggle)
        menu = self.tray.icon.contextMenu()
        if menu is not None:
            menu.insertAction(menu.actions()[1], toggle)
        self.missed_dialog: MissedDialog | None = None
        self.publish_dialog: PublishDialog | None = None
        self.service.state_changed.connect(self.dock.show_state)
        self.service.notices.connect(self._notify)
        self.service.missed.connect(self.show_missed)
        self.service.restored.connect(self.show_restored)
        self.dock.publish_requested.connect(self.open_publish)
        self.tray.icon.messageClicked.connect(self._open_first_due)

    def _open_first_due(self) -> None:
        """A click on the notification goes straight to the publish helper."""
        posts = self.service.state.posts
        if posts:
            self.open_publish(posts[0].id)

    def start(self) -> None:
        self.service.start()

    def stop(self) -> None:
        self.service.stop()

    def _notify(self, notices: list[Notice]) -> None:
        self.dock.show_notices(notices)
        self.tray.notify(notices)

    def show_restored(self) -> None:
        """Another laptop restored a backup over the shared shop: say so once, calmly."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Reminders", "The shop was restored from a backup"),
            QCoreApplication.translate(
                "Reminders",
                "Someone on another computer restored the shared shop from a backup. Every "
                "page now shows the restored data; the audit log says who, and which backup.",
            ),
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setObjectName("restoredNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_missed(self, notices: list[Notice]) -> None:
        posts = [n for n in notices if n.kind == "post_due"]
        if not posts:
            return
        if self.missed_dialog is None:
            from moments_desk.ui.reminders.missed import MissedDialog

            self.missed_dialog = MissedDialog(self._ctx, self._window)
            self.missed_dialog.publish_requested.connect(self.open_publish)
            self.missed_dialog.finished.connect(self._missed_closed)
        self.missed_dialog.add_notices(posts)
        self.missed_dialog.show()

    def _missed_closed(self) -> None:
        if self.missed_dialog is not None:
            self.missed_dialog.deleteLater()
            self.missed_dialog = None

    def open_publish(self, post_id: int) -> PublishDialog:
        from moments_desk.ui.publish.dialog import PublishDialog

        if self.publish_dialog is not None:
            self.publish_dialog.close()
        dialog = PublishDialog(self._ctx, post_id, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _=0, d=dialog: self._publish_closed(d))
        self.publish_dialog = dialog
        dialog.show()
        return dialog

    def _publish_closed(self, dialog: PublishDialog) -> None:
        if self.publish_dialog is dialog:
            self.publish_dialog = None


def install_reminders(ctx: AppContext, window: QMainWindow) -> Reminders:
    reminders = Reminders(ctx, window)
    reminders.start()
    return reminders
