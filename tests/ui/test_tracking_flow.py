"""End to end: a posted new-arrivals post, 150 pasted likers, 100 pieces, orders, timelines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from moments_desk.core.shared import uow
from moments_desk.core.tracking.matching import MatchStatus
from moments_desk.db.models import AllocationStatus, Base, Customer, Interaction, Order, Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.orders.page import OrdersPage
from moments_desk.ui.tracking.page import TrackingPage
from tests.tracking_shop import build_shop

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["小美", "阿花", "丽丽", "晓燕", "芳芳", "婷婷", "静静"]


def liker_names() -> list[str]:
    names = [f"{s}{g}" for s in SURNAMES for g in GIVEN]  # 140
    names += [f"新朋友{i}🌸" for i in range(10)]
    return names[:150]


def test_paste_150_likers_allocate_100_create_orders_and_see_the_timeline(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    shop: Shop,
    make_ctx: Callable[..., AppContext],
    tmp_path: Path,
) -> None:
    names = liker_names()
    known = names[:120]  # 30 likers are not customers yet
    data = build_shop(shop.sessions, names=known, stock=100)
    ctx = make_ctx()
    page = TrackingPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    qtbot.waitUntil(lambda: page.quick_entry.post_id == data.post_id)

    # Paste as WeChat shows them, with one name pasted twice and a comment line.
    pasted = "，".join(names) + ", 王小美\n王小美：好看！多少钱"
    page.quick_entry.paste.setPlainText(pasted)
    page.quick_entry.match_button.click()
    entry = page.quick_entry
    qtbot.waitUntil(lambda: entry.review is not None, timeout=10_000)
    assert entry.review is not None
    assert entry.table.rowCount() == 151  # 150 likes + 1 comment
    assert "王小美×2" in entry.note.text()
    statuses = [r.match.status for r in entry.review.rows]
    assert statuses[:120].count(MatchStatus.MATCHED) == 120
    entry.unknown_to_new()
    with qtbot.waitSignal(entry.recorded, timeout=10_000):
        entry.record_button.click()

    def count(model: type[Base]) -> int:
        return uow.read(
            shop.sessions, lambda s: s.scalars(select(func.count()).select_from(model)).one()
        )

    assert count(Interaction) == 151
    assert count(Customer) == 121 + 30

    # First 100 likers get a place, the other 50 wait.
    page.tabs.setCurrentWidget(page.allocation)
    panel = page.allocation
    qtbot.waitUntil(lambda: panel.product.count() == 1)
    panel.first_n.setValue(100)
    panel.allocate_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 150, timeout=10_000)
    assert panel.last_outcome.text() == "100 new place(s) given; 0 pieces still free"
    placed = [r for r in panel._rows if r.status is AllocationStatus.ALLOCATED]
    assert len(placed) == 100
    assert [r.customer_name for r in panel._rows[:3]] == names[:3]  # like order kept
    with qtbot.waitSignal(panel.orders_created, timeout=10_000) as created:
        panel.create_orders(confirm=False)
    assert len(created.args[0]) == 100
    assert count(Order) == 100
    qtbot.waitUntil(lambda: "0 with a place" in panel.summary.text(), timeout=10_000)
    assert panel.last_outcome.text() == "100 order(s) created"
    stock = uow.read(shop.sessions, lambda s: s.scalar(select(Product.stock)))
    assert stock == 100  # taken when paid: the default

    # The Orders page shows them; bulk "paid" takes the stock, never below zero.
    orders = OrdersPage(ctx)
    qtbot.addWidget(orders)
    qtmodeltester.check(orders.model)
    with qtbot.waitSignal(orders.results_shown, timeout=10_000):
        orders.show()
    assert orders.model.rowCount() == 100
    orders.table.selectAll()
    from moments_desk.db.models import OrderStatus

    orders.bulk_set_status(OrderStatus.PAID, confirm=False)
    qtbot.waitUntil(
        lambda: uow.read(shop.sessions, lambda s: s.scalar(select(Product.stock))) == 0,
        timeout=10_000,
    )
    orders.export_packing("csv", tmp_path / "packing.csv")
    qtbot.waitUntil(lambda: orders.last_export is not None, timeout=10_000)
    assert (tmp_path / "packing.csv").read_text(encoding="utf-8-sig").count("雾霾蓝连衣裙") == 100

    # The first liker's timeline shows her like and her order.
    customers = CustomersPage(ctx)
    qtbot.addWidget(customers)
    with qtbot.waitSignal(customers.results_shown, timeout=10_000):
        customers.show()
    customers.open_customer(data.customers[names[0]])
    qtbot.waitUntil(lambda: customers.detail.timeline.count() >= 2, timeout=10_000)
    texts = [
        customers.detail.timeline.item(i).text() for i in range(customers.detail.timeline.count())
    ]
    assert any("Liked" in t for t in texts)
    assert any("Order" in t and "雾霾蓝连衣裙" in t for t in texts)


def test_a_draw_can_be_verified_from_its_seed(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_shop(shop.sessions)
    page = TrackingPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    qtbot.waitUntil(lambda: page.quick_entry.post_id == data.post_id)
    page.quick_entry.paste.setPlainText("小美：想要\n阿花：抽我\n曾小梅: 求中\nLily李🌸：好看")
    page.quick_entry.match()
    qtbot.waitUntil(lambda: page.quick_entry.review is not None)
    with qtbot.waitSignal(page.quick_entry.recorded, timeout=10_000):
        page.quick_entry.record()
    panel = page.draws
    panel.count.setValue(2)
    panel.draw()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert "🎉" in panel.result.text()
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    panel.verify()
    qtbot.waitUntil(lambda: panel.last_verification is not None, timeout=10_000)
    assert panel.last_verification is not None and panel.last_verification.same


def test_stock_setting_is_saved_for_the_shop(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk.core.orders.orders import StockPolicy, stock_policy
    from moments_desk.ui.pages.order_settings import OrderSettingsCard

    card = OrderSettingsCard(make_ctx())
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: not card._loading)
    with qtbot.waitSignal(card.saved, timeout=10_000):
        card.policy.setCurrentIndex(1)
    assert uow.read(shop.sessions, stock_policy) is StockPolicy.ON_CREATION


def test_packing_list_pdf_and_html(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    from decimal import Decimal

    from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
    from moments_desk.scheduling.clock import FakeClock

    data = build_shop(shop.sessions)
    ctx = make_ctx()
    assert isinstance(ctx.clock, FakeClock)
    draft = OrderDraft(
        data.customers["小美"], [ItemDraft(data.product_id, "雾霾蓝连衣裙", 1, Decimal(259), "M")]
    )
    uow.write(shop.sessions, lambda s: create_order(s, draft, ctx.clock.now()))
    page = OrdersPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    page.table.selectRow(0)
    for kind in ("pdf", "html"):
        page.last_export = None
        page.export_packing(kind, tmp_path / f"packing.{kind}")
        qtbot.waitUntil(lambda: page.last_export is not None, timeout=10_000)
    assert (tmp_path / "packing.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "packing.html").read_text(encoding="utf-8")
    assert "李小美" in html and "文三路" in html and "雾霾蓝连衣裙" in html


def test_a_customer_deleted_between_review_and_record_is_named(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from sqlalchemy import delete

    data = build_shop(shop.sessions)
    page = TrackingPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    entry = page.quick_entry
    qtbot.waitUntil(lambda: entry.post_id == data.post_id)
    entry.paste.setPlainText("阿花、小美")
    entry.match()
    qtbot.waitUntil(lambda: entry.review is not None, timeout=10_000)
    uow.write(
        shop.sessions,
        lambda s: s.execute(delete(Customer).where(Customer.id == data.customers["小美"])),
    )
    entry.record()
    qtbot.waitUntil(entry.error.isVisible, timeout=10_000)
    assert "小美" in entry.error.text() and "deleted" in entry.error.text()
    assert (
        uow.read(
            shop.sessions, lambda s: s.scalars(select(func.count()).select_from(Interaction)).one()
        )
        == 0
    )


def test_follow_ups_panel_groups_what_to_chase(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
    from tests.tracking_shop import NOW

    data = build_shop(shop.sessions)
    draft = OrderDraft(
        data.customers["阿花"], [ItemDraft(data.product_id, "雾霾蓝连衣裙", 1, Decimal(259))]
    )
    uow.write(shop.sessions, lambda s: create_order(s, draft, NOW - timedelta(days=2)))
    page = TrackingPage(make_ctx("zh_CN"))
    qtbot.addWidget(page)
    page.show()
    tree = page.follow_ups.tree
    qtbot.waitUntil(lambda: bool(page.follow_ups.rows), timeout=10_000)
    group = tree.topLevelItem(0)
    assert group is not None and group.text(0) == "未付款 (1)"
    first = group.child(0)
    assert first is not None and first.text(0) == "阿花"
    assert first.text(1) == "订单 #1 ¥259，已等 46 小时"
