"""The plan codec's building blocks: the pair of converters a type gets, the fault that
collects the JSON path on its way out, and the converters of scalars (text, integers,
true or false, numbers, dates, null)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import date
from typing import Any

from workbench.io.plan_data_errors import PlanDataError, describe

Convert = Callable[[Any], Any]


class Fault(Exception):
    """Raised deep inside the codec; each level adds its path segment on the way out."""

    def __init__(self, problem: str, segment: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.segments: list[str] = [segment] if segment else []

    def at(self, root: str) -> PlanDataError:
        return PlanDataError(self.problem, root + "".join(reversed(self.segments)))


def expected(what: str, value: Any) -> Fault:
    return Fault(f"expected {what}, got {describe(value)}")


# -- scalars ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Codec:
    encode: Convert
    decode: Convert
    # When set, a value of exactly this type passes unchanged in both directions.
    exact: type | None = None
    # Values of exactly these types pass the decoder unchanged (the decoder's fast path).
    decoded_as_is: tuple[type, ...] = ()


def _scalar(kind: type, what: str) -> Codec:
    def check(value: Any) -> Any:
        if type(value) is kind:
            return value
        raise expected(what, value)

    return Codec(check, check, kind, (kind,))


def _float_codec() -> Codec:
    def encode(value: Any) -> Any:
        if type(value) is float:
            if math.isfinite(value):
                return value
            raise Fault(f"expected a finite number, got {value!r}")
        if type(value) is int:
            return float(value)
        raise expected("a number", value)

    def decode(value: Any) -> Any:
        if type(value) is float:  # the JSON parser never yields NaN or infinities
            return value
        if type(value) is int:
            return float(value)
        raise expected("a number", value)

    return Codec(encode, decode, None, (float,))


def _date_codec() -> Codec:
    def encode(value: Any) -> Any:
        if type(value) is date:
            return value.isoformat()
        raise expected("a date", value)

    def decode(value: Any) -> Any:
        if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise expected("a date (YYYY-MM-DD)", value)

    return Codec(encode, decode)


def _none_codec() -> Codec:
    def check(value: Any) -> Any:
        if value is None:
            return None
        raise expected("null", value)

    return Codec(check, check)


SCALARS: dict[Any, Codec] = {
    str: _scalar(str, "text"),
    int: _scalar(int, "an integer"),
    bool: _scalar(bool, "true or false"),
    float: _float_codec(),
    date: _date_codec(),
    type(None): _none_codec(),
}
