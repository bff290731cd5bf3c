"""互动: a screenshot pasted with Ctrl+V is read, matched, confirmed beside its strips,
recorded, and its order comments get places in First N in comment order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from moments_desk.core.tracking.matching import MatchStatus
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.tracking.page import TrackingPage
from tests.tracking_shop import build_shop

ASSET = Path(__file__).resolve().parents[1] / "screens" / "wechat-phone.png"


def item_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _page(qtbot: QtBot, ctx: AppContext, post_id: int) -> TrackingPage:
    page = TrackingPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    qtbot.waitUntil(lambda: page.quick_entry.post_id == post_id)
    return page


def test_a_pasted_screenshot_is_confirmed_beside_its_strips_and_orders_go_to_first_n(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    data = build_shop(shop.sessions, stock=3)
    page = _page(qtbot, make_ctx(), data.post_id)
    entry = page.quick_entry
    QApplication.clipboard().setImage(QImage(str(ASSET)))
    page.paste_screenshot()
    qtbot.waitUntil(lambda: entry.review is not None, timeout=180_000)
    assert entry.review is not None
    rows = entry.review.rows
    # 8 likes in order, then 5 commenters; the seller's own reply is left out.
    assert [r.match.pasted.name for r in rows[:4]] == ["小美", "阿花", "Lily李", "曾小梅"]
    assert len(rows) == 13
    assert rows[2].match.status is MatchStatus.MATCHED  # "Lily李" is Lily李🌸
    assert rows[4].match.status is MatchStatus.UNKNOWN  # 杭州-王姐 is new
    assert "1 reply(ies) by you left out" in entry.note.text()
    assert "3 order intent(s)" in entry.note.text()
    assert not entry.table.isColumnHidden(entry.Col.STRIP)
    strip = entry.table.cellWidget(0, entry.Col.STRIP)
    assert isinstance(strip, QLabel) and not strip.pixmap().isNull()
    assert strip.pixmap().height() == 34
    kinds = [item_text(entry.table, r, entry.Col.KIND) for r in range(8, 13)]
    assert kinds == ["Comment", "Order · M", "Order · 黑色L", "Order", "Comment"]

    entry.unknown_to_new()
    with qtbot.waitSignal(entry.recorded, timeout=10_000):
        entry.record_button.click()
    assert entry.offer_button.isVisibleTo(entry)
    assert "3 order intent(s)" in entry.offer_button.text()
    entry.offer_button.click()
    panel = page.allocation
    assert page.tabs.currentWidget() is panel and panel.intents_only.isChecked()
    qtbot.waitUntil(lambda: panel.product.count() == 1)
    panel.allocate_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10_000)
    assert [r.customer_name for r in panel._rows] == ["阿花", "杭州-王姐", "Lily李🌸"]


def test_a_file_that_is_no_picture_is_refused_in_a_sentence_and_nothing_is_shown(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    data = build_shop(shop.sessions)
    entry = _page(qtbot, make_ctx(), data.post_id).quick_entry
    bad = tmp_path / "朋友圈.png"
    bad.write_text("hello", encoding="utf-8")
    entry.screens.read_screenshots([bad])
    qtbot.waitUntil(lambda: entry.error.isVisibleTo(entry), timeout=30_000)
    assert entry.error.text() == "朋友圈.png: this file is not a picture"
    assert entry.review is None and entry.table.rowCount() == 0
