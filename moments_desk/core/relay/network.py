"""Which address the phone can reach the laptop on: the LAN interfaces of this machine."""

from __future__ import annotations

import ipaddress
import socket

#: Shown when nothing better is found; only this computer can open it.
LOOPBACK = "127.0.0.1"


def default_route_address() -> str | None:
    """The local address of the interface the default route leaves by.

    Connecting a UDP socket only picks a route; no packet is sent. 192.0.2.1 is a
    documentation address (TEST-NET-1) that is never answered.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith(("0.", "127.")) else address


def candidate_addresses() -> list[str]:
    """LAN addresses to offer, the default route's first; loopback last as a fallback."""
    found: list[str] = []
    default = default_route_address()
    if default:
        found.append(default)
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        address = str(info[4][0])
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local) and address not in found:
            found.append(address)
    found.append(LOOPBACK)
    return found


def url_host(address: str) -> str:
    """An address as it appears in a URL (IPv6 in brackets)."""
    return f"[{address}]" if ":" in address else address
