"""Captures written for a synthetic estate's known graph, infrastructure noise mixed in, give
back exactly that graph: precision and recall 1.0."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from workbench.domain.dependencies import Dependencies
from workbench.domain.evidence import caller_evidence
from workbench.io.runtime.emit import (
    EmitSettings,
    assign_pod_ips,
    emit_flow_log,
    emit_hubble,
    emit_otlp,
)
from workbench.ops.generate import generate_estate
from workbench.ops.runtime_import import import_runtime

EMITTERS = {"hubble": emit_hubble, "otlp": emit_otlp, "flowlog": emit_flow_log}


@pytest.mark.parametrize(("workloads", "clusters", "seed"), [(300, 1, 3), (400, 2, 11)])
@pytest.mark.parametrize("fmt", sorted(EMITTERS))
def test_precision_and_recall_are_one(
    tmp_path: Path, fmt: str, workloads: int, clusters: int, seed: int
) -> None:
    estate = generate_estate(workloads, clusters, seed)
    plan = copy.deepcopy(estate.plan)
    plan.dependencies = Dependencies()  # what the manifests state is not what we test here
    assign_pod_ips(plan.inventory)
    path = tmp_path / f"capture.{fmt}"
    settings = EmitSettings(noise=1.5, seed=seed)
    with path.open("wb") as out:
        assert EMITTERS[fmt](plan.inventory, estate.truth, out, settings) > len(estate.truth)
    outcome = import_runtime(plan, [str(path)])
    report = outcome.files[0]
    assert report.tally.fmt == fmt and not outcome.errors
    found = set(outcome.plan.dependencies.edges)
    assert found and estate.truth
    true_positives = len(found & estate.truth)
    assert true_positives / len(found) == 1.0, sorted(found - estate.truth)[:5]  # precision
    assert true_positives / len(estate.truth) == 1.0, sorted(estate.truth - found)[:5]  # recall
    if fmt == "hubble":
        left_out = report.tally.left_out
        assert left_out["reply flows"] and left_out["the same connection seen again"]
        assert left_out["DNS"] and left_out["Prometheus scrapes"]
        assert left_out["host and kubelet probes"]
    assert not report.tally.unmatched or fmt == "flowlog"
    # a week of observation covers every workload the capture saw
    knowledge = caller_evidence(outcome.plan)
    callees = {b for _, b in estate.truth}
    assert {knowledge[k].callers for k in callees} == {"complete"}
