"""Who is asking: the client's address, also behind a reverse proxy or load balancer.

Rate limits and per-client quotas count by this address. Behind nginx or a load
balancer every connection comes from the proxy, so its forwarding header is read,
but only when the connection comes from one of ``TRUSTED_PROXIES``: a header sent
by anyone else is a lie a client can tell to dodge its limits.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent ``request``, as text.

    The connection's peer, unless it is a trusted proxy: then the forwarding
    header (``CLIENT_ADDRESS_HEADER``, X-Forwarded-For by default) is read from
    the right, skipping further trusted proxies, and its first other address wins.
    """
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_parse(peer), networks):
        return peer
    header = "HTTP_" + settings.CLIENT_ADDRESS_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return peer  # a malformed chain: trust nothing in it
        if not _trusted(address, networks):
            return str(address)
    return peer
