"""AuthorizationPolicy allow-lists from the dependency graph.

Each meshed workload with known callers gets an ALLOW policy naming exactly those
callers by principal (``<trust domain>/ns/<namespace>/sa/<service account>``); a workload
reached from outside the mesh (LoadBalancer, NodePort or Ingress backend) also allows
the ingress gateway, which takes over that traffic in the foundation. Workloads whose
labels cannot be told apart share one policy that allows all their callers.

A policy is only enforced when the workload's callers are known and none of them would
arrive in plaintext (see :mod:`workbench.io.manifests.gate`); otherwise it stays in
dry-run and the wave's runbook says what to observe. A workload reached from outside
the mesh gets its enforced policy in the final folder's entry cut-over, once its clients
come through the ingress gateway. StatefulSet members also allow their own identity
(they call their peers).

A policy by principal only works once every caller has a proxy, so it is enforced in
the lockdown step of the wave by whose end the workload and all its callers are meshed
(or at its own wave's end when the plan asks for that). A workload with a caller in no
wave keeps its policy in dry-run in the final folder. Optionally each policy is first
applied with ``istio.io/dry-run: "true"`` when the workload joins, and an allow-nothing
policy per namespace closes everything else at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import (
    CUTOVER,
    MANAGED_BY,
    ManifestSet,
    Obj,
    Slot,
)

DRY_RUN = "istio.io/dry-run"


@dataclass(frozen=True, slots=True)
class AllowList:
    cluster: str
    namespace: str
    name: str
    workloads: tuple[str, ...]  # workload keys the policy selects
    principals: tuple[str, ...]


def authorization_policy(
    ctx: ExportContext,
    namespace: str,
    name: str,
    selector: dict[str, str] | None,
    principals: list[str] | None,
    dry_run: bool | None = None,
) -> Obj:
    meta: Obj = {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)}
    if dry_run is not None:
        meta["annotations"] = {DRY_RUN: "true" if dry_run else "false"}
    spec: Obj = {}
    if selector is not None:
        spec["selector"] = {"matchLabels": dict(selector)}
    if principals is not None:
        spec["action"] = "ALLOW"
        spec["rules"] = [{"from": [{"source": {"principals": principals}}]}]
    return {
        "apiVersion": ctx.api.security,
        "kind": "AuthorizationPolicy",
        "metadata": meta,
        "spec": spec,
    }


class AuthzBuilder:
    def __init__(self, ctx: ExportContext, out: ManifestSet) -> None:
        self.ctx = ctx
        self.out = out
        self.allow_lists: list[AllowList] = []
        self.without_callers = 0

    def build(self) -> None:
        ctx = self.ctx
        groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = defaultdict(list)
        for key in sorted(ctx.slot_of):
            if key not in ctx.nameable:
                continue
            selector = ctx.selectors.get(key)
            if selector is None:
                self.out.warn(f"{key}: no pod labels to select it; no AuthorizationPolicy")
                continue
            ns_key = ctx.workloads[key].namespace_key
            groups[(ns_key, tuple(sorted(selector.items())))].append(key)
        for (_, selector_items), keys in sorted(groups.items(), key=lambda g: g[1][0]):
            self._group(keys, dict(selector_items))
        if ctx.options.deny_by_default:
            self._deny_by_default()

    def _group(self, keys: list[str], selector: dict[str, str]) -> None:
        ctx, graph = self.ctx, self.ctx.graph
        selected = ctx.matching(ctx.workloads[keys[0]].namespace_key, selector)
        callers = sorted({c for k in selected for c in graph.callers.get(k, ())})
        exposed = any(k in graph.exposed for k in selected)
        if not callers and not exposed:
            self.without_callers += 1
            return
        principals: set[str] = set()
        for caller in callers:
            principal = ctx.principal(caller)
            if principal is None:
                self.out.warn(
                    f"{keys[0]}: caller {caller} has no valid service account name; "
                    "no AuthorizationPolicy"
                )
                return
            principals.add(principal)
        if exposed:
            principals.add(ctx.gateway_principal())
        for key in selected:
            own_principal = ctx.principal(key)
            if key in ctx.gate.peers and own_principal is not None:
                principals.add(own_principal)  # StatefulSet members call their peers
        w = ctx.workloads[keys[0]]
        name = ctx.object_name(keys[0])
        own = [ctx.slot_of[k] for k in selected if k in ctx.slot_of]
        first = min(own, key=lambda s: s.index)
        when = self._when(selected, own, callers)
        dry_first = ctx.options.authz_dry_run_first
        listed = sorted(principals)
        held = sorted({r for k in selected for r in ctx.gate.reasons(k)})
        if when is not None and held:
            pol = authorization_policy(ctx, w.namespace, name, selector, listed, True)
            self.out.add(first, w.cluster, pol)
            stage = self.out.stage(first, w.cluster)
            stage.observe += [(keys[0], reason) for reason in held]
        elif when is not None and exposed:
            pol = authorization_policy(ctx, w.namespace, name, selector, listed, True)
            self.out.add(first, w.cluster, pol)
            pol = authorization_policy(ctx, w.namespace, name, selector, listed, False)
            self.out.add(ctx.final, w.cluster, pol, CUTOVER)
            stage = self.out.stage(ctx.final, w.cluster, CUTOVER)
            stage.notes.append(f"{', '.join(k for k in selected if k in graph.exposed)}")
            stage.not_before(when)
        elif when is None:
            never = [c for c in callers if ctx.mesh_time(c) is None]
            self.out.warn(
                f"{keys[0]}: caller {never[0]} is in no wave; its AuthorizationPolicy "
                "stays in dry-run (final folder)"
            )
            pol = authorization_policy(ctx, w.namespace, name, selector, listed, True)
            self.out.add(ctx.final, w.cluster, pol)
        else:
            if dry_first:
                pol = authorization_policy(ctx, w.namespace, name, selector, listed, True)
                self.out.add(first, w.cluster, pol)
            slot, step = ctx.enforce_step(when, first)
            dry = False if dry_first else None
            pol = authorization_policy(ctx, w.namespace, name, selector, listed, dry)
            self.out.add(slot, w.cluster, pol, step)
            self.out.stage(slot, w.cluster, step).not_before(when)
        self.allow_lists.append(
            AllowList(w.cluster, w.namespace, name, tuple(selected), tuple(listed))
        )

    def _when(self, selected: list[str], own: list[Slot], callers: list[str]) -> date | None:
        """The day the policy may be enforced; None when a caller is never meshed."""
        ctx = self.ctx
        ends = [s.end for s in own if s.end is not None]
        latest = max(ends)
        if any(s.wave is not None and s.wave.authz for s in own):
            late = [c for c in callers if (t := ctx.mesh_time(c)) is None or t > latest]
            if not late:
                return latest  # the plan enforces it at the wave's end
            self.out.warn(
                f"{selected[0]}: the plan enforces its AuthorizationPolicy on "
                f"{latest.isoformat()}, before caller {late[0]} is meshed; it waits for "
                "its callers instead"
            )
        for caller in callers:
            t = ctx.mesh_time(caller)
            if t is None:
                return None
            latest = max(latest, t)
        return latest

    def _deny_by_default(self) -> None:
        ctx = self.ctx
        for key in sorted(
            {min(ctx.ns_workloads[ctx.workloads[k].namespace_key]) for k in ctx.slot_of}
        ):
            w = ctx.workloads[key]
            pol = authorization_policy(ctx, w.namespace, "deny-by-default", None, None)
            self.out.add(ctx.final, w.cluster, pol)
