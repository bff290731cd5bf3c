"""``moments-desk relay``: prints the URL and a QR, serves the phone, stops on SIGINT/SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from moments_desk.core.shared import uow
from moments_desk.db.models import Post, PostAccount, PostKind, PostStatus, WeChatAccount
from moments_desk.startup import open_shop


def make_shop(data: Path, accounts: list[str]) -> int:
    shop = open_shop(data)
    try:

        def work(s: object) -> int:
            from sqlalchemy.orm import Session

            assert isinstance(s, Session)
            post = Post(
                kind=PostKind.LIFESTYLE,
                text="今天的咖啡☕",
                status=PostStatus.DUE,
                scheduled_at=datetime.now(UTC) + timedelta(minutes=5),
            )
            s.add(post)
            s.flush()
            for label in accounts:
                account = WeChatAccount(label=label)
                s.add(account)
                s.flush()
                s.add(PostAccount(post_id=post.id, account_id=account.id))
            return post.id

        return uow.write(shop.sessions, work)
    finally:
        shop.close()


class Relay:
    """The relay process; its output read without a buffer, so nothing is lost between the
    first line (read at once) and the rest (read by ``communicate``)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def send_signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def communicate(self, timeout: float) -> tuple[str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return out.decode(), err.decode()


def start(data: Path, *args: str) -> tuple[Relay, str]:
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moments_desk", "relay", *args, "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        env=env,
    )
    assert process.stdout is not None
    # Byte by byte: a buffered readline would swallow the QR code printed right after.
    first = b""
    while not first.endswith(b"\n"):
        byte = os.read(process.stdout.fileno(), 1)
        if not byte:
            break
        first += byte
    return Relay(process), first.decode()


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_relay_serves_the_post_and_stops_cleanly(tmp_path: Path, stop_with: int) -> None:
    post_id = make_shop(tmp_path, ["主号"])
    process, first = start(tmp_path, "--post", str(post_id), "--bind", "127.0.0.1", "--port", "0")
    try:
        assert first.startswith("relay: http://127.0.0.1:"), first
        url = first.split(" ", 1)[1].strip()
        with urllib.request.urlopen(url, timeout=10) as page:
            assert "今天的咖啡☕" in page.read().decode()
        with urllib.request.urlopen(
            urllib.request.Request(f"{url}/posted", data=b"", method="POST"), timeout=10
        ) as answer:
            assert answer.status == 200
    finally:
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "█" in out or "▀" in out  # the terminal QR code
    assert f"post {post_id}: recorded as posted (主号)" in out
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=3)
    shop = open_shop(tmp_path)
    try:
        status = uow.read(shop.sessions, lambda s: s.get(Post, post_id).status)  # type: ignore[union-attr]
    finally:
        shop.close()
    assert status == PostStatus.POSTED


def test_today_without_account_on_a_shop_with_two_says_so(tmp_path: Path) -> None:
    make_shop(tmp_path, ["主号", "小号"])
    process, first = start(tmp_path, "--today", "--bind", "127.0.0.1", "--port", "0")
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1 and first == ""
    assert "choose --account" in err and "主号" in err
