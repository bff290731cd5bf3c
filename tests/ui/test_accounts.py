"""Adding the seller's WeChat account in Settings; customers need one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.pages.accounts import AccountDialog, AccountsCard
from tests.ui.cells import cell_text


def test_add_an_account(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    card = AccountsCard(make_ctx())
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.accounts == [] and not card.edit_button.isEnabled())

    def fill_and_accept(dialog: AccountDialog) -> int:
        dialog.label.setText("主号")
        dialog.nickname.setText("小棉袄的衣橱")
        dialog.wechat_id.setText("mianao")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AccountDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(card.changed, timeout=5000):
        card.add_button.click()
    qtbot.waitUntil(lambda: card.table.rowCount() == 1)
    assert cell_text(card.table, 0, 0) == "主号"
    assert cell_text(card.table, 0, 3) == "0 / 5,000"


def test_new_customer_without_an_account_explains(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = CustomersPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        page.show()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: told.append(text))
    page.new_customer()
    assert told and "Settings" in told[0]


def test_export_options_are_saved_for_the_shop(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: object
) -> None:
    from moments_desk.core.pictures.export_settings import load_export_settings
    from moments_desk.ui.kit import combo
    from moments_desk.ui.pages.export_settings import ExportSettingsCard

    card = ExportSettingsCard(make_ctx())
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.quality.value() == 90)
    with qtbot.waitSignal(card.saved, timeout=5000):
        card.long_side.setCurrentIndex(combo.find(card.long_side, 2048))
    card.watermark.setText("小棉袄的衣橱")
    with qtbot.waitSignal(card.saved, timeout=5000):
        card.watermark.editingFinished.emit()
    with card._ctx.shop.sessions() as s:
        saved = load_export_settings(s)
    assert (saved.long_side, saved.watermark_text) == (2048, "小棉袄的衣橱")
