"""Where kesu may send a webhook (issue 15, defect 9: server-side request forgery).

A subscriber URL is chosen by whoever configures webhooks; without a check it could point kesu at
its own loopback services, the cloud metadata address or any host of the intranet. A URL is refused
when its host resolves to an address that is not public — loopback, private (RFC 1918, fc00::/7),
link-local (169.254/16, the metadata address), multicast, reserved or unspecified — unless the host
is on the administrator's allow-list (``KESU_WEBHOOK_ALLOWED_HOSTS``: host names or addresses,
comma-separated). It is checked when a subscriber is saved (a name that does not resolve yet is accepted) and again before every delivery (a name
may resolve elsewhere later); redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit

from kesu.core.errors import FieldError


def address_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


def host_addresses(host: str, port: int | None) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def destination_check(url: str, allowed_hosts: Collection[str], *, sending: bool = True) -> None:
    """Raise ``FieldError("url", "webhook.private_address" | "webhook.unresolvable")`` unless ``url``'s
    host is allowed or resolves only to public addresses. A name that does not resolve is refused
    when sending, not when saving (the receiver's DNS entry may not exist yet)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in allowed_hosts:
        return
    addresses = host_addresses(host, parts.port)
    if not addresses:
        if sending:
            raise FieldError("url", "webhook.unresolvable", host=host)
        return
    private = [a for a in addresses if not address_public(a) and a not in allowed_hosts]
    if private:
        raise FieldError("url", "webhook.private_address", host=host, address=private[0])
