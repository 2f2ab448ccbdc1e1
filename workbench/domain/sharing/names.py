"""Keyed hashes for the names of an estate, and the way back with the same key.

Each hidden word becomes ``h`` and nine base32 characters of an HMAC-SHA256 of the
lowercased word under the user's key: a valid DNS label, the same wherever the word
appears, and unguessable without the key. Upper-case words stay upper case (an
environment variable ``PAYMENTS_URL`` stays one). IP addresses get keyed stand-ins in
their own network (:mod:`workbench.domain.sharing.addresses`). Anyone holding the key
rebuilds the way back from the real plan's words and addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field

from workbench.domain.sharing.addresses import (
    TEXT_PARTS,
    address_table,
    addresses_in,
    drawn_address,
    is_ipv6,
    kept,
    without_addresses,
)
from workbench.domain.sharing.words import WORD, is_public

TOKEN = re.compile(r"^[hH][a-zA-Z2-7]{9}$")
_KEY_ID_TEXT = b"mesh-workbench hidden names key id"


def key_id(key: bytes) -> str:
    """A public id of a key: equal ids mean the same key, and it reveals nothing of it."""
    return hmac.new(key, _KEY_ID_TEXT, hashlib.sha256).hexdigest()[:16]


# Words schedule rules read in phase and activity names; they name nothing of the estate.
PLANNER_WORDS = re.compile(
    r"pilot|multi-?cluster|east-?west|root of trust|shared root|trust anchor", re.IGNORECASE
)


class _TextRewriter:
    """Rewrites the words and IP addresses in texts, one text at a time, remembering each;
    the hasher and the restorer say what a word and an address become."""

    __slots__ = ()
    _texts: dict[str, str]

    def _word(self, match: re.Match[str]) -> str:
        raise NotImplementedError

    def _address(self, address: str) -> str:
        raise NotImplementedError

    def _part(self, match: re.Match[str]) -> str:
        if match.group("word") is not None:
            return self._word(match)
        text = match.group(0)
        if match.group("v4") is not None or is_ipv6(text):
            return self._address(text)
        return WORD.sub(self._word, text)  # hex words and colons, not an address

    def text(self, value: str) -> str:
        """Rewrite every word and IP address in a text."""
        out = self._texts.get(value)
        if out is None:
            if "." in value or ":" in value:  # may hold an address
                out = TEXT_PARTS.sub(self._part, value)
            else:
                out = WORD.sub(self._word, value)
            self._texts[value] = out
        return out


@dataclass(slots=True)
class NameHasher(_TextRewriter):
    """Replaces the words in ``hidden`` (lowercase) by keyed hashes, in any text, and the
    IP addresses in ``addresses`` (every address of the plan) by hidden ones."""

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

    def address(self, address: str) -> str:
        """The hidden form of an IPv4 or IPv6 address (the same when it stays)."""
        if kept(address):
            return address
        return self._ips.get(address) or drawn_address(self.key, address, 0)

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() in self.hidden and not is_public(word):
            return self.token(word)
        return word

    def _address(self, address: str) -> str:
        return self.address(address)

    def whole(self, value: str) -> str:
        """One token for a whole text (a wave name that contains a hidden name), followed by
        the generic words the planner reads in such names (a pilot phase, the multi-cluster
        set-up activity), so the copy is planned and checked exactly as the original."""
        if not value:
            return value
        kept = [m.group(0) for m in PLANNER_WORDS.finditer(value)]
        return " ".join([self.token(value), *kept])


@dataclass(slots=True)
class NameRestorer(_TextRewriter):
    """The way back: hashed words and addresses to the real ones they came from."""

    words: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    wholes: dict[str, str] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def learn(self, hasher: NameHasher, texts: list[str], wholes: list[str]) -> None:
        """Record what each word, address and whole name of ``texts`` hides to."""
        self._texts.clear()
        for text in set(texts):
            for word in WORD.findall(without_addresses(text)):
                if word.lower() in hasher.hidden and not is_public(word):
                    self.words.setdefault(hasher.token(word), word)
            for address in addresses_in(text):
                self.addresses.setdefault(hasher.address(address), address)
        for name in wholes:
            if name:
                self.wholes.setdefault(hasher.whole(name), name)

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if TOKEN.match(word):
            return self.words.get(word, word)
        return word

    def _address(self, address: str) -> str:
        return self.addresses.get(address, address)

    def whole(self, value: str) -> str:
        return self.wholes.get(value) or self.text(value)

    def unknown_tokens(self, value: str) -> list[str]:
        """Hashed words in a text that this restorer cannot bring back."""
        return [w for w in WORD.findall(value) if TOKEN.match(w) and w not in self.words]
