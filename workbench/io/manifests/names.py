"""Names in generated manifests: Kubernetes name rules and safe file paths.

A plan can come from anywhere (it travels by email), so every name that ends up in a
path or in an object is checked here: object names are DNS-1123 names, label keys and
values follow Kubernetes' rules, and file paths are built only from segments that
cannot climb out of the output folder (no separators, no ``..``, no NUL, bounded
length), then checked again after resolving.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from workbench.domain.errors import WorkbenchError

DNS_LABEL_MAX = 63
DNS_SUBDOMAIN_MAX = 253
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_LABEL_PATTERN = rf"^{_LABEL}$"
DNS_SUBDOMAIN_PATTERN = rf"^{_LABEL}(\.{_LABEL})*$"
_DNS_LABEL_RE = re.compile(DNS_LABEL_PATTERN)
_DNS_SUBDOMAIN_RE = re.compile(DNS_SUBDOMAIN_PATTERN)
_NAME_PART = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_PATTERN = rf"^({_NAME_PART})?$"
QUALIFIED_NAME_PATTERN = rf"^({_LABEL}(\.{_LABEL})*/)?{_NAME_PART}$"
_LABEL_VALUE_RE = re.compile(LABEL_VALUE_PATTERN)
_QUALIFIED_RE = re.compile(QUALIFIED_NAME_PATTERN)
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
SEGMENT_MAX = 120  # file and folder names stay far below the usual 255-byte limit


class ManifestError(WorkbenchError):
    """The manifests cannot be generated or written (what and where in the message)."""


def is_dns_label(name: str) -> bool:
    return len(name) <= DNS_LABEL_MAX and bool(_DNS_LABEL_RE.match(name))


def is_dns_subdomain(name: str) -> bool:
    return len(name) <= DNS_SUBDOMAIN_MAX and bool(_DNS_SUBDOMAIN_RE.match(name))


def is_label_value(value: str) -> bool:
    return len(value) <= DNS_LABEL_MAX and bool(_LABEL_VALUE_RE.match(value))


def is_label_key(key: str) -> bool:
    """A qualified name with an optional DNS-subdomain prefix (``prefix/name``)."""
    if not _QUALIFIED_RE.match(key):
        return False
    prefix, _, name = key.rpartition("/")
    return len(name) <= DNS_LABEL_MAX and len(prefix) <= DNS_SUBDOMAIN_MAX


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def slug(text: str, max_length: int = DNS_LABEL_MAX) -> str:
    """Lower-case letters, digits and single dashes; "" when nothing is left."""
    cut = _SLUG_DROP.sub("-", text.lower()).strip("-")[:max_length]
    return cut.strip("-")


def safe_label(text: str, max_length: int = DNS_LABEL_MAX) -> str:
    """A DNS label for ``text``: itself when it is one, else a slug plus a short hash
    of the original (so distinct inputs never share a folder)."""
    if len(text) <= max_length and is_dns_label(text):
        return text
    head = slug(text, max_length - 9)
    return f"{head}-{short_hash(text)}" if head else f"x-{short_hash(text)}"


def derived_name(base: str, suffix: str = "", max_length: int = DNS_SUBDOMAIN_MAX) -> str:
    """``base`` plus ``-suffix``, shortened with a hash when it would be too long."""
    name = f"{base}-{suffix}" if suffix else base
    if len(name) <= max_length:
        return name
    keep = max_length - len(suffix) - 10 - (1 if suffix else 0)
    head = base[:keep].rstrip("-.")
    return f"{head}-{short_hash(name)}" + (f"-{suffix}" if suffix else "")


def is_segment(segment: str) -> bool:
    """One path segment that stays where it is put."""
    return (
        0 < len(segment) <= SEGMENT_MAX
        and segment not in (".", "..")
        and not any(c in segment for c in "/\\:\0")
        and segment.isprintable()
        and not segment.startswith("-")
    )


def safe_join(root: Path, parts: tuple[str, ...]) -> Path:
    """``root / parts...`` after checking every segment; raises on anything that could
    leave ``root`` (separators, ``..``, NUL, absolute paths, symlinked escapes)."""
    for part in parts:
        if not is_segment(part):
            raise ManifestError(f"refusing the unsafe path segment {part[:80]!r} under {root}")
    base = root.resolve()
    target = base.joinpath(*parts)
    resolved = target.resolve()
    if resolved != base and base not in resolved.parents:
        raise ManifestError(f"refusing to write {target}: it resolves outside {base}")
    return target
