"""The Planner page: one account's week or month, its slots, posts, warnings and mix."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.planning.board import BoardData
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.follow import follow_then_load_board
from moments_desk.core.planning.post_views import check_post_at
from moments_desk.core.planning.posts import RuleRefusal, move_post
from moments_desk.core.planning.rules import RuleViolation
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.team.accounts import AccountSummary, list_accounts
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.kit.widgets import page_header
from moments_desk.ui.planner.calendar_items import calendar_items, status_legend
from moments_desk.ui.planner.messages import planning_error, violation_line
from moments_desk.ui.planner.mix_gauge import MixGaugeWidget
from moments_desk.ui.planner.month_view import MonthView, month_grid_start
from moments_desk.ui.planner.page_dialogs import PlannerDialogs
from moments_desk.ui.planner.week_view import WeekView

POST_ROLE = Qt.ItemDataRole.UserRole


class PlannerPage(PlannerDialogs):
    #: emitted after every load (tests and the bench wait on it)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._latest = LatestOnly(ctx.executor)
        self._verdicts = LatestOnly(ctx.executor)
        self.board: BoardData | None = None
        self.accounts: list[AccountSummary] = []
        self.today = ctx.clock.now().astimezone(ctx.zone).date()
        self.anchor = self.today
        self.month_mode = False
        self.last_refusal = ""
        self._stale = True
        shown = (Kind.POSTS, Kind.ACCOUNTS, Kind.PRODUCTS, Kind.SETTINGS)
        follow(ctx.changes, self, shown, self._changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        header, _ = page_header(
            QCoreApplication.translate("Planner", "Planner"),
            QCoreApplication.translate(
                "Planner",
                "Your weekly rhythm per account: slots, drafts and what the anti-spam rules say. "
                "Drag a post to move it; double-click to edit.",
            ),
        )
        layout.addWidget(header)

        bar = QHBoxLayout()
        self.account = QComboBox()
        self.account.setMinimumWidth(150)
        self.account.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.account)
        self.prev = QPushButton("◀")
        self.prev.setToolTip(QCoreApplication.translate("Planner", "Previous (Page Up)"))
        self.prev.clicked.connect(lambda: self.step(-1))
        self.today_button = QPushButton(QCoreApplication.translate("Planner", "Today"))
        self.today_button.setToolTip(QCoreApplication.translate("Planner", "Today (Home)"))
        self.today_button.clicked.connect(self.go_today)
        self.next = QPushButton("▶")
        self.next.setToolTip(QCoreApplication.translate("Planner", "Next (Page Down)"))
        self.next.clicked.connect(lambda: self.step(1))
        for button in (self.prev, self.next):
            button.setFixedWidth(36)
        for button in (self.prev, self.today_button, self.next):
            bar.addWidget(button)
        self.range_label = QLabel()
        self.range_label.setObjectName("sectionTitle")
        bar.addWidget(self.range_label)
        self.week_button = QPushButton(QCoreApplication.translate("Planner", "Week"))
        self.month_button = QPushButton(QCoreApplication.translate("Planner", "Month"))
        group = QButtonGroup(self)
        for button in (self.week_button, self.month_button):
            button.setCheckable(True)
            group.addButton(button)
            bar.addWidget(button)
        self.week_button.setChecked(True)
        self.week_button.clicked.connect(lambda: self.set_month_mode(False))
        self.month_button.clicked.connect(lambda: self.set_month_mode(True))
        bar.addStretch(1)
        # On the navigation row: the action row is already as wide as 1366 px allows.
        self.library_button = QPushButton(QCoreApplication.translate("Planner", "Content library…"))
        self.library_button.clicked.connect(self.open_library)
        bar.addWidget(self.library_button)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.new_post = QPushButton(QCoreApplication.translate("Planner", "New post"))
        self.new_post.setToolTip("Ctrl+N")
        self.new_post.clicked.connect(lambda: self.open_composer(None))
        self.plan_button = QPushButton(QCoreApplication.translate("Planner", "Plan 4 weeks"))
        self.plan_button.setObjectName("primary")
        self.plan_button.setToolTip(
            QCoreApplication.translate(
                "Planner",
                "Fill this account's empty slots in the next 4 weeks with drafts: new arrivals "
                "first, then products not posted for a while. Posts you edited stay as they are.",
            )
        )
        self.plan_button.clicked.connect(self.plan_weeks)
        self.cadence_button = QPushButton(QCoreApplication.translate("Planner", "Weekly slots…"))
        self.cadence_button.clicked.connect(self.edit_cadence)
        self.rules_button = QPushButton(QCoreApplication.translate("Planner", "Anti-spam rules…"))
        self.rules_button.clicked.connect(self.edit_rules)
        for button in (self.plan_button, self.new_post, self.cadence_button, self.rules_button):
            actions.addWidget(button)
        actions.addStretch(1)
        # The gauge sits beside the action buttons and the colour legend goes to the bottom
        # line: all on the navigation row, the English caption ran under the due-now panel.
        self.gauge = MixGaugeWidget()
        actions.addWidget(self.gauge)
        self.legend = QLabel(
            QCoreApplication.translate(
                "Planner",
                "Red border: breaks a rule (cannot be scheduled) · amber: a warning · "
                "dashed: empty slot",
            )
        )
        self.legend.setObjectName("muted")
        legend_box = QVBoxLayout()
        legend_box.setSpacing(2)
        legend_box.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignRight)
        self.status_legend = QLabel(status_legend())
        self.status_legend.setTextFormat(Qt.TextFormat.RichText)
        legend_box.addWidget(self.status_legend, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(actions)

        self.week = WeekView(ctx.zone)
        self.month = MonthView(ctx.zone)
        week_scroll = QScrollArea()
        week_scroll.setWidgetResizable(True)
        week_scroll.setWidget(self.week)
        self.week_scroll = week_scroll
        self.views = QStackedWidget()
        self.views.addWidget(week_scroll)
        self.views.addWidget(self.month)
        for view in (self.week, self.month):
            view.post_activated.connect(self.open_composer)
            view.move_requested.connect(self.move_post_to)
            view.hover_target.connect(self._check_drop)
        self.week.slot_activated.connect(self.new_in_slot)
        self.month.day_activated.connect(self.new_on_day)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        warnings_title = QLabel(QCoreApplication.translate("Planner", "Warnings in view"))
        warnings_title.setObjectName("sectionTitle")
        side_layout.addWidget(warnings_title)
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.itemActivated.connect(
            lambda item: self.open_composer(int(item.data(POST_ROLE)))
        )
        side_layout.addWidget(self.warnings, 1)
        splitter = QSplitter()
        splitter.addWidget(self.views)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 260])
        layout.addWidget(splitter, 1)

        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.legend.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addLayout(legend_box)
        layout.addLayout(bottom)

        for keys, slot in (
            (QKeySequence(Qt.Key.Key_PageUp), lambda: self.step(-1)),
            (QKeySequence(Qt.Key.Key_PageDown), lambda: self.step(1)),
            (QKeySequence("Alt+Left"), lambda: self.step(-1)),
            (QKeySequence("Alt+Right"), lambda: self.step(1)),
            (QKeySequence(Qt.Key.Key_Home), self.go_today),
            (QKeySequence("Ctrl+N"), lambda: self.open_composer(None)),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.reload_accounts()

    # -- navigation ----------------------------------------------------------------------------

    def account_id(self) -> int | None:
        value = combos.value(self.account)
        return int(value) if value is not None else None

    def first_day(self) -> date:
        if self.month_mode:
            return month_grid_start(self.anchor)
        return self.anchor - timedelta(days=self.anchor.weekday())

    def days(self) -> int:
        return 42 if self.month_mode else 7

    def step(self, direction: int) -> None:
        if self.month_mode:
            month = self.anchor.replace(day=1)
            year, index = divmod(month.month - 1 + direction, 12)
            self.anchor = month.replace(year=month.year + year, month=index + 1)
        else:
            self.anchor += timedelta(days=7 * direction)
        self.reload()

    def go_today(self) -> None:
        self.today = self._ctx.clock.now().astimezone(self._ctx.zone).date()
        self.anchor = self.today
        self.reload()

    def set_month_mode(self, month: bool) -> None:
        self.month_mode = month
        self.month_button.setChecked(month)
        self.week_button.setChecked(not month)
        self.views.setCurrentIndex(1 if month else 0)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload_accounts(self) -> None:
        sessions = self._ctx.shop.sessions
        self._ctx.executor.submit(
            lambda: uow.read(sessions, list_accounts), self._show_accounts, self._failed
        )

    def _show_accounts(self, accounts: list[AccountSummary]) -> None:
        if not shiboken6.isValid(self.account):
            return
        current = self.account_id()
        self.accounts = accounts
        self.account.blockSignals(True)
        self.account.clear()
        for account in accounts:
            combos.add_item(self.account, account.label, account.id)
        index = combos.find(self.account, current) if current is not None else -1
        self.account.setCurrentIndex(max(index, 0) if accounts else -1)
        self.account.blockSignals(False)
        has = bool(accounts)
        for button in (self.plan_button, self.new_post, self.cadence_button, self.rules_button):
            button.setEnabled(has)
        if not has:
            self.status.setText(
                QCoreApplication.translate(
                    "Planner", "Add a WeChat account in Settings first: every plan is per account."
                )
            )
        self.reload()

    def range_text(self) -> str:
        if self.month_mode:
            return QCoreApplication.translate("Planner", "{year}-{month:02d}").format(
                year=self.anchor.year, month=self.anchor.month
            )
        start = self.first_day()
        end = start + timedelta(days=6)
        return f"{start:%Y-%m-%d} – {end:%m-%d}"

    def _changed(self, changes: ChangeSet) -> None:
        if self.board is None:
            return  # the first show reads everything anyway
        if changes.touches(Kind.ACCOUNTS):
            self.reload_accounts()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self.range_label.setText(self.range_text())
        account_id = self.account_id()
        if account_id is None:
            return
        # The main window builds every page at start-up: read the plan when first shown.
        self._stale = not self.isVisible()
        if self._stale:
            return
        ctx = self._ctx
        first, days, zone = self.first_day(), self.days(), ctx.zone
        media = ctx.shop.paths.media
        gauge_day = self.today if first <= self.today < first + timedelta(days=days) else first
        if self.month_mode:
            gauge_day = self.today if self.today.month == self.anchor.month else self.anchor
        now = ctx.clock.now()

        self._latest.submit(
            lambda: uow.write(
                ctx.shop.sessions,
                lambda s: follow_then_load_board(
                    s, now, account_id, first, days, zone, media, gauge_day
                ),
            ),
            self._show,
            self._failed,
        )

    def _show(self, board: BoardData) -> None:
        if not shiboken6.isValid(self.warnings):
            return  # the page went away while the plan was read
        self.board = board
        posts, slots = calendar_items(
            board, self._ctx.zone, self._ctx.language, self._ctx.clock.now()
        )
        if self.month_mode:
            self.month.set_month(self.anchor, self.today, posts, slots)
        else:
            self.week.set_week(board.first_day, self.today, posts, slots)
        self.gauge.set_gauge(board.gauge)
        self.warnings.clear()
        language = self._ctx.language
        seen: set[object] = set()
        for post in board.posts:
            for violation in post.warnings:
                # A rule broken by two posts is listed once, at the first of them.
                line = violation_line(violation, language)
                if violation.sort_key() in seen or (post.id, line) in seen:
                    continue
                seen.update({violation.sort_key(), (post.id, line)})
                when = post.scheduled_at.astimezone(self._ctx.zone) if post.scheduled_at else None
                prefix = ("⛔ " if violation.hard else "⚠ ") + (
                    f"{when:%m-%d %H:%M} " if when else ""
                )
                item = QListWidgetItem(prefix + violation_line(violation, language))
                item.setData(POST_ROLE, post.id)
                item.setForeground(
                    Qt.GlobalColor.darkRed if violation.hard else Qt.GlobalColor.black
                )
                self.warnings.addItem(item)
        if not self.warnings.count():
            self.warnings.addItem(
                QCoreApplication.translate("Planner", "No rule is broken in this view.")
            )
        empty = sum(1 for s in slots if not s.filled)
        self.status.setText(
            QCoreApplication.translate(
                "Planner", "{posts} posts, {empty} empty slots in view"
            ).format(posts=len(posts), empty=empty)
        )
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PlanningError):
            QMessageBox.warning(
                self,
                QCoreApplication.translate("Planner", "Planner"),
                planning_error(error, self._ctx.language),
            )
        else:
            show_failure(self, error)

    # -- moving --------------------------------------------------------------------------------

    def _check_drop(self, post_id: int, when: object) -> None:
        """Re-check the rules for the spot under the cursor while a post is dragged."""
        assert isinstance(when, datetime)
        ctx = self._ctx
        view = self.month if self.month_mode else self.week

        def work() -> list[RuleViolation]:
            return uow.read(
                ctx.shop.sessions,
                lambda s: check_post_at(s, post_id, when, ctx.shop.paths.media, ctx.zone),
            )

        def show(violations: list[RuleViolation]) -> None:
            if not shiboken6.isValid(view):
                return
            hard = [v for v in violations if v.hard]
            text = violation_line(hard[0], ctx.language) if hard else ""
            view.set_drop_verdict(when, text)

        self._verdicts.submit(work, show, lambda _: None)

    def move_post_to(self, post_id: int, when: object, slot_id: int) -> None:
        assert isinstance(when, datetime)
        ctx = self._ctx
        user = ctx.user_id

        def moved(_: object) -> None:
            self.reload()

        def refused(error: BaseException) -> None:
            self.reload()
            if isinstance(error, RuleRefusal):
                lines = [violation_line(v, ctx.language) for v in error.violations]
                self.last_refusal = "\n".join(lines)
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("Planner", "Post not moved"),
                    QCoreApplication.translate(
                        "Planner",
                        "The post stays where it was: at {when} it would break a rule.\n\n{rules}",
                    ).format(when=f"{when:%m-%d %H:%M}", rules=self.last_refusal),
                )
            else:
                self._failed(error)

        ctx.executor.submit(
            lambda: uow.write(
                ctx.shop.sessions,
                lambda s: move_post(
                    s,
                    post_id,
                    when,
                    ctx.shop.paths.media,
                    ctx.zone,
                    slot_id=slot_id or None,
                    user_id=user,
                ),
            ),
            moved,
            refused,
        )
