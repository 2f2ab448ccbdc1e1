"""What changed between two versions of a plan: the review of a plan sent back by email.

Workloads are matched by key, waves, phases and activities by id, assumptions and
settings by path (the paths of :mod:`workbench.domain.assumption_paths`: list items by
name, ``cost_lines[Platform Team].annual``). A vanished workload counts as removed.
Only the document is compared here; the figures derived from it (the KPI deltas) are
added by :mod:`workbench.ops.diff`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from typing import Any

from workbench.domain.plan import Plan
from workbench.domain.schedule import Schedule

Value = str | int | float | bool | None
WAVE_FIELDS = ("name", "phase", "mode", "mtls", "authz", "max_workloads", "max_pods")
# Settings compared by path; timestamps change on every save and are left out.
_SETTINGS_SKIPPED = ("meta.created", "meta.modified", "meta.baselines", "meta.notes")


@dataclass(frozen=True, slots=True)
class ValueChange:
    path: str
    old: Value  # None: absent in the first plan
    new: Value  # None: absent in the second plan


@dataclass(frozen=True, slots=True)
class WorkloadEntry:
    key: str
    wave: str | None  # the wave it is in (in the plan that has it)


@dataclass(frozen=True, slots=True)
class WaveMove:
    workload: str
    old_wave: str | None  # None: in no wave
    new_wave: str | None


@dataclass(frozen=True, slots=True)
class WaveEntry:
    id: str
    name: str
    phase: str
    start: date
    end: date
    members: int


@dataclass(frozen=True, slots=True)
class DateChange:
    kind: str  # wave, phase or activity
    id: str
    name: str
    old_start: date
    old_end: date
    new_start: date
    new_end: date

    @property
    def start_shift_days(self) -> int:
        return (self.new_start - self.old_start).days

    @property
    def end_shift_days(self) -> int:
        return (self.new_end - self.old_end).days


@dataclass(frozen=True, slots=True)
class WaveFieldChange:
    wave: str
    field: str
    old: Value
    new: Value


@dataclass(frozen=True, slots=True)
class ScenarioChange:
    name: str
    changes: tuple[ValueChange, ...]  # "description" and the overridden paths


@dataclass(frozen=True, slots=True)
class CommentChange:
    id: str
    target: str
    author: str
    text: str
    change: str  # "added", "removed", "resolved", "reopened", "edited", "replied"
    replies: tuple[str, ...] = ()  # for "replied": the new replies, "author: text"


@dataclass(frozen=True, slots=True)
class KpiDelta:
    name: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True, slots=True)
class PlanDiff:
    workloads_added: tuple[WorkloadEntry, ...] = ()
    workloads_removed: tuple[WorkloadEntry, ...] = ()
    wave_moves: tuple[WaveMove, ...] = ()
    waves_added: tuple[WaveEntry, ...] = ()
    waves_removed: tuple[WaveEntry, ...] = ()
    date_changes: tuple[DateChange, ...] = ()
    wave_changes: tuple[WaveFieldChange, ...] = ()
    assumptions: tuple[ValueChange, ...] = ()
    scenarios_added: tuple[str, ...] = ()
    scenarios_removed: tuple[str, ...] = ()
    scenarios_changed: tuple[ScenarioChange, ...] = ()
    active_scenario: ValueChange | None = None
    settings: tuple[ValueChange, ...] = ()
    comments: tuple[CommentChange, ...] = ()
    kpis: tuple[KpiDelta, ...] = ()

    @property
    def identical(self) -> bool:
        """No change to the document (KPI deltas follow from the document)."""
        return not any(getattr(self, f.name) for f in fields(self) if f.name != "kpis")

    def with_kpis(self, kpis: tuple[KpiDelta, ...]) -> PlanDiff:
        return replace(self, kpis=kpis)


def _scalar(value: Any) -> Value:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def flatten(obj: Any, prefix: str = "") -> dict[str, Value]:
    """Every single value of a dataclass tree by path; list items by name where they have
    one (``cost_lines[Platform Team].annual``), else by position."""
    out: dict[str, Value] = {}
    for f in fields(obj):
        if f.name.startswith("_"):
            continue
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            out.update(flatten(value, path + "."))
        elif isinstance(value, list):
            seen: dict[str, int] = {}
            for i, item in enumerate(value):
                name = getattr(item, "name", None)
                if isinstance(name, str):
                    seen[name] = seen.get(name, 0) + 1
                    label = name if seen[name] == 1 else f"{name}#{seen[name]}"
                else:
                    label = str(i)
                if is_dataclass(item):
                    inner = flatten(item, f"{path}[{label}].")
                    out.update({k: v for k, v in inner.items() if k != f"{path}[{label}].name"})
                else:
                    out[f"{path}[{label}]"] = _scalar(item)
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                out[f"{path}[{key}]"] = _scalar(value[key])
        else:
            out[path] = _scalar(value)
    return out


def value_changes(old: dict[str, Value], new: dict[str, Value]) -> tuple[ValueChange, ...]:
    """Paths whose value differs, in path order (absent on one side: None there)."""
    return tuple(
        ValueChange(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if path not in old or path not in new or old[path] != new[path]
    )


def _live(plan: Plan) -> set[str]:
    return {k for k, w in plan.inventory.workloads.items() if not w.vanished}


def _wave_entry(s: Schedule, wave_id: str) -> WaveEntry:
    w = s.wave(wave_id)
    return WaveEntry(w.id, w.name, w.phase, w.start, w.end, len(w.members))


def _date_changes(a: Schedule, b: Schedule) -> list[DateChange]:
    out: list[DateChange] = []
    for kind, old_items, new_items in (
        ("phase", a.phases, b.phases),
        ("activity", a.activities, b.activities),
        ("wave", a.waves, b.waves),
    ):
        new_by_id = {x.id: x for x in new_items}
        for x in old_items:
            y = new_by_id.get(x.id)
            if y is not None and (x.start, x.end) != (y.start, y.end):
                out.append(DateChange(kind, x.id, y.name, x.start, x.end, y.start, y.end))
    return out


def _settings(plan: Plan) -> dict[str, Value]:
    values = {**flatten(plan.meta, "meta."), **flatten(plan.mesh, "mesh.")}
    return {
        k: v
        for k, v in values.items()
        if not any(
            k == s or k.startswith(s + "[") or k.startswith(s + ".") for s in _SETTINGS_SKIPPED
        )
    }


def _scenarios(a: Plan, b: Plan) -> tuple[tuple[str, ...], tuple[str, ...], list[ScenarioChange]]:
    old = {s.name: s for s in a.scenarios}
    new = {s.name: s for s in b.scenarios}
    changed = []
    for name in sorted(old.keys() & new.keys()):
        x, y = old[name], new[name]
        before: dict[str, Value] = {"description": x.description}
        after: dict[str, Value] = {"description": y.description}
        before.update({f"overrides[{k}]": _scalar(v) for k, v in x.overrides.items()})
        after.update({f"overrides[{k}]": _scalar(v) for k, v in y.overrides.items()})
        changes = value_changes(before, after)
        if changes:
            changed.append(ScenarioChange(name, changes))
    added = tuple(s.name for s in b.scenarios if s.name not in old)
    removed = tuple(s.name for s in a.scenarios if s.name not in new)
    return added, removed, changed


def _comment_changes(a: Plan, b: Plan) -> list[CommentChange]:
    old = {c.id: c for c in a.comments}
    out: list[CommentChange] = []
    for c in b.comments:
        before = old.get(c.id)
        changes: list[tuple[str, tuple[str, ...]]] = []
        if before is None:
            changes.append(("added", ()))
        else:
            if before.text != c.text:
                changes.append(("edited", ()))
            if before.resolved != c.resolved:
                changes.append(("resolved" if c.resolved else "reopened", ()))
            seen = {r.id for r in before.replies}
            new = tuple(f"{r.author}: {r.text}" for r in c.replies if r.id not in seen)
            if new:
                changes.append(("replied", new))
        out += [CommentChange(c.id, c.target, c.author, c.text, k, r) for k, r in changes]
    kept = {c.id for c in b.comments}
    out += [
        CommentChange(c.id, c.target, c.author, c.text, "removed")
        for c in a.comments
        if c.id not in kept
    ]
    return out


def compare_plans(a: Plan, b: Plan) -> PlanDiff:
    """What changed from ``a`` to ``b`` in the document (no KPIs)."""
    live_a, live_b = _live(a), _live(b)
    sa, sb = a.schedule, b.schedule
    added = tuple(WorkloadEntry(k, sb.wave_of(k)) for k in sorted(live_b - live_a))
    removed = tuple(WorkloadEntry(k, sa.wave_of(k)) for k in sorted(live_a - live_b))
    moves = tuple(
        WaveMove(k, sa.wave_of(k), sb.wave_of(k))
        for k in sorted(live_a & live_b)
        if sa.wave_of(k) != sb.wave_of(k)
    )
    ids_a = [w.id for w in sa.waves]
    ids_b = [w.id for w in sb.waves]
    in_a, in_b = set(ids_a), set(ids_b)
    waves_added = tuple(_wave_entry(sb, i) for i in ids_b if i not in in_a)
    waves_removed = tuple(_wave_entry(sa, i) for i in ids_a if i not in in_b)
    wave_changes = []
    for i in ids_a:
        if i in in_b:
            x, y = sa.wave(i), sb.wave(i)
            for name in WAVE_FIELDS:
                old, new = _scalar(getattr(x, name)), _scalar(getattr(y, name))
                if old != new:
                    wave_changes.append(WaveFieldChange(i, name, old, new))
    s_added, s_removed, s_changed = _scenarios(a, b)
    active = (
        None
        if a.active_scenario == b.active_scenario
        else ValueChange("active_scenario", a.active_scenario, b.active_scenario)
    )
    return PlanDiff(
        workloads_added=added,
        workloads_removed=removed,
        wave_moves=moves,
        waves_added=waves_added,
        waves_removed=waves_removed,
        date_changes=tuple(_date_changes(sa, sb)),
        wave_changes=tuple(wave_changes),
        assumptions=value_changes(flatten(a.assumptions), flatten(b.assumptions)),
        scenarios_added=s_added,
        scenarios_removed=s_removed,
        scenarios_changed=tuple(s_changed),
        active_scenario=active,
        settings=value_changes(_settings(a), _settings(b)),
        comments=tuple(_comment_changes(a, b)),
    )
