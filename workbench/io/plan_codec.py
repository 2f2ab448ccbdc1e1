"""Domain dataclasses to JSON-able data and back, checking every value on the way in.

The codec is built by reflection over the dataclasses' type hints, once per class, and
cached. Supported field types: ``str``, ``int`` (a bool is not an int), ``float`` (an
int is accepted, NaN and infinities are not), ``bool``, ``None`` and optional unions,
unions of scalars, ``date`` (ISO ``YYYY-MM-DD``), ``list[X]``, ``tuple[X, Y]``,
``dict[str, X]`` and nested dataclasses. Fields whose names start with ``_`` are derived
state and are neither written nor read; objects are built through their constructor, so
``__post_init__`` checks run.

Two mappings are stored specially. A dict keyed by tuples (dependency edges keyed by
``(caller, callee)``) is written as a list of its values and rebuilt from each value's
``key``. In a ``dict[str, X]`` whose values have a ``key`` property (workloads, services,
namespaces), each entry's key must equal its value's ``key``.

Errors name the JSON path of the offending value, for example
``plan.inventory.workloads["c/ns/Deployment/x"].replicas: expected an integer, got "three"``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import orjson

from workbench.domain.errors import WorkbenchError

T = TypeVar("T")
Convert = Callable[[Any], Any]

# Values deeper than this where the schema expects a scalar are reported as nesting.
MAX_NESTING = 64
_MISSING = object()


class PlanDataError(WorkbenchError, ValueError):
    """Plan data that does not fit the model: ``path`` says where, ``problem`` says what."""

    def __init__(self, problem: str, path: str = "") -> None:
        self.problem = problem
        self.path = path
        super().__init__(f"{path}: {problem}" if path else problem)


class _Fault(Exception):
    """Raised deep inside the codec; each level adds its path segment on the way out."""

    def __init__(self, problem: str, segment: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.segments: list[str] = [segment] if segment else []

    def at(self, root: str) -> PlanDataError:
        return PlanDataError(self.problem, root + "".join(reversed(self.segments)))


# -- describing values in messages --------------------------------------------------


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of lists and objects, counted no further than ``limit``."""
    depth = 0
    level = [value]
    while level and depth <= limit:
        nested: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(item.values())
            elif isinstance(item, list | tuple):
                nested.extend(item)
        level = [x for x in nested if isinstance(x, dict | list | tuple)]
        depth += 1
    return depth


def describe(value: Any) -> str:
    """A short rendering of a JSON value for an error message."""
    if isinstance(value, dict | list):
        kind = "an object" if isinstance(value, dict) else "a list"
        if _depth(value, MAX_NESTING) > MAX_NESTING:
            return f"{kind} nested more than {MAX_NESTING} levels deep"
        return kind
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:40] + "..."
        return orjson.dumps(short).decode()
    if value is None or isinstance(value, bool):
        return orjson.dumps(value).decode()
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def key_segment(key: str) -> str:
    short = key if len(key) <= 80 else key[:80] + "..."
    return "[" + orjson.dumps(short).decode() + "]"


def _expected(what: str, value: Any) -> _Fault:
    return _Fault(f"expected {what}, got {describe(value)}")


# -- scalars ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Codec:
    encode: Convert
    decode: Convert
    # When set, a value of exactly this type passes unchanged in both directions.
    exact: type | None = None
    # Values of exactly these types pass the decoder unchanged (the decoder's fast path).
    decoded_as_is: tuple[type, ...] = ()


def _scalar(kind: type, what: str) -> _Codec:
    def check(value: Any) -> Any:
        if type(value) is kind:
            return value
        raise _expected(what, value)

    return _Codec(check, check, kind, (kind,))


def _float_codec() -> _Codec:
    def encode(value: Any) -> Any:
        if type(value) is float:
            if math.isfinite(value):
                return value
            raise _Fault(f"expected a finite number, got {value!r}")
        if type(value) is int:
            return float(value)
        raise _expected("a number", value)

    def decode(value: Any) -> Any:
        if type(value) is float:  # the JSON parser never yields NaN or infinities
            return value
        if type(value) is int:
            return float(value)
        raise _expected("a number", value)

    return _Codec(encode, decode, None, (float,))


def _date_codec() -> _Codec:
    def encode(value: Any) -> Any:
        if type(value) is date:
            return value.isoformat()
        raise _expected("a date", value)

    def decode(value: Any) -> Any:
        if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise _expected("a date (YYYY-MM-DD)", value)

    return _Codec(encode, decode)


def _none_codec() -> _Codec:
    def check(value: Any) -> Any:
        if value is None:
            return None
        raise _expected("null", value)

    return _Codec(check, check)


_SCALARS: dict[Any, _Codec] = {
    str: _scalar(str, "text"),
    int: _scalar(int, "an integer"),
    bool: _scalar(bool, "true or false"),
    float: _float_codec(),
    date: _date_codec(),
    type(None): _none_codec(),
}


def _union(args: tuple[Any, ...]) -> _Codec:
    members = [a for a in args if a is not type(None)]
    if len(members) < len(args) and len(members) == 1:
        inner = _codec(members[0])

        def enc_optional(value: Any) -> Any:
            return None if value is None else inner.encode(value)

        def dec_optional(value: Any) -> Any:
            return None if value is None else inner.decode(value)

        as_is = (*inner.decoded_as_is, type(None)) if inner.decoded_as_is else ()
        return _Codec(enc_optional, dec_optional, None, as_is)
    if not all(a in (str, int, float, type(None)) for a in args):
        raise TypeError(f"unsupported union {args!r}: only optional values or scalars")
    allowed = args
    names = " or ".join(_SCALAR_NAMES[a] for a in args)

    def check(value: Any) -> Any:
        kind = type(value)
        if kind in allowed and (kind is not float or math.isfinite(value)):
            return value
        raise _expected(names, value)

    return _Codec(check, check)


_SCALAR_NAMES = {str: "text", int: "an integer", float: "a number", type(None): "null"}


# -- containers ---------------------------------------------------------------------


def _all_exact(items: Any, kind: type) -> bool:
    return all(type(x) is kind for x in items)


def _list(item_type: Any) -> _Codec:
    item = _codec(item_type)
    exact = item.exact

    def convert(value: Any, step: Convert, what: str) -> Any:
        if type(value) is not list:
            raise _expected(what, value)
        if exact is not None and _all_exact(value, exact):
            return value
        out = []
        try:
            for x in value:
                out.append(step(x))
        except _Fault as fault:
            fault.segments.append(f"[{len(out)}]")
            raise
        return out

    return _Codec(
        lambda v: convert(v, item.encode, "a list"), lambda v: convert(v, item.decode, "a list")
    )


def _tuple(item_types: tuple[Any, ...]) -> _Codec:
    if not item_types or item_types[-1] is Ellipsis:
        raise TypeError("only fixed-length tuples are supported")
    items = [_codec(t) for t in item_types]
    n = len(items)
    what = f"a list of {n} items"

    def encode(value: Any) -> Any:
        if type(value) is not tuple or len(value) != n:
            raise _expected(f"a tuple of {n} items", value)
        return [c.encode(x) for c, x in zip(items, value, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != n:
            raise _expected(what, value)
        out = []
        for i, (c, x) in enumerate(zip(items, value, strict=True)):
            try:
                out.append(c.decode(x))
            except _Fault as fault:
                fault.segments.append(f"[{i}]")
                raise
        return tuple(out)

    return _Codec(encode, decode)


def _has_key_property(cls: Any) -> bool:
    return dataclasses.is_dataclass(cls) and isinstance(getattr(cls, "key", None), property)


def _str_dict(value_type: Any) -> _Codec:
    item = _codec(value_type)
    exact = item.exact
    keyed = _has_key_property(value_type)

    def encode(value: Any) -> Any:
        if type(value) is not dict:
            raise _expected("a mapping", value)
        if exact is not None and _all_exact(value.values(), exact):
            if not _all_exact(value, str):
                raise _Fault("expected text keys")
            return value
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise _expected("a text key", k)
            try:
                out[k] = item.encode(v)
            except _Fault as fault:
                fault.segments.append(key_segment(k))
                raise
        return out

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise _expected("an object", value)
        if exact is not None and _all_exact(value.values(), exact):
            return value  # the JSON parser only yields text keys
        out = {}
        for k, v in value.items():
            try:
                obj = out[k] = item.decode(v)
                if keyed and obj.key != k:
                    raise _Fault(f"the entry's key does not match its content ({obj.key!r})")
            except _Fault as fault:
                fault.segments.append(key_segment(k))
                raise
        return out

    return _Codec(encode, decode)


def _keyed_dict(value_type: Any) -> _Codec:
    """A dict keyed by each value's ``key`` (a tuple), stored as the list of values."""
    if not _has_key_property(value_type):
        raise TypeError(f"dict with non-text keys needs values with a key: {value_type!r}")
    items = _list(value_type)

    def encode(value: Any) -> Any:
        if type(value) is not dict:
            raise _expected("a mapping", value)
        for k, v in value.items():
            if getattr(v, "key", _MISSING) != k:
                raise _Fault(f"the entry under {k!r} has another key")
        return items.encode(list(value.values()))

    def decode(value: Any) -> Any:
        out: dict[Any, Any] = {}
        for i, obj in enumerate(items.decode(value)):
            if obj.key in out:
                raise _Fault(f"duplicate entry {obj.key!r}", f"[{i}]")
            out[obj.key] = obj
        return out

    return _Codec(encode, decode)


def _dict(args: tuple[Any, ...]) -> _Codec:
    key_type, value_type = args
    if key_type is str:
        return _str_dict(value_type)
    return _keyed_dict(value_type)


# -- dataclasses --------------------------------------------------------------------


def _dataclass(cls: type) -> _Codec:
    hints = typing.get_type_hints(cls)
    wanted = [f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")]
    names = frozenset(f.name for f in wanted)
    Layout = tuple[tuple[str, _Codec, bool], ...]
    # Built on first use, so that a class may refer to itself; assigned in one step, so
    # that threads racing to build it each see a complete layout.
    layout: Layout = ()

    def fields_layout() -> Layout:
        nonlocal layout
        if not layout:
            layout = tuple(
                (
                    f.name,
                    _codec(hints[f.name]),
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                )
                for f in wanted
            )
        return layout

    def encode(obj: Any) -> Any:
        if type(obj) is not cls:
            raise _expected(f"a {cls.__name__}", obj)
        out = {}
        for name, codec, _ in layout or fields_layout():
            value = getattr(obj, name)
            if codec.exact is not None and type(value) is codec.exact:
                out[name] = value
                continue
            try:
                out[name] = codec.encode(value)
            except _Fault as fault:
                fault.segments.append("." + name)
                raise
        return out

    DecodeLayout = tuple[tuple[str, tuple[type, ...], Convert, bool], ...]
    decoding: DecodeLayout = ()

    def decode_layout() -> DecodeLayout:
        nonlocal decoding
        if not decoding:
            decoding = tuple(
                (name, codec.decoded_as_is, codec.decode, required)
                for name, codec, required in layout or fields_layout()
            )
        return decoding

    def decode(data: Any) -> Any:
        if type(data) is not dict:
            raise _expected("an object", data)
        if not data.keys() <= names:
            unknown = min(data.keys() - names)
            raise _Fault(f"unknown field {describe(unknown)} in {cls.__name__}")
        kwargs = {}
        for name, as_is, convert, required in decoding or decode_layout():
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if required:
                    raise _Fault(f"missing field {describe(name)} of {cls.__name__}")
                continue
            if type(value) in as_is:
                kwargs[name] = value
                continue
            try:
                kwargs[name] = convert(value)
            except _Fault as fault:
                fault.segments.append("." + name)
                raise
        try:
            return cls(**kwargs)
        except (WorkbenchError, ValueError, TypeError) as exc:
            raise _Fault(str(exc)) from exc

    return _Codec(encode, decode)


_CACHE: dict[Any, _Codec] = {}


def _codec(tp: Any) -> _Codec:
    cached = _CACHE.get(tp)
    if cached is not None:
        return cached
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp in _SCALARS:
        codec = _SCALARS[tp]
    elif origin is types.UnionType or origin is typing.Union:
        codec = _union(args)
    elif origin is list:
        codec = _list(args[0])
    elif origin is tuple:
        codec = _tuple(args)
    elif origin is dict:
        codec = _dict(args)
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        codec = _dataclass(tp)
    else:
        raise TypeError(f"the plan codec does not support {tp!r}")
    _CACHE[tp] = codec
    return codec


# -- public API ---------------------------------------------------------------------


def to_data(obj: Any, root: str = "plan") -> Any:
    """A dataclass instance as JSON-able data (dicts, lists, text, numbers, null)."""
    try:
        return _codec(type(obj)).encode(obj)
    except _Fault as fault:
        raise fault.at(root) from None


def from_data(cls: type[T], data: Any, root: str = "plan") -> T:
    """An instance of ``cls`` from JSON data; :class:`PlanDataError` names what and where."""
    try:
        result: T = _codec(cls).decode(data)
    except _Fault as fault:
        raise fault.at(root) from None
    return result
