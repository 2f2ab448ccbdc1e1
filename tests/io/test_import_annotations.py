"""From YAML through the converter to the readiness finding: the annotations and the
NetworkPolicy named ports that rules B30, R12, R13 and R27 read must survive the import.

The objects are ``kubectl create ... --dry-run=client -o yaml`` output, edited to carry the
annotations and ports under test.
"""

from __future__ import annotations

from typing import Any

import yaml

from tests.domain.readiness_support import fired
from workbench.domain.plan import MeshSettings, Plan
from workbench.io.k8s_objects import InventoryBuilder

CLUSTER = "prod"

AUTOSCALER = """
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: cluster-autoscaler
  name: cluster-autoscaler
  namespace: kube-system
spec:
  replicas: 1
  selector:
    matchLabels:
      app: cluster-autoscaler
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: cluster-autoscaler
    spec:
      containers:
      - image: registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.1
        name: cluster-autoscaler
        command: [./cluster-autoscaler, --cloud-provider=aws]
        resources: {}
status: {}
"""


def deployment(
    name: str,
    namespace: str,
    *,
    pod_annotations: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    ports: dict[str, int] | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {"image": f"example/{name}:1.0", "name": name, "resources": {}}
    if ports:
        container["ports"] = [{"containerPort": n, "name": p} for p, n in ports.items()]
    template_meta: dict[str, Any] = {"creationTimestamp": None, "labels": {"app": name}}
    if pod_annotations:
        template_meta["annotations"] = pod_annotations
    meta: dict[str, Any] = {
        "creationTimestamp": None,
        "labels": {"app": name},
        "name": name,
        "namespace": namespace,
    }
    if annotations:
        meta["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {"metadata": template_meta, "spec": {"containers": [container]}},
        },
        "status": {},
    }


def plan_of(*documents: str | dict[str, Any], **mesh: Any) -> Plan:
    builder = InventoryBuilder(CLUSTER)
    for doc in documents:
        if isinstance(doc, str):
            builder.add_many(d for d in yaml.safe_load_all(doc) if d)
        else:
            # through YAML text too, as an offline import reads it
            builder.add_many(d for d in yaml.safe_load_all(yaml.safe_dump(doc)) if d)
    return Plan(inventory=builder.result().inventory, mesh=MeshSettings(**mesh))


def key(namespace: str, kind: str, name: str) -> str:
    return f"{CLUSTER}/{namespace}/{kind}/{name}"


def test_safe_to_evict_annotations_survive_and_silence_b30() -> None:
    local = "istio-envoy,istio-data,workload-socket,credential-socket,workload-certs"
    plan = plan_of(
        AUTOSCALER,
        deployment(
            "cart",
            "shop",
            pod_annotations={"cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes": local},
        ),
        deployment(
            "search",
            "shop",
            pod_annotations={"cluster-autoscaler.kubernetes.io/safe-to-evict": "true"},
        ),
        # on the Deployment itself the annotation does not reach the pods: still a finding
        deployment(
            "orders", "shop", annotations={"cluster-autoscaler.kubernetes.io/safe-to-evict": "true"}
        ),
        deployment("payments", "shop"),
    )
    cart = plan.inventory.workloads[key("shop", "Deployment", "cart")]
    assert cart.annotations == {
        "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes": local
    }
    b30 = fired(plan, "B30")[CLUSTER]
    assert key("shop", "Deployment", "payments") in b30.items
    assert key("shop", "Deployment", "orders") in b30.items
    assert key("shop", "Deployment", "cart") not in b30.items
    assert key("shop", "Deployment", "search") not in b30.items


def test_vault_agent_annotations_survive_and_drive_r13() -> None:
    inject = {"vault.hashicorp.com/agent-inject": "true", "vault.hashicorp.com/role": "api"}
    plan = plan_of(
        deployment("api", "shop", pod_annotations=inject),
        deployment(
            "worker",
            "shop",
            pod_annotations={**inject, "vault.hashicorp.com/agent-pre-populate": "false"},
        ),
        deployment("static", "shop"),
    )
    api = plan.inventory.workloads[key("shop", "Deployment", "api")]
    assert api.annotations == {"vault.hashicorp.com/agent-inject": "true"}  # role not kept
    worker = plan.inventory.workloads[key("shop", "Deployment", "worker")]
    assert worker.annotations["vault.hashicorp.com/agent-pre-populate"] == "false"
    r13 = fired(plan, "R13")
    assert "vault-agent-init" in r13[key("shop", "Deployment", "api")].message
    assert key("shop", "Deployment", "worker") not in r13  # no pre-populating init container
    assert key("shop", "Deployment", "static") not in r13


HELM_TEST_POD = """
apiVersion: v1
kind: Pod
metadata:
  annotations:
    helm.sh/hook: test
  creationTimestamp: null
  labels:
    run: shop-test-connection
  name: shop-test-connection
  namespace: shop
spec:
  containers:
  - image: busybox:1.36
    name: wget
    command: [wget, shop-api:80]
    resources: {}
  restartPolicy: Never
status: {}
---
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: debug
  name: debug
  namespace: shop
spec:
  containers:
  - image: busybox:1.36
    name: debug
    resources: {}
status: {}
"""


def test_helm_hook_annotation_marks_batch_pods_for_r12() -> None:
    plan = plan_of(
        HELM_TEST_POD,
        # a hook set on the workload object (its pods do not carry it)
        deployment("seed-data", "shop", annotations={"helm.sh/hook": "post-install"}),
        deployment("api", "shop", annotations={"meta.helm.sh/release-name": "shop"}),
    )
    hooked = plan.inventory.workloads[key("shop", "Deployment", "seed-data")]
    assert hooked.annotations == {"helm.sh/hook": "post-install"}
    assert plan.inventory.workloads[key("shop", "Deployment", "api")].annotations == {}
    r12 = fired(plan, "R12")
    assert "a Helm hook" in r12[key("shop", "Pod", "shop-test-connection")].message
    assert "a Helm hook" in r12[key("shop", "Deployment", "seed-data")].message
    assert key("shop", "Pod", "debug") not in r12
    assert key("shop", "Deployment", "api") not in r12


AMBIENT_NAMESPACE = """
apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  labels:
    istio.io/dataplane-mode: ambient
  name: shop
spec: {}
status: {}
"""


def network_policy(name: str, app: str, ports: list[int | str]) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {
            "podSelector": {"matchLabels": {"app": app}},
            "policyTypes": ["Ingress"],
            "ingress": [{"ports": [{"protocol": "TCP", "port": p} for p in ports]}],
        },
    }


def test_named_ports_resolve_against_the_selected_pods() -> None:
    plan = plan_of(
        AMBIENT_NAMESPACE,
        deployment("api", "shop", ports={"http": 8080, "metrics": 9090}),
        deployment("admin", "shop", ports={"http": 8081}),
        network_policy("api-http", "api", ["http", "grpc-web", 15020]),
    )
    (policy,) = plan.inventory.network_policies
    (rule,) = policy.ingress_rules
    assert rule.ports == [8080, 15020]  # "http" of the selected pods only, not admin's 8081
    assert rule.named_ports == ["grpc-web"]  # no selected pod declares it
    assert policy.ingress_ports == [8080, 15020]


def test_r27_sees_named_ports_as_specific_ports() -> None:
    plan = plan_of(
        AMBIENT_NAMESPACE,
        deployment("api", "shop", ports={"http": 8080}),
        deployment("billing", "shop", ports={"http": 8080}),
        deployment("ledger", "shop", ports={"http": 8080}),
        network_policy("api-http", "api", ["http"]),  # resolved to 8080
        network_policy("billing-grpc", "billing", ["grpc"]),  # declared by no pod
        network_policy("ledger-http", "ledger", ["http", 15008]),
    )
    r27 = fired(plan, "R27")
    for name in ("api", "billing"):
        finding = r27[key("shop", "Deployment", name)]
        assert finding.severity == "blocker"
        assert "15008" in finding.message and "169.254.7.127" not in finding.message
    assert key("shop", "Deployment", "ledger") not in r27  # HBONE allowed by number
