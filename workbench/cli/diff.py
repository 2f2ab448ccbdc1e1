"""``mesh-workbench diff A B [--json]``: what changed from plan A to plan B."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from workbench.cli import json_output

_LIST_LIMIT = 40  # lines per section in the text output; --json has everything


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "diff",
        help="compare two plans: workloads, wave moves, dates, assumptions, scenarios, KPIs",
    )
    p.add_argument("a", metavar="A", help="the earlier .meshplan file")
    p.add_argument("b", metavar="B", help="the later .meshplan file")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan
    from workbench.ops.diff import diff_as_dict, diff_plans

    a = load_plan(args.a)
    b = load_plan(args.b)
    data = diff_as_dict(diff_plans(a, b))
    if args.json:
        print(json_output.dumps({"a": str(args.a), "b": str(args.b), **data}, indent=2))
    else:
        print("\n".join(diff_as_text(data, str(args.a), str(args.b))))
    return 0


def _section(title: str, lines: Sequence[str]) -> list[str]:
    if not lines:
        return []
    out = [f"{title} ({len(lines)}):"]
    out += [f"  {line}" for line in lines[:_LIST_LIMIT]]
    if len(lines) > _LIST_LIMIT:
        out.append(f"  ... and {len(lines) - _LIST_LIMIT} more (see --json)")
    return out


def _value(v: object) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def _change(c: dict[str, Any]) -> str:
    return f"{c['path']}: {_value(c['old'])} -> {_value(c['new'])}"


def _comment(c: dict[str, Any]) -> str:
    text = c["text"] if len(c["text"]) <= 60 else c["text"][:57] + "..."
    line = f"{c['change']}: {c['target']} ({c['author'] or '?'}) {text!r}"
    return line + "".join(f"; reply {r!r}" for r in c["replies"])


def _kpi(k: dict[str, Any]) -> str:
    delta = k["delta"]
    shown = "" if delta is None else f"  ({'+' if delta >= 0 else ''}{_value(delta)})"
    return f"{k['name']:<22} {_value(k['old']):>16} -> {_value(k['new']):<16}{shown}"


def diff_as_text(d: dict[str, Any], a: str, b: str) -> list[str]:
    lines = [f"Comparing {a} -> {b}"]
    if d["identical"]:
        lines.append("The plans are the same (timestamps aside).")
    wl = d["workloads"]
    lines += _section(
        "Workloads added",
        [f"+ {w['key']}" + (f" ({w['wave']})" if w["wave"] else "") for w in wl["added"]],
    )
    lines += _section("Workloads removed", [f"- {w['key']}" for w in wl["removed"]])
    lines += _section(
        "Wave moves",
        [
            f"{m['workload']}: {m['from'] or '(no wave)'} -> {m['to'] or '(no wave)'}"
            for m in d["wave_moves"]
        ],
    )
    waves = d["waves"]
    lines += _section(
        "Waves added",
        [
            f"+ {w['id']} {w['name']!r} {w['start']} .. {w['end']}, {w['workloads']} workloads"
            for w in waves["added"]
        ],
    )
    lines += _section("Waves removed", [f"- {w['id']} {w['name']!r}" for w in waves["removed"]])
    lines += _section(
        "Date changes",
        [
            f"{c['kind']} {c['id']} {c['name']!r}: {c['start']['old']} .. {c['end']['old']} -> "
            f"{c['start']['new']} .. {c['end']['new']} (start {c['start_shift_days']:+d} d, "
            f"end {c['end_shift_days']:+d} d)"
            for c in d["date_changes"]
        ],
    )
    lines += _section(
        "Wave changes",
        [
            f"{c['wave']} {c['field']}: {_value(c['old'])} -> {_value(c['new'])}"
            for c in waves["changes"]
        ],
    )
    lines += _section("Assumption changes", [_change(c) for c in d["assumptions"]])
    sc = d["scenarios"]
    scen = [f"+ {n}" for n in sc["added"]] + [f"- {n}" for n in sc["removed"]]
    for s in sc["changed"]:
        scen += [f"{s['name']}: {_change(c)}" for c in s["changes"]]
    if sc["active"] is not None:
        scen.append(
            f"active scenario: {_value(sc['active']['old'])} -> {_value(sc['active']['new'])}"
        )
    lines += _section("Scenario changes", scen)
    lines += _section("Settings changes", [_change(c) for c in d["settings"]])
    lines += _section("Comments", [_comment(c) for c in d.get("comments", [])])
    lines += ["KPIs (each plan under its active scenario):"]
    lines += [f"  {_kpi(k)}" for k in d["kpis"]]
    return lines
