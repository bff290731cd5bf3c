"""The app's one relay hub, its events brought to the GUI thread, stopped when the app quits.

Server threads call the hub's listener; a queued signal carries each event to the GUI
thread, where 我已发布 from the phone becomes a posts change set like the laptop's 已发 and
上传截图 becomes ``screenshots_arrived`` for the 互动 page.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from moments_desk.core.relay.hub import RelayHub
from moments_desk.core.relay.session import RelayEvent
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import DbExecutor

#: How often idle and past-midnight relays are ended while nobody asks.
SWEEP_MS = 30_000


class RelayService(QObject):
    happened = Signal(object)  # RelayEvent, on the GUI thread

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.changes)
        self.setObjectName("relayService")
        self._ctx = ctx
        self.hub = RelayHub(
            ctx.shop.sessions,
            ctx.shop.paths.media,
            ctx.shop.paths.exports / "relay",
            ctx.clock,
            ctx.zone,
            user_id=ctx.user_id,
        )
        #: The interface the seller chose last (empty: the default route's).
        self.address = ""
        #: The relay dialog on screen, if any (one at a time).
        self.dialog: QObject | None = None
        #: Its own worker: opening a relay exports pictures for seconds, which must not hold
        #: up the pages' database work on the shared executor.
        self.executor = DbExecutor(self)
        self.hub.add_listener(self.happened.emit)
        self.happened.connect(self._on_event)
        self._sweep = QTimer(self)
        self._sweep.setInterval(SWEEP_MS)
        self._sweep.timeout.connect(self._sweep_now)
        self._sweep.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def _on_event(self, event: RelayEvent) -> None:
        if event.kind == "posted":
            # The hub wrote on its own thread and engine connection: announced like a commit.
            self._ctx.changes.announce(ChangeSet.of(Kind.POSTS))
        elif event.kind == "screenshots" and event.post_id is not None:
            self._ctx.changes.screenshots_arrived.emit(event.post_id)

    def _sweep_now(self) -> None:
        if self.hub.relays():
            self.executor.submit(self.hub.sweep, lambda _: None, lambda _: None)

    def stop(self) -> None:
        self._sweep.stop()
        self.executor.wait()
        self.hub.stop()


def relay_service(ctx: AppContext) -> RelayService:
    """The context's relay service, made on first use."""
    found = ctx.changes.findChild(RelayService, "relayService")
    if isinstance(found, RelayService):
        found.hub.user_id = ctx.user_id
        return found
    return RelayService(ctx)
