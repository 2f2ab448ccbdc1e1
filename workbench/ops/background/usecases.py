"""The desktop's long jobs as use-case functions a worker process can run by name.

Each takes plain arguments (and the plan, when it needs one) plus ``progress`` and
``cancel``, and returns plain data; the same function runs in the window's process
(tests compare the two) and in a worker (:mod:`.jobs`).
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from collections.abc import Sequence
from typing import Any

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.cashflow import CashFlowInputs
from workbench.domain.economics.montecarlo import MonteCarloResult, monte_carlo
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.ops.background.jobs import resolve

MONTE_CARLO = "workbench.ops.background.usecases:run_monte_carlo"
EXPORTS = "workbench.ops.background.usecases:export_all"
CLUSTER_IMPORT = "workbench.ops.background.usecases:import_from_clusters"
FILES_IMPORT = "workbench.ops.runtime_import:import_files_and_captures"
AUTO_PLAN = "workbench.ops.planning:propose_plan"
GRAPH_LAYOUT = "workbench.ops.graph_job:lay_out_graph"


def run_monte_carlo(
    inputs: CashFlowInputs,
    assumptions: Assumptions,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> MonteCarloResult:
    """The Monte Carlo draws of a cash flow under its assumptions."""
    progress(0.0, f"{assumptions.monte_carlo.draws:,} draws")
    result = monte_carlo(inputs, assumptions)
    progress(1.0, f"{result.draws:,} draws")
    return result


def plan_for_export(plan: Plan, istio_version: str, injection: str) -> Plan:
    """A shallow copy of the plan with the export's mesh settings."""
    out = copy.copy(plan)
    out.mesh = dataclasses.replace(plan.mesh, istio_version=istio_version, injection=injection)
    return out


def takes(fn: Any, name: str) -> bool:
    """Whether ``fn`` accepts the keyword ``name`` (manifests have no scenario)."""
    parameters = inspect.signature(fn).parameters
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def export_all(
    plan: Plan,
    exports: Sequence[tuple[str, str, str]],
    *,
    istio_version: str,
    injection: str,
    scenario: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[Any]:
    """Write each ``(title, "module:function", target)`` export of the plan, in order;
    returns each exporter's report. Exporters write atomically, so a failure or a cancel
    leaves every target as it was or complete."""
    token = cancel or CancelToken()
    out = plan_for_export(plan, istio_version, injection)
    reports: list[Any] = []
    count = len(exports)
    for i, (title, function, target) in enumerate(exports):
        fn = resolve(function)

        def step(fraction: float, message: str, i: int = i, title: str = title) -> None:
            progress((i + fraction) / count, f"{title}: {message}")

        extra = {"scenario": scenario} if takes(fn, "scenario") else {}
        reports.append(fn(out, target, progress=step, cancel=token, **extra))
    return reports


def import_from_clusters(
    contexts: Sequence[str],
    *,
    kubeconfig: str | None,
    namespaces: Sequence[str] | None,
    include_system: bool,
    into: Plan | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Any:
    """Read the chosen contexts (the ticked namespaces; all but the system ones when none
    were listed) into a new plan or into ``into``."""
    from workbench.ops.cluster_namespaces import chosen_namespaces, list_namespaces
    from workbench.ops.import_cluster import import_clusters

    token = cancel or CancelToken()
    chosen = list(namespaces) if namespaces is not None else None
    if chosen is None and not include_system:
        listed = list_namespaces(contexts, kubeconfig, progress, token)
        chosen = chosen_namespaces(listed, include_system=False)
    return import_clusters(
        list(contexts),
        kubeconfig=kubeconfig,
        namespaces=chosen or (),
        into=into,
        progress=progress,
        cancel=token,
    )
