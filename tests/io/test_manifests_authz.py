"""Each callee's AuthorizationPolicy allows exactly the callers its edges name."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml

from tests.conftest import require
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.domain.planning.graph import CallGraph
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_estate
from workbench.ops.import_files import import_files
from workbench.ops.planning import auto_plan

GATEWAY = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway"


def _policies(root: Path) -> dict[tuple[str, str], dict[str, object]]:
    """(namespace, name) -> the last enforced AuthorizationPolicy in apply order."""
    found: dict[tuple[str, str], dict[str, object]] = {}
    for path in sorted(root.glob("[0-9]*/*/**/authorization-policies.yaml")):
        if "rollback" in path.parts:
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            meta = doc["metadata"]
            found[(meta["namespace"], meta["name"])] = doc
    return found


def _expected(plan: Plan) -> dict[str, set[str]]:
    """Workload key -> the principals its edges name (plus the gateway when exposed)."""
    inv = plan.inventory
    want: dict[str, set[str]] = defaultdict(set)
    for caller, callee in plan.dependencies.edges:
        if caller != callee:
            c = inv.workloads[caller]
            want[callee].add(f"cluster.local/ns/{c.namespace}/sa/{c.service_account}")
    for key in CallGraph(plan).exposed:
        want[key].add(GATEWAY)
    for key, w in inv.workloads.items():
        if w.kind == "StatefulSet" and max(w.replicas, w.pods) > 1:  # members call peers
            want[key].add(f"cluster.local/ns/{w.namespace}/sa/{w.service_account}")
    return want


def _check(plan: Plan, out: Path) -> int:
    report = export_manifests(plan, out)
    policies = _policies(out)
    want = _expected(plan)
    checked = 0
    for allow in report.allow_lists:
        doc = policies[(allow.namespace, allow.name)]
        spec = doc["spec"]
        principals = set(spec["rules"][0]["from"][0]["source"]["principals"])  # type: ignore[index]
        expected = set().union(*(want[k] for k in allow.workloads))
        assert principals == expected, allow.name
        selector = spec["selector"]["matchLabels"]  # type: ignore[index]
        for key in allow.workloads:
            labels = plan.inventory.workloads[key].labels
            assert all(labels.get(k) == v for k, v in selector.items())
        checked += len(allow.workloads)
    # wave members with open blockers are left out of the export
    scheduled_callees = {k for k in want if plan.schedule.wave_of(k)} - set(report.left_out)
    covered = {k for a in report.allow_lists for k in a.workloads}
    assert scheduled_callees <= covered
    return checked


def test_allow_lists_match_the_edges_of_a_generated_estate(tmp_path: Path) -> None:
    estate = generate_estate(400, clusters=2, seed=5)
    plan = estate.plan
    assert estate.truth <= set(plan.dependencies.edges)
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), max_workloads=200)).do(plan)
    assert _check(plan, tmp_path) > 150


def test_allow_lists_match_the_edges_of_sock_shop(shared_dir: Path, tmp_path: Path) -> None:
    corpus = shared_dir / "corpora" / "sock-shop"
    require((corpus / "manifests").is_dir(), str(corpus))
    plan = import_files([str(corpus / "manifests")]).plan
    by_name = {w.name: k for k, w in plan.inventory.workloads.items()}
    graph = json.loads((corpus / "expected-graph.json").read_text())
    for edge in graph["edges"]:
        a, b = by_name.get(edge["from"]), by_name.get(edge["to"])
        if a and b:
            plan.dependencies.add(Edge(a, b, [Evidence("manual", "expected graph")], manual=True))
    assert len(plan.dependencies.edges) >= 10
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), pilot_size=2)).do(plan)
    assert _check(plan, tmp_path) >= 8
    carts = _policies(tmp_path)[("sock-shop", "carts")]["spec"]
    assert carts["selector"] == {"matchLabels": {"name": "carts"}}  # type: ignore[index]
