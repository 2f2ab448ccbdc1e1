"""The rows of the Gantt chart, top to bottom, computed from the plan.

A milestone row comes first; then, per phase, a phase row, its activities and its
waves; an expanded wave is followed by one row per member workload (member rows exist
only for expanded waves, so a large estate stays light). Waves and activities whose
phase is unknown go last, under "Unphased". The remediation backlog closes the chart:
a header row and one lane per namespace whose workloads wait on a fix.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from workbench.domain.plan import Plan
from workbench.domain.planning.backlog_lanes import BacklogLane

ROW_HEIGHTS = {
    "milestones": 24.0,
    "phase": 26.0,
    "activity": 22.0,
    "wave": 34.0,
    "member": 20.0,
    "backlog": 26.0,
    "backlog-lane": 22.0,
}
UNPHASED = ""


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # ROW_HEIGHTS keys
    key: str  # phase, activity or wave id, or workload key
    label: str
    detail: str
    top: float
    height: float
    phase_index: int  # colour of the phase group (-1: none)

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


BACKLOG_KINDS = frozenset({"backlog", "backlog-lane"})


@dataclass(slots=True)
class Layout:
    rows: list[Row] = field(default_factory=list)
    waves: dict[str, Row] = field(default_factory=dict)
    members: dict[str, Row] = field(default_factory=dict)
    groups: list[tuple[int, str, float, float]] = field(default_factory=list)  # idx, id, y0, y1

    @property
    def height(self) -> float:
        return self.rows[-1].bottom if self.rows else 0.0

    def signature(self) -> tuple[tuple[str, str, str, str], ...]:
        return tuple((r.kind, r.key, r.label, r.detail) for r in self.rows)

    def plan_signature(self) -> tuple[tuple[str, str, str, str], ...]:
        """The signature of the rows the plan's schedule makes (the backlog's apart)."""
        return tuple(
            (r.kind, r.key, r.label, r.detail) for r in self.rows if r.kind not in BACKLOG_KINDS
        )

    def row_at(self, y: float) -> Row | None:
        tops = [r.top for r in self.rows]
        i = bisect.bisect_right(tops, y) - 1
        if 0 <= i < len(self.rows) and y < self.rows[i].bottom:
            return self.rows[i]
        return None


def member_label(key: str) -> tuple[str, str]:
    """(name, "namespace · Kind · cluster") of a workload key."""
    parts = key.split("/")
    if len(parts) != 4:
        return key, ""
    cluster, ns, kind, name = parts
    return name, f"{ns} · {kind} · {cluster}"


def layout_rows(plan: Plan, expanded: set[str], backlog: tuple[BacklogLane, ...] = ()) -> Layout:
    sched = plan.schedule
    out = Layout()
    y = 0.0

    def add(kind: str, key: str, label: str, detail: str, index: int) -> Row:
        nonlocal y
        row = Row(kind, key, label, detail, y, ROW_HEIGHTS[kind], index)
        out.rows.append(row)
        y += row.height
        return row

    add("milestones", "", "Milestones", "STRICT mTLS", -1)
    known = {p.id for p in sched.phases}
    groups: list[tuple[int, str, str, str]] = [
        (i, p.id, p.name, f"{p.start:%d %b %Y} – {p.end:%d %b %Y}")
        for i, p in enumerate(sched.phases)
    ]
    if any(w.phase not in known for w in sched.waves) or any(
        a.phase not in known for a in sched.activities
    ):
        groups.append((len(groups), UNPHASED, "Unphased", ""))
    for index, phase_id, name, dates in groups:
        top = y
        add("phase", phase_id, name, dates, index)

        def in_group(pid: str, phase_id: str = phase_id) -> bool:
            return pid == phase_id or (phase_id == UNPHASED and pid not in known)

        for act in sorted(
            (a for a in sched.activities if in_group(a.phase)), key=lambda a: (a.start, a.id)
        ):
            add("activity", act.id, act.name, f"{act.start:%d %b} – {act.end:%d %b %Y}", index)
        for wave in sched.waves:
            if not in_group(wave.phase):
                continue
            n = len(wave.members)
            detail = f"{n} workload{'s' if n != 1 else ''} · {wave.mode} · {wave.mtls}"
            out.waves[wave.id] = add("wave", wave.id, f"{wave.id}  {wave.name}", detail, index)
            if wave.id in expanded:
                for key in wave.members:
                    name, where = member_label(key)
                    out.members[key] = add("member", key, name, where, index)
        out.groups.append((index, phase_id, top, y))
    if backlog:
        n = sum(len(lane.keys) for lane in backlog)
        detail = f"{n} workload{'s' if n != 1 else ''}"
        add("backlog", "", "Remediation backlog", detail, -1)
        for lane in backlog:
            cluster, _, name = lane.namespace.partition("/")
            label = f"{name} ({len(lane.keys)})"
            add("backlog-lane", lane.namespace, label, f"{cluster} · {lane.summary}", -1)
    return out


def date_range(plan: Plan) -> tuple[date, date] | None:
    """The earliest and latest day the chart has to show (baselines included)."""
    sched = plan.schedule
    days = [d for p in sched.phases for d in (p.start, p.end)]
    days += [d for a in sched.activities for d in (a.start, a.end)]
    days += [d for w in sched.waves for d in (w.start, w.end)]
    days += list(sched.namespace_strict.values())
    for b in plan.meta.baselines:
        days += [d for pair in b.waves.values() for d in pair]
    return (min(days), max(days)) if days else None
