"""LimitRange, ResourceQuota and autoscalers (R17, B29, B30)."""

from __future__ import annotations

from tests.domain.readiness_support import load_plan, wl
from workbench.domain.inventory import Workload
from workbench.domain.readiness import evaluate

CAPACITY = "readiness-capacity.yaml"


def _rule(report, rule):  # type: ignore[no-untyped-def]
    return [f for f in report.findings if f.rule == rule]


def test_limit_range_below_the_proxy_limits_blocks_the_namespace() -> None:
    r17 = _rule(evaluate(load_plan(CAPACITY)), "R17")
    tight = [f for f in r17 if f.subject == "prod/tight"]
    assert {("cpu" in f.message, "memory" in f.message) for f in tight} == {
        (True, False),
        (False, True),
    }
    assert all(f.severity == "blocker" for f in tight)
    assert all(wl("tight", "Deployment", "shop-api") in f.items for f in tight)
    assert not [f for f in r17 if f.subject == "prod/roomy"]  # max 4 CPU / 4Gi


def test_quota_headroom_for_the_proxies() -> None:
    r17 = _rule(evaluate(load_plan(CAPACITY)), "R17")
    quota = [f for f in r17 if f.subject == "prod/quota"]
    assert len(quota) == 1
    assert "400m" in quota[0].message and "100m free" in quota[0].message


def test_proxy_annotations_change_the_sums() -> None:
    plan = load_plan(CAPACITY)
    worker = plan.inventory.workloads[wl("quota", "Deployment", "worker")]
    worker.annotations.update(
        {
            "sidecar.istio.io/proxyCPU": "20m",
            "sidecar.istio.io/proxyMemory": "64Mi",
            "sidecar.istio.io/proxyCPULimit": "500m",
            "sidecar.istio.io/proxyMemoryLimit": "256Mi",
        }
    )
    tight = plan.inventory.workloads[wl("tight", "Deployment", "shop-api")]
    tight.annotations.update(worker.annotations)
    r17 = _rule(evaluate(plan), "R17")
    assert not r17  # 4 x 20m fits in 100m; 500m / 256Mi fit under the LimitRange


def test_ambient_namespaces_need_no_proxy_room() -> None:
    assert not _rule(evaluate(load_plan(CAPACITY, default_mode="ambient")), "R17")


def test_hpa_on_pod_wide_resource_metrics() -> None:
    b29 = {f.subject: f for f in _rule(evaluate(load_plan(CAPACITY)), "B29")}
    assert b29[wl("roomy", "Deployment", "shop-api")].severity == "medium"
    assert wl("quota", "Deployment", "worker") not in b29  # ContainerResource metric


def test_cluster_autoscaler_and_safe_to_evict() -> None:
    plan = load_plan(CAPACITY)
    (b30,) = _rule(evaluate(plan), "B30")
    assert b30.subject == "prod"
    assert wl("roomy", "Deployment", "shop-api") in b30.items
    assert wl("kube-system", "Deployment", "cluster-autoscaler") not in b30.items
    for key in b30.items[1:]:
        plan.inventory.workloads[key].annotations[
            "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes"
        ] = "istio-envoy,istio-data,workload-socket,credential-socket,workload-certs"
    assert not _rule(evaluate(plan), "B30")


def test_no_cluster_autoscaler_no_finding() -> None:
    plan = load_plan(CAPACITY)
    del plan.inventory.workloads[wl("kube-system", "Deployment", "cluster-autoscaler")]
    assert not _rule(evaluate(plan), "B30")
    assert isinstance(next(iter(plan.inventory.workloads.values())), Workload)
