"""The pure reconcile plan and the wake/clock-jump detector, with simulated time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moments_desk.scheduling.reconcile import (
    Action,
    ActionKind,
    JumpDetector,
    PostTiming,
    ReminderTiming,
    diff_timers,
    plan,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LEAD = timedelta(minutes=15)


def test_future_post_gets_a_due_timer_and_a_soon_timer() -> None:
    result = plan(NOW, [PostTiming(1, NOW + timedelta(hours=2), False)], [], LEAD)
    assert result.actions == []
    assert result.timers == {
        "post_due:1": NOW + timedelta(hours=2),
        "post_soon:1": NOW + timedelta(hours=2) - LEAD,
    }


def test_soon_notice_already_shown_is_not_armed_again() -> None:
    result = plan(NOW, [PostTiming(1, NOW + timedelta(minutes=10), True)], [], LEAD)
    assert result.actions == []
    assert list(result.timers) == ["post_due:1"]


def test_inside_the_lead_window_the_soon_notice_is_claimed_now() -> None:
    result = plan(NOW, [PostTiming(1, NOW + timedelta(minutes=10), False)], [], LEAD)
    assert result.actions == [Action(ActionKind.POST_SOON, 1)]


def test_past_posts_are_claimed_and_long_past_ones_are_missed() -> None:
    posts = [
        PostTiming(1, NOW - timedelta(minutes=1), False),
        PostTiming(2, NOW - timedelta(hours=3), False),
    ]
    result = plan(NOW, posts, [ReminderTiming(9, NOW)], LEAD)
    assert result.timers == {}
    assert result.actions == [
        Action(ActionKind.POST_DUE, 1, missed=False),
        Action(ActionKind.POST_DUE, 2, missed=True),
        Action(ActionKind.REMINDER, 9),
    ]


def test_no_lead_means_no_soon_timer() -> None:
    result = plan(NOW, [PostTiming(1, NOW + timedelta(hours=1), False)], [], timedelta(0))
    assert list(result.timers) == ["post_due:1"]


def test_diff_adds_moves_and_removes_only_what_changed() -> None:
    armed = {"a": NOW, "b": NOW, "c": NOW}
    wanted = {"a": NOW, "b": NOW + timedelta(hours=1), "d": NOW}
    changes = diff_timers(armed, wanted)
    assert changes.add == {"d": NOW}
    assert changes.move == {"b": NOW + timedelta(hours=1)}
    assert changes.remove == ["c"]
    assert not diff_timers(wanted, wanted)


class Clocks:
    def __init__(self) -> None:
        self.wall = NOW
        self.mono = 1000.0

    def tick(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def test_jump_detector_sees_sleep_and_clock_set_back_but_not_normal_ticks() -> None:
    clocks = Clocks()
    detector = JumpDetector(lambda: clocks.wall, lambda: clocks.mono)
    clocks.tick(10)
    assert detector.check() is None
    # Asleep two hours: the wall clock moved, the monotonic clock did not.
    clocks.wall += timedelta(hours=2)
    clocks.tick(10)
    assert detector.check() == timedelta(hours=2)
    clocks.tick(10)
    assert detector.check() is None
    # Clock set back an hour.
    clocks.wall -= timedelta(hours=1)
    clocks.tick(10)
    assert detector.check() == -timedelta(hours=1)


def test_only_the_earliest_timers_are_armed() -> None:
    posts = [PostTiming(i, NOW + timedelta(hours=i), True) for i in range(1, 301)]
    result = plan(NOW, posts, [], LEAD, max_timers=100)
    assert len(result.timers) == 100
    assert max(result.timers.values()) == NOW + timedelta(hours=100)
    # Once the hundredth has fired, the next reconcile arms the following ones.
    later = plan(NOW + timedelta(hours=100, seconds=1), posts[100:], [], LEAD, max_timers=100)
    assert min(later.timers.values()) == NOW + timedelta(hours=101)
