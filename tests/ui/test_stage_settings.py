"""Settings › Customer stages, and the "set by hand" tick in a customer's details."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from moments_desk.core.shared import uow
from moments_desk.core.stages.ladder import StageThresholds, load_thresholds
from moments_desk.db.models import CustomerStage
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.detail import CustomerDetail
from moments_desk.ui.pages.stage_settings import StageSettingsCard


def test_thresholds_are_saved_and_a_wrong_pair_is_refused_with_a_sentence(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = StageSettingsCard(make_ctx("zh_CN"))
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.fan_orders.value() == 2)
    card.fan_orders.setValue(3)
    card.iron_orders.setValue(6)
    with qtbot.waitSignal(card.saved, timeout=5000):
        card.save_button.click()
    assert "0" in card.status.text()
    assert uow.read(shop.sessions, load_thresholds) == StageThresholds(fan_orders=3, iron_orders=6)

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    card.iron_orders.setValue(3)
    card.save_button.click()
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["铁粉需要的订单数（3）要多于粉丝（3）。"]
    assert uow.read(shop.sessions, load_thresholds).iron_orders == 6  # nothing saved


def test_unticking_set_by_hand_hands_the_stage_back_to_the_ladder(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from moments_desk.core.customers.customers import CustomerDraft

    detail = CustomerDetail()
    qtbot.addWidget(detail)
    detail.set_accounts([(1, "主号")])
    draft = CustomerDraft(account_id=1, nickname="小美", stage=CustomerStage.FAN)
    draft.stage_set_by_hand = True
    detail.show_customer(7, draft, None, datetime(2026, 11, 22, tzinfo=UTC))
    assert detail.stage_by_hand.isChecked()
    detail.stage_by_hand.setChecked(False)
    assert detail.dirty
    assert detail.draft().stage_set_by_hand is False
