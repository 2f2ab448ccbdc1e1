"""Assembling the manifests of a plan: every builder, in apply order, then rollbacks
and runbooks. Nothing is written here (see :mod:`workbench.io.manifests.writer`)."""

from __future__ import annotations

from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.domain.simulation.facts import minor
from workbench.io.manifests.alerts import build_alerts
from workbench.io.manifests.authz import AllowList, AuthzBuilder
from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.foundation import FoundationBuilder
from workbench.io.manifests.injection import InjectionBuilder
from workbench.io.manifests.model import ManifestSet, Slot
from workbench.io.manifests.options import ManifestOptions
from workbench.io.manifests.peer_auth import PeerAuthBuilder
from workbench.io.manifests.rollback import build_rollbacks
from workbench.io.manifests.runbook import index, multicluster_notes, slot_runbook
from workbench.io.manifests.service_entries import build_service_entries
from workbench.io.manifests.sidecar_scope import build_sidecars
from workbench.io.manifests.traffic import TrafficBuilder
from workbench.io.manifests.validate import ObjectValidator

MAX_NAME_WARNINGS = 20


def _version_warnings(ctx: ExportContext) -> list[str]:
    """Clusters whose imported Istio is another minor release than the one targeted."""
    target = minor(ctx.istio_version)
    out = []
    for name, cluster in sorted(ctx.plan.inventory.clusters.items()):
        found = cluster.istio.version if cluster.istio is not None else None
        if found and minor(found) is not None and minor(found) != target:
            out.append(
                f"cluster {name} runs Istio {found[:40]} (as imported); these manifests "
                f"target {ctx.istio_version} ({ctx.api.security}): upgrade it first, or "
                "export for its version (--istio-version)"
            )
    return out


class BuiltManifests:
    """The manifests and what the export learnt on the way."""

    def __init__(self, ctx: ExportContext, mset: ManifestSet, allow_lists: list[AllowList]):
        self.context = ctx
        self.manifests = mset
        self.allow_lists = allow_lists


def build_manifests(
    plan: Plan,
    options: ManifestOptions | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> BuiltManifests:
    token = cancel or CancelToken()
    opts = options or ManifestOptions()
    progress(0.0, "reading the plan")
    ctx = ExportContext(plan, opts)
    out = ManifestSet(ObjectValidator(opts.kubernetes_version), cluster_dirs=ctx.cluster_dirs)
    skipped = ctx.skipped_names()
    for key in skipped[:MAX_NAME_WARNINGS]:
        out.warn(f"{key[:300]!r} is not a valid Kubernetes name; left out of the manifests")
    if len(skipped) > MAX_NAME_WARNINGS:
        out.warn(f"{len(skipped) - MAX_NAME_WARNINGS} more workloads with invalid names left out")
    for warning in _version_warnings(ctx):
        out.warn(warning)
    token.check("the manifest export")
    if opts.foundation:
        FoundationBuilder(ctx, out).build()
    progress(0.15, "injection changes")
    injection = InjectionBuilder(ctx, out)
    for slot in ctx.wave_slots:
        injection.build(slot)
        if opts.alerts:
            build_alerts(ctx, out, slot)
    token.check("the manifest export")
    progress(0.3, "mTLS and authorization policies")
    PeerAuthBuilder(ctx, out).build()
    authz = AuthzBuilder(ctx, out)
    if opts.authz:
        authz.build()
    token.check("the manifest export")
    progress(0.5, "egress scoping, external hosts and traffic policies")
    if opts.sidecar_scoping:
        build_sidecars(ctx, out)
    if opts.service_entries:
        build_service_entries(ctx, out)
    if opts.circuit_breakers or opts.canary:
        TrafficBuilder(ctx, out).build()
    token.check("the manifest export")
    progress(0.7, "rollbacks and runbooks")
    out.slots = [s for s in ctx.all_slots() if s.wave is not None or out.stages_of(s)]
    last_wave: dict[tuple[str, str], Slot] = {}
    for slot in ctx.wave_slots:
        for cluster, keys in ctx.members(slot).items():
            for key in keys:
                last_wave[(cluster, ctx.workloads[key].namespace)] = slot
    build_rollbacks(out, last_wave)
    for slot in out.slots:
        out.texts[(slot.folder, "RUNBOOK.md")] = slot_runbook(ctx, out, slot)
    if opts.foundation and len(ctx.clusters()) > 1:
        out.texts[(ctx.foundation.folder, "MULTICLUSTER.md")] = multicluster_notes(ctx)
    out.texts[("README.md",)] = index(ctx, out)
    progress(0.8, f"{out.object_count()} object(s) validated")
    return BuiltManifests(ctx, out, authz.allow_lists)
