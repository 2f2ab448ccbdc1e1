"""Hostile numbers, sizes and references in a plan file: each is refused at load with the
place named (exit 2 from the command line), or loads into a plan whose every output is
finite. Documented in :mod:`workbench.domain.limits`."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.test_plan_file_validation import set_in as edit_at
from tests.strategies import build_plan, pack, unpack
from workbench.cli import json_output
from workbench.domain import limits
from workbench.io.plan_file import PlanFileError, plan_from_bytes, plan_to_bytes
from workbench.ops.economics import compute, report_as_dict
from workbench.ops.summary import plan_summary

PLAN = build_plan(8, clusters=2)
GOOD = unpack(plan_to_bytes(PLAN))
KEY = next(iter(GOOD["plan"]["inventory"]["workloads"]))
W = f'plan.inventory.workloads["{KEY}"]'
A = "plan.assumptions"


def workload_edit(**fields: object) -> Callable[[dict[str, Any]], None]:
    return lambda p: p["inventory"]["workloads"][KEY].update(fields)


def move_to_cluster(p: dict[str, Any], cluster: str) -> None:
    entry = p["inventory"]["workloads"].pop(KEY)
    entry["cluster"] = cluster
    p["inventory"]["workloads"][f"{cluster}/{KEY.split('/', 1)[1]}"] = entry


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("draws 1e9", edit_at("assumptions.monte_carlo.draws", 10**9), f"{A}.monte_carlo.draws"),
    ("negative seed", edit_at("assumptions.monte_carlo.seed", -1), f"{A}.monte_carlo.seed"),
    (
        "amount 1e308",
        edit_at("assumptions.cost_lines.0.annual", 1e308),
        f"{A}.cost_lines[0].annual",
    ),
    ("hours -730", edit_at("assumptions.prices.hours_per_month", -730), "hours_per_month"),
    ("utilisation 0", edit_at("assumptions.prices.node_target_utilisation", 0), "utilisation"),
    ("utilisation -1", edit_at("assumptions.prices.node_target_utilisation", -1), "utilisation"),
    ("pods 2^63-1", workload_edit(pods=2**63 - 1), f"{W}.pods"),
    ("replicas 2^63-1", workload_edit(replicas=2**63 - 1), f"{W}.replicas"),
    ("unknown cluster", lambda p: move_to_cluster(p, "nowhere"), ".cluster: no cluster named"),
    (
        "mute scope elsewhere",
        lambda p: p.setdefault("mutes", []).append(
            {"rule": "R1", "scope": "nowhere/x", "reason": "r"}
        ),
        "plan.mutes[0].scope",
    ),
    (
        "scenario draws",
        lambda p: p["scenarios"][0]["overrides"].update({"monte_carlo.draws": 10**9}),
        "plan.scenarios[0].overrides.monte_carlo.draws",
    ),
]


@pytest.mark.parametrize(("name", "edit", "where"), CASES, ids=[c[0] for c in CASES])
def test_a_number_or_reference_out_of_bounds_is_refused_with_its_place(
    name: str, edit: Callable[[dict[str, Any]], None], where: str
) -> None:
    doc = json.loads(json.dumps(GOOD))
    edit(doc["plan"])
    with pytest.raises(PlanFileError) as caught:
        plan_from_bytes(pack(doc), "x.meshplan")
    assert where in str(caught.value), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_million_cost_lines_are_refused_before_decoding() -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["plan"]["assumptions"]["cost_lines"] = [{"name": "x", "one_time": 1.0}] * 10**6
    with pytest.raises(PlanFileError, match=r"cost_lines: holds 1,000,000 entries, over"):
        plan_from_bytes(pack(doc), "x.meshplan")  # refused before a line is built


def test_the_command_line_refuses_with_one_line_and_exit_2(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["plan"]["assumptions"]["cost_lines"][0]["annual"] = 1e308
    path = tmp_path / "hostile.meshplan"
    path.write_bytes(pack(doc))
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "summary", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cost_lines[0].annual" in result.stderr


def _all_finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_finite(v) for v in value)
    return True


EXTREMES = st.one_of(
    st.sampled_from([0, -1, 1, 2**31, 2**63 - 1, -(2**63), 10**9]),
    st.sampled_from([0.0, -0.0, 1e-300, 1e308, -1e308, 1e12, -1e12, 0.5, 1e15]),
)
NUMERIC_PATHS = [
    "assumptions.monte_carlo.draws",
    "assumptions.monte_carlo.seed",
    "assumptions.monte_carlo.cost_high",
    "assumptions.cost_lines.0.annual",
    "assumptions.cost_lines.0.one_time",
    "assumptions.benefit_lines.0.annual",
    "assumptions.prices.hours_per_month",
    "assumptions.prices.node_target_utilisation",
    "assumptions.prices.node_vcpu",
    "assumptions.prices.vcpu_hour",
    "assumptions.discount_rate",
    "assumptions.risk_adjustment",
    "assumptions.ramp.months",
    "assumptions.horizon_months",
    "assumptions.sensitivity_step",
    "assumptions.overhead.sidecar_cpu_request_m",
    "assumptions.overhead.istiod_replicas",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NUMERIC_PATHS), EXTREMES), min_size=1, max_size=4))
def test_fuzzed_numbers_load_with_finite_outputs_or_are_refused(
    edits: list[tuple[str, float]],
) -> None:
    doc = json.loads(json.dumps(GOOD))
    for path, value in edits:
        edit_at(path, value)(doc["plan"])
    try:
        plan = plan_from_bytes(pack(doc), "fuzzed.meshplan")
    except PlanFileError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzzed.meshplan: plan.")
        return
    assert plan.assumptions.monte_carlo.draws <= limits.MAX_DRAWS
    summary = plan_summary(plan)
    assert _all_finite(summary)
    json.dumps(summary, allow_nan=False)
    report = report_as_dict(compute(plan, None, with_monte_carlo=True))
    json_output.dumps(report)  # valid JSON whatever the figures
