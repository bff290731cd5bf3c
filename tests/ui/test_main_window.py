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
from moments_desk.ui.pages.area import AreaPage
from moments_desk.ui.pages.settings import SettingsPage
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
    assert isinstance(window.stack.currentWidget(), AreaPage)


def test_home_page_shows_the_shops_real_figures(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    window = open_window(qtbot, make_ctx())
    home = window.home
    assert home.card_products.value.text() == "1"
    assert home.card_products.hint.text() == "2 in the catalogue"
    assert home.card_customers.value.text() == "3"
    assert home.card_week.value.text() == "2"
    assert home.card_week.hint.text() == "1 already posted"
    assert home.card_interactions.value.text() == "1"
    assert home.card_unpaid.value.text() == "1"
    assert home.empty.isHidden()
    assert home.upcoming.rowCount() == 2
    assert home.upcoming.item(0, 3).text() == "#每日一荐# 羊毛围巾"
    assert home.upcoming.item(1, 3).text() == "周二上新｜奶白色法式连衣裙"  # first line only
    assert home.upcoming.item(1, 0).text().endswith("11-24 20:00")  # in the seller's zone


def test_empty_shop_offers_the_demo(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> None:
    window = open_window(qtbot, make_ctx())
    assert window.home.empty.isVisible()
    assert window.home.demo_button.isEnabled()
    assert window.home.card_customers.value.text() == "0"


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
    settings = window.stack.widget(7)
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
    assert window.home.upcoming.item(1, 1).text() == "上新"
    assert window.home.card_products.hint.text() == "目录共 2 件"
