"""Where a webhook may be delivered: public unicast addresses only, however they are spelled.

A subscriber chooses the URL, so without this check the dispatcher would POST wherever it is
told from inside the engine's network (server-side request forgery): the database, the
Temporal frontend, a cloud metadata service. ``127.1``, ``2130706433``, ``0x7f000001`` and
``0177.0.0.1`` all mean 127.0.0.1 to the system resolver (``inet_aton``), and a name may
resolve anywhere, so the rule is applied to the address that will be connected to:

* at registration, :func:`url_refusal` refuses what the URL itself names (a literal address in
  any spelling, ``localhost``);
* at send time, :func:`resolve_public` resolves the host once and refuses if *any* of its
  addresses is not public; the sender then connects to the address it checked (no second
  look-up a rebinding DNS server could answer differently).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
"""Resolves ``(host, port)`` to addresses; the system resolver unless a test gives another."""

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_RESOLVE_TIMEOUT_SECONDS = 5.0


class ForbiddenAddress(Exception):
    """The webhook's host is, or resolves to, an address the dispatcher must not call."""


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``host`` spells the way ``inet_aton`` (and so ``getaddrinfo``) reads it.

    One to four parts separated by dots, each decimal, octal (leading ``0``) or hex (``0x``);
    the last part fills the remaining bytes (``127.1`` is 127.0.0.1, ``2130706433`` too).

    Returns:
        The address, or None when ``host`` is not numeric (a name).

    Raises:
        ForbiddenAddress: ``host`` is numeric but out of range: no valid address, yet a
            resolver might still read something into it.
    """
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        lowered = part.lower()
        try:
            if lowered.startswith("0x"):
                numbers.append(int(lowered[2:] or "0", 16))
            elif len(lowered) > 1 and lowered.startswith("0"):
                numbers.append(int(lowered, 8))
            elif lowered.isdigit():
                numbers.append(int(lowered, 10))
            else:
                return None
        except ValueError:
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        raise ForbiddenAddress(f"{host} is a numeric host out of the IPv4 range")
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` names literally (IPv4 in any spelling, IPv6 with or without a zone
    id), or None when it is a name that needs resolving."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError as exc:
            raise ForbiddenAddress(f"{host} is not a valid IPv6 address") from exc
    return parse_ipv4(host)


def refusal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why the dispatcher must not connect to ``address``; None for a public unicast address.

    Args:
        address: the address a webhook would be delivered to.
        allow_loopback: accept 127.0.0.0/8 and ::1 (tests and development only).
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        if any(address in network for network in _NAT64):
            return "a NAT64 address"
        if address.sixtofour is not None or address.teredo is not None:
            return "a 6to4 or Teredo tunnel address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_link_local:
        return "a link-local address"
    if address in _CGNAT:
        return "a shared (CGNAT) address"
    if address.is_reserved:
        return "a reserved, non-public address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a non-public address"
    return None


def url_refusal(url: str, *, allow_loopback: bool = False) -> str | None:
    """What registration can already tell about a webhook URL: why its host is refused, or
    None. A name (other than ``localhost``) is checked when it is resolved, at each delivery."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return None if allow_loopback else f"{host} names this machine (a loopback address)"
    try:
        address = literal_address(host)
    except ForbiddenAddress as exc:
        return str(exc)
    if address is None:
        return None
    reason = refusal(address, allow_loopback=allow_loopback)
    return None if reason is None else f"{host} is {reason} ({address})"


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives ``host`` (one look-up, with a time limit)."""
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), _RESOLVE_TIMEOUT_SECONDS
    )
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def resolve_public(
    host: str, port: int, *, allow_loopback: bool = False, resolver: Resolver = system_resolver
) -> IPAddress:
    """The address to connect to for ``host``: resolved once, every answer checked.

    Raises:
        ForbiddenAddress: ``host`` is, or resolves to (any of its answers), an address
            :func:`refusal` refuses.
        OSError: the name does not resolve (a retryable failure).
    """
    found = literal_address(host.rstrip("."))
    addresses = [found] if found is not None else await resolver(host, port)
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise ForbiddenAddress(f"{host} resolves to {address}, {reason}")
    return addresses[0]
