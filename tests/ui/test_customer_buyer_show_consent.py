"""The 买家秀 consent checkbox in a customer's details: off by default, saved when ticked,
and unticking it is saved too (the drafts it removes: tests/core/planning)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.db.models import Customer
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from tests.ui.test_customers_page import seed, show


@pytest.fixture
def page(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> CustomersPage:
    widget = CustomersPage(make_ctx())
    qtbot.addWidget(widget)
    return widget


def settle(qtbot: QtBot, page: CustomersPage) -> None:
    """Let the save's re-read of her details arrive before the next click (it replaces
    the form)."""
    for _ in range(3):
        page._ctx.executor.wait()
        qtbot.wait(20)


def _shares(shop: Shop, customer_id: int) -> bool:
    with shop.sessions() as s:
        customer = s.get(Customer, customer_id)
        assert customer is not None
        return customer.shares_buyer_show


def test_consent_is_off_until_ticked_and_saved(
    qtbot: QtBot, shop: Shop, page: CustomersPage
) -> None:
    ids = seed(shop)
    show(qtbot, page)
    page.table.selectRow(page.model.row_of(ids["zeng"]) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == ids["zeng"])
    page.detail.tabs.setCurrentIndex(1)
    box = page.detail.shares_buyer_show
    assert not box.isChecked() and not page.detail.dirty
    assert "买家秀" in box.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and page.detail.dirty
    qtbot.mouseClick(page.detail.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.detail.dirty, timeout=5000)
    assert _shares(shop, ids["zeng"])
    settle(qtbot, page)
    assert box.isChecked() and not page.detail.dirty  # read back as saved
    assert not _shares(shop, ids["zhang"])  # nobody else's consent changed
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.detail.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.detail.dirty, timeout=5000)
    assert not _shares(shop, ids["zeng"])
