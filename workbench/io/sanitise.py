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
_URL_IN_TEXT = re.compile(r"""[A-Za-z][A-Za-z0-9+.:-]*://[^\s"'<>`]+""")


def scan_text(key: str, text: str) -> Iterator[tuple[str, str]]:
    """Addresses in a ConfigMap value: ``(where, stored form)`` pairs.

    A one-line value is judged as a whole (``key`` as its name). A config file
    (properties, env, YAML, TOML, JSON) is read line by line: ``name = value`` and
    ``name: value`` pairs are judged with their own names, and any URL in the text counts.
    Bare names need an address-like name here (there is no second chance).
    """
    stripped = text.strip()
    if "\n" not in stripped:
        kept = sanitise_value(key, stripped).kept
        if kept:
            yield key, kept
            return
    seen: set[str] = set()
    for line in stripped.splitlines()[:20000]:
        match = _KV_LINE.match(line)
        if match:
            kept = sanitise_value(match.group(1), match.group(2)).kept
            if kept and kept not in seen:
                seen.add(kept)
                yield f"{key}:{match.group(1)}", kept
                continue
        for url in _URL_IN_TEXT.findall(line):
            kept = sanitise_value("url", url.rstrip(".,);]}")).kept
            if kept and kept not in seen:
                seen.add(kept)
                yield key, kept
