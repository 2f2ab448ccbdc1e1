"""Every committed plan file of every released format keeps loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.strategies import unpack
from workbench.io.annotation_policy import pod_key_kept
from workbench.io.plan_file import FORMAT_VERSION, load_plan, plan_from_bytes, plan_to_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "plan_files"
FILES = sorted(FIXTURES.glob("v*/*.meshplan"))


def contained(old: Any, new: Any, path: str = "plan") -> None:
    """Every value of ``old`` is in ``new`` unchanged (``new`` may have more fields)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), path
        for key, value in old.items():
            assert key in new, f"{path}.{key} was dropped"
            contained(value, new[key], f"{path}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), path
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            contained(a, b, f"{path}[{i}]")
    else:
        assert old == new and type(old) is type(new), f"{path}: {old!r} became {new!r}"


def test_there_is_a_fixture_for_every_version() -> None:
    versions = {int(p.parent.name[1:]) for p in FILES}
    assert versions == set(range(1, FORMAT_VERSION + 1))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_the_file_loads_and_saves_again(path: Path) -> None:
    plan = load_plan(path)
    assert plan.inventory.workloads
    assert plan_from_bytes(plan_to_bytes(plan)) == plan


def test_the_format_1_estate_keeps_its_content() -> None:
    path = FIXTURES / "v1" / "two-cluster-estate.meshplan"
    plan = load_plan(path)
    assert plan.meta.title == "Format 1 fixture: a small two-cluster estate"
    assert plan.meta.notes.endswith("Ünïcödé ✓")
    assert sorted(plan.inventory.clusters) == ["cluster-1", "cluster-2"]
    assert len(plan.inventory.workloads) == 24
    istio = plan.inventory.clusters["cluster-1"].istio
    assert istio is not None and istio.version == "1.22.3" and istio.cni
    assert [p.name for p in plan.schedule.phases] == ["Foundation", "Pilot", "Core", "Optimization"]
    assert [a.id for a in plan.schedule.activities] == ["istio-install", "mtls-strict"]
    assert plan.schedule.activities[0].start == date(2026, 1, 12)
    assert len(plan.schedule.waves) == 10
    assigned = plan.schedule.assigned()
    assert len(assigned) == 12 and all(k in plan.inventory.workloads for k in assigned)
    assert plan.dependencies.edges and all(
        key == (e.caller, e.callee) for key, e in plan.dependencies.edges.items()
    )
    assert plan.active_scenario == "ramp"
    assert plan.scenario("ramp").overrides == {"ramp.kind": "linear", "ramp.months": 14}
    assert plan.meta.baselines[0].waves["wave-01"][0] == plan.schedule.waves[0].start
    assert plan.inventory.network_policies[0].ingress_from[1].ip_block == "10.0.0.0/8"
    assert plan.mutes[0].rule == "PORT_UNNAMED"
    kinds = {ev.source for e in plan.dependencies.edges.values() for ev in e.evidence}
    assert kinds == {"static"}  # format 2 names what each piece of evidence rests on


def test_the_format_2_estate_keeps_its_evidence() -> None:
    from workbench.domain.evidence import caller_evidence

    path = FIXTURES / "v2" / "two-cluster-estate.meshplan"
    plan = load_plan(path)
    assert plan.meta.title.startswith("Format 2 fixture")
    deps = plan.dependencies
    runtime = [ev for e in deps.edges.values() for ev in e.evidence if ev.source == "runtime"]
    assert [(ev.kind, ev.count, ev.window_from) for ev in runtime] == [
        ("hubble", 1234, "2026-11-01T00:00:00Z")
    ]
    obs = deps.observations[0]
    assert obs.source == "hubble" and obs.records == 5000 and len(obs.workloads) == 2
    confirmed = deps.confirmations["cluster-1/api-000/Deployment/api-service-00000"]
    assert confirmed.reason == "batch job: nothing calls it" and confirmed.by == "alice"
    found = caller_evidence(plan)
    assert found["cluster-1/api-000/Deployment/api-gateway-00018"].callers == "complete"
    assert found["cluster-1/api-000/Deployment/api-gateway-00018"].external_callers
    if FORMAT_VERSION == 2:  # same format: saving again keeps every value the file had
        old = unpack(path.read_bytes())["plan"]
        for workload in old["inventory"]["workloads"].values():  # but annotations no import
            annotations = workload["annotations"]  # keeps (deployment.kubernetes.io/revision)
            workload["annotations"] = {k: v for k, v in annotations.items() if pod_key_kept(k)}
        contained(old, unpack(plan_to_bytes(plan))["plan"])
