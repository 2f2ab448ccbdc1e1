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
from typing import Any, TypeVar

from workbench.domain.errors import WorkbenchError
from workbench.io.plan_codec_scalars import SCALARS, Codec, Convert, Fault, expected
from workbench.io.plan_data_errors import PlanDataError, describe, key_segment

__all__ = ["PlanDataError", "describe", "from_data", "key_segment", "to_data"]

T = TypeVar("T")

_MISSING = object()


def _union(args: tuple[Any, ...]) -> Codec:
    members = [a for a in args if a is not type(None)]
    if len(members) < len(args) and len(members) == 1:
        inner = _codec(members[0])

        def enc_optional(value: Any) -> Any:
            return None if value is None else inner.encode(value)

        def dec_optional(value: Any) -> Any:
            return None if value is None else inner.decode(value)

        as_is = (*inner.decoded_as_is, type(None)) if inner.decoded_as_is else ()
        return Codec(enc_optional, dec_optional, None, as_is)
    if not all(a in (str, int, float, type(None)) for a in args):
        raise TypeError(f"unsupported union {args!r}: only optional values or scalars")
    allowed = args
    names = " or ".join(_SCALAR_NAMES[a] for a in args)

    def check(value: Any) -> Any:
        kind = type(value)
        if kind in allowed and (kind is not float or math.isfinite(value)):
            return value
        raise expected(names, value)

    return Codec(check, check)


_SCALAR_NAMES = {str: "text", int: "an integer", float: "a number", type(None): "null"}


# -- containers ---------------------------------------------------------------------


def _all_exact(items: Any, kind: type) -> bool:
    return all(type(x) is kind for x in items)


def _list(item_type: Any) -> Codec:
    item = _codec(item_type)
    exact = item.exact

    def convert(value: Any, step: Convert, what: str) -> Any:
        if type(value) is not list:
            raise expected(what, value)
        if exact is not None and _all_exact(value, exact):
            return value
        out = []
        try:
            for x in value:
                out.append(step(x))
        except Fault as fault:
            fault.segments.append(f"[{len(out)}]")
            raise
        return out

    return Codec(
        lambda v: convert(v, item.encode, "a list"), lambda v: convert(v, item.decode, "a list")
    )


def _tuple(item_types: tuple[Any, ...]) -> Codec:
    if not item_types or item_types[-1] is Ellipsis:
        raise TypeError("only fixed-length tuples are supported")
    items = [_codec(t) for t in item_types]
    n = len(items)
    what = f"a list of {n} items"

    def encode(value: Any) -> Any:
        if type(value) is not tuple or len(value) != n:
            raise expected(f"a tuple of {n} items", value)
        return [c.encode(x) for c, x in zip(items, value, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != n:
            raise expected(what, value)
        out = []
        for i, (c, x) in enumerate(zip(items, value, strict=True)):
            try:
                out.append(c.decode(x))
            except Fault as fault:
                fault.segments.append(f"[{i}]")
                raise
        return tuple(out)

    return Codec(encode, decode)


def _has_key_property(cls: Any) -> bool:
    return dataclasses.is_dataclass(cls) and isinstance(getattr(cls, "key", None), property)


def _str_dict(value_type: Any) -> Codec:
    item = _codec(value_type)
    exact = item.exact
    keyed = _has_key_property(value_type)

    def encode(value: Any) -> Any:
        if type(value) is not dict:
            raise expected("a mapping", value)
        if exact is not None and _all_exact(value.values(), exact):
            if not _all_exact(value, str):
                raise Fault("expected text keys")
            return value
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise expected("a text key", k)
            try:
                out[k] = item.encode(v)
            except Fault as fault:
                fault.segments.append(key_segment(k))
                raise
        return out

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise expected("an object", value)
        if exact is not None and _all_exact(value.values(), exact):
            return value  # the JSON parser only yields text keys
        out = {}
        for k, v in value.items():
            try:
                obj = out[k] = item.decode(v)
                if keyed and obj.key != k:
                    raise Fault(f"the entry's key does not match its content ({obj.key!r})")
            except Fault as fault:
                fault.segments.append(key_segment(k))
                raise
        return out

    return Codec(encode, decode)


def _keyed_dict(value_type: Any) -> Codec:
    """A dict keyed by each value's ``key`` (a tuple), stored as the list of values."""
    if not _has_key_property(value_type):
        raise TypeError(f"dict with non-text keys needs values with a key: {value_type!r}")
    items = _list(value_type)

    def encode(value: Any) -> Any:
        if type(value) is not dict:
            raise expected("a mapping", value)
        for k, v in value.items():
            if getattr(v, "key", _MISSING) != k:
                raise Fault(f"the entry under {k!r} has another key")
        return items.encode(list(value.values()))

    def decode(value: Any) -> Any:
        out: dict[Any, Any] = {}
        for i, obj in enumerate(items.decode(value)):
            if obj.key in out:
                raise Fault(f"duplicate entry {obj.key!r}", f"[{i}]")
            out[obj.key] = obj
        return out

    return Codec(encode, decode)


def _dict(args: tuple[Any, ...]) -> Codec:
    key_type, value_type = args
    if key_type is str:
        return _str_dict(value_type)
    return _keyed_dict(value_type)


# -- dataclasses --------------------------------------------------------------------


def _dataclass(cls: type) -> Codec:
    hints = typing.get_type_hints(cls)
    wanted = [f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")]
    names = frozenset(f.name for f in wanted)
    Layout = tuple[tuple[str, Codec, bool], ...]
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
            raise expected(f"a {cls.__name__}", obj)
        out = {}
        for name, codec, _ in layout or fields_layout():
            value = getattr(obj, name)
            if codec.exact is not None and type(value) is codec.exact:
                out[name] = value
                continue
            try:
                out[name] = codec.encode(value)
            except Fault as fault:
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
            raise expected("an object", data)
        if not data.keys() <= names:
            unknown = min(data.keys() - names)
            raise Fault(f"unknown field {describe(unknown)} in {cls.__name__}")
        kwargs = {}
        for name, as_is, convert, required in decoding or decode_layout():
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if required:
                    raise Fault(f"missing field {describe(name)} of {cls.__name__}")
                continue
            if type(value) in as_is:
                kwargs[name] = value
                continue
            try:
                kwargs[name] = convert(value)
            except Fault as fault:
                fault.segments.append("." + name)
                raise
        try:
            return cls(**kwargs)
        except (WorkbenchError, ValueError, TypeError) as exc:
            raise Fault(str(exc)) from exc

    return Codec(encode, decode)


_CACHE: dict[Any, Codec] = {}


def _codec(tp: Any) -> Codec:
    cached = _CACHE.get(tp)
    if cached is not None:
        return cached
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp in SCALARS:
        codec = SCALARS[tp]
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
    except Fault as fault:
        raise fault.at(root) from None


def from_data(cls: type[T], data: Any, root: str = "plan") -> T:
    """An instance of ``cls`` from JSON data; :class:`PlanDataError` names what and where."""
    try:
        result: T = _codec(cls).decode(data)
    except Fault as fault:
        raise fault.at(root) from None
    return result
