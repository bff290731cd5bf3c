"""发到手机: a post's nine export-quality pictures served on loopback, against reading the same
files from disk; and the relay's one-off preparation (exporting them with the watermark)."""

from __future__ import annotations

import http.client
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy.orm import Session

from bench.common import Result, median_ms
from moments_desk.core.pictures.export_settings import save_export_settings
from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.relay.hub import RelayHub
from moments_desk.core.shared import uow
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Post, PostAccount, PostImage, PostKind, PostStatus, WeChatAccount
from moments_desk.scheduling.clock import SystemClock


def _shop(folder: Path) -> tuple[RelayHub, int]:
    engine = make_engine(sqlite_url(folder / "shop.sqlite3"))
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    media = folder / "media"
    stored = []
    for index in range(9):
        path = folder / f"photo-{index}.jpg"
        noise = Image.effect_noise((4000, 3000), 30 + index).convert("RGB")
        noise.save(path, "JPEG", quality=90)  # a 12 MP phone photo
        stored.append(store_image(path, media))

    def work(s: Session) -> int:
        save_export_settings(s, ExportSettings(watermark_text="小美的衣橱"))
        account = WeChatAccount(label="主号")
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text="上新",
            status=PostStatus.DUE,
            scheduled_at=datetime.now(UTC),
        )
        s.add_all([account, post])
        s.flush()
        s.add(PostAccount(post_id=post.id, account_id=account.id))
        for position, picture in enumerate(stored):
            media_row = register_media(s, picture)
            s.add(PostImage(post_id=post.id, media_id=media_row.id, position=position))
        return post.id

    post_id = uow.write(sessions, work)
    hub = RelayHub(sessions, media, folder / "relay", SystemClock(), ZoneInfo("Asia/Shanghai"))
    return hub, post_id


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return len(conn.getresponse().read())
    finally:
        conn.close()


def run(repeat: int) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="md-bench-relay-"))
    try:
        hub, post_id = _shop(folder)
        opened: list[str] = []

        def prepare() -> None:
            relay = hub.open_post(post_id, None, "127.0.0.1", 0)
            opened.append(relay.token)

        prepare_ms = median_ms(prepare, 3)
        relay = next(r for r in hub.relays() if r.token == opened[-1])
        for token in opened[:-1]:
            hub.close(token)
        base = f"/p/{relay.token}"
        port = hub.port
        files = list(relay.posts[0].pictures)
        total = sum(p.stat().st_size for p in files)
        pool = ThreadPoolExecutor(9)

        def parallel() -> None:
            sizes = list(pool.map(lambda n: _get(port, f"{base}/img/{n}"), range(1, 10)))
            assert sum(sizes) == total

        def one_connection() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            got = 0
            for number in range(1, 10):
                conn.request("GET", f"{base}/img/{number}")
                got += len(conn.getresponse().read())
            conn.close()
            assert got == total

        def disk() -> None:
            assert sum(len(p.read_bytes()) for p in files) == total

        parallel()  # warm the page cache and the server's threads
        disk_ms = median_ms(disk, repeat * 4)
        parallel_ms = median_ms(parallel, repeat * 4)
        serial_ms = median_ms(one_connection, repeat * 4)
        page_ms = median_ms(lambda: _get(port, base), repeat * 4)
        pool.shutdown()
        hub.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    size = f"9 pictures, {total / 1024:,.0f} KiB"
    return [
        Result(
            "relay: 9 pictures, 9 parallel connections",
            parallel_ms,
            "read the 9 files from disk",
            disk_ms,
            size,
        ),
        Result(
            "relay: 9 pictures, one keep-alive connection",
            serial_ms,
            "read the 9 files from disk",
            disk_ms,
            size,
        ),
        Result("relay: the phone page (fresh post state)", page_ms),
        Result("relay: open (export 9 × 12 MP with watermark)", prepare_ms, note="once per relay"),
    ]
