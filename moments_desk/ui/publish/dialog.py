"""The publish helper: everything needed to post one Moments post by hand.

Copies the text, exports the pictures numbered 1–9 and opens their folder, names the
audience tags to pick in WeChat, and records "posted" per account or "skipped" with a
reason. It never touches WeChat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.pictures.export_settings import load_export_settings
from moments_desk.core.planning import publishing
from moments_desk.core.planning.publishing import PublishError, PublishJob
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.db.models import AudienceMode
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.publish.texts import publish_error_text
from moments_desk.ui.reminders.texts import local_time


class PublishDialog(QDialog):
    def __init__(self, ctx: AppContext, post_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.post_id = post_id
        self.job: PublishJob | None = None
        self.exported: list[Path] = []
        #: Replaced in tests; opens the exported folder in the file manager.
        self.open_folder: Callable[[Path], object] = lambda folder: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(folder))
        )
        self.setWindowTitle(QCoreApplication.translate("Publish", "Publish helper"))
        self.setMinimumSize(620, 560)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        never = QLabel(
            QCoreApplication.translate(
                "Publish",
                "Moments Desk never posts for you and never touches WeChat. It prepares the "
                "text and pictures; you post from your phone, then record it here.",
            )
        )
        never.setObjectName("cardHint")
        never.setWordWrap(True)
        layout.addWidget(never)

        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        layout.addWidget(self.heading)

        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(140)
        layout.addWidget(self.text, 1)

        steps = QGridLayout()
        self.copy_button = QPushButton(QCoreApplication.translate("Publish", "① Copy text"))
        self.copy_button.clicked.connect(self.copy_text)
        self.copy_state = QLabel("")
        self.export_button = QPushButton(
            QCoreApplication.translate("Publish", "② Export pictures and open folder")
        )
        self.export_button.clicked.connect(self.export)
        self.export_state = QLabel("")
        self.export_state.setWordWrap(True)
        self.audience = QLabel("")
        self.audience.setWordWrap(True)
        steps.addWidget(self.copy_button, 0, 0)
        steps.addWidget(self.copy_state, 0, 1)
        steps.addWidget(self.export_button, 1, 0)
        steps.addWidget(self.export_state, 1, 1)
        steps.addWidget(QLabel(QCoreApplication.translate("Publish", "③ Who can see it")), 2, 0)
        steps.addWidget(self.audience, 2, 1)
        steps.setColumnStretch(1, 1)
        layout.addLayout(steps)

        self.accounts_box = QFrame()
        self.accounts_box.setObjectName("card")
        self.accounts_layout = QVBoxLayout(self.accounts_box)
        self.accounts_layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.accounts_box)

        buttons = QHBoxLayout()
        self.skip_button = QPushButton(QCoreApplication.translate("Publish", "Skip…"))
        self.skip_button.clicked.connect(self.ask_skip)
        close = QPushButton(QCoreApplication.translate("Publish", "Close"))
        close.clicked.connect(self.reject)
        self.phone_button = QPushButton(QCoreApplication.translate("Publish", "Send to phone"))
        self.phone_button.setToolTip(
            QCoreApplication.translate(
                "Publish", "A QR code: the text and pictures open on your phone, ready to post"
            )
        )
        self.phone_button.clicked.connect(self.send_to_phone)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.phone_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self, self.copy_text)
        # 我已发布 on the phone shows here at once.
        ctx.changes.changed.connect(self._changed_elsewhere)
        self.posted_buttons: dict[int | None, QPushButton] = {}
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        sessions, media = self._ctx.shop.sessions, self._ctx.shop.paths.media
        self._ctx.executor.submit(
            lambda: uow.read(sessions, lambda s: publishing.load_job(s, self.post_id, media)),
            self._show,
            self._failed,
        )

    def _changed_elsewhere(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.POSTS, Kind.ACCOUNTS) and self.isVisible() and self.job is not None:
            self.reload()

    def _show(self, job: PublishJob) -> None:
        first_load = self.job is None
        self.job = job
        self.heading.setText(
            QCoreApplication.translate("Publish", "{kind} · planned for {time} · {status}").format(
                kind=labels.post_kind(job.kind),
                time=local_time(job.scheduled_at, self._ctx.zone),
                status=labels.post_status(job.status),
            )
        )
        self.text.setPlainText(job.text)
        self.export_button.setEnabled(bool(job.images))
        if not job.images:
            self.export_state.setText(
                QCoreApplication.translate("Publish", "This post has no pictures.")
            )
        elif not self.exported:
            pictures = len(job.images)
            self.export_state.setText(
                QCoreApplication.translate(
                    "Publish", "%n picture(s), numbered in posting order", "", pictures
                )
            )
        self.audience.setText(self._audience_text(job))
        self._show_accounts(job)
        if first_load and job.text:
            self.copy_text()  # the first thing she needs on the phone is the text

    def _audience_text(self, job: PublishJob) -> str:
        tags = "、".join(job.audience_tags)
        if job.audience_mode == AudienceMode.VISIBLE_TO:
            return QCoreApplication.translate(
                "Publish", "部分可见 (visible to): choose the tags {tags}"
            ).format(tags=tags)
        if job.audience_mode == AudienceMode.HIDDEN_FROM:
            return QCoreApplication.translate(
                "Publish", "不给谁看 (hidden from): choose the tags {tags}"
            ).format(tags=tags)
        return QCoreApplication.translate("Publish", "公开: everyone can see it")

    def _show_accounts(self, job: PublishJob) -> None:
        while self.accounts_layout.count():
            item = self.accounts_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.posted_buttons = {}
        title = QLabel(
            QCoreApplication.translate(
                "Publish", "④ After posting from the phone, record it for each account:"
            )
        )
        self.accounts_layout.addWidget(title)
        targets: list[tuple[int | None, str, datetime | None]] = [
            (a.account_id, a.label, a.posted_at) for a in job.accounts
        ] or [(None, QCoreApplication.translate("Publish", "This post"), None)]
        open_post = job.status.value in ("scheduled", "due")
        for account_id, label, posted_at in targets:
            row = QHBoxLayout()
            row.addWidget(QLabel(label), 1)
            if posted_at is not None:
                done = QLabel(
                    QCoreApplication.translate("Publish", "Posted at {time}").format(
                        time=local_time(posted_at, self._ctx.zone)
                    )
                )
                done.setObjectName("okText")
                row.addWidget(done)
            else:
                button = QPushButton(QCoreApplication.translate("Publish", "Posted"))
                button.setObjectName("primary")
                button.setEnabled(open_post)
                button.clicked.connect(lambda _=False, a=account_id: self.mark_posted(a))
                self.posted_buttons[account_id] = button
                row.addWidget(button)
            holder = QWidget()
            holder.setLayout(row)
            self.accounts_layout.addWidget(holder)
        self.skip_button.setEnabled(open_post)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PublishError):
            QMessageBox.warning(
                self,
                QCoreApplication.translate("Publish", "Publish helper"),
                publish_error_text(error),
            )
            if error.code in ("closed", "gone"):
                self.reload()
            return
        show_failure(self, error)

    # -- steps ---------------------------------------------------------------------------------

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_state.setText(
            QCoreApplication.translate("Publish", "Copied. Paste it into WeChat on your phone.")
        )

    def export_folder(self) -> Path:
        return self._ctx.shop.paths.exports / "moments" / f"post-{self.post_id}"

    def export(self) -> None:
        job = self.job
        if job is None:
            return
        folder = self.export_folder()
        sessions = self._ctx.shop.sessions
        self.export_button.setEnabled(False)

        def work() -> list[Path]:
            settings = uow.read(sessions, load_export_settings)
            return publishing.export_images(job, folder, settings)

        def done(paths: list[Path]) -> None:
            self.exported = paths
            saved = len(paths)
            self.export_button.setEnabled(True)
            self.export_state.setText(
                QCoreApplication.translate(
                    "Publish", "%n picture(s) saved as 1–%n in {folder}", "", saved
                ).format(folder=folder)
            )
            self.open_folder(folder)

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._failed(error)

        self._ctx.executor.submit(work, done, failed)

    def mark_posted(self, account_id: int | None) -> None:
        at = self._ctx.clock.now()
        user = self._ctx.user_id

        def done(finished: bool) -> None:
            if finished:
                self.accept()
            else:
                self.reload()

        button = self.posted_buttons.get(account_id)
        if button is not None:
            button.setEnabled(False)
        sessions, post_id = self._ctx.shop.sessions, self.post_id
        self._ctx.executor.submit(
            lambda: uow.write(
                sessions, lambda s: publishing.mark_posted(s, post_id, account_id, user, at)
            ),
            done,
            self._failed,
        )

    def send_to_phone(self) -> None:
        from moments_desk.ui.relay.dialog import RelayTarget, open_relay

        open_relay(self._ctx, RelayTarget(post_id=self.post_id), self)

    def ask_skip(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("Publish", "Skip this post"),
            QCoreApplication.translate("Publish", "Why is it skipped? (kept in the audit log)"),
        )
        if ok:
            self.skip(reason)

    def skip(self, reason: str) -> None:
        at = self._ctx.clock.now()
        user = self._ctx.user_id

        def done(_: object) -> None:
            self.accept()

        self._ctx.executor.submit(
            lambda: uow.write(
                self._ctx.shop.sessions,
                lambda s: publishing.skip_post(s, self.post_id, reason, user, at),
            ),
            done,
            self._failed,
        )
