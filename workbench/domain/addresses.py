"""Service addresses as they appear in configuration: ``svc``, ``svc:port``, ``svc.ns``,
``svc.ns.svc.cluster.local``, URLs (``http://``, ``redis://``, ``amqp://``, ``mongodb://a,b``),
JDBC URLs (``jdbc:mysql://``, ``jdbc:sqlserver://h;...``, ``jdbc:oracle:thin:@h:1521:SID``),
Go MySQL DSNs (``user:pw@tcp(h:3306)/db``) and comma-separated lists of any of these.

:func:`parse_addresses` turns one configuration value into the endpoints it names, or None
when the value is not an address at all. Only host, port and scheme survive parsing:
credentials, paths, queries and parameters are dropped, so :func:`canonical_text` of the
result is safe to store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_IPV4_RE = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$")
_IPV6_RE = re.compile(r"^\[[0-9a-f:.]+\]$")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*(?::[a-z][a-z0-9+.-]*)*)://(.*)$", re.S)
_ORACLE_RE = re.compile(r"^(jdbc:oracle:[a-z]+):@(?://)?(.*)$")
_GO_DSN_RE = re.compile(r"^(?:[^@\s]*@)?tcp\(([^)\s]+)\)")
_SPLIT_RE = re.compile(r"\s*,\s*")
_SPACE_RE = re.compile(r"\s")  # str.isspace() for each character, in one scan
_URL_SPLIT_RE = re.compile(r",\s*(?=[A-Za-z][A-Za-z0-9+.:-]*://)")
# the common case, ``host`` or ``host:port`` in lower case, whose last label has a letter
_LAST_LABEL = rf"(?=[a-z0-9-]*[a-z]){_LABEL}"
_PLAIN_RE = re.compile(rf"((?:{_LABEL}\.)*{_LAST_LABEL})(?::([0-9]{{1,5}}))?")
MAX_VALUE_CHARS = 4096  # the longest value read as an address (a list of many URLs)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "[::]"})


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One host (and port) named by a configuration value."""

    host: str  # lower case, no trailing dot; IPv6 in brackets
    port: int | None = None
    scheme: str | None = None  # "http", "jdbc:mysql", ...

    @property
    def is_ip(self) -> bool:
        if self.host[-1:].isalpha():
            return False  # a DNS name (an IP ends in a digit, IPv6 in a bracket)
        return bool(_IPV4_RE.match(self.host) or _IPV6_RE.match(self.host))

    @property
    def is_single_label(self) -> bool:
        return "." not in self.host and not self.is_ip

    @property
    def is_local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def host_port(self) -> str:
        return self.host if self.port is None else f"{self.host}:{self.port}"


def _host_port(text: str, *, strict_case: bool) -> Endpoint | None:
    """``host``, ``host:port``, ``[v6]:port``; None when it is not one."""
    if not text or len(text) > 260:
        return None
    host, port_text = text, ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[: end + 1], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                return None
            port_text = rest[1:]
        if not _IPV6_RE.match(host.lower()):
            return None
    elif ":" in text:
        host, _, port_text = text.rpartition(":")
    if (port_text or text.endswith(":")) and (
        not port_text.isdigit() or not 0 < int(port_text) < 65536
    ):
        return None
    if strict_case and host != host.lower() and host != host.upper():
        return None  # mixed case: a token or a password, not a DNS name
    host = host.lower().rstrip(".")
    if not _valid_host(host):
        return None
    return Endpoint(host, int(port_text) if port_text else None)


def _valid_host(host: str) -> bool:
    if _IPV6_RE.match(host):
        return True
    if _IPV4_RE.match(host):
        return all(int(p) < 256 for p in host.split("."))
    if len(host) > 253 or not _HOST_RE.match(host):
        return False
    last = host.rsplit(".", 1)[-1]
    # "1.2.3" is a version, "10" a number: a DNS name's last label has a letter
    return any(c.isalpha() for c in last)


def _authority_hosts(rest: str) -> list[Endpoint] | None:
    """Hosts of a URL authority (after ``scheme://``), dropping userinfo and the rest."""
    end = len(rest)
    for stop in "/?#;":
        i = rest.find(stop)
        if 0 <= i < end:
            end = i
    authority = rest[:end]
    if "@" in authority:
        authority = authority.rpartition("@")[2]
    if not authority:
        return None
    hosts = []
    for part in authority.split(","):
        ep = _host_port(part, strict_case=False)
        if ep is None:
            return None
        hosts.append(ep)
    return hosts


def _parse_one(text: str) -> list[Endpoint] | None:
    low = text.lower()
    oracle = _ORACLE_RE.match(low)
    if oracle:
        head = oracle.group(2).split("/", 1)[0]
        parts = head.split(":")
        candidate = ":".join(parts[:2])
        ep = _host_port(candidate, strict_case=False)
        return [Endpoint(ep.host, ep.port, oracle.group(1))] if ep else None
    url = _SCHEME_RE.match(text)
    if url:
        scheme = url.group(1).lower()
        hosts = _authority_hosts(url.group(2))
        if hosts is None:
            return None
        return [Endpoint(h.host, h.port, scheme) for h in hosts]
    dsn = _GO_DSN_RE.match(text)
    if dsn:
        ep = _host_port(dsn.group(1), strict_case=False)
        return [Endpoint(ep.host, ep.port, "tcp")] if ep else None
    ep = _host_port(text, strict_case=True)
    return [ep] if ep else None


_CACHE: dict[str, tuple[Endpoint, ...] | None] = {}
_CACHE_LIMIT = 50_000


def parse_addresses(value: str) -> list[Endpoint] | None:
    """The endpoints a configuration value names, or None when it is not an address.

    A comma-separated list is an address only when every element is one. A URL list
    such as ``mongodb://a:27017,b:27017/db`` gives one endpoint per host. Results are
    remembered (values repeat across an estate, and discovery re-reads what the importer
    kept), so a value is parsed once.
    """
    found = endpoints_of(value)
    return list(found) if found is not None else None


def endpoints_of(value: str) -> tuple[Endpoint, ...] | None:
    """:func:`parse_addresses` as a shared, read-only tuple."""
    if len(value) > MAX_VALUE_CHARS:
        return None  # no address is this long; never scanned, never remembered
    try:
        return _CACHE[value]
    except KeyError:
        found = _parse_value(value)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[value] = found
        return found


def _parse_value(value: str) -> tuple[Endpoint, ...] | None:
    plain = _PLAIN_RE.fullmatch(value)
    if plain is not None:
        host, port = plain.group(1, 2)
        if port is None:
            return (Endpoint(host),) if len(host) <= 253 else None
        number = int(port)
        return (Endpoint(host, number),) if 0 < number < 65536 and len(host) <= 253 else None
    text = value.strip()
    if not text:
        return None
    if "://" in text and _SCHEME_RE.match(text):
        # a URL's authority may itself hold commas (mongodb://a,b); split only between URLs
        pieces = _URL_SPLIT_RE.split(text)
    else:
        pieces = _SPLIT_RE.split(text)
    found: list[Endpoint] = []
    for piece in pieces:
        if not piece or _SPACE_RE.search(piece):
            return None
        eps = _parse_one(piece)
        if eps is None:
            return None
        found.extend(eps)
    return tuple(found) or None


def canonical_text(endpoints: Iterable[Endpoint]) -> str:
    """The stored form: ``scheme://host:port`` or ``host:port``, comma-separated."""
    return ",".join(
        f"{ep.scheme}://{ep.host_port()}" if ep.scheme else ep.host_port() for ep in endpoints
    )
