"""Istio's rules for one call at one moment: what the client sends, what the server accepts.

* PeerAuthentication: a workload policy (selector, ``portLevelMtls``) wins over the
  namespace's, which wins over the root namespace's; ``UNSET`` inherits; nothing at all
  means PERMISSIVE. Workload selectors in the root namespace are ignored.
* AuthorizationPolicy: CUSTOM, then DENY, then ALLOW (when any ALLOW policy applies,
  one must match); AUDIT never decides; ``istio.io/dry-run: "true"`` policies only
  tell what they would do. Principals and namespaces need mTLS; HTTP attributes,
  IP blocks and conditions cannot be judged from the plan (at risk).
* Clients: no proxy, a client outside the mesh, a pod IP, an init container that runs
  before a classic sidecar, or a host outside the client's Sidecar egress scope all mean
  plaintext; a DestinationRule with ``ISTIO_MUTUAL`` towards a workload without a proxy
  fails the handshake.
* Server-first protocols on undeclared ports hang under PERMISSIVE (the proxy waits for
  the client's first bytes); an ambient workload without a waypoint cannot enforce an
  ALLOW policy with HTTP attributes, so ztunnel denies what it cannot check.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.simulation.compiled import L7_OPERATION, L7_SOURCE, EgressScope, name
from workbench.domain.simulation.model import AT_RISK, BROKEN, Obj
from workbench.domain.simulation.state import AMBIENT_MODE, MeshState

DRY_RUN = "istio.io/dry-run"
WAYPOINT = "istio.io/use-waypoint"


@dataclass(frozen=True, slots=True)
class Source:
    """Who the server sees: a principal and namespace with mTLS, nothing in plaintext."""

    mtls: bool
    principal: str | None = None
    namespace: str | None = None
    plaintext_reason: str = ""


_name = name


# -- PeerAuthentication ------------------------------------------------------------------
def peer_mode(state: MeshState, key: str, port: int | None) -> tuple[str, str]:
    """(mode, which policy decided it) for the server side of ``key`` on ``port``."""
    memo = ("peer", key, str(port))
    cached = state.memo.get(memo)
    if cached is None:
        cached = state.memo[memo] = _peer_mode(state, key, port)
    assert isinstance(cached, tuple)
    return cached


def _peer_mode(state: MeshState, key: str, port: int | None) -> tuple[str, str]:
    w = state.facts.workloads[key]
    labels = state.pod_labels[key]
    own = state.bucket(w.cluster, "PeerAuthentication", w.namespace)
    for pol in own.selected(labels):
        spec = pol.get("spec") or {}
        if port is not None:
            level = (spec.get("portLevelMtls") or {}).get(str(port)) or (
                spec.get("portLevelMtls") or {}
            ).get(port)
            mode = (level or {}).get("mode")
            if mode and mode != "UNSET":
                return str(mode), f"PeerAuthentication {_name(pol)} (port {port})"
        mode = (spec.get("mtls") or {}).get("mode")
        if mode and mode != "UNSET":
            return str(mode), f"PeerAuthentication {_name(pol)}"
    root = state.bucket(w.cluster, "PeerAuthentication", state.root)
    for scope in (own, root):
        for pol in scope.unselected:
            mode = ((pol.get("spec") or {}).get("mtls") or {}).get("mode")
            if mode and mode != "UNSET":
                return str(mode), f"PeerAuthentication {_name(pol)}"
    return "PERMISSIVE", "no PeerAuthentication (PERMISSIVE)"


# -- AuthorizationPolicy -----------------------------------------------------------------
def policy_matches(state: MeshState, pol: Obj, src: Source, port: int | None) -> bool | None:
    """True, False, or None when the plan cannot tell (HTTP attributes, IP blocks)."""
    return state.compiled.policy(pol).match(src.principal, src.namespace, port)


def has_l7(pol: Obj) -> bool:
    for rule in (pol.get("spec") or {}).get("rules") or []:
        for t in rule.get("to") or []:
            if any((t.get("operation") or {}).get(f) for f in L7_OPERATION):
                return True
        for f in rule.get("from") or []:
            if any((f.get("source") or {}).get(x) for x in L7_SOURCE):
                return True
    return False


def applicable_policies(state: MeshState, key: str) -> tuple[list[Obj], list[Obj]]:
    """The AuthorizationPolicies that apply to a workload: (enforced, in dry-run)."""
    memo = ("authz", key)
    cached = state.memo.get(memo)
    if cached is None:
        policies = _applicable(state, key)
        cached = state.memo[memo] = (
            [p for p in policies if not _dry_run(p)],
            [p for p in policies if _dry_run(p)],
        )
    assert isinstance(cached, tuple)
    return cached


def _applicable(state: MeshState, key: str) -> list[Obj]:
    w = state.facts.workloads[key]
    labels = state.pod_labels[key]
    scopes = [w.namespace] if w.namespace == state.root else [w.namespace, state.root]
    return [
        p
        for ns in scopes
        for p in state.bucket(w.cluster, "AuthorizationPolicy", ns).applying(labels)
        if not (p.get("spec") or {}).get("targetRefs")
    ]


def _decide(
    state: MeshState, policies: list[Obj], src: Source, port: int | None
) -> tuple[str | None, str]:
    """Certain denials first (DENY, then ALLOW), then what only may deny (a CUSTOM
    authorizer, rules the plan cannot judge)."""
    allows: list[Obj] = []
    risk: tuple[str | None, str] = (None, "")
    for pol in policies:
        action = (pol.get("spec") or {}).get("action") or "ALLOW"
        if action == "CUSTOM" and policy_matches(state, pol, src, port) is not False:
            risk = (
                risk if risk[0] else (AT_RISK, f"CUSTOM AuthorizationPolicy {_name(pol)} decides")
            )
        elif action == "DENY":
            m = policy_matches(state, pol, src, port)
            if m is True:
                return BROKEN, f"DENY AuthorizationPolicy {_name(pol)} matches"
            if m is None and not risk[0]:
                risk = (AT_RISK, f"DENY AuthorizationPolicy {_name(pol)} may match")
        elif action == "ALLOW":
            allows.append(pol)
    if not allows:
        return risk
    results = [policy_matches(state, p, src, port) for p in allows]
    if any(r is True for r in results):
        return risk
    who = src.principal or f"plaintext ({src.plaintext_reason})"
    names = ", ".join(_name(p) for p in allows[:3])
    if any(r is None for r in results):
        return (
            risk if risk[0] else (AT_RISK, f"ALLOW AuthorizationPolicy {names} may not allow {who}")
        )
    return BROKEN, f"ALLOW AuthorizationPolicy {names} does not allow {who}"


def authorize(state: MeshState, key: str, src: Source, port: int | None) -> tuple[str | None, str]:
    """(None, "") when allowed; otherwise (BROKEN or AT_RISK, why)."""
    enforced, dry = applicable_policies(state, key)
    if state.mode(key) == AMBIENT_MODE and not _waypoint(state, key):
        for pol in enforced:
            action = (pol.get("spec") or {}).get("action") or "ALLOW"
            if action == "ALLOW" and has_l7(pol):
                return BROKEN, (
                    f"ALLOW AuthorizationPolicy {_name(pol)} has HTTP rules but no waypoint "
                    "serves the workload: ztunnel cannot check them and denies"
                )
    status, reason = _decide(state, enforced, src, port)
    if status is not None:
        return status, reason
    if dry:
        status, reason = _decide(state, dry, src, port)
        if status is not None:
            return AT_RISK, f"dry-run: {reason} (would deny once enforced)"
    return None, ""


def _dry_run(pol: Obj) -> bool:
    ann = (pol.get("metadata") or {}).get("annotations") or {}
    return str(ann.get(DRY_RUN, "")).lower() == "true"


def _waypoint(state: MeshState, key: str) -> bool:
    w = state.facts.workloads[key]
    return WAYPOINT in state.pod_labels[key] or WAYPOINT in state.ns_labels.get(w.namespace_key, {})


# -- client side: DestinationRule TLS and Sidecar egress scope --------------------------
def client_tls(state: MeshState, caller: str, callee: str, port: int | None) -> tuple[str, str]:
    """(TLS mode the caller's proxy uses towards the callee, the rule that sets it);
    ("", "") when no DestinationRule sets one (auto mTLS)."""
    c = state.facts.workloads[caller]
    t = state.facts.workloads[callee]
    hosts = state.facts.fqdns(callee)
    if not hosts:
        return "", ""
    for ns in dict.fromkeys((c.namespace, t.namespace, state.root)):
        for dr in state.bucket(t.cluster, "DestinationRule", ns).for_hosts(hosts):
            spec = dr.get("spec") or {}
            policy = spec.get("trafficPolicy") or {}
            mode = (policy.get("tls") or {}).get("mode")
            for level in policy.get("portLevelSettings") or []:
                if port is not None and (level.get("port") or {}).get("number") == port:
                    mode = (level.get("tls") or {}).get("mode") or mode
            if mode:
                return str(mode), f"DestinationRule {_name(dr)}"
    return "", ""


def outside_egress_scope(state: MeshState, caller: str, callee: str) -> str | None:
    """The Sidecar that leaves the callee out of the caller's egress hosts, if any."""
    memo = ("scope", caller)
    scope = state.memo.get(memo, False)
    if scope is False:
        chosen = _sidecar(state, caller)
        scope = state.memo[memo] = None if chosen is None else state.compiled.scope(chosen)
    if scope is None:
        return None
    assert isinstance(scope, EgressScope)
    c = state.facts.workloads[caller]
    t = state.facts.workloads[callee]
    if scope.admits(c.namespace, t.namespace, state.facts.fqdns(callee)):
        return None
    return f"Sidecar {scope.name}"


def _sidecar(state: MeshState, caller: str) -> Obj | None:
    """The Sidecar that configures the caller's proxy: its own namespace's selecting
    one, else its namespace's default, else the root namespace's default."""
    c = state.facts.workloads[caller]
    own = state.bucket(c.cluster, "Sidecar", c.namespace)
    chosen = next(iter(own.selected(state.pod_labels[caller])), None)
    chosen = chosen or next(iter(own.unselected), None)
    if chosen is None:
        chosen = next(iter(state.bucket(c.cluster, "Sidecar", state.root).unselected), None)
    return chosen
