"""JSON for the command line's ``--json`` outputs: always valid JSON.

Python's encoder writes ``Infinity`` and ``NaN`` for non-finite floats, which no JSON
parser accepts; here such a number becomes ``null`` (an unknown figure), and the encoder
is told to refuse any that slip through.
"""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (lists and dicts walked)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, **options: Any) -> str:
    return json.dumps(finite(value), allow_nan=False, **options)
