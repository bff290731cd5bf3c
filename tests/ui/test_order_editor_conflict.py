"""The order editor on two laptops: a clash is told with both values, the seller's text
stays in the form, and saving again keeps hers; what the other laptop saved in fields she
did not touch survives her save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders import editing
from moments_desk.core.orders import orders as od
from moments_desk.core.shared import uow
from moments_desk.db.models import WeChatAccount
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.orders.editor import OrderEditor
from tests.ui.conftest import NOW


def _order(shop: Shop) -> int:
    def build(session: Session) -> int:
        account = WeChatAccount(label="主号")
        session.add(account)
        session.flush()
        customer = create_customer(session, CustomerDraft(account.id, nickname="王姐"))
        item = od.ItemDraft(None, "羊毛围巾", 1, Decimal("129"))
        draft = od.OrderDraft(customer, [item], recipient="王姐", address="杭州市西湖区")
        return od.create_order(session, draft, NOW)

    return uow.write(shop.sessions, build)


def test_a_clash_keeps_the_sellers_text_and_saving_again_keeps_hers(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    order_id = _order(shop)
    editor = OrderEditor(make_ctx(), order_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.address.text() == "杭州市西湖区", timeout=5000)
    # She types a new address; meanwhile the other laptop saves another one and a parcel.
    editor.address.setText("上海市徐汇区")
    there = uow.read(shop.sessions, lambda s: editing.order_for_editing(s, order_id).detail.draft)
    theirs = replace(there, address="杭州市滨江区", courier="顺丰", tracking_no="SF1")
    uow.write(shop.sessions, lambda s: editing.save_order(s, order_id, theirs, NOW, there))
    editor.save()
    qtbot.waitUntil(editor.error.isVisible, timeout=5000)
    message = editor.error.text()
    assert "杭州市滨江区" in message and "上海市徐汇区" in message
    assert editor.isVisible() and editor.address.text() == "上海市徐汇区"
    with qtbot.waitSignal(editor.accepted, timeout=5000):
        editor.save()
    stored = uow.read(shop.sessions, lambda s: editing.order_for_editing(s, order_id).detail.draft)
    # Hers where she typed; the other laptop's parcel where she did not.
    assert (stored.address, stored.courier, stored.tracking_no) == ("上海市徐汇区", "顺丰", "SF1")
