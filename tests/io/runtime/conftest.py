"""The estate the runtime samples describe: the Cilium Star Wars demo and a small shop."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.inventory import Cluster, Inventory, Namespace, Service, Workload
from workbench.domain.plan import Plan

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "runtime"
DEATHSTAR = "east/default/Deployment/deathstar"
TIEFIGHTER = "east/default/Pod/tiefighter"
XWING = "east/default/Pod/xwing"
FRONTEND = "east/shop/Deployment/frontend"
CART = "east/shop/StatefulSet/cart"
DB = "east/shop/StatefulSet/db"


def star_wars_inventory() -> Inventory:
    inv = Inventory()
    inv.clusters["east"] = Cluster("east")
    for ns in ("default", "shop"):
        inv.add_namespace(Namespace("east", ns))

    def add(key: str, labels: dict[str, str], ips: list[str]) -> None:
        cluster, ns, kind, name = key.split("/")
        inv.add_workload(Workload(cluster, ns, kind, name, labels=labels, pod_ips=ips))

    add(DEATHSTAR, {"org": "empire", "class": "deathstar"}, ["10.0.0.20"])
    add(TIEFIGHTER, {"org": "empire", "class": "tiefighter"}, ["10.0.0.11"])
    add(XWING, {"org": "alliance", "class": "xwing"}, ["10.0.0.12"])
    add(FRONTEND, {"app": "frontend"}, ["10.0.1.5"])
    add(CART, {"app": "cart"}, ["10.0.1.6"])
    add(DB, {"app": "db"}, ["10.0.1.7"])
    inv.add_service(
        Service("east", "shop", "cart", selector={"app": "cart"}, cluster_ips=["10.96.0.20"])
    )
    inv.add_service(
        Service(
            "east", "default", "deathstar", selector={"class": "deathstar"}, type="LoadBalancer"
        )
    )
    return inv


@pytest.fixture
def inventory() -> Inventory:
    return star_wars_inventory()


@pytest.fixture
def plan() -> Plan:
    return Plan(inventory=star_wars_inventory())


def sample(name: str) -> str:
    return str(SAMPLES / name)
