"""The main window as a seller sees it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.db.models import (
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderStatus,
    Post,
    PostKind,
    PostStatus,
    Product,
    ProductStatus,
    WeChatAccount,
)
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.main_window import MainWindow
from moments_desk.ui.orders.page import OrdersPage
from moments_desk.ui.pages.settings import SettingsPage
from moments_desk.ui.planner.page import PlannerPage
from moments_desk.ui.products.page import ProductsPage
from tests.ui.conftest import NOW

AREAS_EN = [
    "Overview",
    "Products",
    "Customers",
    "Planner",
    "Tracking",
    "Orders",
    "Reports",
    "Settings",
]
AREAS_ZH = ["概览", "商品", "客户", "排期", "互动", "订单", "报表", "设置"]


def seed(shop: Shop) -> None:
    with shop.sessions.begin() as s:
        account = WeChatAccount(label="主号", nickname="小棉袄")
        s.add(account)
        s.flush()
        s.add_all(
            [
                Product(
                    code="A1", name="法式连衣裙", price=Decimal("259"), status=ProductStatus.ON_SALE
                ),
                Product(
                    code="A2", name="针织开衫", price=Decimal("199"), status=ProductStatus.SOLD_OUT
                ),
            ]
        )
        customers = [Customer(account_id=account.id, nickname=f"顾客{i}") for i in range(3)]
        s.add_all(customers)
        s.flush()
        s.add_all(
            [
                # Sunday 21:00 Shanghai: later today, so this week and upcoming.
                Post(
                    kind=PostKind.PROMOTION,
                    status=PostStatus.DRAFT,
                    text="#每日一荐# 羊毛围巾",
                    scheduled_at=NOW + timedelta(hours=11),
                ),
                # Tuesday 24 Nov 20:00 Shanghai: upcoming, but next week.
                Post(
                    kind=PostKind.NEW_ARRIVAL,
                    status=PostStatus.SCHEDULED,
                    text="周二上新｜奶白色法式连衣裙\n第二行",
                    scheduled_at=NOW + timedelta(days=2, hours=10),
                ),
                # Monday of this week, already posted.
                Post(
                    kind=PostKind.LIFESTYLE,
                    status=PostStatus.POSTED,
                    text="今天的穿搭",
                    scheduled_at=NOW - timedelta(days=5),
                ),
                # Last week: not in this week's count.
                Post(
                    kind=PostKind.LIFESTYLE,
                    status=PostStatus.POSTED,
                    scheduled_at=NOW - timedelta(days=8),
                ),
            ]
        )
        s.add(
            Interaction(
                customer_id=customers[0].id,
                kind=InteractionKind.LIKE,
                occurred_at=NOW - timedelta(days=1),
            )
        )
        s.add(
            Interaction(
                customer_id=customers[1].id,
                kind=InteractionKind.COMMENT,
                occurred_at=NOW - timedelta(days=9),
            )
        )
        s.add(Order(customer_id=customers[0].id, status=OrderStatus.AWAITING_PAYMENT))
        s.add(Order(customer_id=customers[1].id, status=OrderStatus.COMPLETED))


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        window.show()
    return window


def test_navigation_lists_every_area_and_switches_pages(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    window = open_window(qtbot, make_ctx())
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == AREAS_EN
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), SettingsPage)
    window.nav.setCurrentRow(1)
    assert isinstance(window.stack.currentWidget(), ProductsPage)
    window.nav.setCurrentRow(3)
    assert isinstance(window.stack.currentWidget(), PlannerPage)


def test_home_page_shows_the_shops_real_figures(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    window = open_window(qtbot, make_ctx())
    home = window.home
    # Today (Sunday in Shanghai): the draft at 21:00 is not due; nothing scheduled today.
    assert home.card_due.value.text() == "0"
    assert home.no_today.isVisible()
    assert home.card_week.value.text() == "1 / 0"  # posted Monday; no cadence slots yet
    assert home.card_mix.value.text() == "0%"  # one lifestyle post in 14 days
    assert home.card_new.hint.text() == "3 friend-customers in all"
    assert home.empty.isHidden()


def test_empty_shop_offers_the_demo(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> None:
    window = open_window(qtbot, make_ctx())
    assert window.home.empty.isVisible()
    assert window.home.demo_button.isEnabled()
    assert window.home.card_new.value.text() == "0"


def test_area_pages_count_real_records(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    window = open_window(qtbot, make_ctx())
    window.nav.setCurrentRow(5)
    page = window.stack.currentWidget()
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.count_label.text() == "2 order(s) shown"


def test_language_choice_is_saved_for_next_start(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    window = open_window(qtbot, make_ctx())
    settings = window.page_at(7)
    assert isinstance(settings, SettingsPage)
    settings.language.setCurrentIndex(settings.language.findData("zh_CN"))
    saved = json.loads(shop.paths.prefs_file.read_text(encoding="utf-8"))
    assert saved["language"] == "zh_CN"
    assert "next time" in settings.language_note.text()


def test_window_speaks_simplified_chinese(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    window = open_window(qtbot, make_ctx("zh_CN"))
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == AREAS_ZH
    assert window.home.card_orders.label.text() == "本周订单"


def test_go_menu_offers_the_due_now_panel_with_f9(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    from PySide6.QtWidgets import QMenu

    from moments_desk.ui.reminders.install import Reminders

    ctx = make_ctx()
    window = open_window(qtbot, ctx)
    reminders = Reminders(ctx, window)
    try:
        go_menu = window.findChild(QMenu, "goMenu")
        assert go_menu is not None
        toggle = next(a for a in go_menu.actions() if a.shortcut().toString() == "F9")
        assert toggle.text() == reminders.dock.windowTitle()
        shown = reminders.dock.isVisibleTo(window)
        toggle.trigger()
        assert reminders.dock.isVisibleTo(window) is not shown
        toggle.trigger()
        assert reminders.dock.isVisibleTo(window) is shown
    finally:
        reminders.stop()


def test_switching_pages_gives_the_page_the_keyboard(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    """After Ctrl+4 or a sidebar click the page's own shortcuts work without a click."""
    from PySide6.QtWidgets import QApplication

    window = open_window(qtbot, make_ctx())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    focused = QApplication.focusWidget()
    assert focused is not None and window.planner.isAncestorOf(focused)
    anchor = window.planner.anchor
    qtbot.keyClick(focused, Qt.Key.Key_PageDown)
    assert window.planner.anchor == anchor + timedelta(days=7)

    window.nav.setFocus()
    window.nav.setCurrentRow(2)  # a sidebar click
    assert QApplication.focusWidget() is window.customers.search
    window.nav.setCurrentRow(5)
    assert QApplication.focusWidget() is window.orders.search


def test_only_the_overview_is_built_before_the_first_paint_the_rest_when_idle(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    assert window.pages_built == 1
    assert not window.findChildren(ProductsPage) and not window.findChildren(SettingsPage)
    with qtbot.waitSignal(window.first_page_painted, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: window.pages_built == 8, timeout=30_000)
    assert isinstance(window.stack.widget(7), SettingsPage)
    assert window.stack.count() == 8
    assert window.stack.currentWidget() is window.home


def test_a_page_opened_before_idle_time_reaches_it_is_built_at_once(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    window.nav.setCurrentRow(5)
    page = window.stack.currentWidget()
    assert isinstance(page, OrdersPage)
    assert window.orders is page and window.pages_built == 2
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == AREAS_EN
