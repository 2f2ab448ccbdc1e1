"""Hostile numbers, sizes and references in a plan file: each is refused at load with the
place named (exit 2 from the command line), or loads into a plan whose every output is
finite. Documented in :mod:`workbench.domain.limits`."""

from __future__ import annotations

import json
import math
import re
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
from workbench.cli import json_output, main
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


def move_to_namespace(p: dict[str, Any], namespace: str) -> None:
    entry = p["inventory"]["workloads"].pop(KEY)
    entry["namespace"] = namespace
    cluster, _, kind, name = KEY.split("/")
    p["inventory"]["workloads"]["/".join((cluster, namespace, kind, name))] = entry
    for wave in p["schedule"]["waves"]:
        wave["members"] = [m for m in wave["members"] if m != KEY]
    p["dependencies"]["edges"] = [
        e for e in p["dependencies"]["edges"] if KEY not in (e["caller"], e["callee"])
    ]


def first_service(p: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(iter(p["inventory"]["services"].values()))
    return found


def ghost_service_namespace(p: dict[str, Any]) -> None:
    services = p["inventory"]["services"]
    key, entry = next(iter(services.items()))
    del services[key]
    entry["namespace"] = "ghost"
    services[f"{entry['cluster']}/ghost/{entry['name']}"] = entry


NS = KEY.rsplit("/", 2)[0]  # the workload's namespace key
CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "no clusters listed",
        lambda p: p["inventory"].update(clusters={}),
        ".cluster: no cluster named",
    ),
    (
        "unknown namespace",
        lambda p: move_to_namespace(p, "ghost"),
        '.namespace: no namespace "cluster-1/ghost" in the inventory',
    ),
    (
        "service namespace",
        ghost_service_namespace,
        '.namespace: no namespace "cluster-1/ghost" in the inventory',
    ),
    (
        "policy cluster",
        lambda p: p["inventory"]["network_policies"].append(
            {"cluster": "nowhere", "namespace": "x", "name": "deny"}
        ),
        'plan.inventory.network_policies[0].cluster: no cluster named "nowhere"',
    ),
    (
        "waypoint",
        lambda p: p["schedule"]["waves"][0]["waypoints"].append("cluster-1/ghost"),
        'plan.schedule.waves[0].waypoints[0]: no namespace "cluster-1/ghost"',
    ),
    (
        "strict date",
        lambda p: p["schedule"].update(namespace_strict={"cluster-9/x": "2026-03-01"}),
        'plan.schedule.namespace_strict["cluster-9/x"]: no namespace',
    ),
    (
        "mute namespace",
        lambda p: p.setdefault("mutes", []).append(
            {"rule": "R1", "scope": "cluster-1/ghost/Deployment/x", "reason": "r"}
        ),
        'plan.mutes[0].scope: the scope "cluster-1/ghost/Deployment/x" is in no namespace',
    ),
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


@pytest.mark.parametrize(
    ("where", "limit"),
    [
        ("comments", limits.MAX_COMMENTS),
        ("inventory.gaps", limits.MAX_GAPS),
        ("inventory.network_policies", limits.MAX_POLICIES),
        ("schedule.namespace_strict", limits.MAX_NAMESPACES),
        ("comments[0].replies", limits.MAX_REPLIES),
    ],
)
def test_every_collection_has_a_limit_checked_before_decoding(where: str, limit: int) -> None:
    doc = json.loads(json.dumps(GOOD))
    if where == "comments[0].replies":
        doc["plan"]["comments"] = [{"replies": [{}] * (limit + 1)}]
    elif where == "schedule.namespace_strict":
        doc["plan"]["schedule"]["namespace_strict"] = {str(i): "" for i in range(limit + 1)}
    else:
        parent, _, name = f"plan.{where}".rpartition(".")
        node = doc
        for step in parent.split("."):
            node = node[step]
        node[name] = [{}] * (limit + 1)
    with pytest.raises(PlanFileError, match=rf"plan\.{re.escape(where)}: holds {limit + 1:,}"):
        plan_from_bytes(pack(doc), "x.meshplan")


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


@pytest.mark.parametrize(("name", "edit", "where"), CASES, ids=[c[0] for c in CASES])
def test_every_case_out_of_bounds_is_one_line_and_exit_2_from_the_command_line(
    name: str,
    edit: Callable[[dict[str, Any]], None],
    where: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = json.loads(json.dumps(GOOD))
    edit(doc["plan"])
    path = tmp_path / "hostile.meshplan"
    path.write_bytes(pack(doc))
    capsys.readouterr()
    code = main(["summary", str(path), "--json"])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    [line] = err.strip().splitlines()
    assert line.startswith(f"mesh-workbench: error: {path}: plan."), line
    assert where in line, line
    assert out == ""


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


def _rekey(entries: dict[str, Any], key: str, place: str, fields: int) -> None:
    """Move the entry at ``key`` into ``place`` (cluster/namespace), keyed accordingly."""
    cluster, _, namespace = place.partition("/")
    entry = entries.pop(key)
    entry.update(cluster=cluster, namespace=namespace)
    entries["/".join((cluster, namespace, *key.split("/")[2 : 2 + fields]))] = entry


def _ref_edit(p: dict[str, Any], site: str, value: str) -> None:
    inv = p["inventory"]
    if site == "workload" and "/" in value:
        _rekey(inv["workloads"], next(iter(inv["workloads"])), value, 2)
    elif site == "service" and "/" in value:
        _rekey(inv["services"], next(iter(inv["services"])), value, 1)
    elif site == "mute":
        p["mutes"].append({"rule": "R1", "scope": value, "reason": "fuzz"})
    elif site == "waypoint":
        p["schedule"]["waves"][0]["waypoints"].append(value)
    elif site == "strict":
        p["schedule"]["namespace_strict"][value] = "2026-03-01"
    elif site == "clusters":
        inv["clusters"].pop(value, None)
    elif site == "namespaces":
        inv["namespaces"].pop(value, None)


PLACES = st.sampled_from(
    [
        *("cluster-1/api-000", "cluster-2/api-000", "cluster-9/api-000", "cluster-1/ghost"),
        *("*", "cluster-1", "cluster-2", "cluster-1/*", "cluster-1/api-000/Deployment/x"),
    ]
)
SITES = st.sampled_from(
    ["workload", "service", "mute", "waypoint", "strict", "clusters", "namespaces"]
)


def _resolved(plan: Any) -> bool:
    """Every reference in the plan names something in it (an oracle apart from the loader)."""
    inv = plan.inventory
    placed = (*inv.workloads.values(), *inv.services.values())
    in_ns = [f"{e.cluster}/{e.namespace}" for e in placed]
    scopes = [m.scope.split("/") for m in plan.mutes if m.scope != "*"]
    return (
        all(e.cluster in inv.clusters for e in (*inv.namespaces.values(), *in_ns_entries(inv)))
        and all(ns in inv.namespaces for ns in in_ns)
        and all(ns in inv.namespaces for w in plan.schedule.waves for ns in w.waypoints)
        and all(ns in inv.namespaces for ns in plan.schedule.namespace_strict)
        and all(s[0] in inv.clusters for s in scopes)
        and all(len(s) < 2 or s[1] == "*" or f"{s[0]}/{s[1]}" in inv.namespaces for s in scopes)
        and all(m in inv.workloads for w in plan.schedule.waves for m in w.members)
        and all(k in inv.workloads for e in plan.dependencies.edges.values() for k in e.key)
    )


def in_ns_entries(inv: Any) -> list[Any]:
    return [*inv.workloads.values(), *inv.services.values(), *inv.network_policies]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(SITES, PLACES), min_size=1, max_size=3))
def test_fuzzed_references_load_resolved_or_are_refused_with_the_place(
    edits: list[tuple[str, str]],
) -> None:
    doc = json.loads(json.dumps(GOOD))
    for site, value in edits:
        _ref_edit(doc["plan"], site, value)
    try:
        plan = plan_from_bytes(pack(doc), "fuzzed.meshplan")
    except PlanFileError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("fuzzed.meshplan: plan."), message
        return
    assert _resolved(plan), edits
