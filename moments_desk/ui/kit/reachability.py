"""Whether the shared shop answers: one banner while it does not, and recovery by itself.

Any failure that means "the server cannot be reached" (``core.shared.reachability``) from
the database thread, an error dialog about to open, or an exception raised on the GUI
thread, flips the shop to unreachable: ``lost`` is emitted once, the error dialogs stay
closed, and a probe runs every few seconds on the database thread. The first probe that
succeeds emits ``back`` and announces a change to everything, so pages re-read what they
could not.
"""

from __future__ import annotations

import logging
import sys
import weakref
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet
from moments_desk.core.shared.reachability import is_unreachable, probe
from moments_desk.startup import Shop
from moments_desk.ui.kit.changes import DataChanges
from moments_desk.ui.kit.tasks import DbExecutor

log = logging.getLogger(__name__)

#: How often an unreachable shop is asked again.
PROBE_EVERY_MS = 5_000

_watchers: weakref.WeakSet[ShopReachability] = weakref.WeakSet()


def notice(error: BaseException) -> bool:
    """Tell every watcher about ``error``; True when it means the shop is unreachable (the
    caller then shows nothing: the banner speaks for it)."""
    if not is_unreachable(error):
        return False
    for watcher in list(_watchers):
        if shiboken6.isValid(watcher):
            watcher.report(error)
    return True


def _hook(
    previous: object,
) -> object:
    def excepthook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        # A table model reading rows on the GUI thread raises inside a Qt virtual; the
        # banner says it once instead of a traceback per row.
        if notice(error):
            return
        if callable(previous):
            previous(kind, error, trace)

    return excepthook


class ShopReachability(QObject):
    lost = Signal()
    back = Signal()

    def __init__(
        self, executor: DbExecutor, shop: Shop, changes: DataChanges, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._shop = shop
        self._changes = changes
        self.reachable = True
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(PROBE_EVERY_MS)
        self._timer.timeout.connect(self.probe)
        executor.failed.connect(self._failed)
        _watchers.add(self)
        if not getattr(sys.excepthook, "_moments_desk_reachability", False):
            hook = _hook(sys.excepthook)
            setattr(hook, "_moments_desk_reachability", True)  # noqa: B010
            sys.excepthook = hook  # type: ignore[assignment]

    def _failed(self, error: object) -> None:
        if isinstance(error, BaseException) and is_unreachable(error):
            self.report(error)

    def report(self, error: BaseException) -> None:
        if not self.reachable:
            return
        log.warning("the shop's database cannot be reached: %s", error)
        self.reachable = False
        self._timer.start()
        self.lost.emit()

    def probe(self) -> None:
        """Ask the server once (on the database thread); back when it answers."""
        if self.reachable or self._probing:
            return
        self._probing = True
        sessions = self._shop.sessions
        self._executor.submit(lambda: uow.read(sessions, probe), self._answered, self._silent)

    def _answered(self, _result: object) -> None:
        self._probing = False
        if self.reachable:
            return
        log.info("the shop's database answers again")
        self.reachable = True
        self._timer.stop()
        self.back.emit()
        self._changes.announce(ChangeSet.everything())

    def _silent(self, _error: BaseException) -> None:
        self._probing = False
