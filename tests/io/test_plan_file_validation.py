"""Ranges, allowed values and references are checked when a plan loads, and before it saves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.strategies import build_plan, pack, unpack
from workbench.domain.assumptions import CostLine
from workbench.domain.dependencies import Edge
from workbench.domain.plan import Plan
from workbench.io.plan_file import PlanFileError, plan_from_bytes, plan_to_bytes, save_plan

PLAN = build_plan(12, clusters=2)
GOOD = unpack(plan_to_bytes(PLAN))
KEY = next(iter(GOOD["plan"]["inventory"]["workloads"]))
SERVICE = next(iter(GOOD["plan"]["inventory"]["services"]))


def workload(p: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = p["inventory"]["workloads"][KEY]
    return result


def set_in(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """An edit of the plan data at a dotted path (list indexes as numbers)."""

    def edit(p: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = p
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value

    return edit


W = f'plan.inventory.workloads["{KEY}"]'
R = W.replace("/Deployment/", "/Rollout/")


def rename_kind(p: dict[str, Any], kind: str) -> None:
    entry = p["inventory"]["workloads"].pop(KEY)
    entry["kind"] = kind
    p["inventory"]["workloads"][KEY.replace("/Deployment/", f"/{kind}/")] = entry


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("kind", lambda p: rename_kind(p, "Rollout"), f"{R}.kind: must be one of Deployment"),
    (
        "replicas",
        lambda p: workload(p).update(replicas=-1),
        f"{W}.replicas: must be 0 or more, got -1",
    ),
    ("pods", lambda p: workload(p).update(pods=-3), f"{W}.pods: must be 0 or more"),
    (
        "port",
        lambda p: workload(p)["containers"][0]["ports"][0].update(container_port=70000),
        f"{W}.containers[0].ports[0].container_port: a port must be between 1 and 65535, got 70000",
    ),
    (
        "protocol",
        lambda p: workload(p)["containers"][0]["ports"][0].update(protocol="HTTP"),
        f"{W}.containers[0].ports[0].protocol: must be one of TCP, UDP, SCTP",
    ),
    (
        "cpu",
        lambda p: workload(p)["containers"][0]["resources"].update(cpu_request_m=-5),
        f"{W}.containers[0].resources.cpu_request_m: must be 0 or more",
    ),
    (
        "service port",
        lambda p: p["inventory"]["services"][SERVICE]["ports"][0].update(port=0),
        f'plan.inventory.services["{SERVICE}"].ports[0].port: a port must be between 1 and 65535',
    ),
    (
        "service type",
        lambda p: p["inventory"]["services"][SERVICE].update(type="Mesh"),
        f'plan.inventory.services["{SERVICE}"].type: must be one of ClusterIP',
    ),
    (
        "cluster key",
        lambda p: p["inventory"]["clusters"].update(other=p["inventory"]["clusters"]["cluster-1"]),
        'plan.inventory.clusters["other"]: the entry\'s key does not match',
    ),
    (
        "phase dates",
        set_in("schedule.phases.1.end", "2020-01-01"),
        "plan.schedule.phases[1].end: ends (2020-01-01) before it starts",
    ),
    (
        "wave dates",
        set_in("schedule.waves.0.end", "2020-01-01"),
        "plan.schedule.waves[0].end: ends (2020-01-01) before it starts",
    ),
    (
        "wave phase",
        set_in("schedule.waves.2.phase", "p9"),
        'plan.schedule.waves[2].phase: no phase with id "p9"',
    ),
    ("wave mode", set_in("schedule.waves.0.mode", "proxyless"), "plan.schedule.waves[0].mode"),
    ("wave mtls", set_in("schedule.waves.0.mtls", "DISABLE"), "plan.schedule.waves[0].mtls"),
    (
        "wave id",
        set_in("schedule.waves.3.id", "wave-01"),
        'plan.schedule.waves[3]: duplicate wave id "wave-01"',
    ),
    (
        "phase id",
        set_in("schedule.phases.1.id", "p1"),
        'plan.schedule.phases[1]: duplicate phase id "p1"',
    ),
    (
        "two waves",
        lambda p: p["schedule"]["waves"][1]["members"].append(
            p["schedule"]["waves"][0]["members"][0]
        ),
        "plan.schedule: workload cluster-1/",
    ),
    (
        "edge end",
        set_in("dependencies.edges.0.callee", "c/ns/Deployment/ghost"),
        'plan.dependencies.edges[0].callee: workload "c/ns/Deployment/ghost" is not in the',
    ),
    (
        "edge confidence",
        set_in("dependencies.edges.0.confidence", 1.5),
        "plan.dependencies.edges[0].confidence",
    ),
    (
        "evidence",
        set_in("dependencies.edges.0.evidence.0.kind", "rumour"),
        ".evidence[0].kind: must be one of env",
    ),
    (
        "ramp",
        set_in("assumptions.ramp.kind", "sudden"),
        "plan.assumptions.ramp.kind: must be one of full",
    ),
    (
        "horizon 0",
        set_in("assumptions.horizon_months", 0),
        "plan.assumptions.horizon_months: must be between 1 and 600",
    ),
    ("horizon big", set_in("assumptions.horizon_months", 601), "plan.assumptions.horizon_months"),
    (
        "discount",
        set_in("assumptions.discount_rate", -1),
        "plan.assumptions.discount_rate: must be a finite rate above -1",
    ),
    (
        "injection",
        set_in("mesh.injection", "manual"),
        "plan.mesh.injection: must be one of namespace-label",
    ),
    (
        "active scenario",
        set_in("active_scenario", "optimistic"),
        'plan.active_scenario: no scenario named "optimistic"',
    ),
    (
        "override path",
        set_in("scenarios.1.overrides", {"prices.teapot": 1}),
        "plan.scenarios[1].overrides: no assumption at 'prices.teapot'",
    ),
    (
        "override value",
        set_in("scenarios.1.overrides", {"horizon_months": 9000}),
        "plan.scenarios[1].overrides.horizon_months: must be between 1 and 600",
    ),
    (
        "scenario names",
        set_in("scenarios.1.name", "playbook"),
        'plan.scenarios[1]: duplicate scenario name "playbook"',
    ),
    (
        "baseline",
        set_in(
            "meta.baselines",
            [{"name": "b", "created": "", "waves": {"w": ["2026-02-01", "2026-01-01"]}}],
        ),
        'plan.meta.baselines[0].waves["w"]: ends (2026-01-01) before it starts (2026-02-01)',
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_an_inconsistent_file_is_refused(
    name: str, edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    doc = unpack(plan_to_bytes(PLAN))
    edit(doc["plan"])
    with pytest.raises(PlanFileError) as info:
        plan_from_bytes(pack(doc), "x.meshplan")
    assert str(info.value).startswith("x.meshplan: ")
    assert expected in str(info.value)


def test_the_unedited_data_loads() -> None:
    assert plan_from_bytes(pack(GOOD)) == PLAN


def test_missing_fields_with_defaults_load_and_integers_become_numbers() -> None:
    doc = unpack(plan_to_bytes(PLAN))
    del workload(doc["plan"])["annotations"], doc["plan"]["mutes"], doc["plan"]["meta"]["notes"]
    doc["plan"]["assumptions"]["discount_rate"] = 0
    plan = plan_from_bytes(pack(doc))
    assert plan.inventory.workloads[KEY].annotations == {}
    assert plan.mutes == [] and plan.meta.notes == ""
    assert type(plan.assumptions.discount_rate) is float


def test_an_inconsistent_plan_is_not_saved(tmp_path: Path) -> None:
    plan = build_plan(5)
    path = tmp_path / "p.meshplan"
    save_plan(plan, path)
    before = path.read_bytes()
    plan.dependencies.add(Edge(next(iter(plan.inventory.workloads)), "c/ns/Deployment/ghost"))
    with pytest.raises(PlanFileError, match=r"the plan cannot be saved: plan\.dependencies\.edges"):
        save_plan(plan, path)
    assert path.read_bytes() == before


def test_a_value_a_file_cannot_hold_is_not_saved() -> None:
    plan = Plan()
    plan.assumptions.cost_lines.append(CostLine("Platform", annual=float("nan")))
    with pytest.raises(
        PlanFileError, match=r"plan.assumptions.cost_lines\[0\].annual: expected a finite number"
    ):
        plan_to_bytes(plan)
    plan = Plan()
    plan.schedule.phases.append(None)  # type: ignore[arg-type]
    with pytest.raises(PlanFileError, match="the plan cannot be saved"):
        plan_to_bytes(plan)
    plan = Plan()
    plan.meta.title = "\ud800"
    with pytest.raises(PlanFileError, match="the plan cannot be saved"):
        plan_to_bytes(plan)
