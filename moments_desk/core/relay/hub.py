"""The open relays of one app or command, and the HTTP server that lives while any is open.

The server is the standard library's ``ThreadingHTTPServer`` on its own thread: it needs no
Qt event loop (the headless command uses it too), a phone's nine parallel picture requests
run on nine threads, and nothing it does ever runs on the GUI thread.
"""

from __future__ import annotations

import logging
import shutil
import threading
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.relay.content import (
    find_account,
    load_relay_posts,
    local_day_bounds,
    todays_post_ids,
)
from moments_desk.core.relay.network import url_host
from moments_desk.core.relay.session import (
    Listener,
    Relay,
    RelayEvent,
    UploadLimits,
    new_token,
)
from moments_desk.core.shared import uow
from moments_desk.db.models import WeChatAccount
from moments_desk.scheduling.clock import Clock

log = logging.getLogger(__name__)

#: The port tried first; a busy one falls back to any free port.
DEFAULT_PORT = 8765


class RelayError(Exception):
    """``code``: no_account (several accounts, none chosen), unknown_account, not_on_post,
    bind (the address or port cannot be used)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}".strip(": "))
        self.code = code
        self.detail = detail


class RelayHub:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        media_root: Path,
        work_root: Path,
        clock: Clock,
        zone: tzinfo,
        *,
        user_id: int | None = None,
        limits: UploadLimits | None = None,
    ) -> None:
        self.sessions = sessions
        self.media_root = media_root
        self.work_root = work_root
        self.clock = clock
        self.zone = zone
        #: Whose name the audit log shows for 我已发布 from the phone.
        self.user_id = user_id
        self.limits = limits or UploadLimits()
        self._relays: dict[str, Relay] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._server: object | None = None
        self._thread: threading.Thread | None = None
        self.address = ""
        self.port = 0

    # -- events --------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def emit(self, relay: Relay, kind: str, post_id: int | None = None, detail: str = "") -> None:
        event = RelayEvent(self.clock.now(), relay.token, kind, post_id, detail)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the phone's request
                log.exception("relay listener failed")

    # -- opening -------------------------------------------------------------------------------

    def _account(self, name: str | None) -> WeChatAccount | None:
        if name is None:
            return None

        def find(s: Session) -> WeChatAccount | None:
            found = find_account(s, name)
            if found is not None:
                s.expunge(found)
            return found

        account = uow.read(self.sessions, find)
        if account is None:
            raise RelayError("unknown_account", name)
        return account

    def only_account(self) -> WeChatAccount:
        """The shop's one account, for a 今日 relay where none was named."""

        def find(s: Session) -> list[WeChatAccount]:
            from sqlalchemy import select

            rows = list(s.scalars(select(WeChatAccount).where(WeChatAccount.archived.is_(False))))
            for row in rows:
                s.expunge(row)
            return rows

        accounts = uow.read(self.sessions, find)
        if len(accounts) != 1:
            raise RelayError("no_account", ", ".join(a.label for a in accounts))
        return accounts[0]

    def open_post(self, post_id: int, account: str | None, address: str, port: int) -> Relay:
        """A relay for one post (pictures exported now, in this thread: call it off the GUI
        thread). ``account`` (label or id) limits 我已发布 to that account."""
        chosen = self._account(account)
        return self._open([post_id], chosen, None, address, port, today=False)

    def open_today(self, account: str | None, address: str, port: int) -> Relay:
        """A 今日 relay: every post planned for today on one account, until midnight."""
        chosen = self._account(account) if account is not None else self.only_account()
        assert chosen is not None
        now = self.clock.now()
        ids = uow.read(self.sessions, lambda s: todays_post_ids(s, chosen.id, now, self.zone))
        _, midnight = local_day_bounds(now.astimezone(self.zone).date(), self.zone)
        return self._open(ids, chosen, midnight, address, port, today=True)

    def _open(
        self,
        post_ids: list[int],
        account: WeChatAccount | None,
        ends_at: datetime | None,
        address: str,
        port: int,
        *,
        today: bool,
    ) -> Relay:
        token = new_token()
        # The folder is named by a second random value, never by the token (it may be seen).
        folder = self.work_root / new_token()
        try:
            posts = load_relay_posts(self.sessions, post_ids, self.media_root, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # half an export helps nobody
            raise
        if account is not None and not today:
            on_post = {a.account_id for a in posts[0].job.accounts} if posts else set()
            if account.id not in on_post:
                shutil.rmtree(folder, ignore_errors=True)
                raise RelayError("not_on_post", account.label)
        relay = Relay(
            token=token,
            posts=posts,
            account_id=account.id if account is not None else None,
            account_label=account.label if account is not None else "",
            created_at=self.clock.now(),
            ends_at=ends_at,
            folder=folder,
            today=today,
            limits=self.limits,
        )
        with self._lock:
            try:
                self._listen(address, port)
            except RelayError:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            self._relays[token] = relay
        return relay

    def url(self, relay: Relay) -> str:
        return f"http://{url_host(self.address)}:{self.port}/p/{relay.token}"

    # -- the server ----------------------------------------------------------------------------

    def _listen(self, address: str, port: int) -> None:
        from moments_desk.core.relay.server import RelayServer

        if self._server is not None:
            if address == self.address and port in (0, self.port, DEFAULT_PORT):
                return
            self._stop_server()
        try:
            server = RelayServer(self, address, port)
        except OSError as error:
            if port != DEFAULT_PORT:
                raise RelayError("bind", f"{address}:{port}: {error.strerror}") from error
            try:
                server = RelayServer(self, address, 0)
            except OSError as again:
                raise RelayError("bind", f"{address}: {again.strerror}") from again
        self._server = server
        self.address = address
        self.port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()

    def _stop_server(self) -> None:
        from moments_desk.core.relay.server import RelayServer

        server, thread = self._server, self._thread
        self._server = self._thread = None
        if isinstance(server, RelayServer):
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def listening(self) -> bool:
        return self._server is not None

    # -- lookups and ending --------------------------------------------------------------------

    def relays(self) -> list[Relay]:
        with self._lock:
            return list(self._relays.values())

    def lookup(self, token: str) -> Relay | None:
        """The relay a request names, if its token still works; touching it keeps it alive."""
        with self._lock:
            relay = self._relays.get(token)
        if relay is None:
            return None
        now = self.clock.now()
        reason = relay.end_reason(now)
        if reason is not None:
            self.close(relay.token, reason)
            return None
        relay.touch(now)
        return relay

    def close(self, token: str, reason: str = "closed") -> None:
        """End a relay: its token stops working at once; the server stops with the last one."""
        with self._lock:
            relay = self._relays.pop(token, None)
            if relay is None:
                return
            relay.close()
            if not self._relays:
                self._stop_server()
        shutil.rmtree(relay.folder, ignore_errors=True)
        self.emit(relay, "ended", detail=reason)

    def sweep(self) -> None:
        """End relays that went idle or passed midnight (a timer calls this)."""
        now = self.clock.now()
        for relay in self.relays():
            reason = relay.end_reason(now)
            if reason is not None:
                self.close(relay.token, reason)

    def stop(self) -> None:
        """End every relay and stop listening (the app quits)."""
        for relay in self.relays():
            self.close(relay.token)
        with self._lock:
            if self._server is not None:
                self._stop_server()

    def idle_left(self, relay: Relay) -> timedelta:
        from moments_desk.core.relay.session import IDLE_LIMIT

        return max(timedelta(0), relay.last_seen + IDLE_LIMIT - self.clock.now())
