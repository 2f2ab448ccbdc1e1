"""``00-foundation``: what the seed's first phase sets up before any workload joins.

Per cluster: Helm values for Istio (istiod for the plan's revision and profile, the
ingress gateway, and for plans that span clusters the east-west gateway), the ingress
``Gateway`` with routes taking over from the old Ingress objects and LoadBalancer or
NodePort Services, a ``Telemetry`` for access logs and the plan's trace sampling, and a
``RequestAuthentication`` at the gateway when the plan names a JWT issuer.
"""

from __future__ import annotations

from typing import Any

from workbench.domain.inventory import Ingress, Service
from workbench.domain.simulation.facts import GATEWAY_NAMESPACE, GATEWAY_SERVICE_ACCOUNT
from workbench.io.manifests import yaml_text
from workbench.io.manifests.context import GATEWAY_SELECTOR, ExportContext
from workbench.io.manifests.model import MANAGED_BY, ManifestSet, Obj
from workbench.io.manifests.names import derived_name, is_dns_label, is_dns_subdomain
from workbench.io.manifests.quantities import cpu_text, memory_text
from workbench.io.manifests.traffic import service_protocol

GATEWAY_NAME = "ingress-gateway"
EASTWEST_SELECTOR = {"istio": "eastwestgateway"}
MESH_ID = "mesh1"
RESERVED_PORTS = range(15000, 15091)
EXPOSED_TYPES = ("LoadBalancer", "NodePort")


def network_of(ctx: ExportContext, cluster: str) -> str:
    return f"network-{ctx.cluster_dirs[cluster]}"


def _resources(cpu_m: int, memory: int, cpu_limit_m: int | None, mem_limit: int | None) -> Obj:
    out: Obj = {"requests": {"cpu": cpu_text(cpu_m), "memory": memory_text(memory)}}
    if cpu_limit_m is not None and mem_limit is not None:
        out["limits"] = {"cpu": cpu_text(cpu_limit_m), "memory": memory_text(mem_limit)}
    return out


class FoundationBuilder:
    def __init__(self, ctx: ExportContext, out: ManifestSet) -> None:
        self.ctx = ctx
        self.out = out
        self.multicluster = len(ctx.clusters()) > 1
        self.ambient = any(s.wave is not None and s.wave.mode == "ambient" for s in ctx.wave_slots)

    def build(self) -> None:
        for cluster in self.ctx.clusters():
            self._cluster(cluster)

    def _cluster(self, cluster: str) -> None:
        ctx, slot = self.ctx, self.ctx.foundation
        base = (slot.folder, ctx.cluster_dirs[cluster], "install")
        ports = self._routes(cluster)
        self.out.texts[(*base, "istiod-values.yaml")] = yaml_text.dump(self.istiod_values(cluster))
        self.out.texts[(*base, "ingress-gateway-values.yaml")] = yaml_text.dump(
            self.gateway_values(cluster, ports)
        )
        if self.multicluster:
            self.out.texts[(*base, "eastwest-gateway-values.yaml")] = yaml_text.dump(
                self.eastwest_values(cluster)
            )
            self.out.add(slot, cluster, self.eastwest_gateway())
        if self.ambient:
            self.out.texts[(*base, "ztunnel-values.yaml")] = yaml_text.dump(
                self.ztunnel_values(cluster)
            )
        self.out.add(slot, cluster, self.ingress_gateway(ports))
        self.out.add(slot, cluster, self.telemetry())
        issuer = ctx.plan.mesh.jwt_issuer
        if issuer is not None:
            if 0 < len(issuer) <= 2048 and issuer.isprintable() and " " not in issuer:
                self.out.add(slot, cluster, self.request_authentication(issuer))
            else:
                self.out.warn(
                    "plan.mesh.jwt_issuer is not a usable issuer; no RequestAuthentication"
                )

    # -- Helm values ----------------------------------------------------------------------
    def istiod_values(self, cluster: str) -> Obj:
        ctx = self.ctx
        prof = ctx.plan.assumptions.overhead
        proxy = _resources(
            prof.sidecar_cpu_request_m,
            prof.sidecar_memory_request_bytes,
            prof.sidecar_cpu_limit_m,
            prof.sidecar_memory_limit_bytes,
        )
        glob: Obj = {"proxy": {"resources": proxy}}
        if self.multicluster:
            glob |= {
                "meshID": MESH_ID,
                "multiCluster": {"clusterName": ctx.cluster_dirs[cluster]},
                "network": network_of(ctx, cluster),
            }
        values: Obj = {
            "global": glob,
            "meshConfig": {
                "trustDomain": ctx.trust_domain,
                "outboundTrafficPolicy": {"mode": ctx.plan.mesh.outbound_policy},
            },
            "resources": _resources(
                prof.istiod_cpu_request_m, prof.istiod_memory_request_bytes, None, None
            ),
            "autoscaleMin": prof.istiod_replicas,
            "replicaCount": prof.istiod_replicas,
        }
        if ctx.injection == "revision-label":
            values["revision"] = ctx.revision
        if self.ambient:
            values["profile"] = "ambient"
        if ctx.plan.mesh.cni:
            values["cni"] = {"enabled": True}
        return values

    def gateway_values(self, cluster: str, ports: list[tuple[int, str]]) -> Obj:
        prof = self.ctx.plan.assumptions.overhead
        service_ports = [
            {"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021},
            {"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 80},
            {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443},
        ]
        service_ports += [
            {"name": name, "port": p, "protocol": "TCP", "targetPort": p} for p, name in ports
        ]
        values: Obj = {
            "labels": {**GATEWAY_SELECTOR, "app": GATEWAY_SERVICE_ACCOUNT},
            "service": {"type": "LoadBalancer", "ports": service_ports},
            "resources": _resources(
                prof.gateway_cpu_request_m, prof.gateway_memory_request_bytes, 2000, 1024 << 20
            ),
            "autoscaling": {"minReplicas": prof.gateway_replicas},
        }
        if self.ctx.injection == "revision-label":
            values["revision"] = self.ctx.revision
        return values

    def eastwest_values(self, cluster: str) -> Obj:
        network = network_of(self.ctx, cluster)
        return {
            "labels": {
                **EASTWEST_SELECTOR,
                "app": "istio-eastwestgateway",
                "topology.istio.io/network": network,
            },
            "networkGateway": network,
            "service": {
                "type": "LoadBalancer",
                "ports": [
                    {"name": "status-port", "port": 15021, "targetPort": 15021},
                    {"name": "tls", "port": 15443, "targetPort": 15443},
                    {"name": "tls-istiod", "port": 15012, "targetPort": 15012},
                    {"name": "tls-webhook", "port": 15017, "targetPort": 15017},
                ],
            },
        }

    def ztunnel_values(self, cluster: str) -> Obj:
        prof = self.ctx.plan.assumptions.overhead
        values: Obj = {
            "resources": _resources(
                prof.ztunnel_cpu_request_m, prof.ztunnel_memory_request_bytes, None, None
            )
        }
        if self.multicluster:
            values |= {
                "multiCluster": {"clusterName": self.ctx.cluster_dirs[cluster]},
                "network": network_of(self.ctx, cluster),
            }
        return values

    # -- objects --------------------------------------------------------------------------
    def _object(self, kind: str, api: str, namespace: str, name: str, spec: Obj) -> Obj:
        return {
            "apiVersion": api,
            "kind": kind,
            "metadata": {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)},
            "spec": spec,
        }

    def ingress_gateway(self, ports: list[tuple[int, str]]) -> Obj:
        servers: list[Any] = [
            {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}
        ]
        for port, name in ports:
            protocol = "TCP" if name.startswith("tcp") else "HTTP"
            servers.append(
                {"port": {"number": port, "name": name, "protocol": protocol}, "hosts": ["*"]}
            )
        spec = {"selector": dict(GATEWAY_SELECTOR), "servers": servers}
        api = self.ctx.api.networking
        return self._object("Gateway", api, GATEWAY_NAMESPACE, GATEWAY_NAME, spec)

    def eastwest_gateway(self) -> Obj:
        spec = {
            "selector": dict(EASTWEST_SELECTOR),
            "servers": [
                {
                    "port": {"number": 15443, "name": "tls", "protocol": "TLS"},
                    "tls": {"mode": "AUTO_PASSTHROUGH"},
                    "hosts": ["*.local"],
                }
            ],
        }
        api = self.ctx.api.networking
        return self._object("Gateway", api, self.ctx.root_namespace, "cross-network-gateway", spec)

    def telemetry(self) -> Obj:
        sampling = self.ctx.plan.assumptions.observability.sampling_production * 100.0
        spec = {
            "accessLogging": [{"providers": [{"name": "envoy"}]}],
            "tracing": [{"randomSamplingPercentage": round(min(max(sampling, 0.0), 100.0), 6)}],
        }
        api = self.ctx.api.telemetry
        return self._object("Telemetry", api, self.ctx.root_namespace, "mesh-default", spec)

    def request_authentication(self, issuer: str) -> Obj:
        spec = {
            "selector": {"matchLabels": dict(GATEWAY_SELECTOR)},
            "jwtRules": [{"issuer": issuer, "forwardOriginalToken": True}],
        }
        api = self.ctx.api.security
        return self._object("RequestAuthentication", api, GATEWAY_NAMESPACE, "ingress-jwt", spec)

    # -- routes taking over from Ingresses and exposed Services --------------------------
    def _routes(self, cluster: str) -> list[tuple[int, str]]:
        """Add the routes; return the extra gateway ports (number, port name)."""
        ctx, inv = self.ctx, self.ctx.plan.inventory
        stage = self.out.stage(ctx.foundation, cluster)
        gateway = f"{GATEWAY_NAMESPACE}/{GATEWAY_NAME}"
        self.web_taken = False  # whether a route already takes every host on port 80
        self.routed: set[str] = set()  # hosts of Services the Ingress routes reach
        for ing in sorted(inv.ingresses, key=lambda i: (i.namespace, i.name)):
            if ing.cluster != cluster or "istio" in (ing.ingress_class or "").lower():
                continue
            services = [
                inv.services[k]
                for b in ing.backends
                if (k := f"{cluster}/{ing.namespace}/{b}") in inv.services
            ]
            if not services or not (is_dns_label(ing.namespace) and is_dns_label(ing.name)):
                continue
            svc = services[0]
            routed = self._ingress_routes(ing, cluster)
            if routed is not None:
                hosts, http = routed
            else:
                route = {"destination": self._destination(svc, None)}
                hosts, http = ["*"], [{"match": [{"port": 80}], "route": [route]}]
            spec = {"hosts": hosts, "gateways": [gateway], "http": http}
            self.web_taken = self.web_taken or hosts == ["*"]
            self.routed |= {r["route"][0]["destination"]["host"] for r in http}
            name = derived_name(ing.name, "ingress")
            api = ctx.api.networking
            self.out.add(
                ctx.foundation,
                cluster,
                self._object("VirtualService", api, ing.namespace, name, spec),
            )
            if routed is None and len(ing.backends) > 1:
                stage.notes.append(
                    f"Ingress {ing.namespace}/{ing.name} has backends "
                    + ", ".join(ing.backends)
                    + f": the plan keeps no hosts or paths, so {name} routes everything on "
                    f"port 80 to {svc.name}; add a match per path before switching DNS."
                )
        return self._exposed_services(cluster, gateway)

    def _ingress_routes(self, ing: Ingress, cluster: str) -> tuple[list[str], list[Obj]] | None:
        """The Ingress's hosts and its paths as VirtualService routes (longest path
        first, as Ingress controllers match); None when the plan recorded none."""
        inv = self.ctx.plan.inventory
        rules = [
            r
            for r in ing.rules
            if f"{cluster}/{ing.namespace}/{r.service}" in inv.services
            and r.path.startswith("/")
            and (not r.host or is_dns_subdomain(r.host.removeprefix("*.")))
        ]
        if not rules:
            return None
        hosts = sorted({r.host or "*" for r in rules})
        if "*" in hosts:
            hosts = ["*"]
        http: list[Obj] = []
        for r in sorted(rules, key=lambda r: (-len(r.path), r.host, r.path)):
            svc = inv.services[f"{cluster}/{ing.namespace}/{r.service}"]
            port = r.port
            if port is None and r.port_name is not None:
                port = next((p.port for p in svc.ports if p.name == r.port_name), None)
            kind = "exact" if r.path_type == "Exact" else "prefix"
            match: Obj = {"uri": {kind: r.path}}
            if r.host and not r.host.startswith("*") and (len(hosts) > 1 or hosts == ["*"]):
                match["authority"] = {"exact": r.host}
            http.append(
                {"match": [match], "route": [{"destination": self._destination(svc, port)}]}
            )
        return hosts, http

    def _exposed_services(self, cluster: str, gateway: str) -> list[tuple[int, str]]:
        ctx, inv = self.ctx, self.ctx.plan.inventory
        stage = self.out.stage(ctx.foundation, cluster)
        taken: dict[int, str] = {}
        for skey in sorted(inv.services):
            svc = inv.services[skey]
            if svc.cluster != cluster or svc.type not in EXPOSED_TYPES or not svc.selector:
                continue
            if not (is_dns_label(svc.name) and is_dns_label(svc.namespace)) or not svc.ports:
                continue
            port = svc.ports[0].port
            if ctx.fqdn(svc) in self.routed:
                continue  # an Ingress route on the gateway reaches it already
            if port == 80 and not self.web_taken and service_protocol(svc) == "http":
                self.web_taken = True  # the gateway's own port 80, every host
                route = [{"destination": self._destination(svc, port)}]
                spec = {"hosts": ["*"], "gateways": [gateway], "http": [{"route": route}]}
                name = derived_name(svc.name, "ingress")
                vs = self._object("VirtualService", ctx.api.networking, svc.namespace, name, spec)
                self.out.add(ctx.foundation, cluster, vs)
                stage.notes.append(
                    f"{svc.type} Service {svc.namespace}/{svc.name}: the ingress gateway's port 80 "
                    "serves it for every host; move its clients there (the entry cut-over)."
                )
                continue
            if port in (80, 443) or port in RESERVED_PORTS or port in taken:
                stage.notes.append(
                    f"{svc.type} Service {svc.namespace}/{svc.name} (port {port}) needs a "
                    "host or path on the ingress gateway: its port is taken."
                )
                continue
            tcp = service_protocol(svc) == "tcp"
            taken[port] = f"{'tcp' if tcp else 'http'}-{port}"
            route = [{"destination": self._destination(svc, port)}]
            rule = {"match": [{"port": port}], "route": route}
            spec = {"hosts": ["*"], "gateways": [gateway], "tcp" if tcp else "http": [rule]}
            name = derived_name(svc.name, "ingress")
            api = ctx.api.networking
            self.out.add(
                ctx.foundation,
                cluster,
                self._object("VirtualService", api, svc.namespace, name, spec),
            )
            stage.notes.append(
                f"{svc.type} Service {svc.namespace}/{svc.name}: move its clients to the "
                f"ingress gateway's port {port} before any AuthorizationPolicy for it is enforced."
            )
        return sorted(taken.items())

    def _destination(self, svc: Service, port: int | None) -> Obj:
        dest: Obj = {"host": self.ctx.fqdn(svc)}
        number = port if port is not None else (svc.ports[0].port if svc.ports else None)
        if number is not None:
            dest["port"] = {"number": number}
        return dest
