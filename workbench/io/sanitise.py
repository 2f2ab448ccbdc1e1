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
        "SIG",  # signed URLs: Azure SAS ``sig``, ``X-Amz-Signature``, ``X-Goog-Signature``
        "SIGNATURE",
        "JWT",
    }
)
WEAK_SECRET_WORDS = frozenset(
    {
        *("KEY", "AUTH", "AUTHORIZATION", "CERT", "SIGNING", "COOKIE", "LICENSE", "HASH"),
        *("SESSION", "SESSIONID", "JSESSIONID", "SID"),
    }
)
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
# Authorization schemes left in front of a redacted credential ("Basic <redacted>"): they say
# how a workload authenticates, not with what.
AUTH_SCHEMES = frozenset(
    {
        *("basic", "bearer", "digest", "negotiate", "ntlm", "token", "hoba", "mutual"),
        *("vapid", "hawk", "dpop", "gssapi", "kerberos", "oauth", "aws4-hmac-sha256"),
        *("scram-sha-1", "scram-sha-256"),
    }
)
_AUTH_HEADER = re.compile(
    r"\b(Basic|Bearer|Digest|Negotiate|NTLM)(\s{1,8})[A-Za-z0-9._~+/=:-]{4,}", re.I
)
_URL_USERINFO = re.compile(r"""(?<=://)[^\s/?#@"'<>`]*+@""")  # in every URL of a token
_TOKEN_WITH_AT = re.compile(r"""(?<![^\s"'<>`])[^\s"'<>`@]*+@[^\s"'<>`]*+""")
_USERINFO_STARTS = "=(,;[{"

# -- the values of secret keys ------------------------------------------------------
#
# Every pattern below starts where a name starts (the look-behind) or where the scanner
# stands, and its open-ended parts never give back what they took (possessive), so each
# character is examined a bounded number of times: the scan is linear in the text.

# A key: a name that starts a token (after one or two dashes for a command-line option),
# its closing quote when quoted (``"KEY":``, ``\"KEY\":``), then ``=`` or ``:``.
_KEY = re.compile(
    r"""(?<![A-Za-z0-9_.\-])-*+([A-Za-z_][A-Za-z0-9_.\-]*+)(\\?["']?)[ \t]{0,8}([=:])"""
)
_BLANKS = re.compile(r"[ \t]*+")
_WHITESPACE = re.compile(r"\s*+")
_LINE_PREFIX = re.compile(r"[ \t]*+(?:-[ \t]++)*+")  # indentation and sequence entry dashes
_NODE_PROPERTIES = re.compile(r"(?:[!&][^\s,\[\]{}]{0,128}+[ \t]++)*+")  # YAML tags, anchors
_BLOCK_HEADER = re.compile(r"[|>][0-9+\-]{0,3}+")  # a literal or folded block scalar
_LINE_ENDS = re.compile(r"[ \t\r]*+(?=\n|\Z)")  # nothing more on the line
_QUOTED = {
    '"': re.compile(r'"(?:[^"\\]|\\.)*+"', re.S),
    "'": re.compile(r"'(?:[^']|'')*+'"),
    '\\"': re.compile(r'\\"(?:[^\\]|\\[^"])*+\\"'),
    "\\'": re.compile(r"\\'(?:[^\\]|\\[^'])*+\\'"),
}
_BRACKET = re.compile(r"[\[\]{}]")
_PLAIN_AFTER_EQUALS = re.compile(r"""[^\s"',;&}\]]*+""")  # key=value, query parameters
_PLAIN_IN_FLOW = re.compile(r"[^,}\]]*+")  # {key: value, ...} (a plain scalar may span lines)
_PLAIN_TO_EOL = re.compile(r"[^\n]*+")  # key: value
_NAMED = re.compile(r"""[ \t]*+\\?["']?([A-Za-z_][A-Za-z0-9_.\-]{0,255})""")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9_\-]{0,31})[ \t]++(?=\S)")
_NAMING_KEYS = frozenset({"name", "key"})  # {name: AUTH_TOKEN, value: ...}


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


def _past(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where ``pattern`` (one that matches the empty string too) stops matching from ``at``."""
    found = pattern.match(text, at)
    return found.end() if found else at


def _opened(text: str, start: int, stop: int) -> int:
    """Flow collections opened minus closed in ``text[start:stop]``."""
    return (
        text.count("{", start, stop)
        + text.count("[", start, stop)
        - text.count("}", start, stop)
        - text.count("]", start, stop)
    )


def _collection_end(text: str, start: int) -> int:
    """The end of the flow collection opening at ``start`` (the end of the text when it
    never closes)."""
    depth = 0
    for match in _BRACKET.finditer(text, start):
        depth += 1 if match.group() in "[{" else -1
        if depth == 0:
            return match.end()
    return len(text)


def _block_end(text: str, eol: int, column: int) -> int:
    """Where the lines after ``eol`` that continue a value end: lines indented deeper than
    its key (at ``column``), or as deep when they are sequence entries (``- x``). Blank
    lines between such lines count; blank lines after them do not."""
    n = len(text)
    end = p = eol
    while p < n:
        first = _past(_BLANKS, text, p + 1)
        nl = text.find("\n", first)
        if nl < 0:
            nl = n
        if first == nl:
            p = nl  # a blank line
            continue
        indent = first - p - 1
        if indent > column or (
            indent == column
            and text[first] == "-"
            and (first + 1 == nl or text[first + 1] in " \t")
        ):
            end = p = nl
            continue
        break
    return end


def _rstrip(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1] in " \t\r\n":
        stop -= 1
    return stop


@dataclass(slots=True)
class _Value:
    """Where a secret key's value lies: ``text[start:stop]`` is replaced, and the scan goes
    on at ``resume``."""

    start: int
    stop: int
    resume: int
    plain: bool = False  # an unquoted scalar (or a collection, replaced by one)
    block: bool = False  # on the lines after its key


def _token_value(text: str, at: int, sep: str, flow: bool) -> _Value | None:
    """The value starting at ``at``: quoted, a flow collection or a plain scalar."""
    n = len(text)
    c = text[at] if at < n else ""
    if c == "\\" and text[at + 1 : at + 2] in ('"', "'"):
        c = text[at : at + 2]
    if c in _QUOTED:
        quoted = _QUOTED[c].match(text, at)
        start = at + len(c)
        if quoted is None:  # never closed: all that follows may be the secret
            return _Value(start, n, n)
        return _Value(start, quoted.end() - len(c), quoted.end())
    plain = _PLAIN_AFTER_EQUALS if sep == "=" else _PLAIN_IN_FLOW if flow else _PLAIN_TO_EOL
    # A collection is replaced with what follows it as a plain scalar would be: the
    # replacement is one, so scrubbing the result again changes nothing.
    after = _collection_end(text, at) if c in ("[", "{") else at
    end = _past(plain, text, after)
    stop = _rstrip(text, after, end)
    return _Value(at, stop, end, plain=True) if stop > at else None


def _secret_value(
    text: str, key: re.Match[str], flow: bool, column: int, first: bool, header: bool
) -> _Value | None:
    """Where the value of the secret ``key`` lies, or None when it has none.

    ``flow``: the key is inside a JSON or YAML flow collection; ``column``: where the key
    starts on its line; ``first``: nothing but indentation and sequence dashes before it
    (a YAML block key, whose value may go on over the lines indented deeper); ``header``:
    an ``Authorization`` header, whose value runs to the end of the line whatever the
    separator."""
    sep = ":" if header else key.group(3)
    begin = _past(_BLANKS, text, key.end())
    at = _past(_NODE_PROPERTIES, text, begin)
    if sep == ":":
        block = _BLOCK_HEADER.match(text, at)
        rest = _LINE_ENDS.match(text, block.end() if block else at)
        if rest is not None:  # nothing more on the line: the value follows it
            eol = rest.end()
            if flow and block is None:  # JSON or YAML flow: the next token, wherever it is
                at = _past(_WHITESPACE, text, eol)
                if at >= len(text) or text[at] in ",}]":
                    return None
                return _token_value(text, at, sep, flow)
            end = _block_end(text, eol, column)
            if end == eol and block is None:
                return None  # no value
            return _Value(begin, end, end, block=True)
    value = _token_value(text, at, sep, flow)
    if value is None:
        return None
    if value.start == at:  # unquoted: the node's tags and anchors go with it
        value.start = begin
    if value.plain and sep == ":" and first and not flow:  # a plain scalar may go on
        end = _block_end(text, value.resume, column)
        if end > value.resume:
            value.stop = value.resume = end
    return value


def _replacement(text: str, value: _Value, header: bool) -> tuple[int, str]:
    """Where the replacement starts, and what replaces the value."""
    start = value.start
    if header and not value.block:  # keep the scheme: "Authorization: Bearer <redacted>"
        scheme = _SCHEME.match(text, start, value.stop)
        if scheme is not None and scheme.group(1).lower() in AUTH_SCHEMES:
            start = scheme.end()
    if value.block and text[start - 1] == ":":
        return start, " " + REDACTED
    return start, REDACTED


def _scrub_pairs(text: str) -> str:
    """``text`` with the value of every key that names a secret replaced by ``<redacted>``.

    A key is a name followed by ``=`` or ``:``, wherever it stands: at the start of a line,
    after ``{``, ``[``, ``,``, a quote, a space, ``?``, ``&`` or ``;`` (URL query and matrix
    parameters), quoted or not. Its value is what YAML, JSON, a query string or a header
    would take: a quoted string, a flow collection, a plain scalar (to ``&``/``;``/``,``/a
    space after ``=``; to ``,``/``}``/``]`` inside a flow collection; to the end of the line
    otherwise, and over the lines indented deeper after a block key), or the lines after the
    key when its line ends with it (a value on the next line, or a ``|``/``>`` block
    scalar). ``name: SECRET_NAME`` followed by ``value: ...`` (Kubernetes' env entries) is a
    secret too. ``Authorization`` headers keep their scheme."""
    n = len(text)
    out: list[str] = []
    copied = 0  # text[:copied] is in out
    pos = 0  # where the next key is looked for
    depth = counted = 0  # flow collections open before ``counted``
    line_start = lines_seen = 0  # the key's line; newlines before lines_seen are counted
    prefix_line, prefix_end = -1, 0  # where a line's indentation and dashes end
    pending = False  # a name: SECRET_NAME was seen; the next value: is a secret
    while pos < n:
        key = _KEY.search(text, pos)
        if key is None:
            break
        at = key.start()
        depth = max(0, depth + _opened(text, counted, at))
        counted = at
        newline = text.rfind("\n", lines_seen, at)
        if newline >= 0:
            line_start = newline + 1
        lines_seen = at
        name = key.group(1)
        lower = name.lower()
        secret = is_secret_name(name)
        if lower in _NAMING_KEYS:
            named = _NAMED.match(text, key.end())
            pending = named is not None and is_secret_name(named.group(1))
        elif lower == "value":
            secret = secret or pending
            pending = False
        if not secret:
            pos = key.end()
            continue
        begin = at - 1 if at > line_start and text[at - 1] in "\"'" else at
        if prefix_line != line_start:
            prefix_line, prefix_end = line_start, _past(_LINE_PREFIX, text, line_start)
        header = "authorization" in lower
        value = _secret_value(text, key, depth > 0, begin - line_start, begin == prefix_end, header)
        if value is None:
            pos = key.end()
            continue
        start, replacement = _replacement(text, value, header)
        out.append(text[copied:start])
        out.append(replacement)
        copied = value.stop
        pos = counted = max(value.resume, key.end())
    if not out:
        return text
    out.append(text[copied:])
    return "".join(out)


def scrub_credentials(text: str) -> str:
    """``text`` with the credentials it may carry replaced by ``<redacted>`` or removed:
    userinfo in URLs and ``user:pw@host`` forms; the values of keys that name a secret
    (``AUTH_TOKEN``, ``password``, ``apiKey``, a URL's ``token``/``sig``/``X-Amz-Signature``
    parameter ...) wherever the key stands, in YAML (block or flow, the value on the key's
    line, the next lines or a block scalar), JSON, ``key=value`` lists and query strings;
    ``Authorization``/``Proxy-Authorization`` header values of any scheme; and
    ``Basic``/``Bearer``/``Digest`` credentials standing alone. The same test of a name
    (:func:`is_secret_name`) decides for env vars. Every pattern is bounded, so the time
    taken is linear in the length of the text; a text over :data:`MAX_SCRUB_CHARS` gives ""
    (nothing of it is kept)."""
    if not text:
        return text
    if len(text) > MAX_SCRUB_CHARS:
        return ""  # too long to be a setting the product reads: dropped, never kept unread
    scrubbed = text
    if "@" in text:
        scrubbed = _URL_USERINFO.sub("", text)  # a URL in a URL's query too
        scrubbed = _TOKEN_WITH_AT.sub(_token_without_userinfo, scrubbed)
    if ":" in scrubbed or "=" in scrubbed:
        scrubbed = _scrub_pairs(scrubbed)
    return _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", scrubbed)
