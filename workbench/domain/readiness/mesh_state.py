"""Rules about mesh state and ambient mode: mixed labels, policies ztunnel cannot honour,
NetworkPolicies that block HBONE, and sidecar-only settings lost in ambient."""

from __future__ import annotations

import ipaddress

from workbench.domain.findings import Finding
from workbench.domain.inventory import NetworkPolicy, NetworkPolicyRule, Workload
from workbench.domain.readiness.context import ReadinessContext, selects
from workbench.domain.readiness.rule import (
    CODE_NODEAGENT,
    DOC_AMBIENT_MIGRATE,
    DOC_AMBIENT_NETPOL,
    DOC_MTLS,
    DOC_WAYPOINT,
    NO_FINDINGS,
    Rule,
)

HBONE_PORT = 15008
PROBE_SNAT = (ipaddress.ip_address("169.254.7.127"),)
SIDECAR_ONLY_PREFIXES = ("traffic.sidecar.istio.io/",)
SIDECAR_ONLY_KEYS = ("sidecar.istio.io/interceptionMode", "proxy.istio.io/config")
WAYPOINT_LABEL = "istio.io/use-waypoint"


def _mixed_labels(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    ns = ctx.namespace_of(w)
    sidecar = [
        s
        for s, on in (
            ("namespace injection label", ns is not None and ns.injection_enabled),
            (
                "pod label sidecar.istio.io/inject=true",
                w.labels.get("sidecar.istio.io/inject") == "true",
            ),
            ("pod label istio.io/rev", "istio.io/rev" in w.labels),
            ("an injected proxy", w.mesh.injected),
        )
        if on
    ]
    ambient = [
        s
        for s, on in (
            ("namespace label istio.io/dataplane-mode=ambient", ns is not None and ns.ambient),
            (
                "pod label istio.io/dataplane-mode=ambient",
                w.labels.get("istio.io/dataplane-mode") == "ambient",
            ),
            ("ambient enrolment", w.mesh.ambient),
        )
        if on
    ]
    if not sidecar or not ambient:
        return NO_FINDINGS
    return [
        rule.hit(
            w.key,
            f"{w.kind} {w.name} has sidecar markers ({', '.join(sidecar)}) and ambient markers "
            f"({', '.join(ambient)}).",
        )
    ]


def _disable_in_ambient(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.mode_of(w) != "ambient":
        return NO_FINDINGS
    disabled = [p for p in ctx.policies_for(w, "PeerAuthentication") if p.mode == "DISABLE"]
    if not disabled:
        return NO_FINDINGS
    names = ", ".join(f"{p.namespace}/{p.name}" for p in disabled)
    return [rule.hit(w.key, f"PeerAuthentication {names} sets mTLS DISABLE for {w.name}.")]


def _rules_of(policy: NetworkPolicy) -> list[NetworkPolicyRule]:
    if policy.ingress_rules:
        return policy.ingress_rules
    if policy.ingress_from or policy.ingress_ports:
        return [NetworkPolicyRule(peers=policy.ingress_from, ports=policy.ingress_ports)]
    return []


def _covers_snat(cidr: str | None) -> bool:
    if not cidr:
        return False
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return any(a in net for a in PROBE_SNAT if a.version == net.version)


def _ambient_netpol(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.mode_of(w) != "ambient":
        return NO_FINDINGS
    policies = [
        p
        for p in ctx.network_policies.get(w.namespace_key, ())
        if (not p.policy_types or "Ingress" in p.policy_types) and selects(p.pod_selector, w.labels)
    ]
    if not policies:
        return NO_FINDINGS
    rules = [r for p in policies for r in _rules_of(p)]
    hbone = any((not r.ports and not r.named_ports) or HBONE_PORT in r.ports for r in rules)
    probes = any(not r.peers or any(_covers_snat(x.ip_block) for x in r.peers) for r in rules)
    if hbone and probes:
        return NO_FINDINGS
    missing = []
    if not hbone:
        missing.append("TCP 15008 (HBONE)")
    if not probes:
        missing.append("the probe source 169.254.7.127/32")
    names = ", ".join(p.name for p in policies)
    return [
        rule.hit(
            (w.key, w.namespace_key),
            f"NetworkPolicy {names} selecting {w.kind} {w.name} allows neither "
            + " nor ".join(missing)
            + ".",
        )
    ]


def _sidecar_settings(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.mode_of(w) != "ambient":
        return NO_FINDINGS
    keys = sorted(
        k for k in w.annotations if k.startswith(SIDECAR_ONLY_PREFIXES) or k in SIDECAR_ONLY_KEYS
    )
    if not keys:
        return NO_FINDINGS
    return [
        rule.hit(
            w.key,
            f"{w.kind} {w.name} moves to ambient with sidecar-only annotations: {', '.join(keys)}.",
        )
    ]


def _has_waypoint(ctx: ReadinessContext, w: Workload) -> bool:
    if WAYPOINT_LABEL in w.labels or WAYPOINT_LABEL in ctx.namespace_labels(w):
        return True
    return any(WAYPOINT_LABEL in s.labels for s in ctx.services_of(w))


def _l7_without_waypoint(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.mode_of(w) != "ambient":
        return NO_FINDINGS
    root = f"{w.cluster}/{ctx.mesh.root_namespace}"
    policies = [
        p
        for p in ctx.mesh_policies.get(w.namespace_key, ())
        if p.l7 and selects(p.selector, w.labels)
    ]
    if root != w.namespace_key:
        policies += [p for p in ctx.mesh_policies.get(root, ()) if p.l7]
    if not policies or _has_waypoint(ctx, w):
        return NO_FINDINGS
    names = ", ".join(f"{p.kind} {p.namespace}/{p.name}" for p in policies)
    return [rule.hit(w.key, f"{names} use HTTP attributes and {w.name} has no waypoint.")]


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R19",
        "Both sidecar and ambient markers",
        "info",
        DOC_AMBIENT_MIGRATE,
        "When a pod has both, the sidecar takes precedence over ztunnel; removing labels in "
        "the wrong order leaves traffic handled by neither.",
        "Decide the mode per wave; move to ambient in the documented order (waypoints, "
        "namespace label, then remove injection and restart).",
        "workload",
        _mixed_labels,
    ),
    Rule(
        "R20",
        "PeerAuthentication DISABLE in ambient",
        "medium",
        DOC_MTLS,
        "Ambient mode does not support PeerAuthentication DISABLE.",
        "Use PERMISSIVE for the workload (or keep it on a sidecar).",
        "workload",
        _disable_in_ambient,
        modes=("ambient",),
    ),
    Rule(
        "R27",
        "NetworkPolicy blocks ambient traffic",
        "blocker",
        DOC_AMBIENT_NETPOL,
        "In ambient mode traffic arrives over HBONE on port 15008 and kubelet probes are SNATed "
        "from 169.254.7.127; an ingress NetworkPolicy that allows neither times out all calls "
        "or fails all probes once the pod is enrolled.",
        "Add ingress rules for TCP 15008 and for 169.254.7.127/32 (and the IPv6 probe address) "
        "to the namespace's policies before the wave.",
        "workload",
        _ambient_netpol,
        modes=("ambient",),
    ),
    Rule(
        "R28",
        "Sidecar-only settings lost in ambient",
        "high",
        CODE_NODEAGENT,
        "The ambient node agent honours only ambient.istio.io/* capture annotations; "
        "traffic.sidecar.istio.io/* exclusions, interceptionMode and proxy.istio.io/config "
        "silently stop working (istio/istio#49829).",
        "Translate inbound exclusions to ambient.istio.io/bypass-inbound-capture or port-level "
        "PERMISSIVE; for outbound exclusions keep this workload on a sidecar.",
        "workload",
        _sidecar_settings,
        modes=("ambient",),
    ),
    Rule(
        "B33",
        "L7 policy without a waypoint",
        "high",
        DOC_WAYPOINT,
        "ztunnel enforces only L4: ALLOW rules lose their HTTP parts (denying more) and DENY "
        "rules with only HTTP attributes are not enforced at all (istio/istio#61126).",
        "Deploy a waypoint and bind it (istio.io/use-waypoint) before the wave; move the "
        "policies to targetRefs.",
        "workload",
        _l7_without_waypoint,
        modes=("ambient",),
    ),
)
