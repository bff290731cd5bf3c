"""Running database work off the GUI thread and getting results back by signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)


def _owner_gone(callback: Callable[..., Any] | None) -> bool:
    """True when ``callback`` is a method of a widget Qt has deleted meanwhile (a dialog
    closed while its read ran): its answer has nobody left to show it."""
    while isinstance(callback, partial):
        callback = callback.func
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call back to this thread."""

    finished = Signal(object)
    errored = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        forget: Callable[[_Relay], None],
        seen: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._forget = forget
        self._seen = seen
        self.finished.connect(self._deliver)
        self.errored.connect(self._deliver_error)

    @Slot(object)
    def _deliver(self, result: object) -> None:
        try:
            if not _owner_gone(self._on_done):
                self._on_done(result)
        finally:
            self._release()

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        assert isinstance(error, BaseException)
        try:
            self._seen(error)
            if self._on_error is None:
                log.error("background task failed", exc_info=error)
            elif not _owner_gone(self._on_error):
                self._on_error(error)
        finally:
            self._release()

    def _release(self) -> None:
        # Dropping the last reference to this QObject while its own slot is still on the
        # stack corrupts PySide's reference counts (seen as a fatal "deallocating None").
        # Let go from the event loop instead, once the slot has returned.
        QTimer.singleShot(0, partial(self._forget, self))


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as error:  # handed to the GUI thread, which shows it
            self._relay.errored.emit(error)
        else:
            self._relay.finished.emit(result)


class DbExecutor(QObject):
    """One background thread for database work.

    A single thread means SQLite never sees two writers from this process (no "database is
    locked"), and work runs in the order it was asked for. ``failed`` carries every job's
    exception to the GUI thread before its own handler sees it (the unreachable-shop banner
    listens).
    """

    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: set[_Relay] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        relay = _Relay(on_done, on_error, self._pending.discard, self.failed.emit)
        self._pending.add(relay)
        self._pool.start(_Job(fn, relay))

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._pool.waitForDone(timeout_ms)


class ProgressBridge(QObject):
    """Carries progress from a worker to a progress dialog, and cancellation back.

    ``report`` and ``cancelled`` are safe to call from the worker thread.
    """

    changed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        self.changed.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class LatestOnly:
    """Submits work and delivers only the newest request's result (search-as-you-type)."""

    def __init__(self, executor: DbExecutor) -> None:
        self._executor = executor
        self._generation = 0

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._generation += 1
        generation = self._generation

        def run() -> Any:
            # A request superseded while it waited in the queue is not run at all: fast
            # typing never queues one scan per key.
            return fn() if generation == self._generation else None

        def deliver(result: Any) -> None:
            if generation == self._generation:
                on_done(result)

        self._executor.submit(run, deliver, on_error)
