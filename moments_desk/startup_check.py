"""The start-up integrity check, run after the first paint on a thread of its own.

An up-to-date SQLite shop opens without waiting for ``quick_check`` (139 ms at 88 MB, about
1.4 ms per MB more); the check starts once the window has painted, reads over its own
read-only connection, and a failure still stops the work and offers the newest good backup
(``app._run``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from moments_desk.startup import quick_check_in_place


class IntegrityWatch(QObject):
    """``quick_check`` of ``db_file`` off the GUI thread; the verdict comes back on it."""

    #: what is wrong with the file (emitted on the GUI thread)
    damaged = Signal(str)
    #: the check is over, whatever it found (after ``damaged`` if it failed)
    finished = Signal()
    _verdict = Signal(str)

    def __init__(self, db_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._file = db_file
        self._thread: threading.Thread | None = None
        self.problem: str | None = None
        self.done = False
        # Emitted on the worker thread, delivered through the GUI thread's event loop.
        self._verdict.connect(self._deliver)

    def start(self) -> None:
        if self._thread is not None:
            return
        # A daemon: a seller who quits at once is not kept waiting for a read-only check.
        self._thread = threading.Thread(target=self._work, name="quick-check", daemon=True)
        self._thread.start()

    def run_now(self) -> None:
        """Check on the calling thread (before anything may write, e.g. the setup wizard)."""
        self._thread = threading.current_thread()
        self._settle(quick_check_in_place(self._file))

    def wait(self) -> str | None:
        """What is wrong with the file, None if sound; blocks until the check is over (the
        exit backup must not copy a damaged file). Emits nothing: the event loop is over."""
        if self._thread is None:
            self._thread = threading.current_thread()
            self.problem = quick_check_in_place(self._file)
        elif self._thread is not threading.current_thread():
            self._thread.join()
        return self.problem

    def _work(self) -> None:
        problem = quick_check_in_place(self._file)
        self.problem = problem
        self._verdict.emit(problem or "")

    def _deliver(self, problem: str) -> None:
        self._settle(problem or None)

    def _settle(self, problem: str | None) -> None:
        if self.done:
            return
        self.problem, self.done = problem, True
        if problem is not None:
            self.damaged.emit(problem)
        self.finished.emit()
