"""Caller knowledge: namespaces whose workloads' callers nobody has seen.

An unseen call graph is never read as "no callers": STRICT mTLS and allow-lists derived
from it would deny the callers nobody recorded. One finding per namespace (its subject is
the namespace, so workloads' risk scores stay what their own findings make them) lists the
workloads whose callers are unknown and the sources that would close the gap.
"""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.inventory import Namespace
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.rule import DOC_MTLS, NO_FINDINGS, Rule

MAX_NAMED = 5


def _unknown_callers(rule: Rule[Namespace], ctx: ReadinessContext, ns: Namespace) -> list[Finding]:
    members = ctx.workloads_by_namespace.get(ns.key, [])
    if not members:
        return NO_FINDINGS
    knowledge = ctx.caller_knowledge
    unknown = sorted(w.key for w in members if knowledge[w.key].callers == "unknown")
    if not unknown:
        return NO_FINDINGS
    named = ", ".join(k.rsplit("/", 1)[-1] for k in unknown[:MAX_NAMED])
    more = f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
    days = f"{ctx.plan.assumptions.min_observation_days:g}"
    return [
        rule.hit(
            ns.key,  # the namespace: a gap in the evidence, not a risk of each workload
            f"{len(unknown)} of {len(members)} workload(s) in namespace {ns.name} have callers "
            f"nobody has observed: {named}{more}",
            fix=f"Import a runtime capture that covers namespace {ns.name} for at least {days} "
            "day(s) (mesh-workbench deps add: Hubble flows, OpenTelemetry, Jaeger or Zipkin "
            "traces, flow logs), or confirm each workload's callers by hand with a reason. "
            "Until then keep these workloads PERMISSIVE and their policies in dry-run.",
        )
    ]


NAMESPACE_RULES: tuple[Rule[Namespace], ...] = (
    Rule(
        "E1",
        "Callers unknown",
        "medium",
        DOC_MTLS,
        "Nothing the plan holds (manifests, runtime captures, a person) says who calls these "
        "workloads; STRICT mTLS or an allow-list built from an unseen graph denies every "
        "caller nobody recorded.",
        "Collect runtime evidence for the namespace, or confirm the callers by hand.",
        "namespace",
        _unknown_callers,
    ),
)
