"""发到手机 on the laptop: the QR dialog from the publish helper and the 待发 panel, live status
of what the phone did, and the post's state changing on the laptop when the phone says 已发布."""

from __future__ import annotations

import contextlib
import http.client
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.shared import uow
from moments_desk.db.models import PostImage, PostStatus
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.publish.dialog import PublishDialog
from moments_desk.ui.relay import dialog as relay_dialog
from moments_desk.ui.relay.dialog import RelayDialog
from moments_desk.ui.relay.service import relay_service
from moments_desk.ui.reminders.dock import DueNowDock
from tests.core.team_helpers import add_post, post_status
from tests.ui.conftest import NOW


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never listen on a LAN interface."""
    monkeypatch.setattr(relay_dialog, "candidate_addresses", lambda: ["127.0.0.1"])
    monkeypatch.setattr(relay_dialog, "DEFAULT_PORT", 0)


@pytest.fixture
def ctx(make_ctx: Callable[..., AppContext]) -> Iterator[AppContext]:
    made = make_ctx()
    yield made
    relay_service(made).stop()


def with_pictures(shop: Shop, post_id: int, tmp_path: Path, count: int) -> None:
    def attach(s: object) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        for position in range(count):
            path = tmp_path / f"p{position}.jpg"
            Image.new("RGB", (400, 300), (40 * position, 90, 160)).save(path)
            media = register_media(s, store_image(path, shop.paths.media))
            s.add(PostImage(post_id=post_id, media_id=media.id, position=position))

    uow.write(shop.sessions, attach)


def fetch(url: str, path: str = "", method: str = "GET", body: bytes | None = None) -> int:
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        path_part = "/" + url.removeprefix("http://").split("/", 1)[1] + path
        conn.request(method, path_part, body=body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def shown_dialog(ctx: AppContext) -> RelayDialog:
    dialog = relay_service(ctx).dialog
    assert isinstance(dialog, RelayDialog)
    return dialog


def test_the_phone_says_posted_and_the_publish_helper_shows_it_live(
    qtbot: QtBot, ctx: AppContext, shop: Shop, tmp_path: Path
) -> None:
    post_id = add_post(
        shop.sessions, NOW + timedelta(minutes=5), status=PostStatus.DUE, accounts=["主号"]
    )
    with_pictures(shop, post_id, tmp_path, 2)
    helper = PublishDialog(ctx, post_id)
    qtbot.addWidget(helper)
    helper.show()
    qtbot.waitUntil(lambda: len(helper.posted_buttons) == 1)
    helper.phone_button.click()
    relay = shown_dialog(ctx)
    qtbot.waitUntil(lambda: relay.url != "", timeout=10_000)
    assert relay.url.startswith("http://127.0.0.1:")
    pixmap = relay.qr.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.width() >= 200

    assert fetch(relay.url) == 200
    qtbot.waitUntil(lambda: relay.log.count() == 1)
    assert "opened the page" in relay.log.item(0).text()
    assert fetch(relay.url, "/img/2") == 200
    qtbot.waitUntil(lambda: "1 of 2 (2)" in relay.pictures.text())

    with qtbot.waitSignal(ctx.changes.changed, timeout=5000):
        assert fetch(relay.url, "/posted", "POST", b"") == 200
    assert post_status(shop.sessions, post_id) == PostStatus.POSTED
    qtbot.waitUntil(lambda: "posted on 主号" in relay.log.item(0).text())
    qtbot.waitUntil(lambda: helper.posted_buttons == {})  # the 已发 button gave way to the time

    url = relay.url
    relay.close_button.click()
    qtbot.waitUntil(lambda: not relay_service(ctx).hub.listening, timeout=5000)
    with pytest.raises(ConnectionError):  # nothing listens any more
        fetch(url)


def test_today_from_the_due_panel_asks_the_account_and_serves_its_posts(
    qtbot: QtBot, ctx: AppContext, shop: Shop
) -> None:
    add_post(shop.sessions, NOW + timedelta(hours=1), text="主号的午间", accounts=["主号"])
    add_post(shop.sessions, NOW + timedelta(hours=2), text="小号的晚间", accounts=["小号"])
    window = QMainWindow()
    qtbot.addWidget(window)
    dock = DueNowDock(ctx, window)
    dock.today_button.click()
    relay = shown_dialog(ctx)
    qtbot.waitUntil(lambda: relay.url != "", timeout=10_000)
    assert relay.account.count() == 2 and "主号" in relay.heading.text()
    first = relay.url
    relay.account.setCurrentIndex(relay.account.findData("小号"))
    qtbot.waitUntil(lambda: relay.url not in ("", first), timeout=10_000)
    assert "小号" in relay.heading.text()
    # Choosing again ended the first relay (and its server, when it was the last).
    with contextlib.suppress(ConnectionError):
        assert fetch(first) == 404
    assert fetch(relay.url) == 200
    relay.close()


def test_a_relay_that_cannot_start_says_why(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as taken:  # another program holds the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setattr(relay_dialog, "DEFAULT_PORT", taken.getsockname()[1])
        post_id = add_post(ctx.shop.sessions, NOW, accounts=["主号"])
        relay = relay_dialog.open_relay(ctx, relay_dialog.RelayTarget(post_id=post_id), None)
        qtbot.waitUntil(lambda: "cannot listen" in relay.qr.text(), timeout=10_000)
    assert relay.url == "" and not relay_service(ctx).hub.listening
    relay.close()


def test_the_composer_sends_only_a_saved_post(
    qtbot: QtBot, ctx: AppContext, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from PySide6.QtWidgets import QMessageBox

    from moments_desk.ui.planner.composer import ComposerDialog
    from tests.ui.planner_shop import add_post as add_planned_post
    from tests.ui.planner_shop import build_seller_shop, local

    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Discard)
    seller = build_seller_shop(shop)
    new = ComposerDialog(ctx, seller.account_id, None)
    qtbot.addWidget(new)
    assert not new.phone_button.isEnabled()
    post_id = add_planned_post(shop, seller.account_id, local(date(2026, 11, 24), 20))
    composer = ComposerDialog(ctx, seller.account_id, post_id)
    qtbot.addWidget(composer)
    composer.show()
    qtbot.waitUntil(lambda: not composer._loading, timeout=5000)
    composer.form.text.setPlainText("改了还没保存")
    composer.phone_button.click()
    assert relay_service(ctx).dialog is None and "Save the post first" in (
        composer.status_label.text()
    )
    composer.save(schedule=False)
    qtbot.waitUntil(lambda: not composer.dirty, timeout=5000)
    composer.phone_button.click()
    relay = shown_dialog(ctx)
    qtbot.waitUntil(lambda: relay.url != "", timeout=10_000)
    assert fetch(relay.url) == 200
    relay.close()


def test_quitting_the_app_ends_every_relay(
    qtbot: QtBot, qapp: object, ctx: AppContext, shop: Shop
) -> None:
    from PySide6.QtWidgets import QApplication

    post_id = add_post(shop.sessions, NOW, accounts=["主号"])
    relay = relay_dialog.open_relay(ctx, relay_dialog.RelayTarget(post_id=post_id), None)
    qtbot.waitUntil(lambda: relay.url != "", timeout=10_000)
    assert isinstance(qapp, QApplication)
    qapp.aboutToQuit.emit()  # what app.exec() emits on the way out
    assert not relay_service(ctx).hub.listening and relay_service(ctx).hub.relays() == []
    with pytest.raises(ConnectionError):
        fetch(relay.url)
    relay.close()
