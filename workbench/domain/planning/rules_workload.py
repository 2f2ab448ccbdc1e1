"""Schedule rules about one workload, one call cycle or one namespace."""

from __future__ import annotations

from datetime import date

from workbench.domain.findings import Finding
from workbench.domain.planning.catalogue import (
    AUTHZ_BEFORE_CALLERS,
    BLOCKED_SCHEDULED,
    CYCLE_SPLIT,
    HIGH_FAN_IN,
    NAMESPACE_SPLIT,
    RISKY_IN_PILOT,
    STRICT_BEFORE_CALLERS,
    UNASSIGNED,
    ScheduleRule,
)
from workbench.domain.planning.context import PlanningContext, describe_time

MAX_ITEMS = 20  # other keys named in one finding; the message gives the full count


def _names(keys: list[str]) -> str:
    shown = ", ".join(keys[:3])
    return shown + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")


def strict_from(ctx: PlanningContext, key: str) -> tuple[date, str] | None:
    """When STRICT mTLS takes effect for a meshed workload, and what sets it."""
    meshed = ctx.mesh_time(key)
    if meshed is None:
        return None
    found: list[tuple[date, str]] = []
    wave = ctx.wave_of(key)
    if wave is not None and wave.mtls == "STRICT":
        found.append((wave.end, f"wave {wave.id}"))
    ns = ctx.namespace_of(key)
    ns_date = ctx.plan.schedule.namespace_strict.get(ns)
    if ns_date is not None:
        found.append((max(ns_date, meshed), f"namespace {ns}"))
    return min(found) if found else None


def unmeshed_callers(ctx: PlanningContext, key: str, when: date) -> list[str]:
    """Callers not meshed by ``when`` (never meshed ones included)."""
    late: list[str] = []
    for caller in ctx.graph.callers[key]:
        t = ctx.mesh_time(caller)
        if t is None or t > when:
            late.append(caller)
    return late


def _caller_check(
    ctx: PlanningContext, rule: ScheduleRule, key: str, when: date, what: str, wave_id: str | None
) -> list[Finding]:
    late = unmeshed_callers(ctx, key, when)
    exposed = key in ctx.graph.exposed
    if not late and not exposed:
        return []
    parts = []
    if late:
        times = sorted({describe_time(ctx.mesh_time(c)) for c in late})
        parts.append(
            f"{len(late)} caller(s) are not meshed by then ({_names(late)}; meshed: "
            f"{', '.join(times[:3])})"
        )
    if exposed:
        parts.append(
            "clients outside the mesh reach it through a LoadBalancer, NodePort or "
            "non-Istio Ingress"
        )
    items = [key, *late[:MAX_ITEMS]] + ([wave_id] if wave_id else [])
    return [rule.hit(items, f"{what} for {key} on {when.isoformat()}, but " + "; ".join(parts))]


def workload_findings(ctx: PlanningContext, key: str) -> list[Finding]:
    out: list[Finding] = []
    wave = ctx.wave_of(key)
    blocked = ctx.blocked(key)
    if wave is None:
        if not ctx.already_meshed(key) and not blocked and ctx.in_scope(key):
            out.append(UNASSIGNED.hit([key], f"{key} is in no wave"))
    else:
        if blocked:
            out.append(_blocked_scheduled(ctx, key, wave.id))
        if wave.phase in ctx.pilot_phases:
            out += _pilot(ctx, key, wave.id)
        if wave.authz:
            out += _caller_check(
                ctx,
                AUTHZ_BEFORE_CALLERS,
                key,
                wave.end,
                "an AuthorizationPolicy by principals takes effect",
                wave.id,
            )
    strict = strict_from(ctx, key)
    if strict is not None:
        when, source = strict
        out += _caller_check(
            ctx,
            STRICT_BEFORE_CALLERS,
            key,
            when,
            f"STRICT mTLS ({source}) takes effect",
            wave.id if wave is not None else None,
        )
    return out


def _blocked_scheduled(ctx: PlanningContext, key: str, wave_id: str) -> Finding:
    cause = ctx.readiness.cause_of(key)
    if cause is None:
        return BLOCKED_SCHEDULED.hit(
            [key, wave_id], f"{key} is in wave {wave_id} but has a readiness blocker"
        )
    also = f" (also {', '.join(cause.others)})" if cause.others else ""
    return BLOCKED_SCHEDULED.hit(
        [key, wave_id],
        f"{key} is in wave {wave_id} but readiness rule {cause.rule}{also} keeps it out: "
        f"{cause.message}",
        fix=f"Fix {cause.rule} first ({cause.fix}), or take the workload out of the wave.",
    )


def _pilot(ctx: PlanningContext, key: str, wave_id: str) -> list[Finding]:
    reasons = []
    risk = ctx.readiness.risk_of(key)
    if ctx.readiness.high_risk(key):
        reasons.append(f"readiness risk {risk:g}")
    fan_in = ctx.graph.fan_in(key)
    if fan_in >= HIGH_FAN_IN:
        reasons.append(f"{fan_in} callers")
    if not reasons:
        return []
    return [
        RISKY_IN_PILOT.hit(
            [key, wave_id], f"{key} is in pilot wave {wave_id} with " + " and ".join(reasons)
        )
    ]


def component_findings(ctx: PlanningContext, index: int) -> list[Finding]:
    """A call cycle whose workloads sit in more than one wave (or partly in none)."""
    members = ctx.graph.components[index]
    if len(members) < 2:
        return []
    waves: dict[str, list[str]] = {}
    left_out: list[str] = []
    for key in members:
        wave = ctx.wave_of(key)
        if wave is not None:
            waves.setdefault(wave.id, []).append(key)
        elif not ctx.blocked(key) and not ctx.already_meshed(key):
            left_out.append(key)
    if len(waves) + (1 if left_out and waves else 0) < 2:
        return []
    where = [f"{wid} ({len(keys)})" for wid, keys in sorted(waves.items())]
    if left_out:
        where.append(f"no wave ({len(left_out)})")
    return [
        CYCLE_SPLIT.hit(
            [*members[:MAX_ITEMS], *sorted(waves)],
            f"the call cycle {_names(list(members))} is split across {', '.join(where)}",
        )
    ]


def namespace_findings(ctx: PlanningContext, ns: str) -> list[Finding]:
    """A namespace already labelled for injection whose workloads sit in several waves:
    every pod gets a sidecar on its next restart, whatever its wave says. An unlabelled
    namespace is enrolled pod by pod and labelled with its last wave (see the manifests)."""
    if ctx.plan.mesh.injection != "namespace-label":
        return []
    current = ctx.inventory.namespaces.get(ns)
    if current is None or not current.injection_enabled:
        return []
    waves: dict[str, int] = {}
    for key in ctx.namespace_members.get(ns, ()):
        wave = ctx.wave_of(key)
        if wave is not None:
            waves[wave.id] = waves.get(wave.id, 0) + 1
    if len(waves) < 2:
        return []
    where = ", ".join(f"{wid} ({n})" for wid, n in sorted(waves.items()))
    return [
        NAMESPACE_SPLIT.hit(
            [ns, *sorted(waves)],
            f"namespace {ns} is already labelled for injection but its "
            f"workloads are spread over {where}",
        )
    ]
