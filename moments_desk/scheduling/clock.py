"""The one place the app asks for the time, so tests can move it without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock tests set and advance by hand (including backwards, like a corrected clock)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def local_zone() -> tzinfo:
    """The machine's time zone; slots like "Tue 20:00" are wall-clock times in it."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


class ServerClock:
    """The shop database's time, read through this machine's clock.

    Two laptops sharing a shop rarely agree to the minute. Posts come due, reminders fire and
    claims are stamped with the time this clock gives, so with the offset to the database
    server measured (``measure``) every laptop uses the server's time: a laptop running ten
    minutes fast neither announces a post ten minutes early nor stamps its claims "before"
    the other laptop's. Until measured (SQLite: the database is on this machine) it is the
    base clock.
    """

    def __init__(self, base: Clock | None = None) -> None:
        self._base: Clock = base or SystemClock()
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self._base.now() + self.offset

    def measure(self, read_server_now: Callable[[], datetime]) -> timedelta:
        """Set the offset from one reading of the server's clock (halfway through the round
        trip, so the network delay counts half each way); returns it."""
        before = self._base.now()
        server = read_server_now()
        after = self._base.now()
        self.offset = server - (before + (after - before) / 2)
        return self.offset
