"""Check a rollout before it runs (``mesh-workbench simulate PLAN [--manifests DIR]``).

Without a folder the plan's manifests are built and rendered in memory, exactly as the
export would write them; with one, the folder is read back. Either way the runbooks'
steps are replayed against the plan's known calls and entry points
(:mod:`workbench.domain.simulation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.domain.simulation import SimulationReport, StepResult, simulate
from workbench.domain.simulation.facts import EstateFacts, estate_facts
from workbench.io.manifests import ManifestOptions, build_manifests
from workbench.io.manifests.readback import Files, read_folder, read_steps
from workbench.io.manifests.writer import layout, render

TARGET = re.compile(r"^Target Istio (\S+)", re.MULTILINE)


@dataclass(slots=True)
class RolloutCheck:
    report: SimulationReport
    source: str  # "the plan" or the folder read back
    istio_version: str
    steps: int
    waves: dict[str, str] = field(default_factory=dict)  # export folder -> wave id
    # workloads the rollout meshes whose callers are not known completely: a call into
    # them that no evidence shows was not checked
    callers_not_known: list[str] = field(default_factory=list)

    def wave_breaks(self) -> dict[str, list[StepResult]]:
        """Wave id -> the results of its steps that break a call that worked before ("" for
        steps of no wave: the foundation and the final folder)."""
        out: dict[str, list[StepResult]] = {}
        for result in self.report.results:
            if result.new_broken:
                out.setdefault(self.waves.get(result.step.folder, ""), []).append(result)
        return out


def exported_files(plan: Plan, options: ManifestOptions | None = None) -> dict[str, str]:
    """The export's files as written (relative path -> text)."""
    built = build_manifests(plan, options)
    return {"/".join(path): text for path, text in render(built.manifests).items()}


@dataclass(slots=True)
class _InMemory:
    files: Files  # YAML files as their documents: nothing rendered and parsed back
    waves: dict[str, str]
    facts: EstateFacts


def _in_memory(plan: Plan, options: ManifestOptions | None, cancel: CancelToken) -> _InMemory:
    built = build_manifests(plan, options, cancel=cancel)
    files = {"/".join(path): content for path, content in layout(built.manifests).items()}
    waves = {s.folder: s.wave.id for s in built.context.wave_slots if s.wave is not None}
    return _InMemory(files, waves, built.context.facts)


def check_rollout(
    plan: Plan,
    manifests: str | Path | None = None,
    *,
    options: ManifestOptions | None = None,
    rollback: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> RolloutCheck:
    token = cancel or CancelToken()
    progress(0.0, "reading the manifests")
    waves: dict[str, str] = {}
    built: _InMemory | None = None
    files: Files
    if manifests is None:
        built = _in_memory(plan, options, token)
        files, waves = built.files, built.waves
        source = "the plan's manifests"
    else:
        files = read_folder(Path(manifests))
        source = str(manifests)
    readme = files.get("README.md", "")
    m = TARGET.search(readme) if isinstance(readme, str) else None
    version = m.group(1) if m else (options and options.istio_version) or plan.mesh.istio_version
    steps = read_steps(files, rollback=rollback)
    progress(0.3, f"replaying {len(steps)} step(s)")
    if built is not None and built.facts.istio_version == version:
        facts = built.facts  # the estate the export was built from
    else:
        facts = estate_facts(plan, version)
    report = simulate(plan, steps, facts=facts, cancel=lambda: token.check("the rollout check"))
    not_known = sorted(
        key
        for key in plan.schedule.assigned()
        if (found := facts.evidence.get(key)) is not None and found.callers != "complete"
    )
    if not_known:
        report.notes.append(
            f"{len(not_known)} meshed workload(s) have callers not known completely "
            f"(such as {not_known[0]}): a call no evidence shows was not checked"
        )
    progress(1.0, f"{report.broken_edges} call(s) break")
    return RolloutCheck(report, source, version, len(steps), waves, not_known)


def check_json(check: RolloutCheck) -> dict[str, Any]:
    """The ``simulate --json`` contract: keys are only ever added."""
    report = check.report

    def verdict(v: Any) -> dict[str, Any]:
        return {
            "caller": v.call.caller,
            "callee": v.call.callee,
            "what": v.call.what,
            "port": v.port,
            "reason": v.reason,
        }

    return {
        "source": check.source,
        "istio_version": check.istio_version,
        "calls": report.calls,
        "broken_edges": report.broken_edges,
        "notes": list(report.notes),
        "callers_not_known": list(check.callers_not_known),
        "steps": [
            {
                "id": r.step.id,
                "folder": r.step.folder,
                "title": r.step.title,
                "kind": r.step.kind,
                "cluster": r.step.cluster,
                "meshed": r.meshed,
                "broken": [verdict(v) for v in r.broken],
                "at_risk": [verdict(v) for v in r.at_risk],
            }
            for r in report.results
        ],
    }
