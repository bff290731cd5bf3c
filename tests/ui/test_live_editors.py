"""Editors and dialogs stay current while open: a change made by a core call (as another page,
the command line or another laptop's poll would make it) shows without reopening them, and
what the seller typed but did not save is kept (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.catalogue import (
    ProductDraft,
    adjust_stock,
    create_product,
    get_product,
)
from moments_desk.core.customers.customers import (
    CustomerDraft,
    create_customer,
    update_customer,
)
from moments_desk.core.orders import orders as od
from moments_desk.core.orders.status import change_status
from moments_desk.core.planning import publishing
from moments_desk.core.planning.reminders import Notice
from moments_desk.core.shared import uow
from moments_desk.core.tracking.timeline import customer_card
from moments_desk.db.models import OrderStatus, PostStatus, WeChatAccount
from moments_desk.scheduling.reconcile import ActionKind
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.detail import CustomerDetail
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.thumbnails import ThumbnailCache
from moments_desk.ui.orders.editor import OrderEditor
from moments_desk.ui.products.editor import ProductEditor
from moments_desk.ui.reminders.missed import MissedDialog
from tests.core.team_helpers import add_post
from tests.ui.conftest import NOW


def _account(session: Session) -> int:
    account = WeChatAccount(label="主号")
    session.add(account)
    session.flush()
    return account.id


def _customer(shop: Shop) -> tuple[int, int]:
    account = uow.write(shop.sessions, _account)
    draft = CustomerDraft(account, nickname="王姐")
    return account, uow.write(shop.sessions, lambda s: create_customer(s, draft))


def test_customer_detail_shows_a_change_made_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    account, customer_id = _customer(shop)
    detail = CustomerDetail()
    qtbot.addWidget(detail)
    detail.set_accounts([(account, "主号")])
    detail.follow_changes(ctx)
    card = uow.read(shop.sessions, lambda s: customer_card(s, customer_id))
    detail.show_customer(customer_id, card.draft, card.timeline, NOW)
    detail.show()
    assert detail.heading.text() == "王姐"
    renamed = replace(card.draft, remark="王姐（老客）", city="杭州")
    uow.write(shop.sessions, lambda s: update_customer(s, customer_id, renamed))
    qtbot.waitUntil(lambda: detail.heading.text() == "王姐（老客）", timeout=5000)
    assert detail.city.text() == "杭州" and not detail.dirty
    # Unsaved typing wins over a later change from elsewhere.
    detail.city.setText("苏州")
    detail.city.textEdited.emit("苏州")
    uow.write(shop.sessions, lambda s: update_customer(s, customer_id, replace(renamed, notes="x")))
    qtbot.wait(200)
    assert detail.city.text() == "苏州" and detail.dirty


def test_product_editor_shows_stock_changed_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    paths = shop.paths
    editor = ProductEditor(ThumbnailCache(paths.media, paths.thumbnails, 96))
    qtbot.addWidget(editor)
    draft = ProductDraft(code="QZ-1", name="雾霾蓝连衣裙", price=Decimal("199"), stock=3)
    product_id = uow.write(shop.sessions, lambda s: create_product(s, draft))
    editor.follow_changes(ctx)
    editor.show_product(uow.read(shop.sessions, lambda s: get_product(s, product_id)))
    editor.show()
    assert editor.stock.value() == 3
    uow.write(shop.sessions, lambda s: adjust_stock(s, [product_id], 5))
    qtbot.waitUntil(lambda: editor.stock.value() == 8, timeout=5000)
    assert not editor.dirty


def test_order_editor_shows_an_order_paid_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    _, customer_id = _customer(shop)
    item = od.ItemDraft(None, "羊毛围巾", 1, Decimal("129"))
    draft = od.OrderDraft(customer_id, [item], recipient="王姐", address="杭州市西湖区")
    order_id = uow.write(shop.sessions, lambda s: od.create_order(s, draft, NOW))
    editor = OrderEditor(ctx, order_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.recipient.text() == "王姐", timeout=5000)
    noted = replace(draft, notes="周五前发货")
    uow.write(shop.sessions, lambda s: od.update_order(s, order_id, noted, NOW))
    qtbot.waitUntil(lambda: editor.notes.toPlainText() == "周五前发货", timeout=5000)
    # The seller starts typing; then the order is paid on another page.
    editor.courier.setText("顺丰")
    uow.write(shop.sessions, lambda s: change_status(s, [order_id], OrderStatus.PAID, NOW))
    paid = labels.order_status(OrderStatus.PAID)
    qtbot.waitUntil(lambda: editor.status.text() == paid, timeout=5000)
    assert not editor.items.isEnabled() and editor.items_note.isVisibleTo(editor)
    assert editor.courier.text() == "顺丰"


def test_missed_posts_dialog_drops_a_post_handled_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    first = add_post(shop.sessions, NOW - timedelta(hours=3), "昨晚的上新", PostStatus.DUE)
    second = add_post(shop.sessions, NOW - timedelta(hours=2), "昨晚的穿搭", PostStatus.DUE)
    dialog = MissedDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.add_notices(
        [
            Notice(ActionKind.POST_DUE, post_id, NOW - timedelta(hours=3), "x", True)
            for post_id in (first, second)
        ]
    )
    dialog.show()
    # Skipped from the due-now panel (a core call): the missed list lets it go.
    uow.write(shop.sessions, lambda s: publishing.skip_post(s, first, "太晚了", None, NOW))
    qtbot.waitUntil(lambda: dialog.post_ids() == [second], timeout=5000)
    assert "昨晚的穿搭" in dialog.list.item(0).text()


def test_the_customers_page_detail_follows_a_change_made_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    """The page wires its detail panel: a remark written elsewhere shows in the open card."""
    from moments_desk.ui.customers.page import CustomersPage

    ctx = make_ctx()
    _, customer_id = _customer(shop)
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.heading.text() == "王姐", timeout=5000)
    card = uow.read(shop.sessions, lambda s: customer_card(s, customer_id))
    renamed = replace(card.draft, remark="王姐（老客）")
    uow.write(shop.sessions, lambda s: update_customer(s, customer_id, renamed))
    qtbot.waitUntil(lambda: page.detail.heading.text() == "王姐（老客）", timeout=5000)


def test_the_products_page_editor_follows_stock_changed_elsewhere(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from moments_desk.ui.products.page import ProductsPage

    ctx = make_ctx()
    draft = ProductDraft(code="QZ-1", name="雾霾蓝连衣裙", price=Decimal("199"), stock=3)
    product_id = uow.write(shop.sessions, lambda s: create_product(s, draft))
    page = ProductsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor.product_id == product_id, timeout=5000)
    assert page.editor.stock.value() == 3
    uow.write(shop.sessions, lambda s: adjust_stock(s, [product_id], 5))
    qtbot.waitUntil(lambda: page.editor.stock.value() == 8, timeout=5000)
