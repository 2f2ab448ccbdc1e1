"""Credentials in annotations never reach the plan: only allow-listed keys are kept, and
their values are scrubbed like env values."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.cli import main
from workbench.io.annotation_policy import (
    INGRESS_KEYS,
    NAMESPACE_KEYS,
    POD_KEYS,
    ingress_annotations,
    namespace_annotations,
    pod_annotations,
)
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.plan_file import load_plan, open_plan, plan_from_bytes, plan_to_bytes, save_plan
from workbench.io.sanitise import scrub_credentials
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


# -- secrets the scrubbing once let through, and plans that carry them ---------------

LEAKED = "abc123token"
# (annotation value, what of it must survive); each once kept LEAKED in the plan
LEAKS = {
    "flow mapping": ("proxyMetadata: {AUTH_TOKEN: abc123token}", ["proxyMetadata: {AUTH_TOKEN: "]),
    "flow mapping among harmless keys": (
        'proxyMetadata: {AUTH_TOKEN: abc123token, ISTIO_META_DNS_CAPTURE: "true"}\n'
        "holdApplicationUntilProxyStarts: true",
        ['ISTIO_META_DNS_CAPTURE: "true"', "holdApplicationUntilProxyStarts: true"],
    ),
    "value on the next line": (
        "proxyMetadata:\n  AUTH_TOKEN:\n    abc123token\n  ISTIO_META_DNS_CAPTURE: 'true'\n"
        "holdApplicationUntilProxyStarts: true",
        ["ISTIO_META_DNS_CAPTURE: 'true'", "holdApplicationUntilProxyStarts: true"],
    ),
    "folded block scalar": (
        "proxyMetadata:\n  AUTH_TOKEN: >-\n    abc123token\n    continued\n"
        "holdApplicationUntilProxyStarts: true",
        ["proxyMetadata:", "holdApplicationUntilProxyStarts: true"],
    ),
    "literal block scalar": (
        "proxyMetadata:\n  SECRET_KEY: |\n    abc123token\n  LEVEL: debug",
        ["LEVEL: debug"],
    ),
    "JSON over lines": (
        '{"proxyMetadata": {\n  "AUTH_TOKEN":\n    "abc123token",\n'
        '  "ISTIO_META_DNS_CAPTURE": "true"}}',
        ['"ISTIO_META_DNS_CAPTURE": "true"'],
    ),
    "URL query parameter": (
        "https://backup.ops/x?token=abc123token",
        ["https://backup.ops/x?token="],
    ),
    "signed URL": (
        "https://bucket.s3.example/x?X-Amz-Date=20260101&X-Amz-Signature=abc123token",
        ["https://bucket.s3.example/x?X-Amz-Date=20260101"],
    ),
    "URL fragment": ("https://app.ops/cb#access_token=abc123token&state=1", ["state=1"]),
    "URL inside a query": (
        "https://a.ops/?next=https://u:abc123token@b.ops/",
        ["https://a.ops/?next=https://b.ops/"],
    ),
    "Authorization token": ("Authorization: token abc123token", ["Authorization: token "]),
    "Authorization with any scheme": ("Authorization: Custom abc123token", ["Authorization: "]),
    "Proxy-Authorization Digest": (
        'Proxy-Authorization: Digest username="ops", response="abc123token"',
        ["Proxy-Authorization: Digest "],
    ),
    "env entry": (
        "env:\n- name: AUTH_TOKEN\n  value: abc123token\n- name: LEVEL\n  value: debug",
        ["name: AUTH_TOKEN", "value: debug"],
    ),
    "command-line option": ("args: [--token=abc123token, --level=debug]", ["--level=debug"]),
    "comma in a block value": ("AUTH_TOKEN: xyz,abc123token", ["AUTH_TOKEN: "]),
}
HARMLESS_KEPT = "200m"  # sidecar.istio.io/proxyCPU: read by the overhead model


def _leak_cases() -> list[Any]:
    return [pytest.param(value, survives, id=case) for case, (value, survives) in LEAKS.items()]


def _content(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode()


@pytest.mark.parametrize(("value", "survives"), _leak_cases())
def test_scrubbing_finds_secret_keys_wherever_they_stand(value: str, survives: list[str]) -> None:
    kept = pod_annotations({"proxy.istio.io/config": value})["proxy.istio.io/config"]
    assert LEAKED not in kept
    for fragment in survives:
        assert fragment in kept
    assert scrub_credentials(kept) == kept  # scrubbing again changes nothing


def _deployment(annotations: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}, "annotations": annotations},
                "spec": {"containers": [{"name": "web", "image": "web:1"}]},
            },
        },
    }


@pytest.mark.parametrize(("value", "survives"), _leak_cases())
def test_import_keeps_no_secret_of_a_pod_annotation(
    value: str, survives: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    annotations = {"proxy.istio.io/config": value, "sidecar.istio.io/proxyCPU": HARMLESS_KEPT}
    (folder / "web.yaml").write_text(yaml.safe_dump(_deployment(annotations)))
    out = tmp_path / "out.meshplan"
    assert main(["import", "files", str(folder), "-o", str(out), "--cluster", "prod"]) == 0
    assert LEAKED not in _content(out)
    loaded = open_plan(out)
    assert loaded.warnings == ()  # what an import keeps passes the load's screen unchanged
    kept = loaded.plan.inventory.workloads["prod/shop/Deployment/web"].annotations
    assert kept["sidecar.istio.io/proxyCPU"] == HARMLESS_KEPT
    for fragment in survives:
        assert fragment in kept["proxy.istio.io/config"]


def _crafted_plan(tmp_path: Path, value: str) -> Path:
    """A plan file holding annotations no import keeps: saved by an older version, or
    edited by hand."""
    estate = _hostile_estate()
    for doc in estate:
        doc["metadata"].pop("annotations", None)
    estate[1]["spec"]["template"]["metadata"].pop("annotations")
    builder = InventoryBuilder("prod")
    builder.add_many(estate)
    plan = new_plan("crafted")
    plan.inventory = builder.result().inventory
    doc = json.loads(gzip.decompress(plan_to_bytes(plan)))
    doc.pop("checksum")
    inventory = doc["plan"]["inventory"]
    stray = {"backup/url": "https://admin:pw@backup.ops", "AUTH_TOKEN": LEAKED}
    for workload in inventory["workloads"].values():
        workload["annotations"] = {
            **stray,
            "proxy.istio.io/config": value,
            "sidecar.istio.io/proxyCPU": HARMLESS_KEPT,
        }
    for namespace in inventory["namespaces"].values():
        namespace["annotations"] = {**stray, "istio.io/rev": "1-24", "istio.io/use-waypoint": value}
    assert inventory["ingresses"]
    for ingress in inventory["ingresses"]:
        ingress["annotations"] = {
            **stray,
            "kubernetes.io/ingress.class": "nginx",
            "nginx.ingress.kubernetes.io/backend-protocol": value,
        }
    path = tmp_path / "crafted.meshplan"
    path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    assert LEAKED in _content(path)
    return path


def _assert_clean(path: Path) -> None:
    content = _content(path)
    for secret in (LEAKED, "admin:pw", "backup/url"):
        assert secret not in content


@pytest.mark.parametrize(("value", "survives"), _leak_cases())
def test_a_loaded_plan_keeps_only_what_an_import_would(
    value: str, survives: list[str], tmp_path: Path
) -> None:
    crafted = _crafted_plan(tmp_path, value)
    loaded = open_plan(crafted)
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert "annotations" in warning and "prod/shop/Deployment/web" in warning
    for secret in (LEAKED, "admin:pw", "backup/url", "AUTH_TOKEN"):
        assert secret not in warning
    inventory = loaded.plan.inventory
    workload = inventory.workloads["prod/shop/Deployment/web"]
    assert set(workload.annotations) == {"proxy.istio.io/config", "sidecar.istio.io/proxyCPU"}
    assert workload.annotations["sidecar.istio.io/proxyCPU"] == HARMLESS_KEPT
    for fragment in survives:
        assert fragment in workload.annotations["proxy.istio.io/config"]
    assert inventory.namespaces["prod/shop"].annotations["istio.io/rev"] == "1-24"
    assert inventory.ingresses[0].annotations["kubernetes.io/ingress.class"] == "nginx"
    resaved = tmp_path / "resaved.meshplan"
    save_plan(loaded.plan, resaved)
    _assert_clean(resaved)
    assert open_plan(resaved).warnings == ()  # nothing more to take out


@pytest.mark.parametrize(("value", "survives"), _leak_cases())
def test_shared_copies_of_a_crafted_plan_keep_no_annotation_secret(
    value: str, survives: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    crafted = _crafted_plan(tmp_path, value)
    plain, hidden = tmp_path / "plain.meshplan", tmp_path / "hidden.meshplan"
    key = tmp_path / "team.key"
    key.write_bytes(b"a shared team key of enough length\n")
    assert main(["share", str(crafted), "-o", str(plain)]) == 0
    assert (
        main(["share", str(crafted), "--hide-names", "--key-file", str(key), "-o", str(hidden)])
        == 0
    )
    _assert_clean(plain)
    _assert_clean(hidden)
    kept = load_plan(plain).inventory.workloads["prod/shop/Deployment/web"].annotations
    assert kept["sidecar.istio.io/proxyCPU"] == HARMLESS_KEPT
    for fragment in survives:
        assert fragment in kept["proxy.istio.io/config"]
    assert "sidecar.istio.io/proxyCPU" in _content(hidden)


def test_a_load_scrubs_a_bounded_amount_of_text_and_drops_the_rest_unread() -> None:
    from workbench.io.annotation_policy import AnnotationScreen, screen_inventory

    builder = InventoryBuilder("prod")
    builder.add_many(
        [
            _deployment({"sidecar.istio.io/proxyCPU": HARMLESS_KEPT})
            | {"metadata": {"name": f"web{i}", "namespace": "shop"}}
            for i in range(5)
        ]
    )
    inventory = builder.result().inventory
    for i, workload in enumerate(inventory.workloads.values()):
        value = f"{i} " + "token=abc123token " * 50  # 900 characters, each value its own
        workload.annotations["proxy.istio.io/config"] = value
    screen = screen_inventory(inventory, AnnotationScreen(budget=2_000))
    assert (screen.scrubbed, screen.unread) == (2, 3)  # two fit the budget, three do not
    for workload in inventory.workloads.values():
        assert workload.annotations["sidecar.istio.io/proxyCPU"] == HARMLESS_KEPT
        assert LEAKED not in str(workload.annotations)
    (warning,) = screen.warnings("crafted.meshplan")
    assert "3 dropped unread" in warning and "2 scrubbed" in warning and LEAKED not in warning
