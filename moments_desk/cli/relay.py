"""``moments-desk relay``: serve one post (or today's posts) to the phone until interrupted.

For tests and for a seller's always-on mini PC. Prints ``relay: <URL>`` and a terminal QR
code, then one line per thing the phone does; exits 0 on Ctrl+C / SIGTERM or when the relay
ends (30 minutes idle, midnight for --today).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from moments_desk.core.planning.publishing import PublishError
from moments_desk.core.relay.hub import DEFAULT_PORT, RelayError, RelayHub
from moments_desk.core.relay.network import LOOPBACK, candidate_addresses
from moments_desk.core.relay.session import RelayEvent
from moments_desk.paths import default_data_dir
from moments_desk.scheduling.clock import SystemClock, local_zone
from moments_desk.startup import StartupError, open_shop


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    relay: argparse.ArgumentParser = sub.add_parser(
        "relay", help="serve a post to the phone (发到手机) until interrupted"
    )
    what = relay.add_mutually_exclusive_group(required=True)
    what.add_argument("--post", type=int, metavar="ID", help="the post to send")
    what.add_argument("--today", action="store_true", help="every post due today for one account")
    relay.add_argument("--account", metavar="NAME", help="the WeChat account (label or id)")
    relay.add_argument(
        "--bind", metavar="ADDR", help="LAN address to listen on (default: the default route's)"
    )
    relay.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free one)")
    return relay


def _describe(event: RelayEvent) -> str:
    post = f"post {event.post_id}"
    lines = {
        "opened": "the phone opened the page",
        "picture": f"{post}: picture {event.detail} fetched",
        "posted": f"{post}: recorded as posted ({event.detail or 'every account'})",
        "screenshots": f"{post}: {event.detail} screenshot(s) attached",
        "refused": f"{post}: upload refused ({event.detail})",
        "ended": f"relay ended ({event.detail})",
    }
    return lines.get(event.kind, event.kind)


def _error_text(error: RelayError) -> str:
    texts = {
        "no_account": f"choose --account: this shop has several accounts ({error.detail})",
        "unknown_account": f"no WeChat account named {error.detail!r}",
        "not_on_post": f"the post is not planned for the account {error.detail!r}",
        "bind": f"cannot listen on {error.detail}",
    }
    return texts.get(error.code, str(error))


def run(args: argparse.Namespace) -> int:
    import segno

    try:
        shop = open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        from moments_desk.cli.text import report_startup_failure

        return report_startup_failure(error, args.lang)
    stop = threading.Event()
    hub = RelayHub(
        shop.sessions, shop.paths.media, shop.paths.exports / "relay", SystemClock(), local_zone()
    )

    def on_event(event: RelayEvent) -> None:
        print(_describe(event), flush=True)
        if event.kind == "ended":
            stop.set()

    hub.add_listener(on_event)
    previous = signal.signal(signal.SIGTERM, lambda _n, _f: stop.set())
    try:
        address = args.bind or candidate_addresses()[0] or LOOPBACK
        try:
            if args.today:
                relay = hub.open_today(args.account, address, args.port)
            else:
                relay = hub.open_post(args.post, args.account, address, args.port)
        except RelayError as error:
            print(f"moments-desk: {_error_text(error)}", file=sys.stderr)
            return 1
        except PublishError as error:
            detail = "does not exist" if error.code == "gone" else error.code
            print(f"moments-desk: post {error.post_id} {detail}", file=sys.stderr)
            return 1
        url = hub.url(relay)
        posts = ", ".join(str(p.post_id) for p in relay.posts) or "none due today"
        print(f"relay: {url}", flush=True)
        print(f"posts: {posts}; scan with WeChat on the phone; Ctrl+C ends the relay")
        segno.make(url, error="m").terminal(out=sys.stdout, compact=True)
        sys.stdout.flush()
        try:
            while not stop.wait(1.0):
                hub.sweep()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        signal.signal(signal.SIGTERM, _restore(previous))
        hub.stop()
        shop.close()


def _restore(previous: Any) -> Any:
    return previous if previous is not None else signal.SIG_DFL
