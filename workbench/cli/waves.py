"""``mesh-workbench waves PLAN [--json]``: the plan's waves and their members.

``waves shift PLAN --days N [--wave NAME] [-o OUT]`` moves every wave (or the one named)
by N days, negative for earlier: start and end together, as a drag on the Gantt does, so
the coverage, the overhead, the cost and benefit timing, NPV and payback follow.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from workbench.cli import json_output
from workbench.domain.errors import WorkbenchError

USAGE = "mesh-workbench waves PLAN [--json] | waves shift PLAN --days N [--wave NAME] [-o OUT]"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "waves",
        help="list a plan's waves, or shift them in time",
        usage=USAGE,
        description=__doc__.split("\n\n", 1)[1].replace("``", "") if __doc__ else None,
    )
    p.add_argument("words", nargs="+", metavar="PLAN | shift PLAN")
    p.add_argument("--json", action="store_true", help="one JSON object (a stable contract)")
    p.add_argument("--days", type=int, help="with shift: days to move by (negative: earlier)")
    p.add_argument("--wave", metavar="NAME", help="with shift: only this wave (name or id)")
    p.add_argument("-o", "--output", metavar="OUT", help="with shift: write here (default: PLAN)")
    p.set_defaults(func=run)


def shift_waves(plan: Any, days: int, wave: str | None = None) -> list[str]:
    """Move the waves (or the one named, by name or id) by ``days``, as one undoable
    command; returns the names of the waves moved."""
    from workbench.domain.commands_waves import RescheduleWaves

    waves = plan.schedule.waves
    if wave is not None:
        waves = [w for w in waves if wave in (w.name, w.id)]
        if not waves:
            known = ", ".join(repr(w.name) for w in plan.schedule.waves) or "none"
            raise WorkbenchError(f"no wave named {wave!r} in the plan (it has: {known})")
    step = timedelta(days=days)
    try:
        dates = {w.id: (w.start + step, w.end + step) for w in waves}
    except OverflowError as exc:
        raise WorkbenchError(f"shifting by {days} days leaves the calendar") from exc
    RescheduleWaves(dates).do(plan)
    return [w.name for w in waves]


def _shift(args: argparse.Namespace, plan_path: str) -> int:
    from workbench.io.plan_file import load_plan, save_plan

    if args.days is None:
        raise WorkbenchError(f"waves shift needs --days N (usage: {USAGE})")
    plan = load_plan(plan_path)
    moved = shift_waves(plan, args.days, args.wave)
    target = args.output or plan_path
    save_plan(plan, target)
    print(f"moved {len(moved)} wave(s) by {args.days:+d} day(s); wrote {target}")
    return 0


def waves_document(plan: Any) -> dict[str, list[dict[str, Any]]]:
    """``{"waves": [{"name", "phase", "start", "end", "mode", "mtls", "members"}]}``."""
    return {
        "waves": [
            {
                "name": w.name,
                "phase": w.phase,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "mode": w.mode,
                "mtls": w.mtls,
                "members": list(w.members),
            }
            for w in plan.schedule.waves
        ]
    }


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan

    words = args.words
    if words[0] == "shift" and len(words) == 2:
        from workbench.io.plan_lock import plan_lock

        with plan_lock(args.output or words[1]):  # no other writer between reading and saving
            return _shift(args, words[1])
    if len(words) != 1:
        raise WorkbenchError(f"waves takes one plan, or 'shift PLAN' (usage: {USAGE})")
    for flag in ("days", "wave", "output"):
        if getattr(args, flag) is not None:
            raise WorkbenchError(f"--{flag} goes with 'waves shift' (usage: {USAGE})")
    plan = load_plan(words[0])
    doc = waves_document(plan)
    if args.json:
        print(json_output.dumps(doc, indent=2))
        return 0
    if not doc["waves"]:
        print("no waves")
        return 0
    width = max(len(w["name"]) for w in doc["waves"])
    for w in doc["waves"]:
        pods = sum(
            plan.inventory.workloads[k].pods for k in w["members"] if k in plan.inventory.workloads
        )
        print(
            f"{w['name']:<{width}}  {w['phase']:<12} {w['start']}..{w['end']}  "
            f"{w['mode']:<7} {w['mtls']:<10} {len(w['members'])} workload(s), {pods} pod(s)"
        )
    unassigned = len(plan.unassigned())
    if unassigned:
        print(f"{unassigned} workload(s) in no wave")
    return 0
