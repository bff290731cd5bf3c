"""Team mode: two laptops whose clocks disagree still agree on when a post is due and on
who claimed it first, because a shared shop runs on its database server's time (issue 25).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.planning import reminders
from moments_desk.core.shared import uow
from moments_desk.core.shared.db_clock import database_now
from moments_desk.db.models import Post, PostStatus
from moments_desk.scheduling.clock import FakeClock, ServerClock
from tests.core.team_helpers import add_post

pytestmark = pytest.mark.db
SERVER_TIME = datetime(2026, 11, 24, 11, 55, tzinfo=UTC)


def test_the_database_tells_its_time_in_utc(session_factory: sessionmaker[Session]) -> None:
    first = uow.read(session_factory, database_now)
    second = uow.read(session_factory, database_now)
    assert first.tzinfo is UTC and second.tzinfo is UTC
    assert first <= second  # the server's clock, read twice, does not go back
    assert abs(first - datetime.now(UTC)) < timedelta(days=1)  # UTC, not a local wall time


def _claim(sessions: sessionmaker[Session], post_id: int, me: str, clock: ServerClock) -> bool:
    return uow.write(sessions, lambda s: reminders.claim_post_due(s, post_id, me, clock.now()))


def _laptop(raw_offset: timedelta, server: FakeClock) -> ServerClock:
    """A laptop whose own clock is ``raw_offset`` off, corrected against the server."""
    clock = ServerClock(FakeClock(server.now() + raw_offset))
    clock.measure(server.now)
    return clock


def test_a_laptop_ten_minutes_fast_neither_announces_early_nor_claims_first(
    session_factory: sessionmaker[Session],
) -> None:
    server = FakeClock(SERVER_TIME)
    post_id = add_post(session_factory, SERVER_TIME + timedelta(minutes=5))
    fast, exact = _laptop(timedelta(minutes=10), server), _laptop(timedelta(0), server)
    # Its own clock says 12:05 already; the shop's time is 11:55: not due yet on either.
    assert fast.now() == exact.now() == SERVER_TIME
    for me, clock in (("fast", fast), ("exact", exact)):
        _claim(session_factory, post_id, me, clock)
    status = uow.read(
        session_factory, lambda s: s.scalar(select(Post.status).where(Post.id == post_id))
    )
    assert status is PostStatus.SCHEDULED
    # Five minutes later, one of them wins, stamped with the shop's time.
    for clock in (fast, exact):
        clock._base.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    won = [
        me
        for me, clock in (("exact", exact), ("fast", fast))
        if _claim(session_factory, post_id, me, clock)
    ]
    assert won == ["exact"]
    claimed_at = uow.read(
        session_factory,
        lambda s: s.scalar(select(Post.reminder_claimed_at).where(Post.id == post_id)),
    )
    assert claimed_at == SERVER_TIME + timedelta(minutes=5)


def test_the_offset_is_measured_halfway_through_the_round_trip() -> None:
    base = FakeClock(SERVER_TIME)

    def slow_server() -> datetime:
        base.advance(timedelta(seconds=2))  # one second each way
        return SERVER_TIME + timedelta(minutes=3, seconds=1)

    clock = ServerClock(base)
    assert clock.measure(slow_server) == timedelta(minutes=3)
    assert clock.now() == SERVER_TIME + timedelta(minutes=3, seconds=2)
