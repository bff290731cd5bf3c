"""The due-now panel on a small screen: it folds to a strip (remembered) and shows
approvals only where an assistant can write posts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from moments_desk.core.shared import uow
from moments_desk.core.team import users
from moments_desk.db.models import UserRole
from moments_desk.prefs import Prefs
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.reminders.dock import COLLAPSED, STRIP_WIDTH
from moments_desk.ui.reminders.install import Reminders


def open_panel(qtbot: QtBot, ctx: AppContext) -> tuple[QMainWindow, Reminders]:
    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Reminders(ctx, window)
    window.resize(1366, 768)
    with qtbot.waitSignal(ui.service.state_changed, timeout=5000):
        ui.start()
    window.show()
    return window, ui


def test_the_panel_folds_to_a_strip_and_stays_folded_next_time(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    _, ui = open_panel(qtbot, ctx)
    assert not ui.dock.collapsed and ui.dock.body.isVisible()
    ui.dock.fold_button.click()
    qtbot.waitUntil(lambda: ui.dock.width() <= STRIP_WIDTH)
    assert ui.dock.strip.isVisible() and not ui.dock.body.isVisible()
    assert Prefs.load(shop.paths.prefs_file).extra[COLLAPSED] is True
    ui.stop()

    again = make_ctx()
    again.shop.prefs = Prefs.load(shop.paths.prefs_file)
    _, second = open_panel(qtbot, again)
    assert second.dock.collapsed and second.dock.width() <= STRIP_WIDTH
    second.dock.unfold_button.click()
    qtbot.waitUntil(lambda: second.dock.width() > 200)
    assert Prefs.load(shop.paths.prefs_file).extra[COLLAPSED] is False
    second.stop()


def test_approvals_show_only_when_the_shop_has_an_assistant(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    _, ui = open_panel(qtbot, ctx)
    assert not ui.dock.approval_title.isVisible() and not ui.dock.awaiting.isVisible()
    with qtbot.waitSignal(ui.service.state_changed, timeout=5000):  # the commit is announced
        uow.write(
            shop.sessions, lambda s: users.create_user(s, "小林", UserRole.ASSISTANT, "2468", None)
        )
    assert ui.dock.approval_title.isVisible() and ui.dock.awaiting.isVisible()
    ui.stop()
