"""A shared shop's first server-clock measurement runs on the database thread: starting
the window never waits for the server (an unreachable one froze it), and this machine's
clock stands in until the measurement arrives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from moments_desk import app as app_module
from moments_desk.scheduling.clock import FakeClock, ServerClock

LAPTOP = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SERVER = LAPTOP - timedelta(minutes=10)  # this laptop runs ten minutes fast


class QueuedExecutor:
    """The database thread, run by hand: jobs wait until the test runs them."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.jobs.append((fn, on_done))

    def run_all(self) -> None:
        jobs, self.jobs = self.jobs, []
        for fn, on_done in jobs:
            on_done(fn())


class NoSessions:
    """A shop whose server must not be touched on this (the GUI) thread."""

    reached = 0

    def __call__(self) -> Any:
        NoSessions.reached += 1
        raise AssertionError("the server was read on the GUI thread")


def test_the_shared_shop_clock_starts_on_this_machine_and_is_measured_off_the_gui_thread(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = SimpleNamespace(is_sqlite=False, sessions=NoSessions())
    clock = app_module._shop_clock(shop)  # type: ignore[arg-type]
    assert isinstance(clock, ServerClock) and NoSessions.reached == 0
    clock._base = FakeClock(LAPTOP)
    assert clock.now() == LAPTOP  # this machine's time until measured

    class Session:
        def __enter__(self) -> Session:
            return self

        def __exit__(self, *_: object) -> None:
            return None

    monkeypatch.setattr("moments_desk.core.shared.db_clock.database_now", lambda _s: SERVER)
    executor = QueuedExecutor()
    ctx = SimpleNamespace(clock=clock, shop=SimpleNamespace(sessions=Session), executor=executor)
    timer = app_module._keep_clock_measured(qapp, ctx)  # type: ignore[arg-type]
    assert timer is not None and timer.isActive()
    assert len(executor.jobs) == 1 and clock.now() == LAPTOP  # queued, not yet run
    executor.run_all()  # the database thread answers
    assert clock.now() == SERVER
    timer.stop()


def test_a_sqlite_shop_keeps_this_machines_clock_and_measures_nothing(
    qapp: QApplication,
) -> None:
    shop = SimpleNamespace(is_sqlite=True, sessions=NoSessions())
    clock = app_module._shop_clock(shop)  # type: ignore[arg-type]
    assert not isinstance(clock, ServerClock)
    ctx = SimpleNamespace(clock=clock, shop=shop, executor=QueuedExecutor())
    assert app_module._keep_clock_measured(qapp, ctx) is None  # type: ignore[arg-type]
