"""Raw Kubernetes objects -> inventory: workloads, pods, ConfigMaps, Secrets, policies."""

from __future__ import annotations

from typing import Any

from workbench.io.k8s_objects import InventoryBuilder


def deployment(name: str, ns: str = "shop", **spec: Any) -> dict[str, Any]:
    containers = spec.pop("containers", [{"name": "app", "image": f"reg/{name}:1.0"}])
    pod_spec = {"containers": containers, **spec.pop("pod", {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {
            "replicas": spec.pop("replicas", 2),
            "template": {
                "metadata": {"labels": {"app": name, "pod-template-hash": "x"}},
                "spec": pod_spec,
            },
        },
    }


def service(name: str, ns: str = "shop", port: int = 80) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"selector": {"app": name}, "ports": [{"port": port, "targetPort": 8080}]},
    }


def test_kubectl_list_with_controller_owned_objects() -> None:
    rs = {
        "kind": "ReplicaSet",
        "metadata": {
            "name": "web-5d9f",
            "namespace": "shop",
            "ownerReferences": [{"kind": "Deployment", "name": "web", "controller": True}],
        },
    }
    pods = [
        {
            "kind": "Pod",
            "metadata": {
                "name": f"web-5d9f-{i}",
                "namespace": "shop",
                "labels": {"app": "web", "pod-template-hash": "5d9f", "istio.io/rev": "canary"},
                "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d9f"}],
            },
            "spec": {"containers": [{"name": "app"}, {"name": "istio-proxy"}]},
            "status": {"phase": "Running"},
        }
        for i in range(3)
    ]
    bare = {
        "kind": "Pod",
        "metadata": {"name": "debug", "namespace": "shop"},
        "spec": {"containers": [{"name": "sh", "image": "busybox"}]},
    }
    listing = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            deployment("web"),
            rs,
            *pods,
            bare,
            service("web"),
            {"kind": "Event", "metadata": {"name": "e1"}},
        ],
    }
    b = InventoryBuilder("c1")
    b.add(listing)
    r = b.result()
    web = r.inventory.workloads["c1/shop/Deployment/web"]
    assert (web.replicas, web.pods) == (2, 3)  # observed pods win
    assert web.mesh.injected and web.mesh.revision == "canary"
    assert "pod-template-hash" not in web.labels
    assert "c1/shop/Pod/debug" in r.inventory.workloads
    assert len(r.inventory.workloads) == 2
    assert r.unknown_kinds == {"Event": 1}
    assert r.inventory.selected_workloads(r.inventory.services["c1/shop/web"]) == [web]


def test_raw_api_list_items_take_the_kind_of_the_list() -> None:
    b = InventoryBuilder("c1")
    item = deployment("api")
    del item["kind"]
    b.add({"kind": "DeploymentList", "apiVersion": "apps/v1", "items": [item]})
    assert "c1/shop/Deployment/api" in b.result().inventory.workloads


def test_resources_security_and_probes() -> None:
    container = {
        "name": "app",
        "image": "reg/app:2",
        "resources": {
            "requests": {"cpu": "0.25", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "1G"},
        },
        "securityContext": {"runAsUser": 1337, "capabilities": {"add": ["NET_ADMIN"]}},
        "ports": [{"containerPort": 15001, "name": "x"}],
        "livenessProbe": {"httpGet": {"path": "/", "port": 80}},
    }
    b = InventoryBuilder("c1")
    b.add(
        deployment(
            "app", containers=[container], pod={"hostNetwork": True, "serviceAccountName": "sa1"}
        )
    )
    w = b.result().inventory.workloads["c1/shop/Deployment/app"]
    c = w.containers[0]
    assert (c.resources.cpu_request_m, c.resources.memory_request_bytes) == (250, 256 * 2**20)
    assert (c.resources.cpu_limit_m, c.resources.memory_limit_bytes) == (1000, 10**9)
    assert c.run_as_user == 1337 and c.capabilities_add == ["NET_ADMIN"]
    assert c.probes == ["liveness:httpGet"] and c.ports[0].container_port == 15001
    assert w.host_network and w.service_account == "sa1"


def test_secrets_are_counted_never_read() -> None:
    secret = {
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop"},
        "data": {"password": "aHVudGVyMg=="},
    }
    b = InventoryBuilder("c1")
    b.add(secret)
    r = b.result()
    assert r.skipped_secrets == 1
    assert "aHVudGVyMg" not in repr(r)
    assert any("Secret" in w for w in r.warnings)


def test_configmap_addresses_reach_the_workloads_that_use_them() -> None:
    cm = {
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "namespace": "shop"},
        "data": {
            "BILLING_URL": "http://billing.finance:8080/api",
            "DB_PASSWORD": "hunter2",
            "app.properties": "orders.url=http://orders:80\nsecret.token=abc.def\n",
        },
    }
    env_from = {"name": "app", "envFrom": [{"configMapRef": {"name": "cfg"}}]}
    key_ref = {
        "name": "app",
        "env": [
            {
                "name": "BILL",
                "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "BILLING_URL"}},
            }
        ],
    }
    b = InventoryBuilder("c1")
    b.add(deployment("a", containers=[env_from]))
    b.add(deployment("b", containers=[key_ref]))
    b.add(deployment("c", pod={"volumes": [{"name": "v", "configMap": {"name": "cfg"}}]}))
    b.add(cm)  # after the workloads: order does not matter
    r = b.result()
    ws = r.inventory.workloads
    assert ws["c1/shop/Deployment/a"].config_addresses == {
        "configmap cfg/BILLING_URL": "http://billing.finance:8080",
        "configmap cfg/app.properties:orders.url": "http://orders:80",
    }
    assert ws["c1/shop/Deployment/b"].config_addresses == {
        "configmap cfg/BILLING_URL (env BILL)": "http://billing.finance:8080"
    }
    assert ws["c1/shop/Deployment/b"].containers[0].env == {"BILL": ""}
    assert len(ws["c1/shop/Deployment/c"].config_addresses) == 2
    assert "hunter2" not in repr(r) and "abc.def" not in repr(r)
    assert {a.key for a in r.configmap_addresses} == {"BILLING_URL", "app.properties:orders.url"}


def test_bare_env_words_survive_only_when_they_name_a_service() -> None:
    env = [
        {"name": "UPSTREAM", "value": "catalogue"},
        {"name": "MYSQL_DATABASE", "value": "socksdb"},
        {"name": "ORDERS", "value": "orders"},
    ]
    b = InventoryBuilder("c1")
    b.add(deployment("fe", containers=[{"name": "app", "env": env}]))
    b.add(service("orders"))
    w = b.result().inventory.workloads["c1/shop/Deployment/fe"]
    assert w.containers[0].env == {
        "UPSTREAM": "catalogue",
        "MYSQL_DATABASE": "",
        "ORDERS": "orders",
    }


def test_policies_webhooks_nodes_and_istio_install() -> None:
    objs = [
        {
            "kind": "NetworkPolicy",
            "metadata": {"name": "np", "namespace": "shop"},
            "spec": {
                "podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [
                    {
                        "from": [{"podSelector": {"matchLabels": {"app": "api"}}}],
                        "ports": [{"port": 5432}],
                    }
                ],
            },
        },
        {
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "v"},
            "webhooks": [
                {
                    "clientConfig": {
                        "service": {"namespace": "hooks", "name": "hook", "port": 443}
                    },
                    "failurePolicy": "Fail",
                }
            ],
        },
        {
            "kind": "Node",
            "metadata": {"name": "n1"},
            "status": {
                "allocatable": {"cpu": "4", "memory": "16Gi"},
                "nodeInfo": {"kubeletVersion": "v1.30.1", "osImage": "Ubuntu"},
            },
        },
        {
            "kind": "PeerAuthentication",
            "metadata": {"name": "default", "namespace": "istio-system"},
            "spec": {"mtls": {"mode": "STRICT"}},
        },
        {
            "kind": "Deployment",
            "metadata": {"name": "istiod", "namespace": "istio-system"},
            "spec": {
                "template": {
                    "metadata": {"labels": {"app": "istiod"}},
                    "spec": {
                        "containers": [
                            {"name": "discovery", "image": "docker.io/istio/pilot:1.24.2"}
                        ]
                    },
                }
            },
        },
        {
            "kind": "Namespace",
            "metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}},
        },
    ]
    b = InventoryBuilder("c1")
    b.add_many(objs)
    inv = b.result().inventory
    np = inv.network_policies[0]
    assert np.ingress_rules[0].peers[0].pod_selector == {"app": "api"}
    assert np.ingress_ports == [5432] and np.policy_types == ["Ingress"]
    assert inv.webhooks[0].service_name == "hook" and inv.webhooks[0].failure_policy == "Fail"
    nodes = inv.clusters["c1"].nodes
    assert (nodes.count, nodes.allocatable_cpu_m, nodes.allocatable_memory_bytes) == (
        1,
        4000,
        16 * 2**30,
    )
    assert inv.mesh_policies[0].mode == "STRICT"
    istio = inv.clusters["c1"].istio
    assert istio is not None and istio.version == "1.24.2" and istio.revisions == ["default"]
    assert inv.namespaces["c1/shop"].injection_enabled


def test_readiness_signals_are_read_from_the_raw_containers() -> None:
    b = InventoryBuilder("c1")
    app = {"name": "app", "args": ["--bind=127.0.0.1"]}
    b.add(deployment("w", containers=[app], pod={"initContainers": [{"name": "init"}]}))
    w = b.result().inventory.workloads["c1/shop/Deployment/w"]
    assert "binds-localhost" in w.containers[0].signals
    assert "binds-localhost" not in w.init_containers[0].signals
