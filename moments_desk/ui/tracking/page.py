"""The Tracking page: posted posts on the left, what happened under the chosen one on the right."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.team.accounts import list_accounts
from moments_desk.core.tracking.tracking import PostedPost, list_posted_posts
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.kit.widgets import page_header
from moments_desk.ui.tracking.allocation import AllocationPanel
from moments_desk.ui.tracking.draw import DrawPanel
from moments_desk.ui.tracking.followups import FollowUpsPanel
from moments_desk.ui.tracking.quick_entry import QuickEntry

POST_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class _Posts:
    posts: list[PostedPost]
    accounts: dict[int, str]


class TrackingPage(QWidget):
    posts_shown = Signal(int)
    orders_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._loaded_once = False
        shown = (
            Kind.POSTS,
            Kind.ACCOUNTS,
            Kind.INTERACTIONS,
            Kind.ORDERS,
            Kind.CUSTOMERS,
            Kind.PRODUCTS,
        )
        follow(ctx.changes, self, shown, self._changed)
        self._posts: dict[int, PostedPost] = {}
        self._accounts: dict[int, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        header, _ = page_header(
            QCoreApplication.translate("TrackingPage", "Tracking"),
            QCoreApplication.translate(
                "TrackingPage",
                "Who liked, commented and asked under each post; first-N places, orders and draws.",
            ),
        )
        layout.addWidget(header)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            QCoreApplication.translate("TrackingPage", "Search posted posts")
        )
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(200)
        self._typing.timeout.connect(self.reload_posts)
        self.search.textChanged.connect(self._typing.start)
        left_layout.addWidget(self.search)
        self.posts = QListWidget()
        self.posts.setWordWrap(True)
        self.posts.setSpacing(2)
        self.posts.currentItemChanged.connect(self._post_chosen)
        left_layout.addWidget(self.posts, 3)
        self.follow_ups = FollowUpsPanel(ctx)
        left_layout.addWidget(self.follow_ups, 2)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.post_title = QLabel(
            QCoreApplication.translate("TrackingPage", "Choose a posted post on the left.")
        )
        self.post_title.setObjectName("sectionTitle")
        self.post_title.setWordWrap(True)
        self.post_stats = QLabel("")
        self.post_stats.setObjectName("muted")
        right_layout.addWidget(self.post_title)
        right_layout.addWidget(self.post_stats)
        self.tabs = QTabWidget()
        self.quick_entry = QuickEntry(ctx)
        self.quick_entry.recorded.connect(self._recorded)
        self.quick_entry.offer_intents.connect(self.offer_intents)
        self.allocation = AllocationPanel(ctx)
        self.allocation.orders_created.connect(lambda _ids: self._orders_changed())
        self.draws = DrawPanel(ctx)
        self.tabs.addTab(
            self.quick_entry, QCoreApplication.translate("TrackingPage", "Quick entry")
        )
        self.tabs.addTab(self.allocation, QCoreApplication.translate("TrackingPage", "First N"))
        self.tabs.addTab(self.draws, QCoreApplication.translate("TrackingPage", "Draw"))
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([340, 860])
        splitter.setChildrenCollapsible(False)
        row = QHBoxLayout()
        row.addWidget(splitter)
        layout.addLayout(row, 1)
        # Ctrl+V of a screenshot anywhere on the page (text fields keep their own paste).
        paste = QShortcut(QKeySequence.StandardKey.Paste, self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self.paste_screenshot)

    def paste_screenshot(self) -> None:
        self.tabs.setCurrentWidget(self.quick_entry)
        self.quick_entry.screens.paste_from_clipboard()

    def offer_intents(self) -> None:
        """Order intents recorded from comments: 前 N 名 in comment order."""
        self.allocation.intents_only.setChecked(True)
        self.tabs.setCurrentWidget(self.allocation)

    def _changed(self, changes: ChangeSet) -> None:
        if not self._loaded_once:
            return  # the first show reads everything anyway
        if changes.touches(Kind.POSTS, Kind.ACCOUNTS, Kind.INTERACTIONS):
            self.reload_posts()  # the list counts each post's likes and comments
        if changes.touches(Kind.ORDERS, Kind.INTERACTIONS, Kind.PRODUCTS):
            self.allocation.reload()
        if changes.touches(Kind.POSTS, Kind.INTERACTIONS):
            self.draws.reload()
        self.follow_ups.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.reload_posts()
            self.follow_ups.reload()

    def reload_posts(self) -> None:
        text = self.search.text()

        def load() -> _Posts:
            return uow.read(
                self._ctx.shop.sessions,
                lambda s: _Posts(
                    list_posted_posts(s, text), {a.id: a.label for a in list_accounts(s)}
                ),
            )

        self._ctx.executor.submit(
            load,
            self._show_posts,
            lambda error: show_failure(self, error),
        )

    def _post_text(self, post: PostedPost) -> str:
        when = (
            post.posted_at.astimezone(self._ctx.zone).strftime("%m-%d %H:%M")
            if post.posted_at
            else ""
        )
        stats = QCoreApplication.translate(
            "TrackingPage", "♥ {likes}  💬 {comments}  ✉ {chats}"
        ).format(likes=post.likes, comments=post.comments, chats=post.inquiries)
        return f"{when} · {labels.post_kind(post.kind)}\n{post.first_line}\n{stats}"

    def _show_posts(self, loaded: _Posts) -> None:
        current = self.current_post_id()
        self._accounts = loaded.accounts
        self._posts = {p.id: p for p in loaded.posts}
        self.posts.blockSignals(True)
        self.posts.clear()
        chosen = 0
        for index, post in enumerate(loaded.posts):
            item = QListWidgetItem(self._post_text(post))
            item.setData(POST_ROLE, post.id)
            item.setToolTip(post.text)
            self.posts.addItem(item)
            if post.id == current:
                chosen = index
        if loaded.posts:
            self.posts.setCurrentRow(chosen)
        self.posts.blockSignals(False)
        self.posts_shown.emit(len(loaded.posts))
        if current is not None and current == self.current_post_id():
            # Same post after a refresh: keep what the seller sees in the tabs.
            self._update_header(self._posts[current])
        else:
            self._post_chosen()

    def current_post_id(self) -> int | None:
        row = self.posts.currentRow()
        if row < 0:
            return None
        value = self.posts.item(row).data(POST_ROLE)
        return int(value) if isinstance(value, int) else None

    def select_post(self, post_id: int) -> bool:
        for row in range(self.posts.count()):
            if self.posts.item(row).data(POST_ROLE) == post_id:
                self.posts.setCurrentRow(row)
                return True
        return False

    def _update_header(self, post: PostedPost) -> None:
        self.post_title.setText(post.first_line)
        self.post_stats.setText(self._post_text(post).split("\n")[-1])

    def _post_chosen(self, *_: object) -> None:
        post_id = self.current_post_id()
        post = self._posts.get(post_id) if post_id is not None else None
        if post is None:
            self.post_title.setText(
                QCoreApplication.translate("TrackingPage", "Choose a posted post on the left.")
            )
            self.post_stats.setText("")
            self.quick_entry.set_post(None, [])
            self.allocation.set_post(None)
            self.draws.set_post(None)
            return
        self._update_header(post)
        accounts = [(a, self._accounts.get(a, str(a))) for a in post.account_ids]
        if not accounts:
            accounts = list(self._accounts.items())
        self.quick_entry.set_post(post.id, accounts)
        self.allocation.set_post(post.id)
        self.draws.set_post(post.id)

    def _recorded(self, _outcome: object) -> None:
        self.reload_posts()
        self.allocation.reload()
        self.follow_ups.reload()

    def _orders_changed(self) -> None:
        self.follow_ups.reload()
        self.orders_changed.emit()
