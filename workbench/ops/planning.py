"""Planning use-cases shared by the CLI and the UI: auto-plan, validation, outputs.

``auto_plan`` is a job (progress and cancel, see :mod:`workbench.domain.jobs`) that
returns one command: the UI pushes it on the undo stack, the CLI applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.domain.commands import Macro
from workbench.domain.findings import Finding
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions, Proposal, propose
from workbench.domain.planning.backlog import BacklogItem
from workbench.domain.planning.backlog_lanes import current_backlog
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.outputs import (
    MonthCoverage,
    StrictDate,
    monthly_coverage,
    namespace_strict_dates,
    strict_milestone,
)
from workbench.domain.planning.readiness_input import readiness_input
from workbench.domain.planning.validator import ScheduleValidator


def propose_plan(
    plan: Plan,
    options: AutoPlanOptions,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Proposal:
    token = cancel or CancelToken()
    options.check()
    progress(0.0, "reading readiness")
    readiness = readiness_input(plan, options.target_mode)
    token.check("auto-plan")
    progress(0.4, "analysing the call graph")
    graph = CallGraph(plan)
    token.check("auto-plan")
    progress(0.6, "placing workloads into waves")
    proposal = propose(plan, options, readiness, graph, lambda: token.check("auto-plan"))
    progress(1.0, f"{len(proposal.waves)} wave(s) proposed")
    return proposal


def plan_and_validate(
    plan: Plan,
    options: AutoPlanOptions,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[Proposal, list[Finding]]:
    """Propose, apply and validate in one pass: the plan is changed. Readiness is
    evaluated once: planned workloads join waves of the mode it was evaluated for, as
    PERMISSIVE, so it still holds after the proposal is applied; it is evaluated again
    when the target mode differs from the plan's default mode (which the unplanned
    workloads keep) or when replaced waves had another mode or STRICT mTLS."""
    token = cancel or CancelToken()
    options.check()
    progress(0.0, "reading readiness")
    readiness = readiness_input(plan, options.target_mode)
    replaced = [] if options.keep_assignments else plan.schedule.waves
    same = options.target_mode == plan.mesh.default_mode and all(
        w.mode == options.target_mode and w.mtls == "PERMISSIVE" for w in replaced
    )
    token.check("auto-plan")
    progress(0.4, "placing workloads into waves")
    proposal = propose(plan, options, readiness, CallGraph(plan), lambda: token.check("auto-plan"))
    proposal.command().do(plan)
    progress(0.8, "validating the schedule")
    findings = ScheduleValidator(plan, readiness if same else None).sorted_findings()
    progress(1.0, f"{len(proposal.waves)} wave(s) planned")
    return proposal, findings


def auto_plan(
    plan: Plan,
    options: AutoPlanOptions,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Macro:
    """One undoable command that adds the proposed waves; the plan is not changed."""
    return propose_plan(plan, options, progress, cancel).command()


def remediation_backlog(plan: Plan) -> list[BacklogItem]:
    """The in-scope workloads in no wave that a readiness cause keeps out, by namespace."""
    return current_backlog(PlanningContext(plan, readiness_input(plan)))


def validate(plan: Plan) -> list[Finding]:
    """The plan's active schedule findings, most severe first."""
    return ScheduleValidator(plan).sorted_findings()


@dataclass(frozen=True, slots=True)
class ScheduleOutputs:
    coverage: list[MonthCoverage]
    strict_dates: dict[str, StrictDate]
    strict_milestone: date | None


def schedule_outputs(plan: Plan, months: int | None = None) -> ScheduleOutputs:
    ctx = PlanningContext(plan, readiness_input(plan))
    dates = namespace_strict_dates(ctx)
    return ScheduleOutputs(monthly_coverage(plan, months), dates, strict_milestone(dates))
