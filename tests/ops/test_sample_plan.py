"""The sample plan: the seed playbook's reference case, reproducible from its builder."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from tests.ops.test_generate_addresses import stated_edges
from workbench.domain.assumption_paths import with_overrides
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, plan_to_bytes
from workbench.ops.sample_plan import build_sample_plan, main

ROW = re.compile(r"^\s*(?P<name>\S.*?)\s*:(?P<start>\d{4}-\d\d-\d\d),\s*(?P<end>\d{4}-\d\d-\d\d)")


@cache
def sample() -> Plan:
    return build_sample_plan()


def seed_gantt(shared: Path) -> list[tuple[int, str, date, date]]:
    """(phase index, row, start, end) from the seed playbook's mermaid Gantt chart."""
    text = (shared / "seed" / "istio-adoption-playbook.md").read_text(encoding="utf-8")
    block = text.split("```mermaid\ngantt", 1)[1].split("```", 1)[0]
    rows, phase = [], -1
    for line in block.splitlines():
        if line.strip().startswith("section"):
            phase += 1
        elif (m := ROW.match(line)) and phase >= 0:
            rows.append(
                (phase, m["name"], date.fromisoformat(m["start"]), date.fromisoformat(m["end"]))
            )
    return rows


def test_committed_file_equals_a_fresh_build(sample_plan_path: Path) -> None:
    assert load_plan(sample_plan_path) == sample()


def test_the_build_is_reproducible() -> None:
    assert plan_to_bytes(build_sample_plan()) == plan_to_bytes(sample())


def test_main_writes_a_loadable_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sample.meshplan"
    assert main(["-o", str(out)]) == 0
    assert load_plan(out) == sample()
    assert str(out) in capsys.readouterr().out


def test_main_reports_an_unwritable_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-o", str(tmp_path / "missing" / "x.meshplan")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "missing" in err


def test_estate_size_and_shape() -> None:
    inv = sample().inventory
    assert 140 <= len(inv.workloads) <= 160
    assert 10 <= len(inv.namespaces) <= 14
    assert len(inv.clusters) == 2
    names = {w.name for w in inv.workloads.values()}
    for core in ("api-gateway", "user-service", "order-service", "payment-service",
                 "inventory-service", "catalog-service", "notification-service", "search-api",
                 "analytics-api"):  # fmt: skip
        assert core in names
    kinds = Counter(w.kind for w in inv.workloads.values())
    assert kinds["Deployment"] > kinds["StatefulSet"] > 0
    assert sample().meta.title == "Istio adoption playbook (reference case)"


def _in_2027(day: date) -> date:
    """The seed's dates (2023-2024) moved four years on, weekdays and leap days kept."""
    return day.replace(year=day.year + 4)


def test_phases_and_activities_follow_the_seed_gantt_from_2027(shared_dir: Path) -> None:
    schedule = sample().schedule
    rows = seed_gantt(shared_dir)
    assert len(rows) == 13
    assert [p.name for p in schedule.phases] == ["Foundation", "Pilot", "Core", "Optimization"]
    assert schedule.phases[0].start == date(2027, 1, 1)
    assert schedule.phases[-1].end == date(2028, 2, 29)
    activities = {a.name: a for a in schedule.activities}
    for phase_index, name, start, end in rows:
        phase = schedule.phases[phase_index]
        start, end = _in_2027(start), _in_2027(end)
        assert phase.start <= start and end <= phase.end, name
        if name not in {"Non-Critical Services", "Business Critical Services"}:
            a = activities[name]
            assert (a.start, a.end, a.phase) == (start, end, phase.id)
    assert len(activities) >= 11


def test_waves_are_the_planners_and_hold_its_rules() -> None:
    from workbench.ops.check import check_plan
    from workbench.ops.planning import remediation_backlog

    plan = sample()
    schedule = plan.schedule
    phases = {p.id: p for p in schedule.phases}
    pilot = [w for w in schedule.waves if w.phase == "pilot"]
    assert len(pilot) == 1 and len(pilot[0].members) == 10
    assert len(schedule.waves) >= 3
    for wave in schedule.waves:
        phase = phases[wave.phase]
        assert phase.start <= wave.start and wave.end <= phase.end, wave.id
        assert len(wave.members) <= 25
    backlog = {i.key for i in remediation_backlog(plan)}
    assert backlog and not backlog & set(schedule.assigned())
    findings = check_plan(plan).findings
    schedule_severities = {f.severity for f in findings if f.source == "schedule"}
    assert not schedule_severities & {"blocker", "high"}, [
        f.message for f in findings if f.source == "schedule"
    ]
    risk = check_plan(plan).risk
    assert all(risk[k] < 35 for k in pilot[0].members)
    infra = ("kube-system", "platform", "monitoring", "logging")
    assert not [k for k in pilot[0].members if k.split("/")[1] in infra]


def test_cost_and_benefit_lines_are_the_seed_tables() -> None:
    plan = sample()
    a = plan.assumptions
    assert a.case == "estate"  # the plan's own case is derived from its estate
    scenario = plan.scenario("playbook")
    assert scenario.cost_lines is not None and scenario.benefit_lines is not None
    a = dataclasses.replace(a, cost_lines=scenario.cost_lines, benefit_lines=scenario.benefit_lines)
    costs = {c.name: (c.one_time, c.annual) for c in a.cost_lines}
    assert costs == {
        "Platform Team": (500_000, 800_000),
        "Infrastructure": (200_000, 400_000),
        "Training": (300_000, 100_000),
        "Migration Effort": (1_000_000, 200_000),
        "Tools & Licensing": (100_000, 150_000),
    }
    assert sum(c.one_time for c in a.cost_lines) == pytest.approx(2_100_000)
    assert sum(c.annual for c in a.cost_lines) == pytest.approx(1_650_000)
    three_years = sum(c.one_time + 3 * c.annual for c in a.cost_lines)
    assert three_years == pytest.approx(7_050_000)
    assert len(a.benefit_lines) == 9
    assert sum(b.annual for b in a.benefit_lines) == pytest.approx(5_500_000)
    by_category: Counter[str] = Counter()
    for b in a.benefit_lines:
        by_category[b.category] += int(b.annual)
    assert by_category == {
        "Operational": 2_500_000,
        "Developer Productivity": 1_800_000,
        "Business Impact": 1_200_000,
    }
    assert {b.name: b.annual for b in a.benefit_lines}["Development Velocity"] == 1_200_000


def test_assumptions_and_scenarios() -> None:
    plan = sample()
    a = plan.assumptions
    assert a.overhead.name == "seed-playbook"
    assert (a.horizon_months, a.discount_rate, a.infrastructure) == (36, 0.10, "computed")
    assert a.start == date(2027, 1, 1)
    assert [s.name for s in plan.scenarios] == ["playbook", "ramp-with-migration"]
    assert plan.active_scenario is None
    playbook = with_overrides(a, plan.scenario("playbook").overrides)
    assert (playbook.ramp.kind, playbook.case, playbook.infrastructure) == (
        "full",
        "lines",
        "fixed",
    )
    ramp = with_overrides(a, plan.scenario("ramp-with-migration").overrides).ramp
    assert (ramp.kind, ramp.months) == ("linear", 14)


def test_success_metrics_are_the_seed_tables() -> None:
    metrics = {m.name: m for m in sample().metrics}
    assert Counter(m.category for m in metrics.values()) == {"Technical": 5, "Operational": 5}
    mttd = metrics["Mean Time to Detection"]
    assert (mttd.baseline, mttd.target, mttd.achieved) == ("15 minutes", "2 minutes", "90 seconds")
    p1 = metrics["P1 Incidents per Month"]
    assert (p1.baseline, p1.target, p1.achieved) == ("8", "4", None)
    assert metrics["Security Policy Coverage"].achieved == "98%"


def test_dependencies_are_what_the_env_vars_state() -> None:
    plan = sample()
    stated = stated_edges(plan.inventory)
    assert set(plan.dependencies.edges) == set(stated)
    assert len(stated) > 150
    for key, edge in plan.dependencies.edges.items():
        assert all(ev.kind == "env" for ev in edge.evidence)
        assert {ev.detail.split()[1] for ev in edge.evidence} == stated[key]
    inv = plan.inventory
    clusters = {(inv.workloads[a].cluster, inv.workloads[b].cluster) for a, b in stated}
    assert ("prod-west", "prod-east") in clusters and ("prod-east", "prod-west") in clusters
    gateway = "prod-east/edge/Deployment/api-gateway"
    assert "prod-east/identity/Deployment/user-service" in plan.dependencies.callees_of(gateway)


def test_it_holds_the_cases_readiness_rules_look_for() -> None:
    inv = sample().inventory
    ws = list(inv.workloads.values())
    assert any(w.kind == "DaemonSet" and w.host_network for w in ws)
    assert any(w.run_as_user == 1337 or any(c.run_as_user == 1337 for c in w.containers)
               for w in ws)  # fmt: skip
    assert any(15000 <= p.container_port <= 15090 for w in ws for c in w.containers
               for p in c.ports)  # fmt: skip
    # a clustered StatefulSet whose headless Service misses a peer port
    gaps = []
    for s in inv.services.values():
        if s.headless:
            (w,) = inv.selected_workloads(s)
            declared = {p.port for p in s.ports}
            gaps += [p for p in w.containers[0].ports if p.container_port not in declared]
    assert gaps
    mysql = [s for s in inv.services.values() if any(p.port == 3306 for p in s.ports)]
    assert mysql and all(p.name is None and p.app_protocol is None for p in mysql[0].ports)
    assert any(p.protocol == "UDP" for s in inv.services.values() for p in s.ports)
    assert {"Job", "CronJob"} <= {w.kind for w in ws}
    assert all(v < "v1.33" for c in inv.clusters.values() for v in c.nodes.kubelet_versions)
    assert any(any(c.env.values()) for w in ws for c in w.init_containers)
    assert any(w.namespace == "kube-system" for w in ws)
    psa = "pod-security.kubernetes.io/enforce"
    restricted = [n for n in inv.namespaces.values() if n.labels.get(psa) == "restricted"]
    assert restricted and any(w.namespace_key == restricted[0].key for w in ws)
    quotas = [q for n in inv.namespaces.values() for q in n.resource_quotas]
    assert any(q.hard["requests.cpu"] - q.used["requests.cpu"] < 1000 for q in quotas)
    ranges = [r for n in inv.namespaces.values() for r in n.limit_ranges]
    assert any(r.max_cpu_m is not None and r.max_cpu_m < 2000 for r in ranges)
    (hook,) = inv.webhooks
    assert f"prod-east/{hook.service_namespace}/{hook.service_name}" in inv.services
