"""Who is asking: the client's address, for login throttling.

The address is the connection's peer (the ASGI scope's client). Behind a reverse proxy every peer is the proxy:
list it in the `trusted_proxies` setting, and the address is then the last one of X-Forwarded-For that is not a
trusted proxy (the proxies append what they saw; what comes before them is the client's to invent). A peer that is
not a trusted proxy is believed alone: its X-Forwarded-For is ignored, so a client cannot pick its own address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _trusted(host: str, networks: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_address(request: Request, trusted_proxies: Sequence[str] = ()) -> str:
    """The client's address: the peer's, or behind trusted proxies the nearest untrusted X-Forwarded-For hop."""
    peer = request.client.host if request.client is not None else ""
    networks = _networks(tuple(trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage where an address should be: count it against the proxy's own
    return peer
