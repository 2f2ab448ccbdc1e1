"""Runbook sections beyond apply and lockdown: observe, entry cut-over, monitoring.

* **Observe**: workloads whose lockdown is held back (their AuthorizationPolicy runs in
  dry-run, their mTLS stays PERMISSIVE), with the queries that show who really calls
  them and how to feed the answer back into the plan.
* **Cut over entry traffic**: move clients outside the mesh onto the ingress gateway;
  only then are the exposed workloads' policies enforced.
* **Monitoring (optional)**: the wave's alert rules, for clusters running the
  Prometheus Operator; nothing else depends on them.
"""

from __future__ import annotations

from collections import defaultdict

from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import ManifestSet, Slot, Stage
from workbench.io.manifests.promql import (
    callers_query,
    destination,
    plaintext_query,
    tcp_callers_query,
)
from workbench.io.manifests.rollback import DELETE_FILE


def _code(lines: list[str], lang: str = "sh") -> list[str]:
    return [f"```{lang}", *lines, "```", ""] if lines else []


def observe_section(ctx: ExportContext, stages: list[Stage], number: int) -> list[str]:
    held: dict[str, list[str]] = defaultdict(list)
    for stage in stages:
        for key, why in stage.observe:
            held[key].append(why)
    if not held:
        return []
    lines = [
        f"## {number}. Observe before lockdown",
        "",
        "These workloads stay PERMISSIVE and their AuthorizationPolicy stays in dry-run: "
        "a lockdown could deny a caller the plan does not know, or one that arrives in "
        "plaintext.",
        "",
    ]
    by_ns: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in sorted(held):
        w = ctx.workloads[key]
        lines.append(f"- `{key}`: " + "; ".join(sorted(set(held[key]))[:3]))
        by_ns[(w.cluster, w.namespace)].append(w.name)
    lines += [
        "",
        "Collect who calls them for at least a full business cycle (a week, or the "
        "longest batch period), from Prometheus:",
        "",
    ]
    for (_, ns), names in sorted(by_ns.items()):
        sel = destination(ns, sorted(set(names)))
        lines += _code(
            [
                f"# HTTP and gRPC callers in {ns}",
                callers_query(sel),
                f"# TCP callers in {ns}",
                tcp_callers_query(sel),
                f"# plaintext still arriving in {ns} (must be 0 before any lockdown)",
                plaintext_query(sel),
            ],
            "promql",
        )
    lines += [
        "Save each result (`curl -s http://PROMETHEUS/api/v1/query --data-urlencode "
        "'query=...' > callers.json`), merge it with `mesh-workbench deps add PLAN "
        "callers.json`, fix what makes callers send plaintext (init containers, pod-IP "
        "addressing), and export again: workloads whose callers are then known and meshed "
        "get their lockdown.",
        "",
    ]
    return lines


def entry_points(ctx: ExportContext, key: str) -> str:
    """How clients outside the mesh reach a workload today: Ingress hosts and paths,
    LoadBalancer and NodePort Services."""
    inv = ctx.plan.inventory
    services = ctx.services_of.get(key, [])
    names = {s.name for s in services}
    w = ctx.workloads[key]
    found: list[str] = []
    for ing in inv.ingresses:
        if ing.cluster != w.cluster or ing.namespace != w.namespace:
            continue
        routes = [f"{r.host or '*'}{r.path}" for r in ing.rules if r.service in names]
        if routes:
            found.append(f"Ingress {ing.name}: " + ", ".join(sorted(set(routes))[:6]))
        elif names & set(ing.backends):
            found.append(f"Ingress {ing.name}")
    for svc in services:
        if svc.type in ("LoadBalancer", "NodePort"):
            found.append(f"{svc.type} Service {svc.name}")
    return "; ".join(found) or "clients outside the mesh"


def cutover_section(
    ctx: ExportContext, stages: list[Stage], out: ManifestSet, number: int
) -> list[str]:
    if not stages:
        return []
    lines = [
        f"## {number}. Cut over entry traffic",
        "",
        "Clients outside the mesh still reach these workloads directly. For each, point "
        "its DNS name (or the load balancer) at the ingress gateway's address, check that "
        "the gateway route answers, and wait until nothing arrives in plaintext any more "
        "(the query below stays at 0). Then apply the lockdown that admits the gateway:",
        "",
    ]
    for stage in stages:
        folder = "/".join(stage.path()[1:])
        ctx_flag = f"kubectl --context {_quote(stage.cluster)}"
        cmds = [f"{ctx_flag} apply -k {folder}/"] if stage.objects else []
        if stage.deletes:
            cmds.append(f"{ctx_flag} delete --ignore-not-found -f {folder}/{DELETE_FILE}")
        when = f"On or after {stage.date.isoformat()}: " if stage.date else ""
        lines += [f"### Cluster `{stage.cluster}`", ""]
        lines += [f"{when}exposed workloads and their policies:", ""] if when else []
        keys = [k for note in stage.notes for k in note.split(", ") if k in ctx.workloads]
        lines += [f"- `{k}`: {_flat(entry_points(ctx, k))}" for k in keys]
        lines += [""] if stage.notes else []
        exposed: dict[str, list[str]] = defaultdict(list)
        for note in stage.notes:
            for key in note.split(", "):
                parts = key.split("/")
                if len(parts) >= 4:
                    exposed[parts[1]].append(parts[3])
        queries = [plaintext_query(destination(ns, names)) for ns, names in sorted(exposed.items())]
        lines += _code(queries, "promql")
        lines += _code(cmds)
    return lines


def monitoring_section(stages: list[Stage], number: int) -> list[str]:
    if not stages:
        return []
    lines = [
        f"## {number}. Monitoring (optional)",
        "",
        "Alert rules for this wave, for clusters that run the Prometheus Operator "
        "(`PrometheusRule`); nothing else depends on them:",
        "",
    ]
    for stage in stages:
        folder = "/".join(stage.path()[1:])
        lines += _code([f"kubectl --context {_quote(stage.cluster)} apply -k {folder}/"])
    return lines


def _quote(value: str) -> str:
    import shlex

    flat = "".join(c if c.isprintable() else " " for c in value).strip()[:200]
    return shlex.quote(flat)


def left_out_section(ctx: ExportContext, slot: Slot) -> list[str]:
    """Members with open blockers the export left out, with each blocker's rule and fix."""
    keys = [k for k, s in sorted(ctx.left_out.items()) if s is slot]
    if not keys:
        return []
    lines = [
        "## Left out: open blockers",
        "",
        "These members are not meshed by this folder: their pods would be rejected or "
        "broken on restart. Fix the blocker (or mute it with a reason) and export again, "
        "or export with `--allow-blockers` to include them anyway.",
        "",
    ]
    for key in keys:
        for f in ctx.blockers.get(key, [])[:3]:
            lines.append(f"- `{key}`: {f.rule} {_flat(f.message)} Fix: {_flat(f.fix)}")
    return [*lines, ""]


def _flat(value: str, limit: int = 300) -> str:
    flat = "".join(c if c.isprintable() else " " for c in value).strip()
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
