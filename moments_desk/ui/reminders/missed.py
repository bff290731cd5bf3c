"""The missed list: posts that came due while the app was closed or the laptop slept.

Each appears here once (its due claim is recorded in the database); whatever the seller does
not decide now stays in the due-now panel, so nothing is dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import shiboken6
from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning import publishing
from moments_desk.core.planning.publishing import PublishError
from moments_desk.core.planning.reminders import DuePost, Notice, due_posts
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.publish.texts import publish_error_text
from moments_desk.ui.reminders.texts import local_time

ID_ROLE = Qt.ItemDataRole.UserRole


class MissedDialog(QDialog):
    publish_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(QCoreApplication.translate("Missed", "Missed posts"))
        self.setMinimumSize(560, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            QCoreApplication.translate(
                "Missed",
                "These posts came due while Moments Desk was closed or the computer was "
                "asleep. Post now, choose a new time, or skip. Anything you leave stays in "
                "the “Due now” panel.",
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(lambda _: self.post_now())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.post_button = QPushButton(QCoreApplication.translate("Missed", "Post now…"))
        self.post_button.setObjectName("primary")
        self.post_button.clicked.connect(self.post_now)
        self.reschedule_button = QPushButton(QCoreApplication.translate("Missed", "Reschedule…"))
        self.reschedule_button.clicked.connect(self.ask_reschedule)
        self.skip_button = QPushButton(QCoreApplication.translate("Missed", "Skip…"))
        self.skip_button.clicked.connect(self.ask_skip)
        for button in (self.post_button, self.reschedule_button, self.skip_button):
            row.addWidget(button)
        row.addStretch(1)
        later = QPushButton(QCoreApplication.translate("Missed", "Decide later"))
        later.clicked.connect(self.reject)
        row.addWidget(later)
        layout.addLayout(row)
        # A post published, rescheduled or skipped elsewhere (the due-now panel, the planner,
        # another laptop) leaves the list; one edited shows its new text.
        follow(ctx.changes, self, (Kind.POSTS,), self._changed)

    def add_notices(self, notices: list[Notice]) -> None:
        known = {self.list.item(i).data(ID_ROLE) for i in range(self.list.count())}
        for notice in notices:
            if notice.target_id in known:
                continue
            item = QListWidgetItem(self._line(notice.when, notice.text))
            item.setData(ID_ROLE, notice.target_id)
            self.list.addItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def _line(self, when: datetime, text: str) -> str:
        return QCoreApplication.translate("Missed", "Due {time} · {text}").format(
            time=local_time(when, self._ctx.zone), text=text
        )

    def _changed(self, _changes: ChangeSet) -> None:
        if not self.list.count():
            return
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, due_posts),
            self._still_due,
            lambda _error: None,  # the next change or the due-now panel tries again
        )

    def _still_due(self, due: list[DuePost]) -> None:
        if not shiboken6.isValid(self.list):
            return  # the dialog closed while the read ran
        by_id = {post.id: post for post in due}
        for index in reversed(range(self.list.count())):
            item = self.list.item(index)
            post = by_id.get(item.data(ID_ROLE))
            if post is None:
                self.list.takeItem(index)
            else:
                item.setText(self._line(post.scheduled_at, post.text))
        if not self.list.count():
            self.accept()

    def post_ids(self) -> list[int]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def _current(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _remove(self, post_id: int) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(ID_ROLE) == post_id:
                self.list.takeItem(index)
                break
        if not self.list.count():
            self.accept()

    def post_now(self) -> None:
        post_id = self._current()
        if post_id is not None:
            self._remove(post_id)
            self.publish_requested.emit(post_id)

    def ask_reschedule(self) -> None:
        post_id = self._current()
        if post_id is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(QCoreApplication.translate("Missed", "New time"))
        form = QVBoxLayout(dialog)
        start = self._ctx.clock.now().astimezone(self._ctx.zone) + timedelta(hours=1)
        edit = QDateTimeEdit(
            QDateTime(start.year, start.month, start.day, start.hour, start.minute, 0)
        )
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addWidget(edit)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        form.addWidget(box)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            when = edit.dateTime().toPython()
            assert isinstance(when, datetime)
            self.reschedule(post_id, when.replace(tzinfo=self._ctx.zone))

    def reschedule(self, post_id: int, when: datetime) -> None:
        now, user = self._ctx.clock.now(), self._ctx.user_id
        self._write(post_id, lambda s: publishing.reschedule_post(s, post_id, when, user, now))

    def ask_skip(self) -> None:
        post_id = self._current()
        if post_id is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("Missed", "Skip this post"),
            QCoreApplication.translate("Missed", "Why is it skipped? (kept in the audit log)"),
        )
        if ok:
            self.skip(post_id, reason)

    def skip(self, post_id: int, reason: str) -> None:
        now, user = self._ctx.clock.now(), self._ctx.user_id
        self._write(post_id, lambda s: publishing.skip_post(s, post_id, reason, user, now))

    def _write(self, post_id: int, work: uow.Work[object]) -> None:
        def done(_: object) -> None:
            self._remove(post_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, PublishError):
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("Missed", "Missed posts"),
                    publish_error_text(error),
                )
                return
            show_failure(self, error)

        sessions = self._ctx.shop.sessions
        self._ctx.executor.submit(lambda: uow.write(sessions, work), done, failed)
