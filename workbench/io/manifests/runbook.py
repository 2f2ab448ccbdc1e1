"""``RUNBOOK.md`` per folder and the index ``README.md``: apply, restart order, what to
watch, how to roll back. Commands name clusters as kube contexts (quoted for the shell);
every other name in them has passed the Kubernetes name checks.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Iterable, Iterator

from workbench.domain.simulation.facts import GATEWAY_NAMESPACE
from workbench.io.manifests.authz import DRY_RUN
from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import (
    APPLY,
    CUTOVER,
    LOCKDOWN,
    MONITORING,
    ROLLBACK,
    ManifestSet,
    Slot,
    Stage,
)
from workbench.io.manifests.options import istio_minor
from workbench.io.manifests.promql import destination, plaintext_query
from workbench.io.manifests.rollback import DELETE_FILE, ROLLBACK_LOCKDOWN, ROLLBACK_MONITORING
from workbench.io.manifests.runbook_steps import (
    cutover_section,
    left_out_section,
    monitoring_section,
    observe_section,
)

MAX_LISTED = 50_000  # commands listed per block before the rest is summarised


def text(value: str, limit: int = 200) -> str:
    """Plan text for Markdown: one printable line, bounded."""
    flat = "".join(c if c.isprintable() else " " for c in value).strip()
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def kubectl(stage: Stage) -> str:
    return f"kubectl --context {shlex.quote(text(stage.cluster))}"


def _block(lines: Iterable[str]) -> list[str]:
    items = list(lines)
    if len(items) > MAX_LISTED:
        items = [*items[:MAX_LISTED], f"# ... and {len(items) - MAX_LISTED} more"]
    return ["```sh", *items, "```", ""] if items else []


def _patch_lines(stage: Stage) -> list[str]:
    base = "/".join(stage.path()[1:])
    out = []
    for p in stage.patches:
        where = "" if p.namespace is None else f" -n {p.namespace}"
        path = "/".join((base, *p.path()))
        out.append(
            f"{kubectl(stage)}{where} patch {p.kind.lower()} {p.name} --type {p.patch_type} "
            f"--patch-file {path}"
        )
    return out


def _restart_lines(stage: Stage) -> tuple[list[str], list[str]]:
    commands, manual = [], []
    for r in stage.restarts:
        target = f"{r.kind.lower()}/{r.name}"
        if r.how == "rollout":
            commands.append(f"{kubectl(stage)} -n {r.namespace} rollout restart {target}")
            commands.append(
                f"{kubectl(stage)} -n {r.namespace} rollout status {target} --timeout=10m"
            )
        elif r.how == "next-run":
            manual.append(f"- CronJob {r.namespace}/{r.name}: its next run starts with the change.")
        else:
            manual.append(f"- {r.kind} {r.namespace}/{r.name}: re-create it (it cannot restart).")
    return commands, manual


def _apply(stage: Stage, out: ManifestSet) -> list[str]:
    lines = [f"### Cluster `{text(stage.cluster)}`", ""]
    folder = "/".join(stage.path()[1:])
    cmds = [f"{kubectl(stage)} apply -k {folder}/"] if stage.objects else []
    if stage.deletes:
        cmds.append(f"{kubectl(stage)} delete --ignore-not-found -f {folder}/{DELETE_FILE}")
    lines += _block(cmds + _patch_lines(stage))
    lines += [f"- {text(n, 400)}" for n in stage.notes]
    return [*lines, ""] if stage.notes else lines


def slot_runbook(ctx: ExportContext, out: ManifestSet, slot: Slot) -> str:
    stages = out.stages_of(slot)
    n = itertools.count(1)
    lines = [f"# {slot.folder}: {text(slot.title)}", ""]
    wave = slot.wave
    if wave is not None:
        members = sum(len(k) for k in ctx.members(slot).values())
        lines += [
            f"Wave `{text(wave.id)}` ({text(wave.phase)}), {wave.start.isoformat()} to "
            f"{wave.end.isoformat()}: {members} workload(s), data plane {wave.mode}, "
            f"mTLS target {wave.mtls}.",
            "",
        ]
    if slot is ctx.foundation:
        lines += foundation_steps(ctx, out)
    lines += left_out_section(ctx, slot)
    applies = [s for s in stages if s.step == APPLY]
    if applies:
        lines += [f"## {next(n)}. Apply", ""]
        for stage in applies:
            lines += _apply(stage, out)
    restarts = [s for s in applies if s.restarts]
    if restarts:
        lines += [f"## {next(n)}. Restart, callees first", ""]
        for stage in restarts:
            commands, manual = _restart_lines(stage)
            lines += [f"### Cluster `{text(stage.cluster)}`", "", *_block(commands)]
            lines += [*manual, ""] if manual else []
    lines += watch_section(ctx, slot, stages, next(n))
    lines += observe_section(ctx, applies, next(n)) if any(s.observe for s in applies) else []
    lockdowns = [s for s in stages if s.step == LOCKDOWN]
    if lockdowns:
        lines += [f"## {next(n)}. Lockdown", ""]
        for stage in lockdowns:
            when = stage.date.isoformat() if stage.date else "the wave's end"
            lines += [
                f"On or after {when}, once every workload above runs with its proxy:",
                "",
                *_apply(stage, out),
            ]
    cutovers = [s for s in stages if s.step == CUTOVER]
    lines += cutover_section(ctx, cutovers, out, next(n)) if cutovers else []
    monitoring = [s for s in stages if s.step == MONITORING]
    lines += monitoring_section(monitoring, next(n)) if monitoring else []
    lines += rollback_section(out, slot, n)
    return "\n".join(lines).rstrip() + "\n"


def watch_section(ctx: ExportContext, slot: Slot, stages: list[Stage], number: int) -> list[str]:
    lines = [f"## {number}. What to watch", ""]
    lines.append("- `istioctl proxy-status`: every proxy SYNCED; `istioctl analyze -A` is clean.")
    if slot.wave is not None and slot.wave.mode == "ambient":
        lines.append("- `istioctl ztunnel-config workloads`: the wave's pods show HBONE.")
    elif slot.wave is not None:
        lines.append("- Restarted pods run an `istio-proxy` container and are ready.")
    if any(s.step == MONITORING for s in stages):
        lines.append(
            "- Alerts `HighLatency` (p99) and `HighErrorRate` for the wave's workloads stay quiet."
        )
    dry_run = any(
        o["metadata"].get("annotations", {}).get(DRY_RUN) == "true"
        for s in stages
        for o in s.objects.get("authorization-policies.yaml", ())
    )
    if dry_run:
        lines.append(
            '- Policies in dry-run (`istio.io/dry-run: "true"`) deny nothing: look for '
            "`shadow_denied` in the proxies' stats before they are enforced."
        )
    namespaces = sorted(
        {ctx.workloads[k].namespace for ks in ctx.members(slot).values() for k in ks}
    )
    for ns in namespaces[:20]:
        lines.append(
            f"- Before any lockdown in `{ns}`: no plaintext left, i.e. "
            f"`{plaintext_query(destination(ns))}` stays at 0."
        )
    return [*lines, ""]


def rollback_section(out: ManifestSet, slot: Slot, n: Iterator[int]) -> list[str]:
    stages = [s for s in out.stages_of(slot) if s.step == ROLLBACK]
    if not stages:
        return []
    lines = [
        f"## {next(n)}. Roll back",
        "",
        "Roll back in reverse order: the folders after this one first (their own "
        "RUNBOOK.md), then this one. Shared namespace objects stay while later waves "
        "keep workloads of the namespace meshed.",
        "",
    ]
    partial = [s for s in out.stages_of(slot) if s.step == ROLLBACK_LOCKDOWN]
    if partial:
        lines += [
            "Only the lockdown (the wave stays meshed and PERMISSIVE):",
            "",
            *_rollback_blocks(out, partial),
            "The whole folder:",
            "",
        ]
    lines += _rollback_blocks(out, stages)
    monitoring = [s for s in out.stages_of(slot) if s.step == ROLLBACK_MONITORING]
    if monitoring:
        lines += ["The optional alert rules, where they were applied:", ""]
        lines += _rollback_blocks(out, monitoring)
    return lines


def _rollback_blocks(out: ManifestSet, stages: list[Stage]) -> list[str]:
    lines: list[str] = []
    for stage in stages:
        folder = "/".join(stage.path()[1:])
        cmds = []
        if stage.objects:
            cmds.append(f"{kubectl(stage)} apply -k {folder}/")
        if (*stage.path(), DELETE_FILE) in out.texts:
            cmds.append(f"{kubectl(stage)} delete --ignore-not-found -f {folder}/{DELETE_FILE}")
        restarts, manual = _restart_lines(stage)
        lines += [f"### Cluster `{text(stage.cluster)}`", ""]
        lines += _block(cmds + _patch_lines(stage) + restarts)
        lines += [*manual, ""] if manual else []
    return lines


def helm_version(ctx: ExportContext) -> str:
    major, minor = istio_minor(ctx.istio_version)
    parts = ctx.istio_version.strip().split(".")
    return ctx.istio_version.strip() if len(parts) >= 3 else f"~{major}.{minor}.0"


def foundation_steps(ctx: ExportContext, out: ManifestSet) -> list[str]:
    version = shlex.quote(helm_version(ctx))
    lines = ["## Install Istio", ""]
    rev = ctx.revision if ctx.injection == "revision-label" else None
    for cluster in ctx.clusters():
        c = shlex.quote(text(cluster))
        d = f"{ctx.cluster_dirs[cluster]}/install"
        install = (ctx.foundation.folder, ctx.cluster_dirs[cluster], "install")
        ambient = (*install, "ztunnel-values.yaml") in out.texts
        helm = f"helm --kube-context {c}"
        cmds = [
            "helm repo add istio https://istio-release.storage.googleapis.com/charts",
            "helm repo update",
            f"{helm} install istio-base istio/base -n {ctx.root_namespace} --create-namespace "
            f"--version {version}" + (f" --set defaultRevision={rev}" if rev else ""),
        ]
        if ambient:
            cmds.append(
                f"{helm} install istio-cni istio/cni -n {ctx.root_namespace} --version {version} "
                "--set profile=ambient"
            )
        name = f"istiod-{rev}" if rev else "istiod"
        cmds.append(
            f"{helm} install {name} istio/istiod -n {ctx.root_namespace} --version {version} "
            f"-f {d}/istiod-values.yaml --wait"
        )
        if ambient:
            cmds.append(
                f"{helm} install ztunnel istio/ztunnel -n {ctx.root_namespace} --version {version} "
                f"-f {d}/ztunnel-values.yaml"
            )
        cmds.append(
            f"{helm} install istio-ingressgateway istio/gateway -n {GATEWAY_NAMESPACE} "
            f"--create-namespace --version {version} -f {d}/ingress-gateway-values.yaml"
        )
        if (*install, "eastwest-gateway-values.yaml") in out.texts:
            cmds.append(
                f"{helm} install istio-eastwestgateway istio/gateway -n {ctx.root_namespace} "
                f"--version {version} -f {d}/eastwest-gateway-values.yaml"
            )
        lines += [f"### Cluster `{text(cluster)}`", "", *_block(cmds)]
    if len(ctx.clusters()) > 1:
        lines += ["Set up the shared root of trust first: see MULTICLUSTER.md.", ""]
    return lines


def multicluster_notes(ctx: ExportContext) -> str:
    rows = [
        f"| `{text(c)}` | `network-{ctx.cluster_dirs[c]}` | `{ctx.cluster_dirs[c]}/` |"
        for c in ctx.clusters()
    ]
    lines = [
        "# Multi-cluster: shared root of trust and east-west gateways",
        "",
        "| cluster | network | folder |",
        "|---|---|---|",
        *rows,
        "",
        "1. Create one root CA (your PKI, or `make -f tools/certs/Makefile.selfsigned.mk "
        "root-ca` from the Istio release) and one intermediate CA per cluster.",
        "2. Before installing istiod, create the `cacerts` secret in "
        f"`{ctx.root_namespace}` of every cluster from its intermediate (`ca-cert.pem`, "
        "`ca-key.pem`, `root-cert.pem`, `cert-chain.pem`). Keep keys out of this folder.",
        f"3. Every cluster uses the trust domain `{ctx.trust_domain}` and mesh ID `mesh1`; "
        "the istiod values here set the cluster name (its folder name above) and network.",
        "4. Install the east-west gateway and apply `cross-network-gateway` (in each "
        "cluster's folder) so that services are reachable across networks.",
        "5. Give every cluster's istiod access to the others: "
        "`istioctl create-remote-secret --context=A --name=<folder of A> | "
        "kubectl apply --context=B -f -` "
        "for each pair.",
        "6. Check with `istioctl remote-clusters` and a cross-cluster call before wave 1.",
    ]
    return "\n".join(lines) + "\n"


def index(ctx: ExportContext, out: ManifestSet) -> str:
    lines = [
        f"# Istio manifests: {text(ctx.plan.meta.title)}",
        "",
        f"Target Istio {text(ctx.istio_version, 40)} ({ctx.api.security}, "
        f"{ctx.api.networking}, {ctx.api.telemetry}); injection by {ctx.injection}.",
        "Apply the folders in order; each has a RUNBOOK.md and one folder per cluster "
        "(`kubectl apply -k`). Patches to existing objects are applied with the "
        "`kubectl patch` commands of the runbook; every folder has a `rollback/`.",
        "",
        "| folder | what | from |",
        "|---|---|---|",
    ]
    for slot in out.slots:
        start = slot.wave.start.isoformat() if slot.wave is not None else ""
        lines.append(f"| `{slot.folder}/` | {text(slot.title, 80)} | {start} |")
    if out.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {text(w, 400)}" for w in out.warnings[:200]]
        if len(out.warnings) > 200:
            lines.append(f"- ... and {len(out.warnings) - 200} more")
    return "\n".join(lines) + "\n"
