"""The 买家秀 consent checkbox in a customer's details: off by default, saved when ticked,
and unticking it is saved too (the drafts it removes: tests/core/planning)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from moments_desk.core.customers.buyer_show import photo_ids
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

    def dirty() -> bool:
        return page.detail.dirty

    assert not box.isChecked() and not dirty()
    assert "买家秀" in box.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and dirty()
    qtbot.mouseClick(page.detail.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.detail.dirty, timeout=5000)
    assert _shares(shop, ids["zeng"])
    settle(qtbot, page)
    assert box.isChecked() and not dirty()  # read back as saved
    assert not _shares(shop, ids["zhang"])  # nobody else's consent changed
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.detail.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.detail.dirty, timeout=5000)
    assert not _shares(shop, ids["zeng"])


def test_photos_she_sent_are_added_and_removed(
    qtbot: QtBot,
    shop: Shop,
    page: CustomersPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = seed(shop)
    show(qtbot, page)
    page.table.selectRow(page.model.row_of(ids["zeng"]) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == ids["zeng"])
    photos = page.detail.photos
    qtbot.waitUntil(photos.add.isEnabled)
    assert not photos.clear.isEnabled()
    files = []
    for n in range(2):
        path = tmp_path / f"buyer{n}.jpg"
        Image.new("RGB", (40, 30), (n * 90, 120, 200)).save(path, "JPEG")
        files.append(str(path))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    qtbot.mouseClick(photos.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: photos.clear.isEnabled(), timeout=5000)
    assert "2" in photos.count.text()
    with shop.sessions() as s:
        assert photo_ids(s, ids["zeng"]) and len(photo_ids(s, ids["zeng"])) == 2
    qtbot.mouseClick(photos.clear, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not photos.clear.isEnabled(), timeout=5000)
    with shop.sessions() as s:
        assert photo_ids(s, ids["zeng"]) == []
