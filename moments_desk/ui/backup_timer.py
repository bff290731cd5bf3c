"""Automatic backups while the app runs: a timer that asks the DB thread every few minutes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from moments_desk.ui.context import AppContext

if TYPE_CHECKING:
    # The backup code (zip, pictures, Pillow) is imported at the first backup, not at
    # start-up: the first timer tick is minutes away.
    from moments_desk.core.safety.backup import Snapshot
    from moments_desk.core.safety.snapshots import AutoBackup

log = logging.getLogger(__name__)
#: How often to ask whether a backup is due; the policy's interval decides whether one runs.
POLL_MS = 10 * 60 * 1000


class BackupTimer(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def _auto(self) -> AutoBackup:
        from moments_desk.core.safety.snapshots import AutoBackup
        from moments_desk.ui.pages.backup_settings import load_policy

        shop = self._ctx.shop
        # Read the policy each time: Settings may have changed it.
        return AutoBackup(shop.engine, shop.paths.backups, load_policy(self._ctx))

    def poll(self) -> None:
        if self._running:
            return
        self._running = True
        auto = self._auto()
        now = self._ctx.clock.now()
        self._ctx.executor.submit(lambda: auto.run(now), self._done, self._failed)

    def _done(self, snap: Snapshot | None) -> None:
        self._running = False
        if snap is not None:
            log.info("automatic backup: %s", snap.path)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        # A failed automatic backup must not interrupt the seller; the log keeps it.
        log.error("automatic backup failed", exc_info=error)

    def on_exit(self) -> None:
        """The closing backup, run on the calling thread once the DB thread is idle."""
        self._timer.stop()
        try:
            snap = self._auto().run(self._ctx.clock.now(), on_exit=True)
        except Exception:  # the app is closing: log it, never block the exit
            log.exception("backup on exit failed")
            return
        if snap is not None:
            log.info("backup on exit: %s", snap.path)
