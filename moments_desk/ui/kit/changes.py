"""One signal, ``changed(ChangeSet)``, telling every page, dock and dialog what data changed.

Every transaction this process commits on the shop's engine is announced (``watch``): the
database thread reports what it wrote, and the change sets of one event-loop turn reach the
GUI thread merged into one emission. Another laptop's writes arrive the same way from the
reminder service's poll (``announce``). Widgets subscribe with ``follow``: they re-read when
a change touches what they show, at once if visible, else when next shown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from moments_desk.core.shared.changes import ChangeSet, Kind, watch_commits
from moments_desk.startup import Shop


class DataChanges(QObject):
    #: Emitted on the GUI thread with what changed since the last emission.
    changed = Signal(object)
    #: Emitted when the phone relay attached screenshots to a post (its id).
    screenshots_arrived = Signal(int)
    # Carries a worker thread's change set to the GUI thread (a queued connection).
    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = ChangeSet()
        self._stop: Callable[[], None] | None = None
        self._watching: Shop | None = None
        self._arrived.connect(self._collect)

    def watch(self, shop: Shop) -> None:
        """Announce every transaction committed on the shop's engine (from any thread)."""
        self.unwatch()
        self._watching = shop
        # Attached when the engine is made (at idle after a SQLite shop's first paint).
        shop.when_engine_made(self._attach)

    def _attach(self, shop: Shop) -> None:
        if self._watching is not shop:  # unwatched before the engine was made
            return
        self._stop = watch_commits(shop.engine, self._committed, shop.sessions)

    def unwatch(self) -> None:
        self._watching = None
        if self._stop is not None:
            self._stop()
            self._stop = None

    def _committed(self, changes: ChangeSet) -> None:
        with contextlib.suppress(RuntimeError):  # this object was deleted with the app
            self._arrived.emit(changes)

    def announce(self, changes: ChangeSet) -> None:
        """Something changed that no local commit reported (another laptop, a file)."""
        self._collect(changes)

    @Slot(object)
    def _collect(self, changes: object) -> None:
        assert isinstance(changes, ChangeSet)
        if not changes:
            return
        first = not self._pending
        self._pending = self._pending.merge(changes)
        if first:
            QTimer.singleShot(0, self, self._flush)

    def _flush(self) -> None:
        changes, self._pending = self._pending, ChangeSet()
        if changes:
            self.changed.emit(changes)


class _Follower(QObject):
    """Re-reads a widget's data when a change touches it; waits while it is hidden."""

    def __init__(
        self,
        widget: QWidget,
        kinds: tuple[Kind, ...],
        refresh: Callable[[ChangeSet], None],
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._kinds = kinds
        self._refresh = refresh
        self._stale = ChangeSet()
        widget.installEventFilter(self)

    def heard(self, changes: object) -> None:
        assert isinstance(changes, ChangeSet)
        if not changes.touches(*self._kinds):
            return
        if self._widget.isVisible():
            self._refresh(changes)
        else:
            self._stale = self._stale.merge(changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self._stale:
            changes, self._stale = self._stale, ChangeSet()
            self._refresh(changes)
        return False


def follow(
    changes: DataChanges,
    widget: QWidget,
    kinds: tuple[Kind, ...],
    refresh: Callable[[ChangeSet], None],
) -> None:
    """Call ``refresh`` when a change touches ``kinds``: now if ``widget`` is visible, else on
    its next show (a hidden page does not read the database for nothing)."""
    follower = _Follower(widget, kinds, refresh)
    changes.changed.connect(follower.heard)
