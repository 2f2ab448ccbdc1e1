"""A small estate for the evidence tests: a web front (LoadBalancer), an API, a database,
a batch job and a worker reachable by hostPort."""

from __future__ import annotations

import pytest

from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.inventory import (
    Container,
    ContainerPort,
    Ingress,
    Inventory,
    Namespace,
    Service,
    Workload,
)
from workbench.domain.plan import Plan

WEB = "prod/shop/Deployment/web"
API = "prod/shop/Deployment/api"
DB = "prod/shop/StatefulSet/db"
JOB = "prod/batch/CronJob/report"
AGENT = "prod/ops/DaemonSet/agent"


def estate() -> Plan:
    inv = Inventory()
    for ns in ("shop", "batch", "ops"):
        inv.add_namespace(Namespace(cluster="prod", name=ns))
    for key in (WEB, API, DB, JOB):
        cluster, ns, kind, name = key.split("/")
        inv.add_workload(Workload(cluster, ns, kind, name, labels={"app": name}))
    port = ContainerPort(9100, host_port=9100)
    inv.add_workload(
        Workload("prod", "ops", "DaemonSet", "agent", containers=[Container("agent", ports=[port])])
    )
    inv.add_service(Service("prod", "shop", "web", type="LoadBalancer", selector={"app": "web"}))
    inv.add_service(Service("prod", "shop", "api", selector={"app": "api"}))
    inv.add_service(Service("prod", "shop", "db", selector={"app": "db"}))
    inv.ingresses.append(Ingress("prod", "shop", "public", backends=["api"]))
    plan = Plan(inventory=inv)
    plan.dependencies.add(Edge(WEB, API, [Evidence("env", "env API_URL in Deployment web")]))
    return plan


@pytest.fixture
def plan() -> Plan:
    return estate()
