"""Incremental replay (each step re-judges only the calls it can affect) gives exactly the
verdicts of a full replay (every call after every step): on the sample plan and
synthetic estates, forward and rolled back, with random hand-made steps in between that
break calls on purpose (STRICT mTLS, deny-everything and narrow ALLOW policies,
DestinationRules, Sidecar scopes, injection switched on and off, entry cut-over)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.plan import Plan
from workbench.domain.simulation import LabelChange, RolloutStep, SimulationReport, simulate
from workbench.domain.simulation.facts import estate_facts
from workbench.domain.simulation.impact import CallIndex
from workbench.domain.simulation.state import Dirty, MeshState
from workbench.io.manifests.readback import read_folder, read_steps
from workbench.io.plan_file import load_plan
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_estate
from workbench.ops.planning import AutoPlanOptions, auto_plan

Obj = dict[str, Any]


def _obj(kind: str, ns: str, name: str, spec: Obj) -> Obj:
    group = "networking" if kind in ("DestinationRule", "Sidecar") else "security"
    meta = {"name": name, "namespace": ns}
    return {"apiVersion": f"{group}.istio.io/v1", "kind": kind, "metadata": meta, "spec": spec}


def _hostile(plan: Plan, rng: random.Random, n: int) -> list[RolloutStep]:
    """Random steps that change what decides calls, some of them breaking calls."""
    facts = estate_facts(plan)
    calls = [c for c in facts.calls if c.caller in facts.workloads]
    root = plan.mesh.root_namespace
    applied: list[tuple[str, Obj]] = []
    steps: list[RolloutStep] = []
    for i in range(n):
        call = rng.choice(calls)  # a call and what is around its two ends
        w, caller = facts.workloads[call.callee], facts.workloads[call.caller]
        ns = rng.choice([w.namespace, caller.namespace, root])
        sel = {"matchLabels": dict(w.labels)} if w.labels and rng.random() < 0.5 else None
        host = rng.choice(sorted(facts.fqdns(w.key)) or [w.name])
        principal = f"{plan.mesh.trust_domain}/ns/{caller.namespace}/sa/{caller.service_account}"
        tls = {"tls": {"mode": rng.choice(["DISABLE", "ISTIO_MUTUAL"])}}
        allow = {"rules": [{"from": [{"source": {"principals": [principal]}}]}]}
        objs = [
            _obj("PeerAuthentication", ns, f"pa-{i}", {"mtls": {"mode": "STRICT"}}),
            _obj(
                "AuthorizationPolicy", w.namespace, f"deny-{i}", {"action": "DENY", "rules": [{}]}
            ),
            _obj("AuthorizationPolicy", ns, f"allow-{i}", allow),
            _obj("DestinationRule", ns, f"dr-{i}", {"host": host, "trafficPolicy": tls}),
            _obj("Sidecar", caller.namespace, f"sc-{i}", {"egress": [{"hosts": ["./*"]}]}),
        ]
        obj = rng.choice(objs)
        if sel is not None and obj["kind"] == "Sidecar":
            obj["spec"]["selector"] = {"matchLabels": dict(caller.labels)}
        elif sel is not None and obj["kind"] != "DestinationRule":
            obj["spec"]["selector"] = sel
        choice = rng.randrange(6)
        where = caller.cluster if obj["kind"] == "Sidecar" else w.cluster
        step = RolloutStep(f"hostile-{i}", "Hostile", "other", where, apply=(obj,))
        if choice == 0 and applied:
            cluster, gone = applied.pop(rng.randrange(len(applied)))
            step = RolloutStep(f"hostile-{i}", "Hostile", "other", cluster, delete=(gone,))
        elif choice == 1:
            value = rng.choice(["enabled", "disabled", None])
            change = LabelChange(
                w.cluster, "Namespace", w.namespace, w.namespace, {"istio-injection": value}
            )
            step = RolloutStep(f"hostile-{i}", "Hostile", "other", w.cluster, changes=(change,))
        elif choice == 2:
            value = rng.choice(["true", "false", None])
            labels = {
                "sidecar.istio.io/inject": value,
                "app": rng.choice(["x", w.labels.get("app")]),
            }
            change = LabelChange(w.cluster, w.kind, w.namespace, w.name, labels)
            step = RolloutStep(f"hostile-{i}", "Hostile", "other", w.cluster, changes=(change,))
        elif choice == 3:
            step = RolloutStep(f"hostile-{i}", "Cut over", "cutover", w.cluster, cutover=True)
        else:
            applied.append((where, obj))
        steps.append(step)
    return steps


def _verdicts(report: SimulationReport) -> list[tuple[Any, ...]]:
    return [(r.step.id, r.meshed, r.broken, r.at_risk, r.new_broken) for r in report.results]


def _check(plan: Plan, out: Path, seed: int) -> None:
    export_manifests(plan, out)
    exported = read_steps(read_folder(out), rollback=True)
    rng = random.Random(seed)
    steps = list(exported)
    for step in _hostile(plan, rng, 40):
        steps.insert(rng.randrange(len(steps) + 1), step)
    incremental = simulate(plan, steps)
    full = simulate(plan, steps, full=True)
    assert _verdicts(incremental) == _verdicts(full)
    # the comparison can fail: the hostile steps break calls and put others at risk
    assert any(r.broken for r in full.results) and any(r.at_risk for r in full.results)
    assert any(r.step.kind == "rollback" for r in full.results)
    # and incremental is incremental: a lockdown or mesh step re-judges a part only
    facts = estate_facts(plan)
    state = MeshState(facts)
    index = CallIndex(facts, state.root)
    counts = [len(index.affected(state.apply(s))) for s in exported]
    assert 0 < min(c for c in counts if c) < len(facts.calls)


def test_incremental_equals_full_replay_on_the_sample_plan(repo_root: Path, tmp_path: Path) -> None:
    _check(load_plan(repo_root / "plans" / "seed-playbook.meshplan"), tmp_path / "m", 1)


@pytest.mark.parametrize("seed", [5, 17])
def test_incremental_equals_full_replay_on_random_estates(seed: int, tmp_path: Path) -> None:
    plan = generate_estate(250, clusters=2, seed=seed).plan
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), max_workloads=80)).do(plan)
    _check(plan, tmp_path / "m", seed)


def test_an_index_that_misses_a_change_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """An index that forgot the root namespace's policies gives other verdicts than the
    full replay: the equality above can fail."""
    plan = generate_estate(120, clusters=2, seed=9).plan
    facts = estate_facts(plan)
    cluster = sorted(plan.inventory.clusters)[0]
    root = plan.mesh.root_namespace
    strict = _obj("PeerAuthentication", root, "default", {"mtls": {"mode": "STRICT"}})
    callees = sorted(
        {facts.workloads[c.callee].namespace for c in facts.calls if c.callee.startswith(cluster)}
    )
    label = {"istio-injection": "enabled"}
    inject = (LabelChange(cluster, "Namespace", callees[0], callees[0], label),)
    steps = [
        RolloutStep("inject", "Apply", "mesh", cluster, changes=inject),
        RolloutStep("strict", "Lockdown", "lockdown", cluster, apply=(strict,)),
    ]
    full = simulate(plan, steps, facts=facts, full=True)
    assert full.results[-1].broken
    assert _verdicts(simulate(plan, steps, facts=facts)) == _verdicts(full)
    affected = CallIndex.affected

    def forgetful(self: CallIndex, dirty: Dirty) -> list[int]:
        dirty.objects = {o for o in dirty.objects if o[2] != root}
        return affected(self, dirty)

    monkeypatch.setattr(CallIndex, "affected", forgetful)
    assert _verdicts(simulate(plan, steps, facts=facts)) != _verdicts(full)
