"""Ingress hosts and paths: recorded at import, kept in the plan file, turned into the
ingress gateway's routes, and named in the entry cut-over."""

from __future__ import annotations

from pathlib import Path

from tests.io.conftest import small_manifest_plan
from workbench.domain.inventory import IngressRule
from workbench.io.k8s_resources import ingress
from workbench.io.manifests import build_manifests
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.simulate import exported_files

STOREFRONT = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "storefront", "namespace": "shop"},
    "spec": {
        "ingressClassName": "nginx",
        "defaultBackend": {"service": {"name": "frontend", "port": {"number": 80}}},
        "rules": [
            {
                "host": "shop.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "frontend", "port": {"number": 80}}},
                        },
                        {
                            "path": "/api/cart",
                            "pathType": "Exact",
                            "backend": {"service": {"name": "cart", "port": {"name": "http"}}},
                        },
                    ]
                },
            }
        ],
    },
}


def test_hosts_and_paths_are_recorded_and_survive_the_plan_file(tmp_path: Path) -> None:
    found = ingress("east", "shop", "storefront", STOREFRONT)
    assert found.backends == ["frontend", "cart"]
    assert found.rules == [
        IngressRule("shop.example.com", "/", "Prefix", "frontend", 80, None),
        IngressRule("shop.example.com", "/api/cart", "Exact", "cart", None, "http"),
        IngressRule("", "/", "Prefix", "frontend", 80, None),
    ]
    plan = small_manifest_plan()
    plan.inventory.ingresses = [found]
    save_plan(plan, tmp_path / "p.meshplan")
    assert load_plan(tmp_path / "p.meshplan").inventory.ingresses[0].rules == found.rules


def test_the_gateway_routes_each_host_and_path_and_the_cut_over_names_them() -> None:
    plan = small_manifest_plan()
    plan.inventory.ingresses = [ingress("east", "shop", "storefront", STOREFRONT)]
    built = build_manifests(plan)
    stage = next(
        s for s in built.manifests.stages.values() if s.slot.index == 0 and s.cluster == "east"
    )
    vs = {o["metadata"]["name"]: o for o in stage.objects["virtual-services.yaml"]}[
        "storefront-ingress"
    ]
    http = vs["spec"]["http"]
    assert vs["spec"]["hosts"] == ["*"]  # the default backend takes every other host
    assert http[0]["match"] == [
        {"uri": {"exact": "/api/cart"}, "authority": {"exact": "shop.example.com"}}
    ]
    assert http[0]["route"][0]["destination"] == {
        "host": "cart.shop.svc.cluster.local",
        "port": {"number": 8080},
    }
    assert {"uri": {"prefix": "/"}} in [m for r in http for m in r["match"]]
    runbook = exported_files(plan)["05-mesh-wide-strict/RUNBOOK.md"]
    cutover = runbook.split("Cut over entry traffic", 1)[1]
    assert "shop.example.com/" in cutover and "LoadBalancer Service frontend" in cutover
