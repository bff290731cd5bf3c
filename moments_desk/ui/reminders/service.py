"""Keeps the reminder timers in step with the database and tells the window what is due.

Reconcile runs on start, after every change to posts, reminders, accounts or settings
(``ctx.changes``), when a timer fires and after a wake or clock jump (``JumpDetector``). The
poll notices another machine's writes (the fingerprint moved) and announces what moved to
every page as a change set. Timer and watch callbacks run on APScheduler's thread; they only
emit signals, which Qt queues to the GUI thread. Database work runs on the DB executor.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from moments_desk.core.planning import reminders
from moments_desk.core.planning.reminders import AwaitingPost, DuePost, Notice, ReminderRow
from moments_desk.core.shared import change_feed, uow
from moments_desk.core.shared.change_feed import News, Watermark
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.stages.ladder import apply_ladder
from moments_desk.core.team import approval
from moments_desk.core.tracking.followups import remind_follow_ups
from moments_desk.scheduling.clock import SystemClock
from moments_desk.scheduling.reconcile import JumpDetector
from moments_desk.scheduling.timers import ReminderTimers
from moments_desk.ui.context import AppContext

log = logging.getLogger(__name__)

#: How often a team database is asked whether someone else wrote.
POLL_EVERY = timedelta(seconds=15)


def machine_name() -> str:
    """Who claimed a reminder, as the team sees it."""
    return f"{socket.gethostname()}#{os.getpid()}"[:120]


@dataclass(frozen=True)
class DueState:
    posts: list[DuePost] = field(default_factory=list)
    reminders: list[ReminderRow] = field(default_factory=list)
    awaiting: list[AwaitingPost] = field(default_factory=list)
    #: without an assistant nobody's posts wait for approval: the panel hides that part
    has_assistants: bool = False


#: How long after start-up today's follow-ups become reminders.
FOLLOW_UPS_DELAY_MS = 5_000


@dataclass(frozen=True)
class _Pass:
    timers: dict[str, datetime]
    notices: list[Notice]
    state: DueState
    #: the local day whose follow-ups were turned into reminders by this pass, if any
    day: date | None


class ReminderService(QObject):
    notices = Signal(object)  # list[Notice] this machine won: tray + banner
    missed = Signal(object)  # list[Notice] of posts due while closed/asleep: the missed list
    state_changed = Signal(object)  # DueState for the due-now panel
    #: another laptop restored a backup over the shared shop (everything is re-read)
    restored = Signal()
    _wake = Signal(str)
    _watch = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.me = machine_name()
        self._timers = ReminderTimers(self._wake.emit, self._watch.emit)
        self._jumps = JumpDetector(ctx.clock.now, time.monotonic)
        # APScheduler runs on the real clock; an injected clock (tests, demos) may differ by
        # a fixed amount, so timers are armed that much shifted.
        self._offset = (
            timedelta(0)
            if isinstance(ctx.clock, SystemClock)
            else datetime.now(UTC) - ctx.clock.now()
        )
        # Where the last look at the change log stopped; only ``poll`` moves it, so a local
        # reconcile between two polls never swallows another laptop's write.
        self._watermark: Watermark | None = None
        self._last_poll = time.monotonic()
        self._running = False
        self._again = False
        self._follow_ups_day: date | None = None
        self._follow_ups_allowed = False
        self.state = DueState()
        self._wake.connect(lambda _job: self.reconcile())
        self._watch.connect(self.watch)
        ctx.changes.changed.connect(self._heard)
        ctx.reachability.lost.connect(self._timers.pause)
        ctx.reachability.back.connect(self._back)

    def _back(self) -> None:
        self._timers.resume()
        self.reconcile()
        self.poll()

    def _heard(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.POSTS, Kind.REMINDERS, Kind.ACCOUNTS, Kind.SETTINGS):
            self.reconcile()

    def start(self) -> None:
        self._timers.start()
        self.reconcile()
        self.poll()  # the change log's watermark: what others write from now on is news
        # Follow-ups read every customer's history (~0.2 s at 50,000): not before the first
        # page has painted, since the database thread serves that page too.
        QTimer.singleShot(FOLLOW_UPS_DELAY_MS, self._allow_follow_ups)

    def _allow_follow_ups(self) -> None:
        self._follow_ups_allowed = True
        self.reconcile()

    def stop(self) -> None:
        self._timers.shutdown()

    @property
    def armed(self) -> dict[str, datetime]:
        """The armed timers, in the app clock's time."""
        return {job: at - self._offset for job, at in self._timers.armed.items()}

    def reconcile(self) -> None:
        """Coalesces: while one pass runs, further requests make one more pass afterwards."""
        if self._running:
            self._again = True
            return
        self._running = True
        sessions = self._ctx.shop.sessions
        now = self._ctx.clock.now()
        me = self.me

        zone = self._ctx.zone
        today = now.astimezone(zone).date()
        follow_ups_due = self._follow_ups_allowed and self._follow_ups_day != today

        def work() -> _Pass:
            if follow_ups_due:
                # Once a day: unpaid orders, parcels, quiet friends and birthdays become
                # reminders, so the tray and the due-now panel tell the seller about them.
                uow.write(sessions, lambda s: remind_follow_ups(s, now, zone))
                # Once a day too: every customer placed on the stage ladder from her record
                # (a shop from before the ladder, or orders written by another machine).
                uow.write(sessions, lambda s: apply_ladder(s, None))
                uow.write(sessions, change_feed.prune)
            timers, notices = uow.write(sessions, lambda s: reminders.reconcile_once(s, now, me))

            state = uow.read(
                sessions,
                lambda s: DueState(
                    reminders.due_posts(s),
                    reminders.due_reminders(s, now),
                    reminders.awaiting_posts(s),
                    approval.has_assistants(s),
                ),
            )
            return _Pass(timers, notices, state, today if follow_ups_due else None)

        self._ctx.executor.submit(work, self._applied, self._failed)

    def _applied(self, result: _Pass) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the pass ran: nobody is left to tell
        self._running = False
        if result.day is not None:
            self._follow_ups_day = result.day
        self._timers.sync({job: at + self._offset for job, at in result.timers.items()})
        self.state = result.state
        if result.notices:
            self.notices.emit(result.notices)
            missed = [n for n in result.notices if n.missed]
            if missed:
                self.missed.emit(missed)
        self.state_changed.emit(result.state)
        if self._again:
            self._again = False
            self.reconcile()

    def _failed(self, error: BaseException) -> None:
        # A team database that is briefly unreachable must not kill reminders: the next
        # watch tick tries again.
        self._running = False
        log.warning("reminder reconcile failed: %s", error)

    def watch(self) -> None:
        """Every few seconds: a wake or clock jump, or another machine's write → reconcile."""
        jump = self._jumps.check()
        if jump is not None:
            log.info("clock moved by %s outside the normal tick: reconciling", jump)
            self.reconcile()
            return
        if time.monotonic() - self._last_poll < POLL_EVERY.total_seconds():
            return
        self._last_poll = time.monotonic()
        self.poll()

    def poll(self) -> None:
        """Announce what other processes committed since the last poll, as change sets."""
        sessions = self._ctx.shop.sessions
        mark = self._watermark

        def work() -> tuple[News | None, Watermark]:
            if mark is None:
                return None, uow.read(sessions, change_feed.start)
            return uow.read(sessions, lambda s: change_feed.since(s, mark))

        def done(result: tuple[News | None, Watermark]) -> None:
            news, self._watermark = result
            if news is None:
                return
            # Every page hears another laptop's writes as a change set; the reminder
            # kinds among them bring a reconcile through ``_heard`` like a local write.
            self._ctx.changes.announce(news.changes)
            if news.restored:
                self.restored.emit()

        self._ctx.executor.submit(work, done, self._failed)
