"""The dashboard: figures from the database, and every card opens the page behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.db.models import (
    Order,
    OrderStatus,
    Post,
    PostKind,
    PostStatus,
    Reminder,
    ReminderKind,
)
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.main_window import MainWindow
from moments_desk.ui.reports.page import ReportsPage
from tests.core.reports.shop import build_post_shop, local
from tests.ui.cells import cell_text
from tests.ui.conftest import NOW


def seed(shop: Shop) -> None:
    with shop.sessions.begin() as s:
        build_post_shop(s)
        s.add(
            Post(
                kind=PostKind.NEW_ARRIVAL,
                status=PostStatus.SCHEDULED,
                text="周日上新｜羊毛大衣\n第二行",
                scheduled_at=local(date(2026, 11, 22), 20),
            )
        )
        s.add(
            Reminder(
                kind=ReminderKind.UNPAID_ORDER,
                due_at=NOW - timedelta(hours=1),
                message="提醒王姐付款",
            )
        )
        # Last week: one ¥80 order.
        s.add(
            Order(
                status=OrderStatus.COMPLETED,
                total=Decimal(80),
                created_at=local(date(2026, 11, 12), 12),
            )
        )


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        window.show()
    return window


def test_cards_show_today_and_this_week(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    home = open_window(qtbot, make_ctx()).home
    assert home.card_due.value.text() == "1"
    assert home.card_due.hint.text() == "next at 20:00"
    assert home.today.rowCount() == 1
    assert cell_text(home.today, 0, 3) == "周日上新｜羊毛大衣"
    assert home.card_reminders.value.text() == "1"
    assert cell_text(home.reminders, 0, 1) == "提醒王姐付款"
    # Three posts went out this week (Mon, Tue, Wed); two of three are selling.
    assert home.card_week.value.text() == "3 / 0"
    assert home.card_mix.value.text() == "67%"
    assert home.mix_bar.share is not None and abs(home.mix_bar.share - 2 / 3) < 1e-9
    # Orders created Friday: ¥100 + ¥200 + ¥50 (the cancelled one does not count).
    assert home.card_orders.value.text() == "3"
    assert home.card_orders.hint.text() == "last week 1 (+200%)"
    assert home.card_revenue.value.text() == "¥350"
    assert home.card_revenue.hint.text() == "last week ¥80 (+338%)"
    chart = home.orders_chart  # the last 14 days, 9–22 Nov; hovering a bar names the day
    assert chart.categories[0] == "9" and chart.categories[-1] == "22"
    assert chart.tooltip_text(0, 11) == "Fri 11-20 · ¥350: 3"
    assert home.card_dormant.value.text() == "2"  # c4 and c6 never liked, chatted or bought


def test_cards_open_their_pages(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    window = open_window(qtbot, make_ctx())
    qtbot.mouseClick(window.home.card_revenue, Qt.MouseButton.LeftButton)
    assert isinstance(window.stack.currentWidget(), ReportsPage)
    window.nav.setCurrentRow(0)
    window.home.card_orders.setFocus()
    qtbot.keyClick(window.home.card_orders, Qt.Key.Key_Return)
    assert window.nav.currentRow() == 5
    window.nav.setCurrentRow(0)
    qtbot.mouseClick(window.home.card_dormant, Qt.MouseButton.LeftButton)
    page = window.stack.currentWidget()
    assert isinstance(page, CustomersPage)
    assert page.dormant.isChecked() and page.dormant_days.value() == 60
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
