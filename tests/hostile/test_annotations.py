"""Credentials in annotations never reach the plan: only allow-listed keys are kept, and
their values are scrubbed like env values."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from workbench.io.annotation_policy import (
    INGRESS_KEYS,
    NAMESPACE_KEYS,
    POD_KEYS,
    ingress_annotations,
    namespace_annotations,
    pod_annotations,
)
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.plan_file import plan_from_bytes, plan_to_bytes
from workbench.ops.import_files import new_plan

SECRETS = ("KEY:SECRET", "admin:pw", "dXNlcjpwYXNz", "abc123token", "hunter2")


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("s3://KEY:SECRET@bucket/backups", "s3://bucket/backups"),
        ("https://admin:pw@grafana.ops:3000/d", "https://grafana.ops:3000/d"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic <redacted>"),
        ("Bearer abc123token", "Bearer <redacted>"),
        (
            "proxyMetadata:\n  AUTH_TOKEN: abc123token\n  LEVEL: debug",
            "proxyMetadata:\n  AUTH_TOKEN: <redacted>\n  LEVEL: debug",
        ),
        ('{"password": "hunter2", "port": 8080}', '{"password": "<redacted>", "port": 8080}'),
        ("redis://:hunter2@cache:6379", "redis://cache:6379"),
        ("dsn=app:hunter2@tcp(db:3306)/x", "dsn=tcp(db:3306)/x"),
        ("ops@example.com", "ops@example.com"),
        ("100m", "100m"),
        ("holdApplicationUntilProxyStarts: true", "holdApplicationUntilProxyStarts: true"),
    ],
)
def test_pod_annotation_values_are_scrubbed(value: str, kept: str) -> None:
    assert pod_annotations({"proxy.istio.io/config": value}) == {"proxy.istio.io/config": kept}


def test_only_allow_listed_keys_are_kept() -> None:
    raw = {
        "sidecar.istio.io/proxyCPU": "200m",
        "traffic.sidecar.istio.io/excludeOutboundPorts": "5432",
        "example.istio.io/anything": "s3://KEY:SECRET@bucket",
        "backup.velero.io/credentials": "admin:pw",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "sidecar.istio.io/inject": "x" * 2000,  # over the size limit
    }
    assert pod_annotations(raw) == {
        "sidecar.istio.io/proxyCPU": "200m",
        "traffic.sidecar.istio.io/excludeOutboundPorts": "5432",
    }
    assert namespace_annotations({"istio.io/rev": "1-24", "owner/token": "hunter2"}) == {
        "istio.io/rev": "1-24"
    }
    assert ingress_annotations(
        {"kubernetes.io/ingress.class": "nginx", "nginx.ingress.kubernetes.io/auth-url": "x"}
    ) == {"kubernetes.io/ingress.class": "nginx"}
    assert "sidecar.istio.io/proxyCPU" in POD_KEYS
    assert NAMESPACE_KEYS and INGRESS_KEYS


def _hostile_estate() -> list[dict[str, Any]]:
    noisy = {
        "vault.example.com/secret": "s3://KEY:SECRET@bucket",
        "backup/url": "https://admin:pw@backup.ops",
        "proxy.istio.io/config": "proxyMetadata:\n  AUTH_TOKEN: abc123token",
        "sidecar.istio.io/status": "Basic dXNlcjpwYXNz",
        "notes": "password=hunter2",
    }
    pod = {
        "metadata": {"labels": {"app": "web"}, "annotations": noisy},
        "spec": {"containers": [{"name": "web", "image": "web:1"}]},
    }
    return [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": "shop", "annotations": noisy},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop", "annotations": noisy},
            "spec": {"replicas": 1, "template": pod},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "shop", "annotations": noisy},
            "spec": {"rules": []},
        },
    ]


def test_no_annotation_secret_reaches_the_plan_file() -> None:
    builder = InventoryBuilder("prod")
    builder.add_many(_hostile_estate())
    plan = new_plan("hostile")
    plan.inventory = builder.result().inventory
    data = plan_to_bytes(plan)
    plan_from_bytes(data)  # a valid plan
    content = gzip.decompress(data).decode()
    for secret in SECRETS:
        assert secret not in content
    workload = plan.inventory.workloads["prod/shop/Deployment/web"]
    assert (
        workload.annotations["proxy.istio.io/config"] == "proxyMetadata:\n  AUTH_TOKEN: <redacted>"
    )
