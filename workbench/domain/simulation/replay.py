"""Replaying the steps: judge every call before the rollout and after each step.

A call already failing before the first step (an existing policy, say) is not the
rollout's doing; it is reported once as such, and a step lists only calls it leaves
broken that worked before. Each step re-judges only the calls it can affect
(:mod:`workbench.domain.simulation.impact`), so a plan of tens of thousands of calls
replays in seconds; ``full=True`` re-judges every call and gives the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workbench.domain.plan import Plan
from workbench.domain.simulation.facts import (
    EXTERNAL,
    GATEWAY_NAMESPACE,
    GATEWAY_SERVICE_ACCOUNT,
    EstateFacts,
    estate_facts,
)
from workbench.domain.simulation.impact import CallIndex
from workbench.domain.simulation.model import (
    AT_RISK,
    BROKEN,
    Call,
    RolloutStep,
    SimulationReport,
    StepResult,
    Verdict,
)
from workbench.domain.simulation.rules import (
    Source,
    authorize,
    client_tls,
    outside_egress_scope,
    peer_mode,
)
from workbench.domain.simulation.state import SIDECAR, MeshState

Cancel = Callable[[], None]


def _sender(state: MeshState, call: Call, port: int | None) -> Source | Verdict:
    callee_mode = state.mode(call.callee)
    if call.caller == EXTERNAL:
        cluster = state.facts.workloads[call.callee].cluster
        if cluster in state.cutover:
            principal = f"{state.trust_domain}/ns/{GATEWAY_NAMESPACE}/sa/{GATEWAY_SERVICE_ACCOUNT}"
            return Source(callee_mode is not None, principal, GATEWAY_NAMESPACE)
        return Source(False, plaintext_reason="a client outside the mesh, without identity")
    mode = state.mode(call.caller)
    if mode is None:
        return Source(False, plaintext_reason=f"the caller {call.caller} has no proxy")
    if mode == SIDECAR:
        if call.what == "init" and not state.native(call.caller):
            names = ", ".join(state.facts.network_init.get(call.caller, ()))
            return Source(False, plaintext_reason=f"init container(s) {names} run before the proxy")
        if call.plaintext:
            return Source(False, plaintext_reason=call.plaintext)
        scoped = outside_egress_scope(state, call.caller, call.callee)
        if scoped is not None:
            return Source(False, plaintext_reason=f"the callee is outside {scoped}'s egress hosts")
    tls, rule = client_tls(state, call.caller, call.callee, port)
    if callee_mode is None:
        if tls == "ISTIO_MUTUAL":
            return Verdict(call, BROKEN, f"{rule} sends ISTIO_MUTUAL to a workload without proxy")
        return Source(
            False, plaintext_reason="auto mTLS sends plaintext to a workload without proxy"
        )
    if tls == "DISABLE":
        return Source(False, plaintext_reason=f"{rule} disables TLS")
    w = state.facts.workloads[call.caller]
    return Source(True, state.principal(call.caller), w.namespace)


def judge(state: MeshState, call: Call) -> Verdict | None:
    """The worst outcome of the call over its ports (None: it works)."""
    worst: Verdict | None = None
    for port in call.ports or (None,):
        found = _judge_port(state, call, port)
        if found is not None and found.status == BROKEN:
            return found
        worst = worst or found
    return worst


def _judge_port(state: MeshState, call: Call, port: int | None) -> Verdict | None:
    src = _sender(state, call, port)
    if isinstance(src, Verdict):
        return Verdict(call, src.status, src.reason, port)
    callee_mode = state.mode(call.callee)
    if callee_mode is None:
        return None
    mode, by = peer_mode(state, call.callee, port)
    if not src.mtls:
        if mode == "STRICT":
            return Verdict(call, BROKEN, f"{by} is STRICT; plaintext: {src.plaintext_reason}", port)
        if (
            mode == "PERMISSIVE"
            and callee_mode == SIDECAR
            and port in state.facts.server_first.get(call.callee, ())
        ):
            return Verdict(
                call,
                BROKEN,
                f"server-first protocol on undeclared port {port} hangs under PERMISSIVE "
                f"({by}); plaintext: {src.plaintext_reason}",
                port,
            )
    status, reason = authorize(state, call.callee, src, port)
    return None if status is None else Verdict(call, status, reason, port)


def simulate(
    plan: Plan,
    steps: Iterable[RolloutStep],
    *,
    istio_version: str | None = None,
    facts: EstateFacts | None = None,
    cancel: Cancel | None = None,
    full: bool = False,
) -> SimulationReport:
    """Judge every call before the first step, then after each step the calls the step
    can affect (every call with ``full``: the same verdicts, slower)."""
    facts = facts or estate_facts(plan, istio_version)
    state = MeshState(facts)
    calls = facts.calls
    index = CallIndex(facts, state.root)
    current: dict[int, Verdict] = {}
    for i, call in enumerate(calls):
        v = judge(state, call)
        if v is not None:
            current[i] = v
    baseline = {i for i, v in current.items() if v.status == BROKEN}
    report = SimulationReport(len(calls))
    if baseline:
        report.notes.append(
            f"{len(baseline)} call(s) already fail before the rollout (existing policies): "
            + "; ".join(
                f"{current[i].call.label()}: {current[i].reason}" for i in sorted(baseline)[:3]
            )
        )
    before: set[int] = set()
    for step in steps:
        if cancel is not None:
            cancel()
        dirty = state.apply(step)
        todo: Iterable[int] = range(len(calls)) if full else index.affected(dirty)
        for i in todo:
            v = judge(state, calls[i])
            if v is None:
                current.pop(i, None)
            else:
                current[i] = v
        result = StepResult(step, meshed=state.meshed)
        now: set[int] = set()
        for i in sorted(current):
            v = current[i]
            if v.status == BROKEN and i not in baseline:
                result.broken.append(v)
                now.add(i)
                if i not in before:
                    result.new_broken.append(v)
            elif v.status == AT_RISK:
                result.at_risk.append(v)
        before = now
        report.results.append(result)
    return report
