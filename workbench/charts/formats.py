"""Number formats of the charts and the figures beside them: compact money, percentages.

Free of matplotlib, so the KPI tiles and tables format like the charts without loading it.
"""

from __future__ import annotations

import math

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def currency_symbol(currency: str) -> str:
    return _CURRENCY_SYMBOLS.get(currency.upper(), "")


def money(value: float, currency: str = "USD", digits: int = 2) -> str:
    """Compact money: $7.05M, -$120K, $950; unknown currencies get the code appended."""
    if not math.isfinite(value):
        return "-"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if v >= limit:
            text = f"{v / limit:.{digits}f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        text = f"{v:.0f}"
        if text == "0":
            sign = ""  # a tick a hair below zero is "$0", never "-$0"
    symbol = currency_symbol(currency)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency}".rstrip()


def percent(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"
