"""The relay server over real HTTP on loopback: tokens, expiry, traversal, 我已发布, pictures."""

from __future__ import annotations

import contextlib
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from moments_desk.core.pictures.export_settings import save_export_settings
from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.planning import publishing
from moments_desk.core.relay.hub import RelayError, RelayHub
from moments_desk.core.shared import uow
from moments_desk.db.models import AudienceMode, AuditEntry, Post, PostStatus
from tests.core.relay.helpers import (
    COLOURS,
    NOW,
    Client,
    Shop,
    add_account,
    add_post,
    make_hub,
)

pytestmark = pytest.mark.db


def open_post(hub: RelayHub, post_id: int, account: str | None = None) -> tuple[str, Client]:
    relay = hub.open_post(post_id, account, "127.0.0.1", 0)
    url = hub.url(relay)
    return relay.token, Client(url)


def colour_of(data: bytes) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(data)) as image:
        r, g, b = image.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
    return r, g, b


def near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) < 12 for x, y in zip(a, b, strict=True))


def audit_posts(shop: Shop, post_id: int) -> int:
    return uow.read(
        shop.sessions,
        lambda s: (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "post", AuditEntry.entity_id == post_id)
            )
            or 0
        ),
    )


def status_of(shop: Shop, post_id: int) -> PostStatus:
    return uow.read(shop.sessions, lambda s: s.get(Post, post_id).status)  # type: ignore[union-attr]


def test_the_page_shows_text_audience_and_pictures_in_posting_order(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(
        shop,
        [account],
        pictures=3,
        text="<b>上新</b> 雾霾蓝",
        audience=(AudienceMode.VISIBLE_TO, ["老客户", "杭州"]),
    )
    token, client = open_post(hub, post_id)
    status, headers, body = client.get(client.base)
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "&lt;b&gt;上新&lt;/b&gt; 雾霾蓝" in page  # the seller's text is never markup
    assert re.findall(r'<img src="([^"]+)"', page) == [f"/p/{token}/img/{n}" for n in (1, 2, 3)]
    assert "部分可见" in page and "杭州、老客户" in page
    assert "复制文案" in page and "我已发布" in page and "上传截图" in page
    assert "http" not in page.split("<body>", 1)[1]  # nothing fetched from elsewhere
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_pictures_are_the_publish_helpers_export_with_the_watermark(
    shop: Shop, hub: RelayHub, tmp_path: object
) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account], pictures=3)
    settings = ExportSettings(watermark_text="小美的衣橱", watermark_position="center")
    uow.write(shop.sessions, lambda s: save_export_settings(s, settings))
    _, client = open_post(hub, post_id)
    job = uow.read(shop.sessions, lambda s: publishing.load_job(s, post_id, shop.media))
    expected = publishing.export_images(job, shop.work.parent / "helper", settings)
    for number, exported in enumerate(expected, start=1):
        status, headers, body = client.get(f"{client.base}/img/{number}")
        assert status == 200 and headers["Content-Type"] == "image/jpeg"
        assert body == exported.read_bytes()
        with Image.open(io.BytesIO(body)) as image:
            assert image.size == (1080, 810)  # 1600×1200 at the export's long side
    plain = colour_of(expected[0].read_bytes())
    assert near(plain, COLOURS[0]) or plain != COLOURS[0]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/p/",
        "/p/{bad}",
        "/p/{token}/",
        "/p/{token}/img/4",
        "/p/{token}/img/0",
        "/p/{token}/img/01",
        "/p/{token}/img/-1",
        "/p/{token}/img/../../x",
        "/p/{token}/img/%2e%2e/%2e%2e/x",
        "/p/{token}/img/1/../../../etc/passwd",
        "/p/{token}/..%2f..%2fetc%2fpasswd",
        "/p/{token}%2fimg%2f1",
        "/p/{token}/2/img/1",
        "/p/{token}/img",
        "/p/{token}/img/1.jpg",
        "/p/{token}/posted",
        "/p/{upper}",
        "/p/{token}x",
        "/P/{token}",
    ],
)
def test_anything_but_a_valid_route_is_the_same_bare_404(
    shop: Shop, hub: RelayHub, path: str
) -> None:
    account = add_account(shop, "主号")
    token, client = open_post(hub, add_post(shop, [account], pictures=3))
    wrong = "A" * 22 if token != "A" * 22 else "B" * 22
    target = path.format(token=token, bad=wrong, upper=token.swapcase())
    status, headers, body = client.get(target)
    assert (status, body) == (404, b"Not Found\n")
    assert "Server" in headers and "Python" not in headers["Server"]


def test_other_methods_and_a_garbled_request_line_get_the_bare_404(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    _, client = open_post(hub, add_post(shop, [account]))
    for method in ("HEAD", "PUT", "DELETE", "OPTIONS"):
        status, _, _ = client.request(method, client.base)
        assert status == 404, method
    import socket

    for line in (b"GARBAGE\r\n\r\n", b"GET /p/x HTTP/9.9\r\n\r\n", b"GET /" + b"a" * 70000):
        answer = b""
        with socket.create_connection((client.host, client.port), timeout=5) as raw:
            raw.sendall(line + b"\r\n\r\n")
            # The server answers and closes; a reset (unread bytes) may cut the answer short.
            with contextlib.suppress(ConnectionResetError):
                while chunk := raw.recv(4096):
                    answer += chunk
        assert b"Python" not in answer, line[:20]
        assert answer.endswith(b"Not Found\n") or (len(line) > 60000 and b"200" not in answer)


def test_an_idle_relay_ends_after_30_minutes_and_a_visit_keeps_it_alive(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    keeper, _ = open_post(hub, add_post(shop, [account]))  # keeps the server up
    token, client = open_post(hub, add_post(shop, [account]))
    shop.clock.advance(timedelta(minutes=29))
    assert client.get(client.base)[0] == 200
    shop.clock.advance(timedelta(minutes=29))
    assert client.get(f"{client.base}/img/1")[0] == 200
    shop.clock.advance(timedelta(minutes=30))
    assert client.get(client.base)[:3:2] == (404, b"Not Found\n")
    assert token not in {r.token for r in hub.relays()} and keeper in {
        r.token for r in hub.relays()
    }


def test_a_closed_relay_stops_answering_and_the_last_one_stops_the_server(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    first, client = open_post(hub, add_post(shop, [account]))
    second, _ = open_post(hub, add_post(shop, [account]))
    folder = hub.relays()[0].folder
    hub.close(first)
    assert client.get(client.base)[0] == 404
    assert not folder.exists()  # its exported pictures are gone too
    hub.close(second)
    assert not hub.listening
    with pytest.raises(ConnectionRefusedError):
        client.get(client.base)


def test_a_today_relay_serves_the_days_posts_of_one_account_until_midnight(
    shop: Shop, hub: RelayHub
) -> None:
    main, other = add_account(shop, "主号"), add_account(shop, "小号")
    noon = add_post(shop, [main], pictures=2, text="午间生活", at=NOW + timedelta(hours=2))
    evening = add_post(shop, [main], pictures=1, text="晚上上新", at=NOW + timedelta(hours=10))
    add_post(shop, [main], text="明天的", at=NOW + timedelta(days=1))
    add_post(shop, [other], text="小号的", at=NOW + timedelta(hours=3))
    relay = hub.open_today("主号", "127.0.0.1", 0)
    client = Client(hub.url(relay))
    page = client.get(client.base)[2].decode()
    assert page.index("午间生活") < page.index("晚上上新")
    assert "明天的" not in page and "小号的" not in page
    assert client.get(f"{client.base}/2/img/1")[0] == 200
    assert client.get(f"{client.base}/2/img/2")[0] == 404
    assert client.get(f"{client.base}/3/img/1")[0] == 404
    status, answer = client.post_form(f"{client.base}/2/posted", {})
    assert status == 200 and answer["state"] == "posted"
    assert status_of(shop, evening) == PostStatus.POSTED
    assert status_of(shop, noon) == PostStatus.DUE
    # Kept open all day by the phone, 23:59:59 Shanghai still works; midnight ends it.
    while shop.clock.now() < NOW.replace(hour=15, minute=40):
        shop.clock.advance(timedelta(minutes=25))
        assert client.get(f"{client.base}/1/img/1")[0] == 200
    shop.clock.set(NOW.replace(hour=15, minute=59, second=59))
    assert client.get(client.base)[0] == 200
    shop.clock.set(NOW.replace(hour=16))
    assert client.get(client.base)[:3:2] == (404, b"Not Found\n")


def test_a_today_relay_needs_an_account_when_the_shop_has_several(
    shop: Shop, hub: RelayHub
) -> None:
    add_account(shop, "主号")
    add_account(shop, "小号")
    with pytest.raises(RelayError) as raised:
        hub.open_today(None, "127.0.0.1", 0)
    assert raised.value.code == "no_account"
    assert not hub.listening


def test_posted_is_the_laptops_state_change_audited_once_on_a_double_tap(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account])
    _, client = open_post(hub, post_id)
    events: list[str] = []
    hub.add_listener(lambda e: events.append(e.kind))
    first = client.post_form(f"{client.base}/posted", {})
    second = client.post_form(f"{client.base}/posted", {})
    assert first == (200, {**first[1], "ok": True, "state": "posted", "finished": True})
    assert second[0] == 200 and second[1]["state"] == "already"
    assert status_of(shop, post_id) == PostStatus.POSTED
    assert audit_posts(shop, post_id) == 1
    assert events.count("posted") == 1
    assert "已发布 ✓" in client.get(client.base)[2].decode()


def test_taps_racing_on_parallel_connections_record_once(shop: Shop, hub: RelayHub) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account])
    _, client = open_post(hub, post_id)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: client.post_form(f"{client.base}/posted", {}), range(6)))
    states = sorted(str(a[1]["state"]) for a in answers)
    assert all(a[0] == 200 for a in answers)
    assert states.count("posted") == 1 and states.count("already") == 5
    assert audit_posts(shop, post_id) == 1


def test_a_post_on_two_accounts_asks_which_one_and_records_per_account(
    shop: Shop, hub: RelayHub
) -> None:
    main, other = add_account(shop, "主号"), add_account(shop, "小号")
    post_id = add_post(shop, [main, other])
    _, client = open_post(hub, post_id)
    status, answer = client.post_form(f"{client.base}/posted", {})
    assert status == 400 and "哪个微信号" in str(answer["message"])
    assert client.post_form(f"{client.base}/posted", {"account": "小号"})[1]["finished"] is False
    assert status_of(shop, post_id) == PostStatus.DUE
    status, answer = client.post_form(f"{client.base}/posted", {"account": str(main)})
    assert (status, answer["finished"]) == (200, True)
    assert status_of(shop, post_id) == PostStatus.POSTED


def test_a_relay_for_one_account_refuses_another(shop: Shop, hub: RelayHub) -> None:
    main, other = add_account(shop, "主号"), add_account(shop, "小号")
    post_id = add_post(shop, [main, other])
    _, client = open_post(hub, post_id, account="主号")
    status, answer = client.post_form(f"{client.base}/posted", {"account": "小号"})
    assert status == 400 and "主号" in str(answer["message"])
    assert client.post_form(f"{client.base}/posted", {})[1]["state"] == "posted"
    with pytest.raises(RelayError):
        hub.open_post(add_post(shop, [other]), "主号", "127.0.0.1", 0)


def test_a_skipped_post_cannot_be_posted_from_the_phone(shop: Shop, hub: RelayHub) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account])
    _, client = open_post(hub, post_id)
    uow.write(shop.sessions, lambda s: publishing.skip_post(s, post_id, "下雨", None, NOW))
    status, answer = client.post_form(f"{client.base}/posted", {})
    assert status == 409 and "跳过" in str(answer["message"])
    assert status_of(shop, post_id) == PostStatus.SKIPPED


def test_a_phone_fetching_nine_pictures_at_once_gets_each_in_its_place(shop: Shop) -> None:
    hub = make_hub(shop)
    try:
        account = add_account(shop, "主号")
        _, client = open_post(hub, add_post(shop, [account], pictures=9))
        with ThreadPoolExecutor(9) as pool:
            answers = list(pool.map(lambda n: client.get(f"{client.base}/img/{n}"), range(1, 10)))
        assert [a[0] for a in answers] == [200] * 9
        assert all(near(colour_of(a[2]), c) for a, c in zip(answers, COLOURS, strict=True))
        assert client.get(f"{client.base}/img/10")[0] == 404
    finally:
        hub.stop()


def test_a_post_with_a_missing_picture_opens_no_relay_and_leaves_nothing(
    shop: Shop, hub: RelayHub
) -> None:
    account = add_account(shop, "主号")
    post_id = add_post(shop, [account], pictures=2)
    job = uow.read(shop.sessions, lambda s: publishing.load_job(s, post_id, shop.media))
    job.images[1].unlink()
    with pytest.raises(publishing.PublishError) as raised:
        hub.open_post(post_id, None, "127.0.0.1", 0)
    assert raised.value.code == "image_missing"
    assert not hub.listening and list(shop.work.iterdir()) == []
