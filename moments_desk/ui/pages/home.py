"""The home page (dashboard): today's posts and reminders, this week against the cadence and
last week, the content mix against 40:60, and customers arriving or drifting away.

Every card leads to the page where the seller acts on it (``navigate``)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.reports.board import Dashboard
from moments_desk.core.reports.dashboard_sqlite import load_dashboard_sqlite
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.uow import read
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.theme import ACCENT
from moments_desk.ui.kit.widgets import EmptyState, page_header
from moments_desk.ui.pages.home_widgets import LinkCard as LinkCard
from moments_desk.ui.pages.home_widgets import MixBar as MixBar
from moments_desk.ui.pages.home_widgets import list_table, rows_height
from moments_desk.ui.reports.charts import BarChart

#: Where a card leads; MainWindow maps these to its pages.
PLANNER, ORDERS, REPORTS, CUSTOMERS, DORMANT = (
    "planner",
    "orders",
    "reports",
    "customers",
    "dormant",
)


def _qdate(moment: datetime) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


def _read_dashboard(shop: Shop, now: datetime, zone: tzinfo, dormant_days: int) -> Dashboard:
    """A SQLite shop's figures in plain SQL: the first paint waits neither for the table
    classes nor for the ORM (they load in idle time after it). A shared database keeps the
    ORM reader; both give the same answer (tests/core/reports/test_dashboard_sqlite.py)."""
    if shop.is_sqlite:
        with shop.plain_sqlite() as db:  # sqlite3 alone until the engine is made at idle
            return load_dashboard_sqlite(db, now, zone, dormant_days=dormant_days)
    from moments_desk.core.reports.dashboard import load_dashboard

    return read(shop.sessions, lambda s: load_dashboard(s, now, zone, dormant_days=dormant_days))


class HomePage(QWidget):
    loaded = Signal()
    #: Emitted once, after the first paint that shows real data (``--smoke`` waits for it).
    painted_with_data = Signal()
    demo_requested = Signal()
    setup_requested = Signal()
    #: A card was opened: PLANNER, ORDERS, REPORTS, CUSTOMERS or DORMANT (with ``dormant_days``).
    navigate = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._dashboard: Dashboard | None = None
        self._announced = False
        self._loading = False
        self._again = False
        self.dormant_days = 60

        # On a 1366×768 laptop the cards, lists and chart need more height than there is:
        # the page scrolls instead of squeezing headings onto the lists and the chart's labels.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("page")
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 26, 32, 26)
        layout.setSpacing(14)
        header, self._subtitle = page_header(QCoreApplication.translate("HomePage", "Overview"), "")
        layout.addWidget(header)

        self.empty = EmptyState(
            QCoreApplication.translate("HomePage", "Your shop is empty"),
            QCoreApplication.translate(
                "HomePage",
                "Add your WeChat accounts, products and friend-customers to start planning "
                "Moments posts. To look around first, load a demo shop: it fills this data "
                "folder with a small clothing shop you can delete later.",
            ),
        )
        self.demo_button = QPushButton(QCoreApplication.translate("HomePage", "Load demo shop"))
        self.demo_button.clicked.connect(self.demo_requested)
        self.setup_button = QPushButton(QCoreApplication.translate("HomePage", "Set up my shop…"))
        self.setup_button.setObjectName("primary")
        self.setup_button.clicked.connect(self.setup_requested)
        self.empty.action_row.addWidget(self.setup_button)
        self.empty.action_row.addWidget(self.demo_button)
        self.empty.hide()
        layout.addWidget(self.empty)

        def card(label: str, tooltip: str, target: str) -> LinkCard:
            made = LinkCard(label, tooltip)
            made.clicked.connect(lambda: self.navigate.emit(target))
            return made

        to_planner = QCoreApplication.translate("HomePage", "Open the planner")
        self.card_due = card(
            QCoreApplication.translate("HomePage", "Posts due today"), to_planner, PLANNER
        )
        self.card_reminders = card(
            QCoreApplication.translate("HomePage", "Open reminders"), to_planner, PLANNER
        )
        self.card_week = card(
            QCoreApplication.translate("HomePage", "Posted this week / planned by your cadence"),
            to_planner,
            PLANNER,
        )
        self.card_mix = card(
            QCoreApplication.translate("HomePage", "Selling posts, last 14 days (target 40%)"),
            QCoreApplication.translate("HomePage", "Open the post reports"),
            REPORTS,
        )
        self.mix_bar = MixBar()
        mix_layout = self.card_mix.layout()
        assert isinstance(mix_layout, QVBoxLayout)
        mix_layout.insertWidget(1, self.mix_bar)
        self.card_orders = card(
            QCoreApplication.translate("HomePage", "Orders this week"),
            QCoreApplication.translate("HomePage", "Open the orders"),
            ORDERS,
        )
        self.card_revenue = card(
            QCoreApplication.translate("HomePage", "Revenue this week"),
            QCoreApplication.translate("HomePage", "Open the reports"),
            REPORTS,
        )
        self.card_new = card(
            QCoreApplication.translate("HomePage", "New friend-customers (7 days)"),
            QCoreApplication.translate("HomePage", "Open the customers"),
            CUSTOMERS,
        )
        self.card_dormant = card(
            QCoreApplication.translate("HomePage", "Quiet for 60 days"),
            QCoreApplication.translate(
                "HomePage", "List the customers with no like, comment, chat or order for 60 days"
            ),
            DORMANT,
        )
        grid = QGridLayout()
        grid.setSpacing(12)
        cards = (
            self.card_due,
            self.card_reminders,
            self.card_week,
            self.card_mix,
            self.card_orders,
            self.card_revenue,
            self.card_new,
            self.card_dormant,
        )
        for index, made in enumerate(cards):
            grid.addWidget(made, index // 4, index % 4)
            grid.setColumnStretch(index % 4, 1)
        layout.addLayout(grid)

        lists = QHBoxLayout()
        lists.setSpacing(16)
        today_box = QVBoxLayout()
        today_title = QLabel(QCoreApplication.translate("HomePage", "Today's posts"))
        today_title.setObjectName("sectionTitle")
        today_box.addWidget(today_title)
        self.today = list_table(
            [
                QCoreApplication.translate("HomePage", "Time"),
                QCoreApplication.translate("HomePage", "Kind"),
                QCoreApplication.translate("HomePage", "Status"),
                QCoreApplication.translate("HomePage", "Text"),
            ]
        )
        self.today.cellDoubleClicked.connect(lambda *_: self.navigate.emit(PLANNER))
        today_box.addWidget(self.today, 1)
        self.no_today = QLabel(QCoreApplication.translate("HomePage", "Nothing due today."))
        self.no_today.setObjectName("muted")
        today_box.addWidget(self.no_today)
        upcoming_title = QLabel(QCoreApplication.translate("HomePage", "Coming up"))
        upcoming_title.setObjectName("sectionTitle")
        today_box.addWidget(upcoming_title)
        self.upcoming = list_table(
            [
                QCoreApplication.translate("HomePage", "When"),
                QCoreApplication.translate("HomePage", "Kind"),
                QCoreApplication.translate("HomePage", "Status"),
                QCoreApplication.translate("HomePage", "Text"),
            ]
        )
        self.upcoming.cellDoubleClicked.connect(lambda *_: self.navigate.emit(PLANNER))
        today_box.addWidget(self.upcoming, 1)
        self.no_upcoming = QLabel(
            QCoreApplication.translate(
                "HomePage", "Nothing scheduled yet. Posts you plan will appear here."
            )
        )
        self.no_upcoming.setObjectName("muted")
        today_box.addWidget(self.no_upcoming)
        reminder_box = QVBoxLayout()
        chart_title = QLabel(QCoreApplication.translate("HomePage", "Orders, last 14 days"))
        chart_title.setObjectName("sectionTitle")
        reminder_box.addWidget(chart_title)
        self.orders_chart = BarChart(formatter=lambda v: QLocale().toString(int(v)))
        self.orders_chart.setMinimumHeight(220)
        reminder_box.addWidget(self.orders_chart, 2)
        reminder_title = QLabel(QCoreApplication.translate("HomePage", "Reminders"))
        reminder_title.setObjectName("sectionTitle")
        reminder_box.addWidget(reminder_title)
        self.reminders = list_table(
            [
                QCoreApplication.translate("HomePage", "Due"),
                QCoreApplication.translate("HomePage", "Reminder"),
            ]
        )
        reminder_box.addWidget(self.reminders, 1)
        self.no_reminders = QLabel(QCoreApplication.translate("HomePage", "No open reminders."))
        self.no_reminders.setObjectName("muted")
        reminder_box.addWidget(self.no_reminders)
        lists.addLayout(today_box, 5)
        lists.addLayout(reminder_box, 4)
        for table in (self.today, self.reminders, self.upcoming):
            table.setMaximumHeight(230)
            # Squeezed by the chart and the cards, a list used to show a single row.
            table.setMinimumHeight(rows_height(table, 3))
        today_box.addStretch(1)
        reminder_box.addStretch(1)
        layout.addLayout(lists, 1)
        self.setStyleSheet(f"LinkCard:focus {{ border: 1px solid {ACCENT}; }}")
        # The overview sums everything but the audit log.
        shown = tuple(kind for kind in Kind if kind is not Kind.AUDIT)
        follow(ctx.changes, self, shown, self._changed)

    @property
    def dashboard(self) -> Dashboard | None:
        return self._dashboard

    def refresh(self) -> None:
        if self._loading:
            self._again = True  # what is being read may predate the change: read once more
            return
        self._loading = True
        ctx = self._ctx
        now, zone, days = ctx.clock.now(), ctx.zone, self.dormant_days
        shop = ctx.shop
        ctx.executor.submit(
            lambda: _read_dashboard(shop, now, zone, days),
            self._apply,
            self._failed,
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dashboard is None:
            self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._dashboard is not None and not self._announced:
            self._announced = True
            self.painted_with_data.emit()

    def _changed(self, _changes: ChangeSet) -> None:
        if self._dashboard is not None or self._loading:
            self.refresh()

    def _read_again(self) -> bool:
        again, self._again = self._again, False
        if again:
            self.refresh()
        return again

    def _apply(self, board: Dashboard) -> None:
        self._loading = False
        if self._read_again():
            return
        self._dashboard = board
        locale = QLocale()
        zone = self._ctx.zone
        now_local = self._ctx.clock.now().astimezone(zone)
        self._subtitle.setText(locale.toString(_qdate(now_local), QLocale.FormatType.LongFormat))
        self.empty.setVisible(board.is_empty)
        number = locale.toString

        def money(amount: object) -> str:
            return "¥" + locale.toString(float(str(amount)), "f", 0)

        def change(now: float, before: float) -> str:
            if not before:
                return ""
            delta = (now - before) / before * 100
            sign = "+" if delta >= 0 else ""
            return f" ({sign}{locale.toString(delta, 'f', 0)}%)"

        nxt = board.next_due_at.astimezone(zone) if board.next_due_at else None
        self.card_due.set_value(
            number(len(board.due_today)),
            QCoreApplication.translate("HomePage", "next at {time}").format(time=f"{nxt:%H:%M}")
            if nxt
            else "",
        )
        self.card_reminders.set_value(
            number(board.reminders_open),
            board.reminders[0].message[:30] if board.reminders else "",
        )
        left = board.slots_left_this_week
        self.card_week.set_value(
            f"{number(board.posted_this_week)} / {number(board.planned_this_week)}",
            QCoreApplication.translate("HomePage", "Slots left this week: %n", "", left),
        )
        share = board.sales_share
        self.mix_bar.set_share(share)
        self.card_mix.set_value(
            "—" if share is None else locale.toString(share * 100, "f", 0) + "%",
            QCoreApplication.translate("HomePage", "{sales} selling, {other} other posts").format(
                sales=board.mix_sales, other=board.mix_other
            ),
        )
        self.card_orders.set_value(
            number(board.orders_this_week),
            QCoreApplication.translate("HomePage", "last week {n}").format(
                n=number(board.orders_last_week)
            )
            + change(board.orders_this_week, board.orders_last_week),
        )
        self.card_revenue.set_value(
            money(board.revenue_this_week),
            QCoreApplication.translate("HomePage", "last week {amount}").format(
                amount=money(board.revenue_last_week)
            )
            + change(float(board.revenue_this_week), float(board.revenue_last_week)),
        )
        total = board.customers
        self.card_new.set_value(
            number(board.new_customers),
            QCoreApplication.translate("HomePage", "%Ln friend-customers in all", "", total),
        )
        self.card_dormant.set_value(
            number(board.dormant_customers),
            QCoreApplication.translate("HomePage", "no like, comment, chat or order"),
        )

        self.today.setRowCount(len(board.due_today))
        for row, post in enumerate(board.due_today):
            when = post.scheduled_at.astimezone(zone)
            cells = (
                f"{when:%H:%M}",
                labels.post_kind(post.kind),
                labels.post_status(post.status),
                post.first_line,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, post.post_id)
                self.today.setItem(row, column, item)
        self.today.setVisible(bool(board.due_today))
        self.no_today.setVisible(not board.due_today)
        self.upcoming.setRowCount(len(board.upcoming))
        for row, post in enumerate(board.upcoming):
            when = post.scheduled_at.astimezone(zone)
            cells = (
                locale.toString(
                    QDateTime(_qdate(when), QTime(when.hour, when.minute)), "ddd MM-dd HH:mm"
                ),
                labels.post_kind(post.kind),
                labels.post_status(post.status),
                post.first_line,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, post.post_id)
                self.upcoming.setItem(row, column, item)
        self.upcoming.setVisible(bool(board.upcoming))
        self.no_upcoming.setVisible(not board.upcoming)
        self.orders_chart.set_data(
            [str(d.day.day) for d in board.days],
            [
                (
                    QCoreApplication.translate("HomePage", "Orders"),
                    [d.orders for d in board.days],
                )
            ],
            [
                locale.toString(QDate(d.day.year, d.day.month, d.day.day), "ddd MM-dd")
                + " · "
                + money(d.revenue)
                for d in board.days
            ],
        )
        self.reminders.setRowCount(len(board.reminders))
        for row, reminder in enumerate(board.reminders):
            when = reminder.due_at.astimezone(zone)
            self.reminders.setItem(row, 0, QTableWidgetItem(f"{when:%m-%d %H:%M}"))
            self.reminders.setItem(row, 1, QTableWidgetItem(reminder.message))
        self.reminders.setVisible(bool(board.reminders))
        self.no_reminders.setVisible(not board.reminders)
        self.update()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        if self._read_again():
            return
        QMessageBox.warning(
            self,
            QCoreApplication.translate("HomePage", "Could not load the overview"),
            QCoreApplication.translate("HomePage", "Reading the database failed: {error}").format(
                error=tr_msg(error)
            ),
        )

    def sizeHint(self) -> QSize:
        return QSize(1000, 640)
