"""The client's address, the one key every limiter counts on (public forms, allauth's login,
the API throttles, the admin login).

``TRUSTED_PROXY_COUNT`` says how many reverse proxies of ours stand in front of the application:

- 0 (the default): nobody rewrites the connection, the address is ``REMOTE_ADDR``; any
  ``X-Forwarded-For`` is the client's own words and is ignored.
- N: each of our N proxies appended the address it saw to ``X-Forwarded-For``, so the N-th entry
  from the right was written by our outermost proxy: that is the client. Whatever the client put
  further left is ignored, so forging the header changes nothing.

Never raises: a header with fewer entries than N (the request did not come through the proxies),
an empty one, or an entry that is not an IP address falls back to ``REMOTE_ADDR``; with no usable
address at all every such request shares one key (``UNKNOWN``) rather than choosing its own.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a shared limiter key, never an address we bind to


def _parse(raw: str | None) -> str | None:
    """A normalised IP address from one header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``::1``,
    ``[::1]:443``), or None."""
    if not raw:
        return None
    value = raw.strip().strip('"')
    if value.startswith("["):  # [IPv6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]  # an IPv6 zone ("fe80::1%eth0") is not part of the key
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string; see the module docstring."""
    remote = _parse(request.META.get("REMOTE_ADDR")) or UNKNOWN
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    entries = [e for e in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if e.strip()]
    if len(entries) < trusted:
        return remote
    return _parse(entries[-trusted]) or remote
