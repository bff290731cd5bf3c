"""The 素材库 dialog: the seller adds, edits and removes an entry; forbidden wording is
refused with a Chinese sentence; the built-in starters can be copied and edited."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from moments_desk.core.library.entries import list_entries, no_repeat_weeks
from moments_desk.core.shared import uow
from moments_desk.ui.context import AppContext
from moments_desk.ui.planner.library_dialog import LibraryDialog


def test_add_edit_and_remove_an_entry(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> None:
    ctx = make_ctx("zh_CN")
    dialog = LibraryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("tips"))
    dialog.season.setCurrentIndex(dialog.season.findData("winter"))
    dialog.tags.setText("针织 保养")
    dialog.text.setPlainText("羊毛衫平铺晾干，别挂着晒")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    (entry,) = uow.read(ctx.shop.sessions, list_entries)
    assert (entry.kind, entry.season, entry.tags) == ("tips", "winter", "针织 保养")

    dialog.text.setPlainText("集赞30个送同款")
    dialog.save()
    qtbot.waitUntil(lambda: "集赞" in dialog.status.text())
    assert "微信禁止" in dialog.status.text()
    assert uow.read(ctx.shop.sessions, list_entries)[0].text == "羊毛衫平铺晾干，别挂着晒"

    dialog.starters.setCurrentRow(0)
    dialog._copy_starter()
    assert dialog.entry_id is None and dialog.text.toPlainText()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.list.count() == 2)

    dialog.list.setCurrentRow(0)
    dialog.remove()
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    dialog.weeks.setValue(6)
    dialog._save_weeks()
    ctx.executor.wait()
    assert uow.read(ctx.shop.sessions, no_repeat_weeks) == 6
