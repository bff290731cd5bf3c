"""Pages stay live: a change made on another page, by a core call in this process, or by
another laptop on the same database shows without reopening anything (issue 17)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue.catalogue import ProductDraft, create_product
from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
from moments_desk.core.orders.status import change_status
from moments_desk.core.reports.dashboard import load_dashboard
from moments_desk.core.shared import uow
from moments_desk.core.team import audit
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import OrderStatus, WeChatAccount
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.main_window import MainWindow
from moments_desk.ui.orders.model import Column
from moments_desk.ui.reminders.install import Reminders
from moments_desk.ui.users.audit_dialog import AuditLogDialog
from tests.core.team_helpers import add_post
from tests.tracking_shop import build_shop
from tests.ui.conftest import NOW

Window = tuple[AppContext, MainWindow, Reminders]


@pytest.fixture
def window(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> Iterator[Window]:
    ctx = make_ctx()
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    reminders = Reminders(ctx, main)
    with qtbot.waitSignal(main.home.loaded, timeout=10_000):
        main.show()
    with qtbot.waitSignal(reminders.service.state_changed, timeout=10_000):
        reminders.start()
    yield ctx, main, reminders
    reminders.stop()


def _account(shop: Shop) -> int:
    def work(s: object) -> int:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        return account.id

    return uow.write(shop.sessions, work)


def _unpaid_orders(shop: Shop, count: int) -> list[int]:
    account = _account(shop)
    customer = uow.write(
        shop.sessions, lambda s: create_customer(s, CustomerDraft(account, nickname="王姐"))
    )
    item = ItemDraft(None, "羊毛围巾", 1, Decimal("129"))
    return [
        uow.write(shop.sessions, lambda s: create_order(s, OrderDraft(customer, [item]), NOW))
        for _ in range(count)
    ]


def test_overview_counts_two_orders_paid_on_the_orders_page(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    _, main, _ = window
    _unpaid_orders(shop, 2)
    qtbot.waitUntil(lambda: main.home.card_orders.value.text() == "0")
    main.nav.setCurrentRow(5)
    qtbot.waitUntil(lambda: main.orders.model.rowCount() == 2)
    main.orders.table.selectAll()
    main.orders.bulk_set_status(OrderStatus.PAID, confirm=False)
    main.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: main.home.card_orders.value.text() == "2", timeout=10_000)
    assert main.home.card_revenue.value.text() == "¥258"


def test_a_post_that_became_due_shows_in_the_panel_and_the_overview_alike(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    _, main, reminders = window
    assert main.home.today.rowCount() == 0 and not main.home.no_today.isHidden()
    # A core call in this process (as the planner or the command line would make it).
    add_post(shop.sessions, NOW - timedelta(minutes=1), "十点整上新")
    qtbot.waitUntil(lambda: reminders.dock.posts.count() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: main.home.today.rowCount() == 1, timeout=10_000)
    assert main.home.no_today.isHidden()


def test_customers_created_in_tracking_appear_on_the_customers_page(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    _, main, _ = window
    data = build_shop(shop.sessions, names=["王小美", "李阿花"])
    main.nav.setCurrentRow(2)
    known = len(data.customers)  # the two names and one with a remark
    qtbot.waitUntil(lambda: main.customers.model.rowCount() == known)
    main.nav.setCurrentRow(4)
    entry = main.tracking.quick_entry
    qtbot.waitUntil(lambda: entry.post_id == data.post_id, timeout=10_000)
    entry.paste.setPlainText("王小美，新朋友小林，新朋友小周")
    entry.match()
    qtbot.waitUntil(lambda: entry.review is not None, timeout=10_000)
    entry.unknown_to_new()
    with qtbot.waitSignal(entry.recorded, timeout=10_000):
        entry.record()
    main.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: main.customers.model.rowCount() == known + 2, timeout=10_000)


def test_list_pages_follow_core_calls_and_keep_the_selection(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    _, main, _ = window
    orders = _unpaid_orders(shop, 2)
    main.nav.setCurrentRow(5)
    page = main.orders
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.table.selectRow(page.model.row_of(orders[0]) or 0)
    assert page.selected_ids() == [orders[0]]
    uow.write(shop.sessions, lambda s: change_status(s, [orders[1]], OrderStatus.PAID, NOW))
    row = page.model.row_of(orders[1])
    assert row is not None
    status = page.model.index(row, Column.STATUS)
    qtbot.waitUntil(lambda: "Paid" in str(status.data()), timeout=10_000)
    assert page.selected_ids() == [orders[0]]

    main.nav.setCurrentRow(1)
    qtbot.waitUntil(lambda: main.products.model.rowCount() == 0)
    uow.write(shop.sessions, lambda s: create_product(s, ProductDraft("A-1", "雾霾蓝连衣裙")))
    qtbot.waitUntil(lambda: main.products.model.rowCount() == 1, timeout=10_000)


def test_another_laptops_writes_reach_every_page_by_the_poll(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    _, main, reminders = window
    account = _account(shop)
    main.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: main.customers.model.rowCount() == 0)
    reminders.service.poll()  # the baseline the next poll compares with
    # The other laptop: its own engine and connections, so nothing here hears its commits.
    other = make_engine(shop.database_url)
    try:
        theirs = make_session_factory(other)
        customer = uow.write(
            theirs, lambda s: create_customer(s, CustomerDraft(account, nickname="隔壁的客户"))
        )
        item = ItemDraft(None, "羊毛围巾", 1, Decimal("99"))
        order = uow.write(theirs, lambda s: create_order(s, OrderDraft(customer, [item]), NOW))
        uow.write(theirs, lambda s: change_status(s, [order], OrderStatus.PAID, NOW))
        add_post(theirs, NOW - timedelta(minutes=1), "另一台电脑排的上新")
    finally:
        other.dispose()
    assert main.customers.model.rowCount() == 0  # not before the poll
    reminders.service.poll()
    qtbot.waitUntil(lambda: main.customers.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: reminders.dock.posts.count() == 1, timeout=10_000)
    main.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: main.home.card_orders.value.text() == "1", timeout=10_000)
    qtbot.waitUntil(lambda: main.home.today.rowCount() == 1, timeout=10_000)


def test_an_open_audit_log_shows_entries_written_meanwhile(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    dialog = AuditLogDialog(make_ctx())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(100)
    assert dialog.model.rowCount() == 0
    uow.write(shop.sessions, lambda s: audit.record(s, None, "skip", "post", 8, "下雨", at=NOW))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)


def test_the_overview_fills_in_as_the_demo_shop_is_written(
    qtbot: QtBot, shop: Shop, window: Window
) -> None:
    ctx, main, _ = window
    assert main.home.dashboard is not None and main.home.dashboard.is_empty
    main.load_demo()
    qtbot.waitUntil(lambda: main.home.demo_button.isEnabled(), timeout=120_000)
    # Many commits, one overview at the end that matches the database as it now is.
    final = uow.read(shop.sessions, lambda s: load_dashboard(s, NOW, ctx.zone, dormant_days=60))
    assert not final.is_empty
    qtbot.waitUntil(lambda: main.home.dashboard == final, timeout=10_000)
