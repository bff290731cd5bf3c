"""The home page: the shop at a glance and the posts coming up."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.overview import Overview, load_overview
from moments_desk.ui import labels
from moments_desk.ui.context import AppContext
from moments_desk.ui.widgets import EmptyState, StatCard, page_header


def _qdate(moment: datetime) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


class HomePage(QWidget):
    loaded = Signal()
    #: Emitted once, after the first paint that shows real data (``--smoke`` waits for it).
    painted_with_data = Signal()
    demo_requested = Signal()
    setup_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._ctx = ctx
        self._overview: Overview | None = None
        self._announced = False
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 26, 32, 26)
        layout.setSpacing(18)
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

        grid = QGridLayout()
        grid.setSpacing(14)
        self.card_products = StatCard(QCoreApplication.translate("HomePage", "Products on sale"))
        self.card_customers = StatCard(QCoreApplication.translate("HomePage", "Friend-customers"))
        self.card_week = StatCard(QCoreApplication.translate("HomePage", "Posts this week"))
        self.card_interactions = StatCard(
            QCoreApplication.translate("HomePage", "Likes, comments and chats (7 days)")
        )
        self.card_unpaid = StatCard(
            QCoreApplication.translate("HomePage", "Orders awaiting payment")
        )
        cards = (
            self.card_products,
            self.card_customers,
            self.card_week,
            self.card_interactions,
            self.card_unpaid,
        )
        for index, card in enumerate(cards):
            grid.addWidget(card, 0, index)
        layout.addLayout(grid)

        upcoming_title = QLabel(QCoreApplication.translate("HomePage", "Coming up"))
        upcoming_title.setObjectName("sectionTitle")
        layout.addWidget(upcoming_title)
        self.upcoming = QTableWidget(0, 4)
        self.upcoming.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("HomePage", "When"),
                QCoreApplication.translate("HomePage", "Kind"),
                QCoreApplication.translate("HomePage", "Status"),
                QCoreApplication.translate("HomePage", "Text"),
            ]
        )
        self.upcoming.verticalHeader().hide()
        self.upcoming.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.upcoming.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.upcoming.setShowGrid(False)
        header_view = self.upcoming.horizontalHeader()
        header_view.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column in range(3):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.upcoming, 10)
        self.no_upcoming = QLabel(
            QCoreApplication.translate(
                "HomePage", "Nothing scheduled yet. Posts you plan will appear here."
            )
        )
        self.no_upcoming.setObjectName("muted")
        self.no_upcoming.hide()
        layout.addWidget(self.no_upcoming)
        # Keeps cards and headings at the top when the table is hidden.
        layout.addStretch(1)

    @property
    def overview(self) -> Overview | None:
        return self._overview

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        ctx = self._ctx
        ctx.executor.submit(
            lambda: load_overview(ctx.shop.sessions, ctx.clock, ctx.zone),
            self._apply,
            self._failed,
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._overview is None:
            self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._overview is not None and not self._announced:
            self._announced = True
            self.painted_with_data.emit()

    def _apply(self, overview: Overview) -> None:
        self._loading = False
        self._overview = overview
        locale = QLocale()
        now_local = self._ctx.clock.now().astimezone(self._ctx.zone)
        self._subtitle.setText(locale.toString(_qdate(now_local), QLocale.FormatType.LongFormat))
        self.empty.setVisible(overview.is_empty)
        number = locale.toString
        count = overview.products
        self.card_products.set_value(
            number(overview.products_on_sale),
            QCoreApplication.translate("HomePage", "%Ln in the catalogue", "", count),
        )
        count = overview.accounts
        self.card_customers.set_value(
            number(overview.customers),
            QCoreApplication.translate("HomePage", "WeChat accounts: %Ln", "", count),
        )
        count = overview.posted_this_week
        self.card_week.set_value(
            number(overview.posts_this_week),
            QCoreApplication.translate("HomePage", "%Ln already posted", "", count),
        )
        self.card_interactions.set_value(number(overview.interactions_last_7_days))
        self.card_unpaid.set_value(number(overview.orders_awaiting_payment))

        self.upcoming.setRowCount(len(overview.upcoming))
        for row, post in enumerate(overview.upcoming):
            when = post.scheduled_at.astimezone(self._ctx.zone)
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
        self.upcoming.setVisible(bool(overview.upcoming))
        self.no_upcoming.setVisible(not overview.upcoming)
        self.update()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        QMessageBox.warning(
            self,
            QCoreApplication.translate("HomePage", "Could not load the overview"),
            QCoreApplication.translate("HomePage", "Reading the database failed: {error}").format(
                error=error
            ),
        )
