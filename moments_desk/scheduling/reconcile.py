"""What the reminder timers should be, computed from rows and the time: no I/O, no Qt.

The database is the single source of truth. ``plan`` turns (now, rows) into the timers to
arm (future moments) and the claims to make right away (moments already passed). The
scheduler only wakes the app at those moments; whether a reminder has been shown is always
decided by an atomic claim in the database, so a replayed or duplicated timer, a second
machine, or a clock set back cannot show a reminder twice.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

#: A post claimed more than this after its time was "missed" (app closed, laptop asleep).
MISSED_AFTER = timedelta(minutes=5)
#: Only the earliest timers are armed: arming costs ~0.5 ms each in APScheduler, and any timer
#: that fires triggers a full reconcile, which arms the next ones.
MAX_TIMERS = 100


@dataclass(frozen=True)
class PostTiming:
    post_id: int
    scheduled_at: datetime
    soon_claimed: bool  # someone already showed the "N minutes before" notice


@dataclass(frozen=True)
class ReminderTiming:
    reminder_id: int
    due_at: datetime


class ActionKind(enum.StrEnum):
    POST_SOON = "post_soon"
    POST_DUE = "post_due"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    target_id: int
    missed: bool = False


@dataclass(frozen=True)
class Plan:
    timers: dict[str, datetime] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)


def job_id(kind: ActionKind, target_id: int) -> str:
    return f"{kind.value}:{target_id}"


def plan(
    now: datetime,
    posts: Iterable[PostTiming],
    reminders: Iterable[ReminderTiming],
    lead: timedelta,
    missed_after: timedelta = MISSED_AFTER,
    max_timers: int = MAX_TIMERS,
) -> Plan:
    result = Plan()
    for post in posts:
        if post.scheduled_at <= now:
            missed = now - post.scheduled_at > missed_after
            result.actions.append(Action(ActionKind.POST_DUE, post.post_id, missed))
            continue
        result.timers[job_id(ActionKind.POST_DUE, post.post_id)] = post.scheduled_at
        if lead > timedelta(0) and not post.soon_claimed:
            soon = post.scheduled_at - lead
            if soon <= now:
                result.actions.append(Action(ActionKind.POST_SOON, post.post_id))
            else:
                result.timers[job_id(ActionKind.POST_SOON, post.post_id)] = soon
    for reminder in reminders:
        if reminder.due_at <= now:
            result.actions.append(Action(ActionKind.REMINDER, reminder.reminder_id))
        else:
            result.timers[job_id(ActionKind.REMINDER, reminder.reminder_id)] = reminder.due_at
    if len(result.timers) > max_timers:
        earliest = sorted(result.timers.items(), key=lambda item: (item[1], item[0]))
        result.timers.clear()
        result.timers.update(earliest[:max_timers])
    return result


@dataclass(frozen=True)
class TimerChanges:
    add: dict[str, datetime]
    move: dict[str, datetime]
    remove: list[str]

    def __bool__(self) -> bool:
        return bool(self.add or self.move or self.remove)


def diff_timers(armed: Mapping[str, datetime], wanted: Mapping[str, datetime]) -> TimerChanges:
    """The smallest change that turns the armed timers into the wanted ones."""
    add = {k: v for k, v in wanted.items() if k not in armed}
    move = {k: v for k, v in wanted.items() if k in armed and armed[k] != v}
    remove = sorted(k for k in armed if k not in wanted)
    return TimerChanges(add, move, remove)


class JumpDetector:
    """Notices sleep/wake and clock changes: wall time and monotonic time disagree.

    Checked every few seconds; a difference beyond ``tolerance`` between how far the wall
    clock moved and how far the monotonic clock moved means the laptop slept (monotonic
    stops on some systems) or someone set the clock. Either way: reconcile.
    """

    def __init__(
        self,
        wall: Callable[[], datetime],
        monotonic: Callable[[], float],
        tolerance: timedelta = timedelta(seconds=20),
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self._tolerance = tolerance
        self._last_wall = wall()
        self._last_mono = monotonic()

    def check(self) -> timedelta | None:
        """The jump since the last check (positive: forward), or None when none."""
        wall, mono = self._wall(), self._monotonic()
        drift = (wall - self._last_wall) - timedelta(seconds=mono - self._last_mono)
        self._last_wall, self._last_mono = wall, mono
        return drift if abs(drift) > self._tolerance else None
