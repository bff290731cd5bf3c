"""Keeps a shared shop's pictures on every laptop: uploads what this one added, fetches what
others added (``core.pictures.shared_store.sync``), on the database thread.

Runs once at start (the first team start of an existing shop uploads all its pictures) and
after every change to products or posts, local or another laptop's; requests made while a
pass runs make one more pass afterwards. A SQLite shop has nothing to share.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from moments_desk.core.pictures.shared_store import SyncReport, sync
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.ui.context import AppContext

log = logging.getLogger(__name__)

#: Changes arrive in bursts (an import, a plan of four weeks): wait for the burst to end.
SETTLE_MS = 2_000


class PictureSync(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._running = False
        self._again = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.run)
        if ctx.shop.is_sqlite:
            return
        ctx.changes.changed.connect(self._heard)
        ctx.reachability.back.connect(self._settle.start)
        QTimer.singleShot(0, self.run)

    def _heard(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.PRODUCTS, Kind.POSTS, Kind.ACCOUNTS):
            self._settle.start()

    def run(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        sessions, media = self._ctx.shop.sessions, self._ctx.shop.paths.media
        self._ctx.executor.submit(lambda: sync(sessions, media), self._done, self._failed)

    def _done(self, report: SyncReport) -> None:
        self._running = False
        if report.uploaded or report.fetched:
            log.info("shared pictures: %s", report)
        if self._again:
            self._again = False
            self.run()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.warning("shared pictures not synced: %s", error)
