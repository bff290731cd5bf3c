"""The relay's HTTP server: a few fixed routes under an unguessable token, nothing else.

Every path is matched whole against one pattern; anything else, and any token that is
unknown or ended, gets the same bare 404. No path from a request ever reaches the file
system: pictures are chosen by number from the relay's own list.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import threading
from datetime import tzinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.media import ImageRejected
from moments_desk.core.planning.publishing import PublishError
from moments_desk.core.relay.content import attach_screenshots, record_posted, reload_job
from moments_desk.core.relay.page import render_page
from moments_desk.core.relay.session import Relay
from moments_desk.core.relay.uploads import REFUSALS, UploadRefused, parse_files
from moments_desk.scheduling.clock import Clock


class RelayHub(Protocol):
    """What the server needs of the hub that owns the relays (core/relay/hub.py)."""

    sessions: sessionmaker[Session]
    media_root: Path
    clock: Clock
    zone: tzinfo
    user_id: int | None

    def lookup(self, token: str) -> Relay | None: ...

    def emit(
        self, relay: Relay, kind: str, post_id: int | None = None, detail: str = ""
    ) -> None: ...


ROUTE = re.compile(
    r"/p/(?P<token>[A-Za-z0-9_-]{22})"
    r"(?:/(?P<post>[1-9][0-9]{0,2}))?"
    r"(?:/(?P<action>img/(?P<n>[1-9][0-9]{0,2})|posted|screenshots))?"
)
NOT_FOUND = b"Not Found\n"
#: Connections served at once; more wait in the listen queue or are dropped.
MAX_CONNECTIONS = 32
#: A 我已发布 form is a few bytes.
MAX_FORM_BYTES = 4096
_COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


class RelayServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(self, hub: RelayHub, address: str, port: int) -> None:
        self.hub = hub
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((address, port), RelayHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class RelayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MomentsDesk"
    sys_version = ""
    #: A silent client loses its thread after this many seconds.
    timeout = 20
    #: Headers and a picture go out at once, not after the client's delayed ACK.
    disable_nagle_algorithm = True
    server: RelayServer

    # -- plumbing ------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing is logged: request lines carry the token."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Malformed requests get the same bare answer as unknown paths.
        self.close_connection = True
        self._send(404, NOT_FOUND, "text/plain; charset=utf-8")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (*_COMMON_HEADERS, *headers):
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(404, NOT_FOUND, "text/plain; charset=utf-8", (("Cache-Control", "no-store"),))

    def _json(self, status: int, answer: dict[str, object]) -> None:
        body = json.dumps(answer, ensure_ascii=False).encode()
        self._send(
            status, body, "application/json; charset=utf-8", (("Cache-Control", "no-store"),)
        )

    def _refuse(self, relay: Relay, post_id: int, refusal: UploadRefused) -> None:
        self.server.hub.emit(relay, "refused", post_id, refusal.reason)
        self._json(refusal.status, {"ok": False, "message": refusal.message})

    def _route(self) -> tuple[Relay, int, re.Match[str]] | None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        match = ROUTE.fullmatch(path)
        if match is None:
            return None
        relay = self.server.hub.lookup(match["token"])
        if relay is None:
            return None
        number = int(match["post"] or 1)
        if relay.post(number) is None or (match["post"] is not None and not relay.today):
            return None
        return relay, number, match

    # -- methods -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        found = self._route()
        if found is None:
            return self._not_found()
        relay, number, match = found
        if match["action"] is None:
            return self._page(relay)
        if match["n"] is not None:
            return self._picture(relay, number, int(match["n"]))
        return self._not_found()

    def do_POST(self) -> None:
        found = self._route()
        if found is None:
            self.close_connection = True
            return self._not_found()
        relay, number, match = found
        if match["action"] == "posted":
            return self._posted(relay, number)
        if match["action"] == "screenshots":
            return self._screenshots(relay, number)
        self.close_connection = True
        return self._not_found()

    def do_HEAD(self) -> None:
        self._not_found()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD

    # -- pages and pictures --------------------------------------------------------------------

    def _page(self, relay: Relay) -> None:
        hub = self.server.hub
        jobs = []
        for post in relay.posts:
            try:
                job = reload_job(hub.sessions, post.post_id, hub.media_root)
            except PublishError:
                job = post.job  # deleted on the laptop meanwhile: show what was sent
            jobs.append((job, len(post.pictures)))
        nonce = secrets.token_urlsafe(12)
        html = render_page(
            relay.token,
            jobs,
            today=relay.today,
            account_label=relay.account_label,
            account_id=relay.account_id,
            zone=hub.zone,
            nonce=nonce,
        )
        policy = (
            "default-src 'none'; img-src 'self'; connect-src 'self'; "
            f"style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        hub.emit(relay, "opened", relay.posts[0].post_id if relay.posts else None)
        self._send(
            200,
            html.encode(),
            "text/html; charset=utf-8",
            (("Cache-Control", "no-store"), ("Content-Security-Policy", policy)),
        )

    def _picture(self, relay: Relay, number: int, picture: int) -> None:
        post = relay.post(number)
        if post is None or not 1 <= picture <= len(post.pictures):
            return self._not_found()
        try:
            body = post.pictures[picture - 1].read_bytes()
        except OSError:  # the relay ended and its folder went while we looked
            return self._not_found()
        self.server.hub.emit(relay, "picture", post.post_id, str(picture))
        self._send(
            200,
            body,
            "image/jpeg",
            (
                ("Cache-Control", "private, max-age=1800"),
                ("Content-Disposition", f'inline; filename="{post.post_id}-{picture}.jpg"'),
            ),
        )

    # -- what the phone sends back -------------------------------------------------------------

    def _body(self, limit: int) -> bytes | None:
        """The request body when it declares a length within ``limit``; None otherwise."""
        length_text = self.headers.get("Content-Length", "")
        if not length_text.isdigit() or int(length_text) > limit:
            self.close_connection = True  # the unread body must not be taken as a request
            return None
        return self.rfile.read(int(length_text))

    def _posted(self, relay: Relay, number: int) -> None:
        hub = self.server.hub
        post = relay.post(number)
        assert post is not None
        body = self._body(MAX_FORM_BYTES)
        if body is None:
            return self._json(400, {"ok": False, "message": REFUSALS["bad_request"]})
        wanted = parse_qs(body.decode("utf-8", "replace")).get("account", [""])[0].strip()
        accounts = post.job.accounts
        if relay.account_id is not None:
            account_id: int | None = relay.account_id
            if wanted and wanted not in (str(relay.account_id), relay.account_label):
                message = f"这次接力只记录“{relay.account_label}”"
                return self._json(400, {"ok": False, "message": message})
        elif wanted:
            matches = [a for a in accounts if wanted in (str(a.account_id), a.label)]
            if not matches:
                return self._json(400, {"ok": False, "message": "没有这个微信账号"})
            account_id = matches[0].account_id
        elif len(accounts) > 1:
            return self._json(400, {"ok": False, "message": "请选择是哪个微信号发的"})
        else:
            account_id = accounts[0].account_id if accounts else None
        try:
            outcome = record_posted(
                hub.sessions, post.post_id, account_id, hub.user_id, hub.clock.now()
            )
        except PublishError as error:
            message = REFUSALS["gone"] if error.code == "gone" else "这条已跳过，不能记录为已发布"
            return self._json(409, {"ok": False, "message": message})
        if outcome.state == "posted":
            hub.emit(relay, "posted", post.post_id, outcome.account_label)
            message = "已记录为已发布，电脑上同步更新"
        else:
            message = "之前已经记录过了"
        self._json(
            200,
            {"ok": True, "state": outcome.state, "finished": outcome.finished, "message": message},
        )

    def _screenshots(self, relay: Relay, number: int) -> None:
        hub = self.server.hub
        post = relay.post(number)
        assert post is not None
        limits = relay.limits
        body = self._body(limits.request_bytes)
        if body is None:
            return self._refuse(relay, post.post_id, UploadRefused("request_too_large", 413))
        try:
            files = parse_files(self.headers.get("Content-Type", ""), body, limits.file_bytes)
        except UploadRefused as refusal:
            return self._refuse(relay, post.post_id, refusal)
        now = hub.clock.now()
        budget = relay.reserve_uploads(len(files), now)
        if budget is not None:
            return self._refuse(relay, post.post_id, UploadRefused(budget, 429))
        try:
            added = attach_screenshots(
                hub.sessions, hub.media_root, post.post_id, files, "phone", now
            )
        except ImageRejected as rejected:
            relay.release_uploads(len(files))
            hub.emit(relay, "refused", post.post_id, rejected.reason)
            reason = REFUSALS.get(rejected.reason, REFUSALS["not_an_image"])
            message = f"{rejected.path.name}：{reason}，这次没有保存任何截图"
            return self._json(422, {"ok": False, "message": message})
        except PublishError:
            relay.release_uploads(len(files))
            return self._json(409, {"ok": False, "message": REFUSALS["gone"]})
        hub.emit(relay, "screenshots", post.post_id, str(added))
        message = f"已收到 {len(files)} 张截图，电脑上已保存"
        self._json(200, {"ok": True, "saved": added, "message": message})
