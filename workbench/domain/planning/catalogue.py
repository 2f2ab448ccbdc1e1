"""The schedule rules: id, title, default severity, why the rule matters, usual fix.

Each violation becomes a :class:`~workbench.domain.findings.Finding` with source
``schedule``; its items name the subject first, then the other workloads and the waves
involved.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.findings import SEVERITIES, Finding

DOC_MTLS = "https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/"
DOC_AUTHZ = "https://istio.io/latest/docs/reference/config/security/authorization-policy/"
DOC_WAYPOINT = "https://istio.io/latest/docs/ambient/usage/waypoint/"
DOC_MULTICLUSTER = "https://istio.io/latest/docs/setup/install/multicluster/"
DOC_INJECTION = "https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/"
HIGH_FAN_IN = 5  # callers from which a workload counts as a critical service


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    id: str
    title: str
    severity: str
    why: str
    fix: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: unknown severity {self.severity!r}")

    def hit(
        self,
        items: list[str] | tuple[str, ...],
        message: str,
        *,
        severity: str | None = None,
        fix: str | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            source="schedule",
            items=tuple(dict.fromkeys(items)),
            message=message,
            why=self.why,
            fix=fix or self.fix,
        )


BLOCKED_SCHEDULED = ScheduleRule(
    "S01",
    "Workload kept out by readiness is scheduled",
    "blocker",
    "A readiness blocker means the workload breaks when it joins the mesh; a batch pod "
    "without native sidecars never completes. Such workloads belong in the remediation "
    "backlog until the cause is fixed or muted.",
    "Fix the blocker first, or take the workload out of the wave.",
)
STRICT_BEFORE_CALLERS = ScheduleRule(
    "S02",
    "STRICT mTLS before every caller is meshed",
    "high",
    "Under STRICT a server rejects plaintext; callers without a proxy send plaintext and "
    f"fail. Inject PERMISSIVE first, lock down once every client is meshed. Source: {DOC_MTLS}",
    "Keep the wave (or namespace) PERMISSIVE until the callers' waves have ended, or move "
    "the callers into an earlier wave.",
)
AUTHZ_BEFORE_CALLERS = ScheduleRule(
    "S03",
    "Principal-based AuthorizationPolicy before every caller is meshed",
    "high",
    "source.principals needs mTLS: a caller without a proxy has no identity, so an ALLOW "
    f"policy that lists principals denies it. Source: {DOC_AUTHZ}",
    "Roll out the AuthorizationPolicy in a wave that ends after every caller's wave.",
)
CYCLE_SPLIT = ScheduleRule(
    "S04",
    "Call cycle split across waves",
    "high",
    "Workloads that call each other in a cycle cannot be ordered callee-first; splitting "
    "them leaves a meshed and an unmeshed side calling each other in both directions, and "
    "STRICT can never follow for either side.",
    "Put every workload of the cycle into the same wave.",
)
WAVE_CAPACITY = ScheduleRule(
    "S05",
    "Wave over capacity",
    "medium",
    "A wave larger than the team can roll out, watch and roll back within its dates "
    "raises the blast radius of a bad rollout.",
    "Move workloads into another wave or raise the wave's capacity.",
)
PROD_BEFORE_NONPROD = ScheduleRule(
    "S06",
    "Production before non-production",
    "medium",
    "Problems should surface in dev, test or staging before production is touched.",
    "Move the production wave after the non-production waves.",
)
RISKY_IN_PILOT = ScheduleRule(
    "S07",
    "High-risk or critical workload in the pilot",
    "medium",
    "The pilot is for learning on workloads that can fail without hurting anyone: low "
    "readiness risk and few callers.",
    "Move the workload into a later wave; pick a low-risk, low fan-in workload instead.",
)
WAVE_OUTSIDE_PHASE = ScheduleRule(
    "S08",
    "Wave outside its phase",
    "medium",
    "The phases carry the business case's timing; a wave outside its phase shifts costs "
    "and benefits the plan does not show.",
    "Move the wave into its phase's dates, or move it to the phase it falls into.",
)
WAVE_CONCURRENCY = ScheduleRule(
    "S09",
    "Too many waves at once",
    "medium",
    "More waves in flight than the schedule allows spreads the team thin and makes a "
    "failure hard to attribute.",
    "Move the wave later, or raise the schedule's allowed concurrency.",
)
NAMESPACE_SPLIT = ScheduleRule(
    "S10",
    "Labelled namespace split across waves",
    "medium",
    "A namespace already labelled for injection gives every pod a sidecar on its next "
    "restart, whatever wave it is in; only an unlabelled namespace can be enrolled pod by "
    f"pod (sidecar.istio.io/inject on the pod template). Source: {DOC_INJECTION}",
    "Keep the namespace in one wave, or remove its injection label and let the waves "
    "enrol its workloads pod by pod.",
)
WAYPOINT_MISSING = ScheduleRule(
    "S11",
    "Ambient wave without the waypoint its L7 policies need",
    "high",
    "ztunnel enforces only L4; a policy with HTTP attributes needs a waypoint, and an ALLOW "
    f"policy ztunnel cannot enforce denies the traffic. Source: {DOC_WAYPOINT}",
    "Plan the namespace's waypoint in this wave or an earlier one.",
)
MULTICLUSTER_NOT_READY = ScheduleRule(
    "S12",
    "Cross-cluster calls before the multi-cluster set-up",
    "high",
    "Meshed calls between clusters need a shared root of trust and an east-west gateway; "
    f"before that, cross-cluster mTLS fails. Source: {DOC_MULTICLUSTER}",
    "Plan a multi-cluster set-up activity (shared root of trust, east-west gateway) "
    "that ends before the wave starts.",
)
UNASSIGNED = ScheduleRule(
    "S13",
    "Workload in no wave",
    "medium",
    "A workload in no wave never joins the mesh, and STRICT mTLS can never be turned on "
    "for the workloads it calls.",
    "Assign it to a wave (auto-plan fills the gaps), or mute the finding if it stays out. "
    "Workloads in the remediation backlog and in system namespaces are not listed.",
)
OUTSIDE_MAINTENANCE = ScheduleRule(
    "S14",
    "Wave cuts over outside a maintenance window",
    "medium",
    "A wave's mesh step restarts its members on its start day; the owners' maintenance "
    "windows (business metadata) say when a restart is agreed. A cut-over outside them "
    "is a change nobody signed off.",
    "Move the wave to start on a day every member's window allows, or move the workload "
    "to a wave that does.",
)
MAINTENANCE_UNREAD = ScheduleRule(
    "S15",
    "Maintenance window not understood",
    "low",
    "A window the workbench cannot read cannot be checked: the wave may cut over outside it.",
    "Write the window as day names or ranges with optional times ('Sat 01:00-05:00', "
    "'Fri-Sun', 'weekends') and import the metadata again.",
)

RULES: tuple[ScheduleRule, ...] = (
    BLOCKED_SCHEDULED,
    STRICT_BEFORE_CALLERS,
    AUTHZ_BEFORE_CALLERS,
    CYCLE_SPLIT,
    WAVE_CAPACITY,
    PROD_BEFORE_NONPROD,
    RISKY_IN_PILOT,
    WAVE_OUTSIDE_PHASE,
    WAVE_CONCURRENCY,
    NAMESPACE_SPLIT,
    WAYPOINT_MISSING,
    MULTICLUSTER_NOT_READY,
    UNASSIGNED,
    OUTSIDE_MAINTENANCE,
    MAINTENANCE_UNREAD,
)
