"""Test support for the readiness rules: Kubernetes YAML fixtures -> plan -> findings.

The fixtures under tests/data/k8s are real ``kubectl create --dry-run=client`` output
edited to carry what each rule reads; they go through the same converter an offline
import uses, so each test covers the path from YAML to finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbench.domain.findings import Finding
from workbench.domain.plan import MeshSettings, Plan
from workbench.domain.readiness import ReadinessReport, evaluate
from workbench.io.k8s_objects import InventoryBuilder

DATA = Path(__file__).resolve().parent.parent / "data" / "k8s"
CLUSTER = "prod"


def load_plan(*files: str, cluster: str = CLUSTER, **mesh: Any) -> Plan:
    builder = InventoryBuilder(cluster)
    for name in files:
        with (DATA / name).open(encoding="utf-8") as fh:
            builder.add_many(d for d in yaml.safe_load_all(fh) if d)
    return Plan(inventory=builder.result().inventory, mesh=MeshSettings(**mesh))


def wl(namespace: str, kind: str, name: str, cluster: str = CLUSTER) -> str:
    return f"{cluster}/{namespace}/{kind}/{name}"


def by_rule(report: ReadinessReport, rule: str) -> dict[str, Finding]:
    """The rule's findings keyed by subject (asserts one finding per subject)."""
    found: dict[str, Finding] = {}
    for f in report.findings:
        if f.rule == rule:
            assert f.subject not in found, f"two {rule} findings for {f.subject}"
            found[f.subject] = f
    return found


def fired(plan: Plan, rule: str) -> dict[str, Finding]:
    return by_rule(evaluate(plan), rule)
