"""The due-now panel: posts to publish, reminders, and (for owners) posts awaiting approval.

It also shows the latest notification as a banner, so a notice is visible even where the
desktop has no system tray.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning import reminders
from moments_desk.core.planning.reminders import Notice
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.team import approval
from moments_desk.core.team.approval import ApprovalError
from moments_desk.scheduling.reconcile import ActionKind
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.reminders.service import DueState
from moments_desk.ui.reminders.texts import local_time, notice_body, notice_title, reminder_kind

ID_ROLE = Qt.ItemDataRole.UserRole
#: prefs.json ``extra``: the panel folded to a narrow strip (1366-pixel screens need the room)
COLLAPSED = "due_panel_collapsed"
EXPANDED_WIDTH = 280
STRIP_WIDTH = 34


def approval_error_text(error: ApprovalError) -> str:
    texts = {
        "not_owner": QCoreApplication.translate("DueNow", "Only an owner can approve posts."),
        "already_decided": QCoreApplication.translate(
            "DueNow", "Someone else already approved or returned this post."
        ),
        "comment_missing": QCoreApplication.translate(
            "DueNow", "Please write what the assistant should change."
        ),
    }
    return texts.get(error.code, tr_msg(error))


def vertical(title: str, count: int) -> str:
    """The strip's words, one character (Chinese) or one word (English) a line."""
    lines = list(title) if not title.isascii() else title.split()
    return "\n".join([*(c for c in lines if c.strip()), *([str(count)] if count else [])])


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class DueNowDock(QDockWidget):
    publish_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("DueNow", "Due now"), parent)
        self.setObjectName("dueNowDock")
        self._ctx = ctx
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        body = QWidget()
        self.body = body
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        fold = QToolButton()
        fold.setText("›")
        fold.setAutoRaise(True)
        fold.setToolTip(QCoreApplication.translate("DueNow", "Fold the panel to a narrow strip"))
        fold.clicked.connect(lambda: self.set_collapsed(True))
        self.fold_button = fold
        self._notices: list[Notice] = []
        self.banner = QLabel("")
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        # The same words as the tray notification, for desktops without a tray.
        self.banner.setStyleSheet(
            "QLabel { background: #FFF7E0; border: 1px solid #F0D58C; border-radius: 6px;"
            " padding: 8px; color: #5B4300; }"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        heading = QHBoxLayout()
        heading.addWidget(_section(QCoreApplication.translate("DueNow", "Posts to publish")), 1)
        heading.addWidget(fold)
        layout.addLayout(heading)
        self.posts = self._wrapping(QListWidget())
        self.posts.itemActivated.connect(self._open_item)
        layout.addWidget(self.posts, 2)
        self.publish_button = QPushButton(QCoreApplication.translate("DueNow", "Publish…"))
        self.publish_button.setObjectName("primary")
        self.publish_button.clicked.connect(self._publish_selected)
        layout.addWidget(self.publish_button)
        phone_row = QHBoxLayout()
        self.phone_button = QPushButton(QCoreApplication.translate("DueNow", "Send to phone"))
        self.phone_button.clicked.connect(self._phone_selected)
        self.today_button = QPushButton(QCoreApplication.translate("DueNow", "Today to phone"))
        self.today_button.setToolTip(
            QCoreApplication.translate(
                "DueNow", "One QR code for every post due today on one account, until midnight"
            )
        )
        self.today_button.clicked.connect(self._today_to_phone)
        phone_row.addWidget(self.phone_button)
        phone_row.addWidget(self.today_button)
        layout.addLayout(phone_row)

        layout.addWidget(_section(QCoreApplication.translate("DueNow", "Reminders")))
        self.reminders = self._wrapping(QListWidget())
        layout.addWidget(self.reminders, 1)
        self.done_button = QPushButton(QCoreApplication.translate("DueNow", "Done"))
        self.done_button.clicked.connect(self._dismiss_selected)
        layout.addWidget(self.done_button)

        self.approval_title = _section(
            QCoreApplication.translate("DueNow", "Awaiting your approval")
        )
        layout.addWidget(self.approval_title)
        self.awaiting = self._wrapping(QListWidget())
        layout.addWidget(self.awaiting, 1)
        row = QHBoxLayout()
        self.approve_button = QPushButton(QCoreApplication.translate("DueNow", "Approve"))
        self.approve_button.clicked.connect(self._approve_selected)
        self.return_button = QPushButton(QCoreApplication.translate("DueNow", "Return…"))
        self.return_button.clicked.connect(self._return_selected)
        row.addWidget(self.approve_button)
        row.addWidget(self.return_button)
        layout.addLayout(row)
        self._show_approvals(False)
        self.strip = self._build_strip()
        holder = QWidget()
        both = QHBoxLayout(holder)
        both.setContentsMargins(0, 0, 0, 0)
        both.setSpacing(0)
        both.addWidget(self.strip)
        both.addWidget(body, 1)
        self.setWidget(holder)
        self.collapsed = False
        self.show_state(DueState())
        self.set_collapsed(bool(ctx.shop.prefs.extra.get(COLLAPSED, False)), remember=False)

    # -- folding -------------------------------------------------------------------------------

    def _build_strip(self) -> QWidget:
        strip = QWidget()
        column = QVBoxLayout(strip)
        column.setContentsMargins(2, 6, 2, 6)
        self.unfold_button = QToolButton()
        self.unfold_button.setText("‹")
        self.unfold_button.setAutoRaise(True)
        self.unfold_button.setToolTip(QCoreApplication.translate("DueNow", "Show the panel"))
        self.unfold_button.clicked.connect(lambda: self.set_collapsed(False))
        self.strip_label = QLabel()
        self.strip_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.unfold_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.strip_label, 1)
        strip.setFixedWidth(STRIP_WIDTH - 4)
        return strip

    def set_collapsed(self, collapsed: bool, remember: bool = True) -> None:
        """Fold to a strip that still shows how much is due, or open again; remembered."""
        self.collapsed = collapsed
        self.body.setVisible(not collapsed)
        self.strip.setVisible(collapsed)
        if collapsed:
            # An empty title bar: the strip itself says what the panel is.
            self.setTitleBarWidget(QWidget())
            self.setMinimumWidth(STRIP_WIDTH)
            self.setMaximumWidth(STRIP_WIDTH)
        else:
            self.setTitleBarWidget(None)  # type: ignore[arg-type]
            self.setMinimumWidth(240)
            self.setMaximumWidth(16_777_215)
            window = self.parentWidget()
            docked = isinstance(window, QMainWindow) and (
                window.dockWidgetArea(self) != Qt.DockWidgetArea.NoDockWidgetArea
            )
            if docked and isinstance(window, QMainWindow):
                window.resizeDocks([self], [EXPANDED_WIDTH], Qt.Orientation.Horizontal)
        if remember:
            prefs = self._ctx.shop.prefs
            prefs.extra[COLLAPSED] = collapsed
            with contextlib.suppress(OSError):
                prefs.save(self._ctx.shop.paths.prefs_file)

    def _show_approvals(self, shown: bool) -> None:
        for widget in (self.approval_title, self.awaiting, self.approve_button, self.return_button):
            widget.setVisible(shown)

    # -- showing -------------------------------------------------------------------------------

    @staticmethod
    def _wrapping(widget: QListWidget) -> QListWidget:
        widget.setWordWrap(True)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setTextElideMode(Qt.TextElideMode.ElideRight)
        return widget

    def show_notices(self, notices: list[Notice]) -> None:
        self._notices = list(notices)
        self._show_banner()

    def _show_banner(self) -> None:
        lines = [
            f"<b>{notice_title(n)}</b><br>{notice_body(n, self._ctx.zone)}"
            for n in self._notices[:3]
        ]
        self.banner.setText("<br>".join(lines))
        self.banner.setVisible(bool(lines))

    def _drop_handled_notices(self, state: DueState) -> None:
        """A post marked posted or a dismissed reminder no longer calls for action."""
        posts = {p.id for p in state.posts}
        reminders = {r.id for r in state.reminders}
        waiting = {ActionKind.POST_DUE: posts, ActionKind.REMINDER: reminders}
        kept = [n for n in self._notices if n.kind not in waiting or n.target_id in waiting[n.kind]]
        if len(kept) != len(self._notices):
            self._notices = kept
            self._show_banner()

    def show_state(self, state: DueState) -> None:
        zone = self._ctx.zone
        self.posts.clear()
        for post in state.posts:
            when = local_time(post.scheduled_at, zone)
            text = f"{when} · {post.text}"
            if post.missed:
                text = QCoreApplication.translate("DueNow", "{line} (missed)").format(line=text)
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, post.id)
            item.setToolTip(post.text)
            self.posts.addItem(item)
        if not state.posts:
            self._placeholder(self.posts, QCoreApplication.translate("DueNow", "Nothing due."))
        self.reminders.clear()
        for reminder in state.reminders:
            item = QListWidgetItem(
                f"{reminder_kind(reminder.kind)} · {local_time(reminder.due_at, zone)} · "
                f"{reminder.message}"
            )
            item.setData(ID_ROLE, reminder.id)
            item.setToolTip(reminder.message)
            self.reminders.addItem(item)
        if not state.reminders:
            self._placeholder(self.reminders, QCoreApplication.translate("DueNow", "No reminders."))
        self.awaiting.clear()
        for post_id, scheduled_at, text in state.awaiting:
            item = QListWidgetItem(f"{local_time(scheduled_at, zone)} · {text}")
            item.setData(ID_ROLE, post_id)
            self.awaiting.addItem(item)
        if not state.awaiting:
            self._placeholder(
                self.awaiting, QCoreApplication.translate("DueNow", "Nothing to approve.")
            )
        # Approvals only matter where an assistant can write posts (or some still wait).
        self._show_approvals(self._ctx.is_owner and (state.has_assistants or bool(state.awaiting)))
        self._drop_handled_notices(state)
        count = len(state.posts) + len(state.reminders)
        self.setWindowTitle(
            QCoreApplication.translate("DueNow", "Due now (%n)", "", count)
            if count
            else QCoreApplication.translate("DueNow", "Due now")
        )
        self.strip_label.setText(vertical(QCoreApplication.translate("DueNow", "Due now"), count))
        self.strip_label.setToolTip(self.windowTitle())

    @staticmethod
    def _placeholder(widget: QListWidget, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)

    @staticmethod
    def _selected(widget: QListWidget) -> int | None:
        item: QListWidgetItem | None = widget.currentItem()
        if item is None:
            return None
        value = item.data(ID_ROLE)
        return value if isinstance(value, int) else None

    # -- actions -------------------------------------------------------------------------------

    def _open_item(self, item: QListWidgetItem) -> None:
        value = item.data(ID_ROLE)
        if isinstance(value, int):
            self.publish_requested.emit(value)

    def _selected_post(self) -> int | None:
        post_id = self._selected(self.posts)
        if (
            post_id is None
            and self.posts.count()
            and isinstance(self.posts.item(0).data(ID_ROLE), int)
        ):
            post_id = self.posts.item(0).data(ID_ROLE)
        return post_id

    def _publish_selected(self) -> None:
        post_id = self._selected_post()
        if post_id is not None:
            self.publish_requested.emit(post_id)

    def _phone_selected(self) -> None:
        from moments_desk.ui.relay.dialog import RelayTarget, open_relay

        post_id = self._selected_post()
        if post_id is not None:
            open_relay(self._ctx, RelayTarget(post_id=post_id), self.window())

    def _today_to_phone(self) -> None:
        from moments_desk.ui.relay.dialog import RelayTarget, open_relay

        open_relay(self._ctx, RelayTarget(), self.window())

    def _write(self, work: Callable[..., object]) -> None:
        def failed(error: BaseException) -> None:
            if isinstance(error, ApprovalError):
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("DueNow", "Due now"),
                    approval_error_text(error),
                )
                # Refused: someone approved or posted meanwhile; show the state as it is.
                self._ctx.changes.announce(ChangeSet.of(Kind.POSTS))
                return
            show_failure(self, error)

        self._ctx.executor.submit(
            lambda: uow.write(self._ctx.shop.sessions, work),
            lambda _: None,  # the commit is announced to every page, this panel too
            failed,
        )

    def _dismiss_selected(self) -> None:
        reminder_id = self._selected(self.reminders)
        if reminder_id is not None:
            user = self._ctx.user_id
            self._write(lambda s: reminders.dismiss_reminder(s, reminder_id, user))

    def _approve_selected(self) -> None:
        post_id = self._selected(self.awaiting)
        user, now = self._ctx.user_id, self._ctx.clock.now()
        if post_id is not None and user is not None:
            self._write(lambda s: approval.approve(s, post_id, user, now))

    def _return_selected(self) -> None:
        post_id = self._selected(self.awaiting)
        if post_id is None or self._ctx.user_id is None:
            return
        comment, ok = QInputDialog.getMultiLineText(
            self,
            QCoreApplication.translate("DueNow", "Return to the assistant"),
            QCoreApplication.translate("DueNow", "What should be changed?"),
        )
        if ok:
            self.return_with(post_id, comment)

    def return_with(self, post_id: int, comment: str) -> None:
        user, now = self._ctx.user_id, self._ctx.clock.now()
        assert user is not None
        self._write(lambda s: approval.return_with_comment(s, post_id, user, comment, now))
