"""A shop with posts and pictures, a relay hub on loopback, and a plain HTTP client."""

from __future__ import annotations

import http.client
import io
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.relay.hub import RelayHub
from moments_desk.core.relay.session import UploadLimits
from moments_desk.core.shared import uow
from moments_desk.db.models import (
    AudienceMode,
    Post,
    PostAccount,
    PostImage,
    PostKind,
    PostStatus,
    Tag,
    WeChatAccount,
)
from moments_desk.scheduling.clock import FakeClock

ZONE = ZoneInfo("Asia/Shanghai")
#: 10:00 in Shanghai on a Tuesday.
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
#: Colours of the pictures in posting order, so a test can tell them apart after export.
COLOURS = [
    (220, 30, 30),
    (30, 160, 40),
    (30, 60, 220),
    (230, 200, 20),
    (150, 40, 170),
    (20, 180, 190),
    (240, 120, 20),
    (90, 90, 90),
    (250, 250, 250),
]


def picture(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90)
    return path


@dataclass
class Shop:
    sessions: sessionmaker[Session]
    media: Path
    work: Path
    clock: FakeClock


def add_account(shop: Shop, label: str) -> int:
    def work(s: Session) -> int:
        account = WeChatAccount(label=label)
        s.add(account)
        s.flush()
        return account.id

    return uow.write(shop.sessions, work)


def add_post(
    shop: Shop,
    account_ids: list[int],
    pictures: int = 3,
    text: str = "周二上新：雾霾蓝连衣裙\n¥129 包邮",
    at: datetime | None = None,
    status: PostStatus = PostStatus.DUE,
    audience: tuple[AudienceMode, list[str]] = (AudienceMode.EVERYONE, []),
) -> int:
    sources = []
    for index in range(pictures):
        path = shop.work.parent / f"src-{uuid.uuid4().hex}.jpg"
        sources.append(store_image(picture(path, COLOURS[index % 9]), shop.media))

    def work(s: Session) -> int:
        post = Post(
            kind=PostKind.NEW_ARRIVAL,
            text=text,
            status=status,
            scheduled_at=at or NOW + timedelta(hours=2),
            audience_mode=audience[0],
        )
        s.add(post)
        s.flush()
        for name in audience[1]:
            tag = Tag(name=name)
            s.add(tag)
            s.flush()
            from moments_desk.db.models import post_audience_tag

            s.execute(post_audience_tag.insert().values(post_id=post.id, tag_id=tag.id))
        for account_id in account_ids:
            s.add(PostAccount(post_id=post.id, account_id=account_id))
        for position, stored in enumerate(sources):
            media = register_media(s, stored)
            s.add(PostImage(post_id=post.id, media_id=media.id, position=position))
        return post.id

    return uow.write(shop.sessions, work)


def make_hub(shop: Shop, limits: UploadLimits | None = None) -> RelayHub:
    return RelayHub(shop.sessions, shop.media, shop.work, shop.clock, ZONE, limits=limits)


class Client:
    """One keep-alive HTTP connection to the relay (what a phone's browser holds)."""

    def __init__(self, url: str) -> None:
        host, _, rest = url.removeprefix("http://").partition("/")
        self.host, port = host.rsplit(":", 1)
        self.port = int(port)
        self.base = "/" + rest

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, object]]:
        from urllib.parse import urlencode

        status, _, body = self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status, json.loads(body)

    def upload(
        self, path: str, files: list[tuple[str, bytes]], content_length: int | None = None
    ) -> tuple[int, dict[str, object]]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if content_length is not None:
            headers["Content-Length"] = str(content_length)
        status, _, answer = self.request("POST", path, body, headers)
        return status, json.loads(answer)


def png_bytes(size: tuple[int, int] = (390, 844), colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()
