"""Due posts, missed posts, sleep/wake, clock jumps and team claims, with simulated time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.planning import reminders
from moments_desk.core.planning.reminders import Notice
from moments_desk.core.shared import uow
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import PostStatus, ReminderKind, ReminderState
from moments_desk.scheduling.clock import FakeClock
from moments_desk.scheduling.reconcile import ActionKind
from tests.core.team_helpers import add_post, post_status

pytestmark = pytest.mark.db

START = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def tick(sessions: sessionmaker[Session], clock: FakeClock, me: str = "laptop-a") -> list[Notice]:
    return uow.write(sessions, lambda s: reminders.reconcile_once(s, clock.now(), me))[1]


def test_due_post_is_announced_once_and_stays_due(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(START)
    post_id = add_post(session_factory, START + timedelta(hours=1))
    assert tick(session_factory, clock) == []
    clock.advance(timedelta(minutes=50))
    soon = tick(session_factory, clock)
    assert [(n.kind, n.target_id) for n in soon] == [(ActionKind.POST_SOON, post_id)]
    assert tick(session_factory, clock) == []  # a replayed timer shows nothing twice
    clock.advance(timedelta(minutes=10))
    due = tick(session_factory, clock)
    assert [(n.kind, n.target_id, n.missed) for n in due] == [(ActionKind.POST_DUE, post_id, False)]
    assert due[0].text == "周二上新：雾霾蓝连衣裙"
    clock.advance(timedelta(minutes=1))
    assert tick(session_factory, clock) == []
    assert post_status(session_factory, post_id) == PostStatus.DUE
    listed = uow.read(session_factory, reminders.due_posts)
    assert [(p.id, p.missed) for p in listed] == [(post_id, False)]


def test_asleep_over_two_due_posts_surfaces_both_once_as_missed(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(START)
    first = add_post(session_factory, START + timedelta(hours=1), "第一条")
    second = add_post(session_factory, START + timedelta(hours=2), "第二条")
    later = add_post(session_factory, START + timedelta(days=1), "明天的")
    tick(session_factory, clock)
    clock.advance(timedelta(hours=5))  # the lid was closed at 11:00 and opened at 16:00
    woke = tick(session_factory, clock)
    assert [(n.target_id, n.missed) for n in woke] == [(first, True), (second, True)]
    assert tick(session_factory, clock) == []
    assert post_status(session_factory, later) == PostStatus.SCHEDULED
    missed = [p.id for p in uow.read(session_factory, reminders.due_posts) if p.missed]
    assert missed == [first, second]


def test_clock_set_back_an_hour_neither_repeats_nor_loses_posts(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(START)
    done = add_post(session_factory, START - timedelta(minutes=1))
    upcoming = add_post(session_factory, START + timedelta(minutes=30))
    assert [n.target_id for n in tick(session_factory, clock)] == [done]
    clock.advance(timedelta(minutes=-60))
    timers, notices = uow.write(
        session_factory, lambda s: reminders.reconcile_once(s, clock.now(), "laptop-a")
    )
    assert notices == []
    assert post_status(session_factory, done) == PostStatus.DUE
    # The upcoming post is re-armed for its real time, an hour and a half away now.
    assert timers[f"post_due:{upcoming}"] == START + timedelta(minutes=30)
    clock.set(START + timedelta(minutes=31))
    assert [n.target_id for n in tick(session_factory, clock) if n.kind == "post_due"] == [upcoming]


def test_two_machines_one_reminder(session_factory: sessionmaker[Session]) -> None:
    clock = FakeClock(START)
    post_id = add_post(session_factory, START + timedelta(minutes=10))
    a = tick(session_factory, clock, "laptop-a")
    b = tick(session_factory, clock, "laptop-b")
    assert len(a) + len(b) == 1  # the "soon" notice
    clock.advance(timedelta(minutes=10))
    b = tick(session_factory, clock, "laptop-b")
    a = tick(session_factory, clock, "laptop-a")
    assert [n.target_id for n in a + b] == [post_id]


def test_two_machines_claiming_at_the_same_instant(engine: Engine) -> None:
    """Two connections race for the same due posts: each post is won exactly once."""
    sessions = make_session_factory(engine)
    ids = [add_post(sessions, START - timedelta(minutes=i + 1)) for i in range(20)]
    barrier = threading.Barrier(2)
    won: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def machine(name: str) -> None:
        try:
            barrier.wait()
            own = make_session_factory(engine)
            for post_id in ids:
                if uow.write(
                    own, partial(reminders.claim_post_due, post_id=post_id, me=name, now=START)
                ):
                    won.setdefault(name, []).append(post_id)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=machine, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claimed = sorted(won.get("a", []) + won.get("b", []))
    assert claimed == sorted(ids)


def test_rescheduled_post_reminds_again(session_factory: sessionmaker[Session]) -> None:
    from moments_desk.core.planning.publishing import reschedule_post

    clock = FakeClock(START)
    post_id = add_post(session_factory, START - timedelta(hours=3))
    assert tick(session_factory, clock)[0].missed
    new_time = START + timedelta(hours=1)
    uow.write(session_factory, lambda s: reschedule_post(s, post_id, new_time, None, clock.now()))
    assert uow.read(session_factory, reminders.due_posts) == []
    clock.set(new_time)
    again = tick(session_factory, clock)
    assert [(n.kind, n.missed) for n in again] == [(ActionKind.POST_DUE, False)]


def test_generic_reminders_use_the_same_mechanism(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(START)
    when = START + timedelta(hours=1)

    def add(s: Session) -> int:
        return reminders.add_reminder(s, ReminderKind.BIRTHDAY, when, "王小美明天生日")

    first = uow.write(session_factory, add)
    assert uow.write(session_factory, add) == first  # the same thing twice is one reminder
    assert uow.read(session_factory, lambda s: reminders.due_reminders(s, clock.now())) == []
    timers, _ = uow.write(session_factory, lambda s: reminders.reconcile_once(s, clock.now(), "a"))
    assert timers[f"reminder:{first}"] == when
    clock.set(when)
    fired = tick(session_factory, clock)
    assert [(n.kind, n.text, n.reminder_kind) for n in fired] == [
        (ActionKind.REMINDER, "王小美明天生日", ReminderKind.BIRTHDAY)
    ]
    assert tick(session_factory, clock) == []
    due = uow.read(session_factory, lambda s: reminders.due_reminders(s, clock.now()))
    assert [(r.id, r.state) for r in due] == [(first, ReminderState.FIRED)]
    uow.write(session_factory, lambda s: reminders.dismiss_reminder(s, first, None))
    assert uow.read(session_factory, lambda s: reminders.due_reminders(s, clock.now())) == []


def test_change_marker_moves_when_another_machine_writes(
    session_factory: sessionmaker[Session],
) -> None:
    before = uow.read(session_factory, reminders.change_marker)
    assert uow.read(session_factory, reminders.change_marker) == before
    add_post(session_factory, START)
    assert uow.read(session_factory, reminders.change_marker) != before


def test_naive_reminder_time_is_refused(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(ValueError, match="timezone"):
        uow.write(
            session_factory,
            lambda s: reminders.add_reminder(
                s, ReminderKind.UNPAID_ORDER, datetime(2026, 11, 24, 12, 0), "x"
            ),
        )


def test_a_moved_post_gets_its_early_notice_again(
    session_factory: sessionmaker[Session],
) -> None:
    from sqlalchemy import update

    from moments_desk.db.models import Post

    clock = FakeClock(START)
    post_id = add_post(session_factory, START + timedelta(minutes=10))
    assert [n.kind for n in tick(session_factory, clock)] == [ActionKind.POST_SOON]

    def move(s: Session) -> None:
        s.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(scheduled_at=START + timedelta(days=1, minutes=10))
        )
        reminders.release_post_reminders(s, post_id)

    uow.write(session_factory, move)
    clock.advance(timedelta(days=1))
    assert [n.kind for n in tick(session_factory, clock)] == [ActionKind.POST_SOON]
