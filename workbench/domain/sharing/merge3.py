"""Three-way merge of plans at the level of plan edits.

BASE is the plan as it was sent, MINE the sender's plan since, THEIRS the copy that came
back. For every edit-able thing (a workload's wave, a wave's or phase's dates and fields,
an assumption, a scenario, a mute, a comment and its replies, a dependency edge, a mesh
setting) the usual rule applies: a change on one side only is taken; the same change on
both sides is taken once; different changes on both sides are a :class:`Conflict`,
which ``prefer`` ("mine" or "theirs") resolves. Lists of things with an ``id`` or a
``name`` (waves, phases, cost lines, comments ...) merge item by item; an item added on
one side is added, one removed on one side and untouched on the other is removed.

The inventory is MINE's: a reviewer plans, he does not re-import. Timestamps are MINE's.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.domain.schedule import Schedule

PREFERENCES = ("mine", "theirs")
_MISSING: Any = type("Missing", (), {"__repr__": lambda self: "(absent)"})()
_MINE_ONLY = frozenset({"inventory", "sharing", "unresolved", "revision", "created", "modified"})
MIN_SHARED_WORKLOADS = 0.5  # of BASE's workloads THEIRS must hold to descend from it


class MergeError(WorkbenchError, ValueError):
    """Plans that cannot be merged (THEIRS does not descend from BASE ...)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    what: str  # e.g. "wave wave-02 start"
    mine: str
    theirs: str

    def line(self) -> str:
        return f"{self.what}: mine {self.mine}, theirs {self.theirs}"


@dataclass(slots=True)
class MergeResult:
    plan: Plan
    conflicts: list[Conflict] = field(default_factory=list)  # left open (no preference)
    resolved: list[Conflict] = field(default_factory=list)  # settled by the preference
    taken: list[str] = field(default_factory=list)  # what came from THEIRS

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(removed)"
    if value is None:
        return "(none)"
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        label = getattr(value, "name", None) or getattr(value, "id", None)
        return f"{type(value).__name__.lower()} {label}" if label else "(changed)"
    if isinstance(value, list | dict):
        return f"{len(value)} item(s)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _item_key(item: Any) -> str | None:
    for attr in ("id", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    if hasattr(item, "rule") and hasattr(item, "scope"):  # a mute
        return f"{item.rule} for {item.scope}"
    key = getattr(item, "key", None)  # a runtime observation: (source, file, window)
    if isinstance(key, tuple):
        return " ".join(str(k) for k in key if k is not None)
    return None


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for item in items:
        key = _item_key(item)
        if key is None or key in out:
            return None
        out[key] = item
    return out


@dataclass(slots=True)
class _Merger:
    prefer: str | None
    result: MergeResult

    def conflict(self, what: str, m: Any, t: Any) -> Any:
        c = Conflict(what, _show(m), _show(t))
        if self.prefer is None:
            self.result.conflicts.append(c)
            return m
        self.result.resolved.append(c)
        return m if self.prefer == "mine" else t

    def value(self, what: str, b: Any, m: Any, t: Any) -> Any:
        if m == t:
            return m
        if m == b:
            self.result.taken.append(f"{what}: {_show(m)} -> {_show(t)}")
            return t
        if t == b:
            return m
        if _MISSING in (m, t):
            return self.conflict(what, m, t)
        if is_dataclass(m) and not isinstance(m, type) and type(m) is type(t):
            return self.obj(what, b if type(b) is type(m) else _MISSING, m, t)
        if isinstance(m, list) and isinstance(t, list):
            merged = self.items(what, b if isinstance(b, list) else [], m, t)
            if merged is not None:
                return merged
        if isinstance(m, dict) and isinstance(t, dict):
            return self.mapping(what, b if isinstance(b, dict) else {}, m, t)
        return self.conflict(what, m, t)

    def obj(self, what: str, b: Any, m: Any, t: Any) -> Any:
        out = copy.copy(m)
        for f in fields(m):
            if f.name.startswith("_") or f.name in _MINE_ONLY:
                continue
            bv = _MISSING if b is _MISSING else getattr(b, f.name)
            label = f"{what} {f.name}".strip()
            new = self.value(label, bv, getattr(m, f.name), getattr(t, f.name))
            setattr(out, f.name, new)
        return out

    def items(self, what: str, b: list[Any], m: list[Any], t: list[Any]) -> list[Any] | None:
        kb, km, kt = _keyed(b), _keyed(m), _keyed(t)
        if kb is None or km is None or kt is None or not (km or kt):
            return None
        merged: dict[str, Any] = {}
        head, _, last = what.rpartition(" ")
        item = f"{head} {last.removesuffix('s')}".strip()  # "waves" -> "wave wave-02"
        for key in [*km, *(k for k in kt if k not in km)]:
            new = self.value(
                f"{item} {key}", kb.get(key, _MISSING), km.get(key, _MISSING), kt.get(key, _MISSING)
            )
            if new is not _MISSING:
                merged[key] = new
        return list(merged.values())

    def mapping(self, what: str, b: dict[Any, Any], m: dict[Any, Any], t: dict[Any, Any]) -> Any:
        out: dict[Any, Any] = {}
        for key in [*m, *(k for k in t if k not in m)]:
            label = " -> ".join(key) if isinstance(key, tuple) else str(key)
            new = self.value(
                f"{what} {label}", b.get(key, _MISSING), m.get(key, _MISSING), t.get(key, _MISSING)
            )
            if new is not _MISSING:
                out[key] = new
        return out


def _without_members(schedule: Schedule) -> Schedule:
    out = copy.deepcopy(schedule)
    for w in out.waves:
        w.members = []
    out.reindex()
    return out


def _assignments(merger: _Merger, base: Plan, mine: Plan, theirs: Plan, out: Plan) -> None:
    sb, sm, st = base.schedule, mine.schedule, theirs.schedule
    keys = [k for w in sm.waves for k in w.members]
    keys += [k for w in st.waves for k in w.members if sm.wave_of(k) is None]
    keys += sorted(k for k in sb.assigned() if sm.wave_of(k) is None and st.wave_of(k) is None)
    target: dict[str, str | None] = {}
    for key in dict.fromkeys(keys):
        wave = merger.value(
            f"assignment of {key}", sb.wave_of(key), sm.wave_of(key), st.wave_of(key)
        )
        target[key] = wave
    sched = out.schedule
    for key, wave_id in target.items():
        if wave_id is None or key not in out.inventory.workloads:
            continue
        if not sched.has_wave(wave_id):
            merger.result.conflicts.append(
                Conflict(f"assignment of {key}", _show(sm.wave_of(key)), f"{wave_id} (removed)")
            )
            continue
        sched.wave(wave_id).members.append(key)
    sched.reindex()


def check_descent(base: Plan, theirs: Plan) -> None:
    """Raise :class:`MergeError` unless THEIRS plausibly descends from BASE."""
    base_keys = set(base.inventory.workloads)
    if base_keys:
        shared = len(base_keys & set(theirs.inventory.workloads))
        if shared < MIN_SHARED_WORKLOADS * len(base_keys):
            raise MergeError(
                f"THEIRS does not descend from BASE: it holds {shared} of BASE's "
                f"{len(base_keys)} workloads"
            )
        return

    def ids(plan: Plan) -> set[str]:
        return {w.id for w in plan.schedule.waves} | {p.id for p in plan.schedule.phases}

    if ids(base) and not ids(base) & ids(theirs):
        raise MergeError("THEIRS does not descend from BASE: it shares no wave or phase with it")


def merge_plans(base: Plan, mine: Plan, theirs: Plan, prefer: str | None = None) -> MergeResult:
    """Merge THEIRS's edits since BASE into MINE (all three with real names). The result
    shares the objects it takes from MINE and THEIRS (the inventory is MINE's own): give
    it copies if the inputs stay in use."""
    if prefer is not None and prefer not in PREFERENCES:
        raise MergeError(f"--prefer must be mine or theirs, got {prefer!r}")
    check_descent(base, theirs)
    result = MergeResult(copy.copy(mine))
    merger = _Merger(prefer, result)
    out = result.plan
    for f in fields(Plan):
        if f.name in _MINE_ONLY or f.name == "schedule":
            continue
        b, m, t = getattr(base, f.name), getattr(mine, f.name), getattr(theirs, f.name)
        setattr(out, f.name, merger.value(f.name, b, m, t))
    sched = merger.value(
        "",
        _without_members(base.schedule),
        _without_members(mine.schedule),
        _without_members(theirs.schedule),
    )
    out.schedule = sched
    out.schedule.reindex()
    _assignments(merger, base, mine, theirs, out)
    out.dependencies.revision += 1
    return result
