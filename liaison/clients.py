"""Who is asking: the client's address, as every throttle and the login lockout count it.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
it was written by proxies we run. `LIAISON_TRUSTED_PROXIES` lists them (addresses or
networks, e.g. `127.0.0.1,10.0.0.0/8`). Starting from the address the connection came from,
each hop that is a trusted proxy hands over to the hop it forwarded for (the next entry from
the right of `X-Forwarded-For`); the first hop that is not a trusted proxy is the client.
With no trusted proxies (the default) the header is ignored and the client is the
connection's address — an invented header changes nothing.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxies() -> tuple:
    return _networks(tuple(getattr(settings, "LIAISON_TRUSTED_PROXIES", ())))


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str:
    """The client's address: the connection's, or the first untrusted hop behind our proxies."""
    if request is None:
        return UNKNOWN
    meta = getattr(request, "META", {})
    current = _address(meta.get("REMOTE_ADDR", "") or "")
    if current is None:
        return UNKNOWN
    networks = trusted_proxies()
    if networks:
        hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        while hops and _is_trusted(current, networks):
            forwarded = _address(hops.pop())
            if forwarded is None:  # a malformed hop: stop at the last address we can vouch for
                break
            current = forwarded
    return str(current)
