"""上传截图 over HTTP: stored and attached in order, hostile files refused with nothing written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moments_desk.core.relay.content import post_screenshots, screenshot_paths
from moments_desk.core.relay.hub import RelayHub
from moments_desk.core.relay.session import UploadLimits
from moments_desk.core.shared import uow
from moments_desk.db.models import MediaFile, PostScreenshot
from tests.core.relay.helpers import Client, Shop, add_account, add_post, make_hub, png_bytes
from tests.images import hostile_images, load_image

pytestmark = pytest.mark.db


def opened(shop: Shop, hub: RelayHub) -> tuple[int, Client]:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account], pictures=1)
    relay = hub.open_post(post_id, None, "127.0.0.1", 0)
    return post_id, Client(hub.url(relay))


def stored_files(media: Path) -> set[Path]:
    return {p for p in media.rglob("*") if p.is_file()}


def counts(shop: Shop) -> tuple[int, int]:
    def work(s: object) -> tuple[int, int]:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        shots = s.scalar(select(func.count()).select_from(PostScreenshot)) or 0
        media = s.scalar(select(func.count()).select_from(MediaFile)) or 0
        return shots, media

    return uow.read(shop.sessions, work)


@pytest.fixture
def small_limits(shop: Shop) -> RelayHub:
    return make_hub(shop, UploadLimits(file_bytes=200_000, request_bytes=600_000, per_relay=4))


def test_screenshots_are_attached_to_the_post_in_the_order_they_came(
    shop: Shop, hub: RelayHub
) -> None:
    post_id, client = opened(shop, hub)
    first, second = png_bytes(colour="pink"), png_bytes(colour="navy")
    status, answer = client.upload(f"{client.base}/screenshots", [("点赞.png", first)])
    assert status == 200 and answer["ok"] is True and answer["saved"] == 1
    status, answer = client.upload(
        f"{client.base}/screenshots", [("评论.png", second), ("again.png", first)]
    )
    assert status == 200 and answer["saved"] == 1  # the same picture is kept once
    paths = uow.read(shop.sessions, lambda s: screenshot_paths(s, shop.media, post_id))
    seen = [load_image(p).getpixel((5, 5)) for p in paths]
    for got, want in zip(seen, [(255, 192, 203), (0, 0, 128)], strict=True):
        assert all(abs(a - b) <= 3 for a, b in zip(got, want, strict=True))  # type: ignore[arg-type]
    rows = uow.read(shop.sessions, lambda s: post_screenshots(s, shop.media, post_id))
    assert [r.source for r in rows] == ["phone", "phone"]
    assert rows[0].size_bytes == len(first)


@pytest.mark.parametrize(
    "name",
    ["text-named.jpg", "bomb.png", "truncated.jpg", "header-only.png", "zero-byte.jpg"],
)
def test_a_hostile_file_is_refused_in_chinese_and_nothing_is_written(
    shop: Shop, hub: RelayHub, tmp_path: Path, name: str
) -> None:
    hostile = hostile_images(tmp_path / "hostile")[name]
    _, client = opened(shop, hub)
    before_files, before_rows = stored_files(shop.media), counts(shop)
    status, answer = client.upload(
        f"{client.base}/screenshots", [("good.png", png_bytes()), (name, hostile.read_bytes())]
    )
    assert status in (400, 422) and answer["ok"] is False
    message = str(answer["message"])
    assert any("\u4e00" <= c <= "\u9fff" for c in message)
    assert stored_files(shop.media) == before_files and counts(shop) == before_rows


def test_an_oversized_file_and_an_oversized_request_are_refused(
    shop: Shop, small_limits: RelayHub
) -> None:
    try:
        _, client = opened(shop, small_limits)
        before = stored_files(shop.media)
        big = png_bytes((900, 900), "white") + b"\0" * 250_000
        status, answer = client.upload(f"{client.base}/screenshots", [("big.png", big)])
        assert status == 413 and "不能超过" in str(answer["message"])
        # A body declared bigger than the cap is refused before it is read.
        status, answer = client.upload(
            f"{client.base}/screenshots", [("a.png", png_bytes())], content_length=10_000_000
        )
        assert status == 413 and "分几次" in str(answer["message"])
        assert stored_files(shop.media) == before
    finally:
        small_limits.stop()


def test_too_many_screenshots_for_one_relay_are_refused(shop: Shop, small_limits: RelayHub) -> None:
    try:
        _, client = opened(shop, small_limits)
        for colour in ("red", "green", "blue", "gray"):
            assert (
                client.upload(f"{client.base}/screenshots", [("s.png", png_bytes(colour=colour))])[
                    0
                ]
                == 200
            )
            shop.clock.advance(timedelta(minutes=1))
        status, answer = client.upload(f"{client.base}/screenshots", [("s.png", png_bytes())])
        assert status == 429 and "够多" in str(answer["message"])
        assert counts(shop)[0] == 4
    finally:
        small_limits.stop()


def test_uploading_too_fast_is_refused_until_a_minute_has_passed(shop: Shop) -> None:
    hub = make_hub(shop, UploadLimits(per_minute=2))
    try:
        _, client = opened(shop, hub)
        assert (
            client.upload(f"{client.base}/screenshots", [("1.png", png_bytes(colour="red"))])[0]
            == 200
        )
        assert (
            client.upload(f"{client.base}/screenshots", [("2.png", png_bytes(colour="tan"))])[0]
            == 200
        )
        status, answer = client.upload(f"{client.base}/screenshots", [("3.png", png_bytes())])
        assert status == 429 and "一分钟" in str(answer["message"])
        shop.clock.advance(timedelta(seconds=61))
        assert client.upload(f"{client.base}/screenshots", [("3.png", png_bytes())])[0] == 200
    finally:
        hub.stop()


def test_a_body_that_is_not_multipart_is_refused(shop: Shop, hub: RelayHub) -> None:
    _, client = opened(shop, hub)
    status, _, body = client.request(
        "POST", f"{client.base}/screenshots", b"file=abc", {"Content-Type": "text/plain"}
    )
    assert status == 400 and "上传格式不对" in body.decode()
    assert counts(shop) == (0, 1)
