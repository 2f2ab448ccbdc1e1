"""Hidden IP addresses: each address of a plan gets a keyed stand-in of the same family
and network (IPv4 keeps its first two octets, IPv6 its first 32 bits), no two alike and
none equal to a real address of the plan while the network has room, drawn in address
order so the same plan and key always give the same ones. Loopback, link-local and
unspecified addresses and CIDR ranges stay as they are."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re

from workbench.domain.sharing.words import WORD

_V4 = r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]|/\d)"
_V6 = r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:.]|/\d)"
IPV4 = re.compile(_V4)
IPV6 = re.compile(_V6)
# One pass over a text: an IPv4 address, an IPv6 candidate, or a word.
TEXT_PARTS = re.compile(rf"(?P<v4>{_V4})|(?P<v6>{_V6})|(?P<word>{WORD.pattern})")
KEEP_IPV4_FIRST = ("127", "169", "0", "255")  # loopback, link-local, unspecified, broadcast
MAX_DRAWS = 1 << 20  # hashes drawn for one address before giving up (a /16 is 65,536)
AVOID_REAL_DRAWS = 64  # draws that also avoid the plan's real addresses


def is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def addresses_in(text: str) -> list[str]:
    """The IPv4 and IPv6 addresses in a text."""
    if "." not in text and ":" not in text:
        return []
    found = IPV4.findall(text)
    if ":" in text:
        found += [a for a in IPV6.findall(text) if is_ipv6(a)]
    return found


def without_addresses(text: str) -> str:
    """The text with its IPv6 addresses blanked (their hex groups are not words)."""
    if text.count(":") < 2:
        return text
    return IPV6.sub(lambda m: " " if is_ipv6(m.group(0)) else m.group(0), text)


def kept(address: str) -> bool:
    """An address that names nothing and stays: loopback, link-local, unspecified."""
    if ":" not in address:
        return address.split(".", 1)[0] in KEEP_IPV4_FIRST
    ip = ipaddress.IPv6Address(address)
    return ip.is_loopback or ip.is_unspecified or ip.is_link_local


def drawn_address(key: bytes, address: str, draw: int) -> str:
    text = address if draw == 0 else f"{address}#{draw}"
    digest = hmac.new(key, text.encode(), hashlib.sha256).digest()
    if ":" in address:
        network = ipaddress.IPv6Address(address).packed[:4]
        return str(ipaddress.IPv6Address(network + digest[:12]))
    first, second = address.split(".", 2)[:2]
    return f"{first}.{second}.{digest[0]}.{digest[1]}"


def address_table(key: bytes, addresses: frozenset[str]) -> dict[str, str]:
    """A hidden address for each of ``addresses`` that does not stay (see :func:`kept`)."""
    table: dict[str, str] = {}
    taken: set[str] = set()
    for address in sorted(addresses):
        if kept(address):
            continue
        for draw in range(MAX_DRAWS):
            hidden = drawn_address(key, address, draw)
            if hidden not in taken and (draw >= AVOID_REAL_DRAWS or hidden not in addresses):
                break
        else:
            raise ValueError(f"no free hidden address left for {address}")
        taken.add(hidden)
        table[address] = hidden
    return table
