"""Exports replayed step by step: no known call breaks, on the sample plan, synthetic
estates, the small two-cluster plan and the public corpora; each step applies with
``kubectl kustomize`` using Istio's kinds only."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import require
from tests.io.conftest import small_manifest_plan
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_estate
from workbench.ops.import_files import import_files
from workbench.ops.planning import AutoPlanOptions, auto_plan
from workbench.ops.simulate import check_rollout

ISTIO_GROUPS = ("security.istio.io/", "networking.istio.io/", "telemetry.istio.io/")


def _replayed(plan: Plan, out: Path) -> None:
    """Export to ``out``, read it back, and require every step to keep every call."""
    export_manifests(plan, out)
    check = check_rollout(plan, out, rollback=True)  # forward, then every folder rolled back
    report = check.report
    assert check.steps >= 2
    for result in report.results:
        assert result.broken == [], (result.step.id, result.broken[:3])
    rolled_back = [r for r in report.results if r.step.kind == "rollback"]
    assert rolled_back and rolled_back[-1].meshed == sum(
        1 for w in plan.inventory.workloads.values() if w.mesh.injected or w.mesh.ambient
    )
    in_memory = check_rollout(plan, rollback=True).report
    assert [len(r.at_risk) for r in in_memory.results] == [len(r.at_risk) for r in report.results]


def _corpus(shared: Path, name: str) -> Plan:
    corpus = shared / "corpora" / name
    require((corpus / "manifests").is_dir(), str(corpus))
    plan = import_files([str(corpus / "manifests")]).plan
    inv = plan.inventory
    named: dict[str, list[str]] = {w.name: [k] for k, w in inv.workloads.items()}
    for svc in inv.services.values():
        named.setdefault(
            svc.name,
            [
                k
                for k, w in inv.workloads.items()
                if svc.selector
                and w.namespace_key == f"{svc.cluster}/{svc.namespace}"
                and all(w.labels.get(a) == b for a, b in svc.selector.items())
            ],
        )
    graph = json.loads((corpus / "expected-graph.json").read_text())
    for edge in graph["edges"]:
        for a in named.get(edge["from"], []):
            for b in named.get(edge["to"], []):
                if a != b:
                    plan.dependencies.add(Edge(a, b, [Evidence("manual", "documented")]))
    assert plan.dependencies.edges
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), pilot_size=2)).do(plan)
    return plan


def test_the_sample_plan_breaks_no_call(repo_root: Path, tmp_path: Path) -> None:
    _replayed(load_plan(repo_root / "plans" / "seed-playbook.meshplan"), tmp_path / "m")


def test_the_small_two_cluster_plan_breaks_no_call(tmp_path: Path) -> None:
    _replayed(small_manifest_plan(), tmp_path / "m")


@pytest.mark.parametrize("seed", [3, 11])
def test_synthetic_estates_break_no_call(seed: int, tmp_path: Path) -> None:
    plan = generate_estate(300, clusters=2, seed=seed).plan
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), max_workloads=100)).do(plan)
    _replayed(plan, tmp_path / "m")


@pytest.mark.parametrize("name", ["sock-shop", "bookinfo"])
def test_public_estates_break_no_call(name: str, shared_dir: Path, tmp_path: Path) -> None:
    _replayed(_corpus(shared_dir, name), tmp_path / "m")


def test_every_step_applies_with_istio_kinds_only(repo_root: Path, tmp_path: Path) -> None:
    kubectl = shutil.which("kubectl")
    require(kubectl is not None, "kubectl (for kubectl kustomize)")
    assert kubectl is not None
    out = tmp_path / "m"
    plan = generate_estate(120, clusters=2, seed=4).plan
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), max_workloads=60)).do(plan)
    export_manifests(plan, out)
    folders = sorted(p.parent for p in out.rglob("kustomization.yaml"))
    assert folders
    monitoring = 0
    for folder in folders:
        rendered = subprocess.run(
            [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=True
        ).stdout
        kinds = {(d["apiVersion"], d["kind"]) for d in yaml.safe_load_all(rendered) if d}
        if folder.name == "monitoring":
            monitoring += 1
            assert {k for _, k in kinds} == {"PrometheusRule"}
        else:
            assert all(v.startswith(ISTIO_GROUPS) for v, _ in kinds), (folder, kinds)
    assert monitoring >= 1
