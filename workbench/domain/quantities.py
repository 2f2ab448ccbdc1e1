"""Kubernetes resource quantities as the product's units (millicores, bytes).

Accepts what the API server accepts for CPU and memory: plain numbers (``0.5``,
``2``), milli (``100m``), decimal suffixes (``k``, ``M``, ``G``, ``T``, ``P``, ``E``),
binary suffixes (``Ki``, ``Mi``, ``Gi``, ``Ti``, ``Pi``, ``Ei``) and exponents
(``1e3``). Fractions are rounded up, as Kubernetes does for requests.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from workbench.domain.errors import WorkbenchError

MAX_QUANTITY_CHARS = 64  # longer text is no quantity (and is never scanned)
_QUANTITY = re.compile(r"^\s*([+]?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]{0,2})\s*$")
_SUFFIX = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("0.001"),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10,
    "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50,
    "Ei": Decimal(2) ** 60,
}


class QuantityError(WorkbenchError, ValueError):
    """A resource quantity that Kubernetes would not accept."""


def parse_quantity(text: str, where: str = "") -> Decimal:
    """The quantity's value in base units (cores, bytes)."""
    m = _QUANTITY.match(text) if len(text) <= MAX_QUANTITY_CHARS else None
    place = f" in {where}" if where else ""
    if not m or m[2] not in _SUFFIX:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise QuantityError(f"{shown!r} is not a Kubernetes quantity{place}")
    try:
        return Decimal(m[1]) * _SUFFIX[m[2]]
    except InvalidOperation as exc:  # pragma: no cover - the pattern excludes this
        raise QuantityError(f"{text!r} is not a Kubernetes quantity{place}") from exc


def quantity_or_none(value: object) -> Decimal | None:
    """Lenient reading of a manifest value: the quantity, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    try:
        return parse_quantity(value)
    except QuantityError:
        return None


def parse_cpu_m(text: str, where: str = "") -> int:
    """CPU in millicores: ``100m`` -> 100, ``0.5`` -> 500, ``2`` -> 2000."""
    return math.ceil(parse_quantity(text, where) * 1000)


def parse_memory_bytes(text: str, where: str = "") -> int:
    """Memory in bytes: ``128Mi`` -> 134217728, ``500M`` -> 500000000."""
    return math.ceil(parse_quantity(text, where))
