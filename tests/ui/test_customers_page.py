"""The Customers page as a seller uses it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.db.models import Customer, CustomerStage, Interaction, WeChatAccount
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.model import Column
from moments_desk.ui.customers.page import CustomersPage
from tests.ui.conftest import type_text


def seed(shop: Shop, friends_on_main: int = 0) -> dict[str, int]:
    with shop.sessions.begin() as s:
        main = WeChatAccount(label="主号", friend_limit=10)
        alt = WeChatAccount(label="小号")
        s.add_all([main, alt])
        s.flush()
        ids = {
            "zhang": cu.create_customer(
                s, CustomerDraft(account_id=main.id, nickname="张三", remark="杭州-张姐")
            ),
            "zeng": cu.create_customer(s, CustomerDraft(account_id=main.id, nickname="曾小梅")),
            "lily": cu.create_customer(s, CustomerDraft(account_id=alt.id, nickname="Lily李🌸")),
        }
        for i in range(friends_on_main):
            cu.create_customer(s, CustomerDraft(account_id=main.id, nickname=f"好友{i}"))
        ids["main"], ids["alt"] = main.id, alt.id
    return ids


@pytest.fixture
def page(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> CustomersPage:
    widget = CustomersPage(make_ctx())
    qtbot.addWidget(widget)
    return widget


def show(qtbot: QtBot, page: CustomersPage) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    page.activateWindow()  # shortcuts such as Ctrl+S only reach an active window
    qtbot.waitUntil(page.isActiveWindow)


def names(page: CustomersPage) -> list[str]:
    return [page.model.data(page.model.index(r, Column.NAME)) for r in range(page.model.rowCount())]


def test_search_as_you_type_with_pinyin(qtbot: QtBot, shop: Shop, page: CustomersPage) -> None:
    seed(shop)
    show(qtbot, page)
    assert page.model.rowCount() == 3
    for text, expected in (("zs", ["杭州-张姐"]), ("zxm", ["曾小梅"]), ("lily", ["Lily李🌸"])):
        with qtbot.waitSignal(page.results_shown, timeout=10_000):
            page.search.setText(text)
        assert names(page) == expected


def test_account_budget_warns_near_the_limit(qtbot: QtBot, shop: Shop, page: CustomersPage) -> None:
    seed(shop, friends_on_main=7)  # 9 of 10
    show(qtbot, page)
    qtbot.waitUntil(lambda: "主号" in page.accounts_label.text())
    assert "9/10" in page.accounts_label.text()
    assert "5,000" in page.accounts_label.text()


def test_model_checks(
    qtmodeltester: ModelTester, qtbot: QtBot, shop: Shop, page: CustomersPage
) -> None:
    seed(shop)
    show(qtbot, page)
    qtmodeltester.check(page.model)


def test_open_edit_and_add_a_note(qtbot: QtBot, shop: Shop, page: CustomersPage) -> None:
    ids = seed(shop)
    show(qtbot, page)
    page.table.selectRow(page.model.row_of(ids["zeng"]) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == ids["zeng"])
    assert page.detail.nickname.text() == "曾小梅"
    page.detail.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.detail.city, Qt.MouseButton.LeftButton)
    type_text(page.detail.city, "杭州")
    page.detail.stage.setCurrentIndex(page.detail.stage.findData(CustomerStage.FAN))
    qtbot.keyClick(page.detail.city, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.detail.dirty)
    page.detail.tabs.setCurrentIndex(0)
    type_text(page.detail.note, "想要M码，下周到货再联系")
    qtbot.mouseClick(page.detail.add_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.timeline.count() == 1, timeout=5000)
    assert "想要M码" in page.detail.timeline.item(0).text()
    with shop.sessions() as s:
        customer = s.get(Customer, ids["zeng"])
        assert customer is not None and customer.city == "杭州"
        assert customer.stage is CustomerStage.FAN and customer.stage_set_by_hand
        assert s.scalars(select(Interaction.content)).one() == "想要M码，下周到货再联系"


def test_impossible_birthday_is_explained(qtbot: QtBot, shop: Shop, page: CustomersPage) -> None:
    ids = seed(shop)
    show(qtbot, page)
    page.table.selectRow(page.model.row_of(ids["zhang"]) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == ids["zhang"])
    page.detail.has_birthday.setChecked(True)
    page.detail.birth_month.setValue(2)
    page.detail.birth_day.setValue(30)
    page.detail.save.click()
    qtbot.waitUntil(page.detail.error.isVisible)
    assert "2/30" in page.detail.error.text()


def test_merge_two_duplicates(
    qtbot: QtBot, shop: Shop, page: CustomersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(shop)
    show(qtbot, page)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.table.selectRow(page.model.row_of(ids["zhang"]) or 0)
    page.table.selectionModel().select(
        page.model.index(page.model.row_of(ids["zeng"]) or 0, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert page.merge_button.isEnabled()
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.merge_selected()
    assert page.model.rowCount() == 2


def test_delete_waits_until_the_customer_is_saved(
    qtbot: QtBot, shop: Shop, page: CustomersPage
) -> None:
    seed(shop)
    show(qtbot, page)
    assert not page.detail.forget.isEnabled()  # nothing chosen yet
    page.new_customer()
    assert not page.detail.forget.isEnabled()
    type_text(page.detail.nickname, "新朋友")
    assert not page.detail.forget.isEnabled()
