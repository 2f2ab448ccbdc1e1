"""Deterministic YAML for generated manifests.

Keys are sorted, lists keep their order, indentation is two spaces and a string is
written plain only when no YAML 1.1 or 1.2 reader could take it for anything else
(a number, a boolean, null, a date, an anchor ...); every other string is written
double-quoted, with quotes, backslashes and every character YAML does not allow raw
(controls, surrogates, non-characters) escaped. Only the types manifests use are
accepted: dict, list, str, int, float, bool and None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_RESERVED = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "infinity"}
)


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write the number {value!r} to a manifest")
        text = repr(value)
        # YAML 1.1 readers (PyYAML) need a dot in the mantissa: 5e-324 -> 5.0e-324
        return text.replace("e", ".0e") if "e" in text and "." not in text else text
    if isinstance(value, str):
        # fullmatch: "$" would let a string end in a newline ("A\n") go out plain
        if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
            return value
        return '"' + _ESCAPE.sub(_escape, value) + '"'
    raise TypeError(f"cannot write a {type(value).__name__} to a manifest")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"manifest keys must be strings, got {key!r}")
    return scalar(key)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    """Lines for a mapping or sequence at ``indent``."""
    pad = " " * indent
    if isinstance(value, dict):
        for key in sorted(value):
            item = value[key]
            head = f"{pad}{_key(key)}:"
            if isinstance(item, dict) and item:
                out.append(head)
                _emit(item, indent + 2, out)
            elif isinstance(item, list) and item:
                out.append(head)
                _emit(item, indent, out)
            else:
                out.append(f"{head} {_inline(item)}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + 2, sub)
                sub[0] = f"{pad}- {sub[0][indent + 2 :]}"
                out.extend(sub)
            elif isinstance(item, list) and item:
                sub = []
                _emit(item, indent + 2, sub)
                sub[0] = f"{pad}- {sub[0][indent + 2 :]}"
                out.extend(sub)
            else:
                out.append(f"{pad}- {_inline(item)}")


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def dump(document: Any) -> str:
    """One YAML document (no leading ``---``), ending with a newline."""
    if isinstance(document, dict | list) and document:
        lines: list[str] = []
        _emit(document, 0, lines)
        return "\n".join(lines) + "\n"
    return _inline(document) + "\n"


def dump_all(documents: Iterable[Any]) -> str:
    """Several documents separated by ``---`` lines."""
    return "---\n".join(dump(d) for d in documents)
