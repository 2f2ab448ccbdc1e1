"""What of a configuration value may enter a plan: service addresses, and nothing else.

A plan travels by email, so an env var or ConfigMap value is kept only when it is a
service address: ``host[:port]`` or a URL, reduced to ``scheme://host:port`` (credentials,
paths, queries and parameters dropped). Everything else becomes "" (the name stays, the
value goes). Values of variables whose names say they hold a secret (``*_PASSWORD``,
``*_TOKEN``, ``API_KEY`` ...) are kept only when they are URLs, and then without userinfo.

A single DNS label (``catalogue``) is ambiguous: it might be a Service or a password. It is
kept when the variable's name says it holds an address (``*_HOST``, ``*_URL``, ``*_SERVICE``
...); otherwise it is a *candidate*, kept only if a Service of that name turns out to exist
(the inventory builder decides at the end of an import).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.domain.addresses import canonical_text, endpoints_of

STRONG_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "APIKEY",
        "PASSPHRASE",
        "SALT",
        "PRIVATE",
        "PIN",
    }
)
WEAK_SECRET_WORDS = frozenset({"KEY", "AUTH", "CERT", "SIGNING", "COOKIE", "LICENSE", "HASH"})
ADDRESS_WORDS = frozenset(
    {
        "URL",
        "URLS",
        "URI",
        "URIS",
        "HOST",
        "HOSTS",
        "HOSTNAME",
        "ADDR",
        "ADDRESS",
        "ADDRESSES",
        "ENDPOINT",
        "ENDPOINTS",
        "SERVER",
        "SERVERS",
        "SERVICE",
        "SVC",
        "BROKER",
        "BROKERS",
        "BOOTSTRAP",
        "UPSTREAM",
        "BACKEND",
        "DSN",
        "NODES",
        "PEERS",
        "SEEDS",
    }
)
NOT_ADDRESSES = frozenset(
    {
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "null",
        "none",
        "nil",
        "enabled",
        "disabled",
        "enable",
        "disable",
        "debug",
        "info",
        "warn",
        "warning",
        "error",
        "trace",
        "fatal",
        "verbose",
        "production",
        "prod",
        "staging",
        "development",
        "dev",
        "test",
        "utc",
        "json",
        "text",
        "always",
        "never",
        "auto",
        "default",
    }
)
FILE_SUFFIXES = frozenset(
    {
        *("py", "js", "ts", "json", "yaml", "yml", "xml", "txt", "log", "conf", "cfg", "ini"),
        *("properties", "jar", "war", "sh", "html", "css", "pem", "crt", "key", "so", "class"),
        *("java", "go", "rb", "php", "lock", "toml", "csv", "sql", "tmp", "pid", "sock", "gz"),
        *("zip", "tar", "md", "env"),
    }
)
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def name_words(name: str) -> set[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db.password`` -> {"DB", "PASSWORD"}."""
    return {w.upper() for w in _WORD_SPLIT.split(name) if w}


_TRAITS: dict[str, tuple[bool, bool]] = {}  # name -> (secret?, address?); names repeat a lot
_TRAITS_LIMIT = 20_000


def _traits(name: str) -> tuple[bool, bool]:
    traits = _TRAITS.get(name)
    if traits is None:
        words = name_words(name)
        address = bool(words & ADDRESS_WORDS)
        secret = bool(words & STRONG_SECRET_WORDS) or (
            bool(words & WEAK_SECRET_WORDS) and not address
        )
        traits = (secret, address)
        if len(_TRAITS) >= _TRAITS_LIMIT:
            _TRAITS.clear()
        _TRAITS[name] = traits
    return traits


def is_secret_name(name: str) -> bool:
    return _traits(name)[0]


def names_address(name: str) -> bool:
    return _traits(name)[1]


@dataclass(frozen=True, slots=True)
class Sanitised:
    """The outcome for one value: ``kept`` goes into the plan; ``candidate`` is a bare
    name kept only if a Service of that name exists."""

    kept: str | None = None
    candidate: str | None = None


DROPPED = Sanitised()


def sanitise_value(name: str, value: object) -> Sanitised:
    """Decide what of ``value`` (of variable or key ``name``) may be stored."""
    if not isinstance(value, str):
        return DROPPED
    text = value.strip().strip("'\"")
    if _traits(name)[0] and "://" not in text and "@" not in text and "tcp(" not in text:
        return DROPPED  # a secret's value is kept only as a URL, and this cannot be one
    endpoints = endpoints_of(text)
    if not endpoints:
        return DROPPED
    first = endpoints[0]
    single = len(endpoints) == 1
    is_url = bool(first.scheme) if single else all(ep.scheme for ep in endpoints)
    if not is_url and _traits(name)[0]:
        return DROPPED
    if single and first.port is None and not is_url:
        host = first.host
        if not first.is_ip and host.rsplit(".", 1)[-1] in FILE_SUFFIXES:
            return DROPPED  # a file name, not a host
        if first.is_single_label:
            if host in NOT_ADDRESSES:
                return DROPPED
            if _traits(name)[1]:
                return Sanitised(kept=host)
            return Sanitised(candidate=host)
    if single and not is_url:
        return Sanitised(kept=first.host_port())
    return Sanitised(kept=canonical_text(endpoints))


def sanitise_address(value: str, name: str = "") -> str | None:
    """The storable form of ``value`` when it is an address on its own, else None."""
    return sanitise_value(name, value).kept


_KV_LINE = re.compile(
    r"""^\s*(?:export\s+)?["']?([A-Za-z_][\w.\-\[\]]*)["']?\s*[=:]\s*["']?([^"'\s#,;]+)["']?""",
)
MAX_LINES = 20_000  # of one ConfigMap value
MAX_URLS = 10_000  # distinct URL tokens judged in one ConfigMap value
MAX_PAIR_LINE = 8192  # a longer line holds no "name = address" pair worth reading
MAX_SCHEME_CHARS = 40  # "jdbc:sqlserver" and friends; a longer run is not a scheme
# A URL token: a scheme that starts a run of scheme characters (the look-behind), then
# "://" and everything to the next space or quote. The scheme is bounded and the body
# never gives back what it took, so a match is tried once per run of scheme characters
# and costs at most a bounded look ahead: the scan is linear in the text, whatever it
# holds (an open-ended scheme retried from every position took time that grew with the
# square of the length).
_URL_TOKEN = re.compile(
    rf"""(?<![A-Za-z0-9+.:-])[A-Za-z][A-Za-z0-9+.:-]{{0,{MAX_SCHEME_CHARS - 1}}}://[^\s"'<>`]++"""
)


def urls_in(text: str) -> Iterator[str]:
    """Every ``scheme://...`` token in ``text``, in one linear pass."""
    for match in _URL_TOKEN.finditer(text):
        yield match.group(0)


def scan_text(key: str, text: str) -> Iterator[tuple[str, str]]:
    """Addresses in a ConfigMap value: ``(where, stored form)`` pairs.

    A one-line value is judged as a whole (``key`` as its name). A config file
    (properties, env, YAML, TOML, JSON) is read line by line: ``name = value`` and
    ``name: value`` pairs are judged with their own names, and any URL in the text counts.
    Bare names need an address-like name here (there is no second chance). At most
    :data:`MAX_LINES` lines and :data:`MAX_URLS` distinct URLs of one value are read.
    """
    stripped = text.strip()
    if "\n" not in stripped:
        kept = sanitise_value(key, stripped).kept
        if kept:
            yield key, kept
            return
    seen: set[str] = set()
    tried: set[str] = set()  # URL tokens already judged (they repeat)
    for line in stripped.splitlines()[:MAX_LINES]:
        match = _KV_LINE.match(line) if len(line) <= MAX_PAIR_LINE else None
        if match:
            kept = sanitise_value(match.group(1), match.group(2)).kept
            if kept and kept not in seen:
                seen.add(kept)
                yield f"{key}:{match.group(1)}", kept
                continue
        for url in urls_in(line):
            if url in tried:
                continue
            if len(tried) >= MAX_URLS:
                return  # more distinct URLs than any configuration holds: the rest unread
            tried.add(url)
            kept = sanitise_value("url", url.rstrip(".,);]}")).kept
            if kept and kept not in seen:
                seen.add(kept)
                yield key, kept


REDACTED = "<redacted>"
MAX_SCRUB_CHARS = 65_536
_AUTH_HEADER = re.compile(r"\b(Basic|Bearer|Digest)(\s{1,8})[A-Za-z0-9._~+/=:-]{4,}", re.I)
# Each pattern can start only where a token or a name starts (the look-behinds), and its
# open-ended parts never give back what they took (possessive): every character is
# examined a bounded number of times, whatever the text.
_SECRET_PAIR = re.compile(
    r"""(?<![A-Za-z0-9_.\-])([A-Za-z_][A-Za-z0-9_.\-]*+)"""
    r"""(["']?[ \t]{0,8}[=:][ \t]{0,8}["']?)([^\s"',;&}\]]++)"""
)
_TOKEN_WITH_AT = re.compile(r"""(?<![^\s"'<>`])[^\s"'<>`@]*+@[^\s"'<>`]*+""")
_USERINFO_STARTS = "=(,;[{"


def _token_without_userinfo(match: re.Match[str]) -> str:
    """``scheme://user:pw@host/...`` -> ``scheme://host/...``; ``user:pw@host`` -> ``host``
    (a bare ``name@host`` is an e-mail address and stays)."""
    token = match.group(0)
    mark = token.find("://")
    start = mark + 3 if mark >= 0 else 0
    path = len(token)
    for stop in "/?#":
        i = token.find(stop, start)
        if 0 <= i < path:
            path = i
    at = token.rfind("@", start, path)
    if at < 0:
        return token
    if mark < 0:
        start = max(token.rfind(c, 0, at) for c in _USERINFO_STARTS) + 1
        if ":" not in token[start:at]:
            return token
    return token[:start] + token[at + 1 :]


def _redact_pair(match: re.Match[str]) -> str:
    if is_secret_name(match.group(1)):
        return f"{match.group(1)}{match.group(2)}{REDACTED}"
    return match.group(0)


def scrub_credentials(text: str) -> str:
    """``text`` with the credentials it may carry replaced by ``<redacted>`` or removed:
    userinfo in URLs and ``user:pw@host`` forms, ``Basic``/``Bearer``/``Digest`` values,
    and the values of ``key=value`` / ``key: value`` pairs whose key names a secret
    (``AUTH_TOKEN``, ``password``, ``apiKey`` ...). Every pattern is bounded, so the time
    taken is linear in the length of the text; a text over :data:`MAX_SCRUB_CHARS` gives ""
    (nothing of it is kept)."""
    if not text:
        return text
    if len(text) > MAX_SCRUB_CHARS:
        return ""  # too long to be a setting the product reads: dropped, never kept unread
    scrubbed = _TOKEN_WITH_AT.sub(_token_without_userinfo, text) if "@" in text else text
    scrubbed = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", scrubbed)
    return _SECRET_PAIR.sub(_redact_pair, scrubbed)
