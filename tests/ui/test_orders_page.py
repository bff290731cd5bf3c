"""The Orders page and the order editor as a seller uses them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
from moments_desk.core.orders.status import change_status
from moments_desk.core.shared import uow
from moments_desk.db.models import Order, OrderStatus, Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.orders.model import Column
from moments_desk.ui.orders.page import OrdersPage
from tests.tracking_shop import NOW, build_shop


def seed_orders(shop: Shop) -> dict[str, int]:
    data = build_shop(shop.sessions, stock=10)

    def work(s: object) -> dict[str, int]:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        ids = {}
        for name, quantity in (("小美", 1), ("阿花", 2), ("曾小梅", 3)):
            ids[name] = create_order(
                s,
                OrderDraft(
                    data.customers[name],
                    [ItemDraft(data.product_id, "雾霾蓝连衣裙", quantity, Decimal(259))],
                    post_id=data.post_id if name != "曾小梅" else None,
                ),
                NOW,
            )
        change_status(s, [ids["阿花"]], OrderStatus.PAID, NOW)
        return ids

    return uow.write(shop.sessions, work)


def show(qtbot: QtBot, page: OrdersPage) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()


def customers_shown(page: OrdersPage) -> list[str]:
    model = page.model
    return [model.data(model.index(r, Column.CUSTOMER)) for r in range(model.rowCount())]


def test_filters_search_and_sort_run_in_sql(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed_orders(shop)
    page = OrdersPage(make_ctx())
    qtbot.addWidget(page)
    show(qtbot, page)
    assert page.model.rowCount() == 3
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.status.setCurrentIndex(page.status.findData(OrderStatus.PAID.value))
    assert customers_shown(page) == ["阿花"]
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.status.setCurrentIndex(0)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.search.setText("zxm")  # pinyin initials of 曾小梅
    assert customers_shown(page) == ["曾小梅"]
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.search.clear()
    qtbot.waitUntil(lambda: page.post.count() > 1)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.post.setCurrentIndex(1)
    assert sorted(customers_shown(page)) == ["小美", "阿花"]
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.post.setCurrentIndex(0)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.table.horizontalHeader().sectionClicked.emit(Column.TOTAL)
    totals = [page.model.data(page.model.index(r, Column.TOTAL)) for r in range(3)]
    assert totals == ["¥777", "¥518", "¥259"]


def test_editor_creates_an_order_with_the_customers_address(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    data = build_shop(shop.sessions, stock=10)
    page = OrdersPage(make_ctx())
    qtbot.addWidget(page)
    show(qtbot, page)
    editor = page.new_order()
    qtbot.addWidget(editor)
    editor.customer_search.setText("李小美")  # not a name: finds nobody
    editor.customer_search.setText("小美")
    qtbot.waitUntil(lambda: editor.customer.currentData() == data.customers["小美"], timeout=10_000)
    qtbot.waitUntil(lambda: editor.address.text().startswith("浙江省"), timeout=10_000)
    assert editor.recipient.text() == "李小美"
    qtbot.waitUntil(lambda: editor.product.count() > 0, timeout=10_000)
    editor.add_chosen_product()
    editor.shipping.setText("8")
    editor.discount.setText("12,5")  # ambiguous: refused with the field's reason
    editor.save()
    assert "ambiguous" in editor.error.text()
    editor.discount.setText("10")
    assert editor.total.text() == "¥257"
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    order = uow.read(shop.sessions, lambda s: s.scalars(select(Order)).one())
    assert (order.total, order.recipient, order.status) == (
        Decimal("257.00"),
        "李小美",
        OrderStatus.AWAITING_PAYMENT,
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)


def test_bulk_status_skips_orders_that_cannot_move_and_says_so(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    ids = seed_orders(shop)
    page = OrdersPage(make_ctx())
    qtbot.addWidget(page)
    show(qtbot, page)
    told: list[str] = []
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "information", lambda _p, _t, text, *a: told.append(text)
    )
    page.table.selectAll()
    page.bulk_set_status(OrderStatus.SHIPPED, confirm=False)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert f"#{ids['小美']}" in told[0] and f"#{ids['阿花']}" not in told[0]
    statuses = uow.read(
        shop.sessions, lambda s: dict(s.execute(select(Order.id, Order.status)).all())
    )
    assert statuses[ids["阿花"]] is OrderStatus.SHIPPED
    assert statuses[ids["小美"]] is OrderStatus.AWAITING_PAYMENT
    stock = uow.read(shop.sessions, lambda s: s.scalars(select(Product.stock)).one())
    assert stock == 8  # 阿花's two pieces left when paid


def test_new_order_starts_with_no_customer_and_refuses_to_save_without_one(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk.ui.kit import combo as combos

    data = build_shop(shop.sessions, stock=10)
    page = OrdersPage(make_ctx())
    qtbot.addWidget(page)
    show(qtbot, page)
    editor = page.new_order()
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.customer.count() > len(data.customers) - 1, timeout=10_000)
    qtbot.waitUntil(lambda: editor.product.count() > 0, timeout=10_000)
    assert combos.value(editor.customer) is None
    assert editor.recipient.text() == "" and editor.address.text() == ""
    editor.add_chosen_product()
    editor.save()
    assert "Choose the customer" in editor.error.text()
    assert uow.read(shop.sessions, lambda s: s.scalars(select(Order)).all()) == []
    editor.customer.setCurrentIndex(combos.find(editor.customer, data.customers["小美"]))
    qtbot.waitUntil(lambda: editor.address.text().startswith("浙江省"), timeout=10_000)
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
