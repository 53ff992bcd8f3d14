"""The webhook address rule: every spelling of an internal address is refused, public ones pass."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from motcua.outbox import ForbiddenAddress, IPAddress, parse_ipv4, resolve_public, url_refusal
from motcua.settings import Settings

# (URL, a word the refusal must contain): what a subscriber could register to reach inside.
REFUSED = [
    ("http://127.0.0.1/hook", "loopback"),
    ("http://2130706433/hook", "loopback"),  # one decimal number
    ("http://0x7f000001/hook", "loopback"),  # one hex number
    ("http://127.1/hook", "loopback"),  # short form: the last part fills three bytes
    ("http://127.0.1/hook", "loopback"),
    ("http://0177.0.0.1/hook", "loopback"),  # octal
    ("http://0x7f.0.0.0x1/hook", "loopback"),
    ("http://127.0.0.1./hook", "loopback"),  # trailing dot
    ("http://localhost:8000/hook", "loopback"),
    ("http://LOCALHOST./hook", "loopback"),
    ("http://api.localhost/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "IPv4-mapped"),
    ("http://[::ffff:7f00:1]/hook", "IPv4-mapped"),
    ("http://[::ffff:10.0.0.1]/hook", "IPv4-mapped"),
    ("http://[64:ff9b::7f00:1]/hook", "NAT64"),
    ("http://[64:ff9b::a00:1]/hook", "NAT64"),
    ("http://[64:ff9b:1::a00:1]/hook", "NAT64"),
    ("http://[2002:7f00:1::]/hook", "6to4"),
    ("http://10.1.2.3/hook", "private"),
    ("http://012.1.2.3/hook", "private"),  # octal 10
    ("http://0xa010203/hook", "private"),
    ("http://167838211/hook", "private"),  # 10.1.2.3 as one number
    ("http://172.16.0.1/hook", "private"),
    ("http://192.168.1.1/hook", "private"),
    ("http://[fc00::1]/hook", "private"),
    ("http://[fd12:3456::1]/hook", "private"),
    ("http://169.254.169.254/latest/meta-data", "link-local"),  # cloud metadata
    ("http://0xa9fea9fe/latest/meta-data", "link-local"),
    ("http://[fe80::1%25eth0]/hook", "link-local"),
    ("http://100.64.0.1/hook", "CGNAT"),
    ("http://100.127.255.254/hook", "CGNAT"),
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://0/hook", "unspecified"),
    ("http://[::]/hook", "unspecified"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://[ff02::1]/hook", "multicast"),
    ("http://255.255.255.255/hook", "non-public"),
    ("http://240.0.0.1/hook", "non-public"),
    ("http://[::7f00:1]/hook", "non-public"),  # the deprecated IPv4-compatible form
    ("http://192.0.2.10/hook", "private"),  # documentation range
    ("http://4294967296/hook", "out of the IPv4 range"),
    ("http://256.0.0.1/hook", "out of the IPv4 range"),
    ("http://127.0.0.0x100/hook", "out of the IPv4 range"),
]

ACCEPTED = [
    "https://portal.example.gov.vn/motcua/events",  # a name: checked at each delivery
    "http://8.8.8.8/hook",
    "http://134744072/hook",  # 8.8.8.8 as one number: odd, but public
    "https://[2001:4860:4860::8888]/hook",
    "https://1.1.1.1:8443/hook",
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_every_spelling_of_an_internal_address_is_refused(url: str, reason: str) -> None:
    refused = url_refusal(url)
    assert refused is not None and reason in refused, refused


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_addresses_and_names_are_accepted(url: str) -> None:
    assert url_refusal(url) is None


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("10.0x10.0300", "10.16.0.192"),
        ("1.2.3.4", "1.2.3.4"),
        ("portal.example", None),
        ("08.1.2.3", None),  # not octal: a name to resolve, and its answer is checked
    ],
)
def test_ipv4_spellings_read_as_the_system_resolver_reads_them(
    spelling: str, address: str | None
) -> None:
    parsed = parse_ipv4(spelling)
    assert (str(parsed) if parsed else None) == address


def test_loopback_may_be_allowed_for_tests_but_nothing_else_internal() -> None:
    assert url_refusal("http://127.1:8000/hook", allow_loopback=True) is None
    assert url_refusal("http://localhost:8000/hook", allow_loopback=True) is None
    for url, reason in REFUSED:
        if reason != "loopback":
            assert url_refusal(url, allow_loopback=True) is not None, url
    mapped = url_refusal("http://[::ffff:127.0.0.1]/hook", allow_loopback=True)
    assert mapped is not None and "IPv4-mapped" in mapped


def test_allowing_loopback_webhooks_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="MOTCUA_WEBHOOK_ALLOW_LOOPBACK is refused"):
        Settings(environment="production", webhook_allow_loopback=True)
    assert Settings(environment="production").webhook_allow_loopback is False
    assert Settings().webhook_allow_loopback is False


async def test_a_name_is_refused_when_any_of_its_addresses_is_internal() -> None:
    answers = {
        "public.example": ["93.184.216.34"],
        "rebinding.example": ["93.184.216.34", "10.0.0.7"],
        "metadata.example": ["169.254.169.254"],
    }

    async def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(a) for a in answers[host]]

    found = await resolve_public("public.example", 443, resolver=resolver)
    assert str(found) == "93.184.216.34"
    for name, reason in [("rebinding.example", "private"), ("metadata.example", "link-local")]:
        with pytest.raises(ForbiddenAddress, match=reason):
            await resolve_public(name, 443, resolver=resolver)
