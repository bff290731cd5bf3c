"""One open relay: its token, its posts, when it ends, what the phone did, upload budgets.

Tokens are 128 random bits (``secrets``). A relay ends when the seller closes it, after
30 minutes without a request, or at the seller's midnight for a 今日 relay. The server
threads and the laptop read and write it, so every change holds its lock.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from moments_desk.core.relay.content import RelayPost

IDLE_LIMIT = timedelta(minutes=30)


def new_token() -> str:
    """128 random bits as 22 URL-safe characters."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class UploadLimits:
    #: Bytes per screenshot; a phone screenshot is 0.3–3 MB.
    file_bytes: int = 12 * 1024 * 1024
    #: Bytes per request (several files at once).
    request_bytes: int = 40 * 1024 * 1024
    #: Screenshots per relay.
    per_relay: int = 30
    #: Files per rolling minute per relay.
    per_minute: int = 12


@dataclass(frozen=True)
class RelayEvent:
    """Something the phone did, for the laptop's live status. ``kind``: opened, picture,
    posted, screenshots, refused, ended."""

    at: datetime
    token: str
    kind: str
    post_id: int | None = None
    #: picture number, account label, screenshots saved, or why it ended / was refused
    detail: str = ""


Listener = Callable[[RelayEvent], None]


@dataclass
class Relay:
    token: str
    posts: list[RelayPost]
    #: The account this relay records for (a 今日 relay always has one), else None.
    account_id: int | None
    account_label: str
    created_at: datetime
    #: Midnight (seller's time) for a 今日 relay.
    ends_at: datetime | None
    #: Export-quality pictures of this relay, removed when it ends.
    folder: Path
    today: bool = False
    limits: UploadLimits = field(default_factory=UploadLimits)
    last_seen: datetime = field(init=False)
    closed: bool = False
    uploads: int = 0
    _recent: deque[datetime] = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.last_seen = self.created_at

    def end_reason(self, now: datetime) -> str | None:
        """Why the token no longer works ("closed", "idle", "midnight"), None while valid."""
        with self._lock:
            if self.closed:
                return "closed"
            if self.ends_at is not None and now >= self.ends_at:
                return "midnight"
            if now - self.last_seen >= IDLE_LIMIT:
                return "idle"
            return None

    def touch(self, now: datetime) -> None:
        with self._lock:
            self.last_seen = max(self.last_seen, now)

    def close(self) -> None:
        with self._lock:
            self.closed = True

    def post(self, number: int) -> RelayPost | None:
        """Post ``number`` (1-based, posting order)."""
        return self.posts[number - 1] if 1 <= number <= len(self.posts) else None

    def reserve_uploads(self, count: int, now: datetime) -> str | None:
        """Take ``count`` files from the budgets; the refusal reason ("count", "rate") if not."""
        with self._lock:
            while self._recent and now - self._recent[0] >= timedelta(minutes=1):
                self._recent.popleft()
            if self.uploads + count > self.limits.per_relay:
                return "count"
            if len(self._recent) + count > self.limits.per_minute:
                return "rate"
            self.uploads += count
            self._recent.extend([now] * count)
            return None

    def release_uploads(self, count: int) -> None:
        """Files that were refused after all (not pictures) do not use up the count."""
        with self._lock:
            self.uploads = max(0, self.uploads - count)
