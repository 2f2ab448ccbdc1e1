"""Rules about identity and admission: UID 1337 and Pod Security Admission."""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.inventory import Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.rule import DOC_ANALYZE, DOC_PSA, NO_FINDINGS, Rule

PROXY_UID = 1337
PSA_ENFORCE = "pod-security.kubernetes.io/enforce"


def _uid_1337(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    seen: list[str] = []
    if w.run_as_user == PROXY_UID:
        seen.append("the pod securityContext")
    seen += [f"container {c.name}" for c in w.containers if c.run_as_user == PROXY_UID]
    # An init container as 1337 is the documented CNI workaround, not a conflict.
    if not seen:
        return NO_FINDINGS
    return [rule.hit(w.key, f"{w.kind} {w.name} runs as UID 1337 in {', '.join(seen)}.")]


def _psa_without_cni(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    level = ctx.namespace_labels(w).get(PSA_ENFORCE)
    if level not in ("baseline", "restricted") or ctx.cni(w.cluster) or w.mesh.injected:
        return NO_FINDINGS
    return [
        rule.hit(
            (w.key, w.namespace_key),
            f"Namespace {w.namespace} enforces Pod Security '{level}' and the cluster "
            f"{w.cluster} has no Istio CNI plugin.",
        )
    ]


def _psa_restricted(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    level = ctx.namespace_labels(w).get(PSA_ENFORCE)
    if level != "restricted" or not ctx.cni(w.cluster):
        return NO_FINDINGS  # without CNI, R5 already blocks the pod
    if w.seccomp_profile in ("RuntimeDefault", "Localhost"):
        return NO_FINDINGS
    return [
        rule.hit(
            (w.key, w.namespace_key),
            f"Namespace {w.namespace} enforces Pod Security 'restricted' and {w.kind} {w.name} "
            "sets no pod seccompProfile.",
        )
    ]


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R3",
        "Runs as UID 1337",
        "high",
        DOC_ANALYZE + "ist0144/",
        "UID 1337 is reserved for the sidecar proxy: traffic from that UID is never redirected, "
        "so the application's calls bypass the mesh (IST0144 InvalidApplicationUID).",
        "Run the application under another UID.",
        "workload",
        _uid_1337,
        modes=("sidecar",),
    ),
    Rule(
        "R5",
        "Pod Security forbids istio-init",
        "blocker",
        DOC_PSA,
        "Without the Istio CNI plugin every injected pod gets the istio-init container, which "
        "needs NET_ADMIN and NET_RAW; the 'baseline' and 'restricted' Pod Security levels "
        "forbid them, so admission rejects the pod.",
        "Install Istio with the CNI plugin (istio-cni) before this wave, or relax the "
        "namespace's pod-security.kubernetes.io/enforce label.",
        "workload",
        _psa_without_cni,
        modes=("sidecar",),
    ),
    Rule(
        "R6",
        "Pod Security 'restricted' needs a seccomp profile",
        "high",
        DOC_PSA,
        "Under 'restricted' every container needs a seccomp profile; the injected proxy "
        "inherits the pod's, and Istio's global.proxy.seccompProfile defaults to none.",
        "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod template, or "
        "global.proxy.seccompProfile in the Istio values.",
        "workload",
        _psa_restricted,
        modes=("sidecar",),
    ),
)
