"""互动: screenshots uploaded from the phone (发到手机 → 上传截图) are read from the post.

The button counts the post's screenshots, counts again when the relay reports an upload,
reads them through the same reader and confirmation list as chosen files, and says in a
sentence when a file is gone from disk.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from moments_desk.core.relay.content import attach_screenshots, screenshot_paths
from moments_desk.core.shared import uow
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.relay.service import relay_service
from moments_desk.ui.tracking.page import TrackingPage
from moments_desk.ui.tracking.quick_entry import QuickEntry
from tests.core.relay.helpers import Client, png_bytes
from tests.tracking_shop import NOW, build_shop

SCREENS = Path(__file__).resolve().parents[1] / "screens"
ASSET = SCREENS / "wechat-phone.png"
TRUTH = json.loads((SCREENS / "wechat-phone.json").read_text(encoding="utf-8"))
#: The seller's own reply on the screenshot; the quick entry leaves it out.
SELLER = "悦己服饰"


@pytest.fixture
def ctx(make_ctx: Callable[..., AppContext]) -> Iterator[AppContext]:
    made = make_ctx()
    yield made
    relay_service(made).stop()


def entry_of(qtbot: QtBot, ctx: AppContext, post_id: int) -> QuickEntry:
    page = TrackingPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    qtbot.waitUntil(lambda: page.quick_entry.post_id == post_id)
    return page.quick_entry


def attach(shop: Shop, post_id: int, files: list[tuple[str, bytes]]) -> None:
    attach_screenshots(shop.sessions, shop.paths.media, post_id, files, "phone", NOW)


def resaved(path: Path) -> bytes:
    """The same picture in other bytes: the phone sending the screenshot a second time
    after a crop-and-undo is a second file, not the same one."""
    buffer = io.BytesIO()
    with Image.open(path) as image:
        image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def test_two_screenshots_from_the_phone_are_read_into_the_confirmation_list_in_order(
    qtbot: QtBot, shop: Shop, ctx: AppContext
) -> None:
    data = build_shop(shop.sessions)
    attach(
        shop,
        data.post_id,
        [("Screenshot_1.png", ASSET.read_bytes()), ("Screenshot_2.png", resaved(ASSET))],
    )
    entry = entry_of(qtbot, ctx, data.post_id)
    button = entry.phone_button
    qtbot.waitUntil(lambda: button.count == 2)
    assert button.isEnabled() and button.text() == "Read 2 screenshot(s) sent from the phone"

    button.click()
    qtbot.waitUntil(lambda: entry.review is not None, timeout=180_000)
    assert entry.review is not None
    names = [row.match.pasted.name for row in entry.review.rows]
    commenters = [c["name"] for c in TRUTH["comments"] if c["name"] != SELLER]
    # Two pictures of one post merge: each like and each comment once, in WeChat's order.
    assert names == TRUTH["likes"] + commenters
    assert not entry.table.isColumnHidden(entry.Col.STRIP)
    strip = entry.table.cellWidget(0, entry.Col.STRIP)
    assert isinstance(strip, QLabel) and not strip.pixmap().isNull()
    assert not entry.error.isVisibleTo(entry)

    entry.unknown_to_new()
    with qtbot.waitSignal(entry.recorded, timeout=10_000):
        entry.record_button.click()
    # Recording does not use them up: they can be read again.
    qtbot.waitUntil(lambda: entry.post_id == data.post_id and button.count == 2)
    assert button.isEnabled()


def test_a_post_without_screenshots_has_the_button_off_until_the_phone_uploads_one(
    qtbot: QtBot, shop: Shop, ctx: AppContext
) -> None:
    data = build_shop(shop.sessions)
    entry = entry_of(qtbot, ctx, data.post_id)
    button = entry.phone_button
    ctx.executor.wait()  # the count is read on the database thread…
    QApplication.processEvents()  # …and delivered to the GUI thread
    assert button.count == 0 and not button.isEnabled()
    assert "0 screenshot(s)" in button.text()

    # The phone uploads through a relay on loopback; the laptop counts again by itself.
    hub = relay_service(ctx).hub
    relay = hub.open_post(data.post_id, None, "127.0.0.1", 0)
    client = Client(hub.url(relay))
    status, answer = client.upload(f"{client.base}/screenshots", [("shot.png", png_bytes())])
    assert status == 200 and answer["saved"] == 1
    qtbot.waitUntil(lambda: button.count == 1, timeout=10_000)
    assert button.isEnabled()


def test_a_screenshot_gone_from_disk_is_said_in_a_sentence(
    qtbot: QtBot, shop: Shop, ctx: AppContext
) -> None:
    data = build_shop(shop.sessions)
    attach(shop, data.post_id, [("shot.png", png_bytes())])
    paths = uow.read(shop.sessions, lambda s: screenshot_paths(s, shop.paths.media, data.post_id))
    paths[0].unlink()
    entry = entry_of(qtbot, ctx, data.post_id)
    button = entry.phone_button
    qtbot.waitUntil(lambda: button.count == 1)
    button.click()
    qtbot.waitUntil(lambda: entry.error.isVisibleTo(entry), timeout=10_000)
    assert entry.error.text() == (
        "1 screenshot(s) sent from the phone (no. 1 of 1) are no longer on this computer; "
        "send them again from the phone (Send to phone → upload screenshots)."
    )
    assert not entry.screens.reader.busy
    assert entry.review is None and entry.table.rowCount() == 0
