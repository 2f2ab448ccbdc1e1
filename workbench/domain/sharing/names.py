"""Keyed hashes for the names of an estate, and the way back with the same key.

Each hidden word becomes ``h`` and nine base32 characters of an HMAC-SHA256 of the
lowercased word under the user's key: a valid DNS label, the same wherever the word
appears, and unguessable without the key. Upper-case words stay upper case (an
environment variable ``PAYMENTS_URL`` stays one). IPv4 addresses keep their first two
octets (so private, link-local and public addresses stay what they were) and hide the
rest; the addresses of one plan never share a hidden address (a hash that would meet
another's is drawn again, in address order) and avoid the plan's real addresses. Anyone
holding the key rebuilds the way back from the real plan's words and addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field

from workbench.domain.sharing.words import WORD, is_public

TOKEN = re.compile(r"^[hH][a-zA-Z2-7]{9}$")
IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.]|/\d)")
_KEEP_IP_FIRST = ("127", "169", "0", "255")  # loopback, link-local, unspecified, broadcast
_KEY_ID_TEXT = b"mesh-workbench hidden names key id"


def key_id(key: bytes) -> str:
    """A public id of a key: equal ids mean the same key, and it reveals nothing of it."""
    return hmac.new(key, _KEY_ID_TEXT, hashlib.sha256).hexdigest()[:16]


# Words schedule rules read in phase and activity names; they name nothing of the estate.
PLANNER_WORDS = re.compile(
    r"pilot|multi-?cluster|east-?west|root of trust|shared root|trust anchor", re.IGNORECASE
)


MAX_DRAWS = 1 << 20  # hashes drawn for one address before giving up (a /16 is 65,536)
AVOID_REAL_DRAWS = 64  # draws that also avoid the plan's real addresses


def _drawn_address(key: bytes, address: str, draw: int) -> str:
    first, second = address.split(".", 2)[:2]
    text = address if draw == 0 else f"{address}#{draw}"
    digest = hmac.new(key, text.encode(), hashlib.sha256).digest()
    return f"{first}.{second}.{digest[0]}.{digest[1]}"


def address_table(key: bytes, addresses: frozenset[str]) -> dict[str, str]:
    """A hidden address for each of ``addresses`` (IPv4 texts), no two the same and none
    equal to a real one (while the network has room), the same for the same set."""
    table: dict[str, str] = {}
    taken: set[str] = set()
    for address in sorted(addresses):
        if address.split(".", 1)[0] in _KEEP_IP_FIRST:
            continue
        for draw in range(MAX_DRAWS):
            hidden = _drawn_address(key, address, draw)
            if hidden not in taken and (draw >= AVOID_REAL_DRAWS or hidden not in addresses):
                break
        else:
            raise ValueError(f"no free hidden address left for {address}")
        taken.add(hidden)
        table[address] = hidden
    return table


@dataclass(slots=True)
class NameHasher:
    """Replaces the words in ``hidden`` (lowercase) by keyed hashes, in any text, and the
    IPv4 addresses in ``addresses`` (every address of the plan) by hidden ones."""

    key: bytes
    hidden: frozenset[str]
    addresses: frozenset[str] = frozenset()
    _cache: dict[str, str] = field(default_factory=dict, repr=False)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _ips: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._ips = address_table(self.key, self.addresses)

    def token(self, word: str) -> str:
        low = word.lower()
        out = self._cache.get(low)
        if out is None:
            digest = hmac.new(self.key, low.encode(), hashlib.sha256).digest()
            out = "h" + base64.b32encode(digest).decode().lower()[:9]
            self._cache[low] = out
        return out.upper() if word.isupper() else out

    def ip(self, match: re.Match[str]) -> str:
        address = match.group(0)
        if match.group(1) in _KEEP_IP_FIRST:
            return address
        return self._ips.get(address) or _drawn_address(self.key, address, 0)

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() in self.hidden and not is_public(word):
            return self.token(word)
        return word

    def text(self, value: str) -> str:
        """Hide every hidden word and IPv4 address in a text."""
        out = self._texts.get(value)
        if out is None:
            out = self._texts[value] = WORD.sub(self._word, IPV4.sub(self.ip, value))
        return out

    def whole(self, value: str) -> str:
        """One token for a whole text (a wave name that contains a hidden name), followed by
        the generic words the planner reads in such names (a pilot phase, the multi-cluster
        set-up activity), so the copy is planned and checked exactly as the original."""
        if not value:
            return value
        kept = [m.group(0) for m in PLANNER_WORDS.finditer(value)]
        return " ".join([self.token(value), *kept])


@dataclass(slots=True)
class NameRestorer:
    """The way back: hashed words and addresses to the real ones they came from."""

    words: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    wholes: dict[str, str] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def learn(self, hasher: NameHasher, texts: list[str], wholes: list[str]) -> None:
        """Record what each word, address and whole name of ``texts`` hides to."""
        self._texts.clear()
        for text in set(texts):
            for word in WORD.findall(text):
                if word.lower() in hasher.hidden and not is_public(word):
                    self.words.setdefault(hasher.token(word), word)
            for m in IPV4.finditer(text):
                self.addresses.setdefault(hasher.ip(m), m.group(0))
        for name in wholes:
            if name:
                self.wholes.setdefault(hasher.whole(name), name)

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if TOKEN.match(word):
            return self.words.get(word, word)
        return word

    def _ip(self, match: re.Match[str]) -> str:
        return self.addresses.get(match.group(0), match.group(0))

    def text(self, value: str) -> str:
        out = self._texts.get(value)
        if out is None:
            out = self._texts[value] = WORD.sub(self._word, IPV4.sub(self._ip, value))
        return out

    def whole(self, value: str) -> str:
        return self.wholes.get(value) or self.text(value)

    def unknown_tokens(self, value: str) -> list[str]:
        """Hashed words in a text that this restorer cannot bring back."""
        return [w for w in WORD.findall(value) if TOKEN.match(w) and w not in self.words]
