"""The address a request comes from. `X-Forwarded-For` is believed only when the request reached us
through one of the proxies named in TRUSTED_PROXIES; otherwise anyone could name any address."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The first address, counting back from our own proxies, that is not one of them."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Something a trusted proxy passed on unchecked: the proxy itself is all we know.
            return remote
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0])) if hops else remote
