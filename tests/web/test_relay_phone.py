"""The phone page in a real browser: Debian's chromium driven by Playwright, as a phone.

Opens the relay URL (what the QR code holds) with an iPhone-sized touch screen in zh-CN,
checks the pictures are numbered and in posting order, presses 复制文案 and reads what was
copied, presses 我已发布 and sees the post posted on the laptop's side (database and event).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.relay.content import screenshot_paths
from moments_desk.core.relay.hub import RelayHub
from moments_desk.core.relay.session import RelayEvent
from moments_desk.core.shared import uow
from moments_desk.db.models import AudienceMode, Post, PostStatus
from moments_desk.scheduling.clock import FakeClock
from tests.core.relay.helpers import (
    COLOURS,
    NOW,
    Shop,
    add_account,
    add_post,
    make_hub,
    png_bytes,
)

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]

TEXT = "周二上新｜雾霾蓝法式连衣裙 👗\n¥129 包邮，S/M/L 三个码\n喜欢的私聊我～"
#: An iPhone 13/14-sized phone in Chinese; WeChat's browser is a WebView of this size.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI "
        "Language/zh_CN"
    ),
}


@pytest.fixture
def shop(session_factory: sessionmaker[Session], tmp_path: Path) -> Shop:
    (tmp_path / "media").mkdir()
    (tmp_path / "relay").mkdir()
    return Shop(session_factory, tmp_path / "media", tmp_path / "relay", FakeClock(NOW))


@pytest.fixture
def hub(shop: Shop) -> Iterator[RelayHub]:
    made = make_hub(shop)
    yield made
    made.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def test_a_phone_copies_the_text_sees_the_pictures_in_order_and_says_posted(
    shop: Shop, hub: RelayHub, browser: Any
) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(
        shop, [account], pictures=4, text=TEXT, audience=(AudienceMode.HIDDEN_FROM, ["同事"])
    )
    relay = hub.open_post(post_id, None, "127.0.0.1", 0)
    events: list[RelayEvent] = []
    hub.add_listener(events.append)
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(hub.url(relay))
        page.wait_for_function(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        sources = page.eval_on_selector_all("ol.pics img", "els => els.map(e => e.src)")
        assert [s.rsplit("/", 2)[-2:] for s in sources] == [["img", str(n)] for n in (1, 2, 3, 4)]
        numbers = page.eval_on_selector_all("ol.pics .num", "els => els.map(e => e.textContent)")
        assert numbers == ["1", "2", "3", "4"]
        # Each picture shows its own colour: the order on the phone is the posting order.
        colours = page.evaluate(
            """() => Array.from(document.querySelectorAll('ol.pics img')).map(img => {
                const c = document.createElement('canvas'); c.width = c.height = 1;
                const g = c.getContext('2d'); g.drawImage(img, 0, 0, 1, 1);
                return Array.from(g.getImageData(0, 0, 1, 1).data.slice(0, 3)); })"""
        )
        for got, want in zip(colours, COLOURS, strict=False):
            assert all(abs(a - b) < 16 for a, b in zip(got, want, strict=True)), (got, want)
        assert page.get_by_text("不给谁看").is_visible()
        # In WeChat the page says to long-press; 保存全部 is hidden there.
        assert page.locator(".wechat-hint").first.is_visible()
        assert not page.locator(".save-all").is_visible()

        page.evaluate(
            "document.addEventListener('copy', () =>"
            " { window.__copied = document.getSelection().toString(); })"
        )
        page.get_by_role("button", name="复制文案").tap()
        page.get_by_text("已复制，去微信粘贴").wait_for()
        assert page.evaluate("window.__copied") == TEXT
        assert page.evaluate("navigator.clipboard.readText()") == TEXT

        page.get_by_role("button", name="我已发布").tap()
        page.get_by_text("已记录为已发布").wait_for()
        assert page.get_by_role("button", name="已发布 ✓").is_disabled()
        status = uow.read(shop.sessions, lambda s: s.get(Post, post_id).status)  # type: ignore[union-attr]
        assert status == PostStatus.POSTED
        assert [e.kind for e in events if e.kind == "posted"] == ["posted"]

        shot = shop.work.parent / "likes.png"
        shot.write_bytes(png_bytes(colour="lavender"))
        page.locator("input[type=file]").set_input_files([str(shot)])
        page.get_by_text("已选 1 张").wait_for()
        page.get_by_role("button", name="上传截图").tap()
        page.get_by_text("已收到 1 张截图").wait_for()
        # A second message replaces the first in the same place.
        page.get_by_role("button", name="上传截图").tap()
        page.get_by_text("请先选择截图").wait_for()
        attached = uow.read(shop.sessions, lambda s: screenshot_paths(s, shop.media, post_id))
        assert len(attached) == 1 and attached[0].is_file()
        assert {e.detail for e in events if e.kind == "picture"} == {"1", "2", "3", "4"}
    finally:
        context.close()


def test_android_chrome_offers_save_all(shop: Shop, hub: RelayHub, browser: Any) -> None:
    account = add_account(shop, "主号")
    relay = hub.open_post(add_post(shop, [account], pictures=2), None, "127.0.0.1", 0)
    android = {
        **PHONE,
        "viewport": {"width": 412, "height": 915},
        "device_scale_factor": 2.625,
        "user_agent": (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36"
        ),
    }
    context = browser.new_context(accept_downloads=True, **android)
    page = context.new_page()
    try:
        page.goto(hub.url(relay))
        assert not page.locator(".wechat-hint").first.is_visible()
        with page.expect_download() as first:
            page.get_by_role("button", name="保存全部").tap()
        assert first.value.suggested_filename.endswith("-1.jpg")
    finally:
        context.close()
