"""Calls from spans: a parent span and its child in another service are one call.

Span kinds decide when present (the child must be a SERVER or CONSUMER span, or carry no
kind); without kinds, a change of service between parent and child is a call. Spans are
kept compactly (an id -> service number and kind), so a million spans fit in memory; parents
may arrive after their children (batches in any order).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.io.runtime.resolve import EndpointResolver
from workbench.io.runtime.tally import RuntimeTally

KIND_UNSPECIFIED, KIND_INTERNAL, KIND_SERVER, KIND_CLIENT, KIND_PRODUCER, KIND_CONSUMER = range(6)
KIND_NAMES = {
    "INTERNAL": KIND_INTERNAL,
    "SERVER": KIND_SERVER,
    "CLIENT": KIND_CLIENT,
    "PRODUCER": KIND_PRODUCER,
    "CONSUMER": KIND_CONSUMER,
    "SPAN_KIND_INTERNAL": KIND_INTERNAL,
    "SPAN_KIND_SERVER": KIND_SERVER,
    "SPAN_KIND_CLIENT": KIND_CLIENT,
    "SPAN_KIND_PRODUCER": KIND_PRODUCER,
    "SPAN_KIND_CONSUMER": KIND_CONSUMER,
}
RECEIVING = (KIND_UNSPECIFIED, KIND_SERVER, KIND_CONSUMER)


def span_kind(value: object) -> int:
    if isinstance(value, int) and 0 <= value <= 5:
        return value
    if isinstance(value, str):
        return KIND_NAMES.get(value.upper(), KIND_UNSPECIFIED)
    return KIND_UNSPECIFIED


@dataclass(slots=True)
class ServiceIdentity:
    """What a span's process says about itself, resolved once per distinct identity."""

    name: str  # for reports: ns/service or service
    keys: list[str]


@dataclass(slots=True)
class SpanGraph:
    resolver: EndpointResolver
    tally: RuntimeTally
    _services: list[ServiceIdentity] = field(default_factory=list)
    _service_ids: dict[tuple[str, ...], int] = field(default_factory=dict)
    _spans: dict[str, int] = field(default_factory=dict)  # span id -> service * 8 + kind
    _children: list[tuple[str, int]] = field(default_factory=list)  # (parent id, packed)
    _roots: list[int] = field(default_factory=list)  # packed, spans without a parent

    def service(self, attrs: dict[str, str]) -> int:
        """The number of the service a set of resource attributes names."""
        ident = tuple(
            attrs.get(k, "")
            for k in (
                "service.name",
                "service.namespace",
                "k8s.namespace.name",
                "k8s.cluster.name",
                "k8s.pod.name",
                "k8s.deployment.name",
                "k8s.statefulset.name",
                "k8s.daemonset.name",
                "k8s.job.name",
                "k8s.cronjob.name",
            )
        )
        found = self._service_ids.get(ident)
        if found is None:
            found = len(self._services)
            self._services.append(self._identify(ident))
            self._service_ids[ident] = found
        return found

    def _identify(self, ident: tuple[str, ...]) -> ServiceIdentity:
        name, svc_ns, k8s_ns, cluster, pod, *owners = ident
        ns = k8s_ns or svc_ns
        label = f"{ns}/{name or pod}" if ns else name or pod or "?"
        if ns:
            for owner in owners:
                if owner:
                    key = self.resolver.named(ns, owner, cluster or None)
                    if key:
                        return ServiceIdentity(label, [key])
            if pod:
                key = self.resolver.pod(ns, pod, cluster or None)
                if key:
                    return ServiceIdentity(label, [key])
        return ServiceIdentity(label, self.resolver.service(name, ns or None) if name else [])

    def span(
        self, span_id: str, parent_id: str, service: int, kind: int, start: float | None
    ) -> None:
        self.tally.records += 1
        self.tally.when(start)
        packed = service * 8 + kind
        if span_id:
            self._spans[span_id] = packed
        if parent_id:
            self._children.append((parent_id, packed))
        elif kind in (KIND_SERVER, KIND_CONSUMER):
            self._roots.append(packed)

    def link(self, parent: str, child: str, count: int) -> None:
        """A dependency link (``parent`` calls ``child`` ``count`` times), names as given."""
        self.tally.records += 1
        caller = self._services[self.service({"service.name": parent})]
        callee = self._services[self.service({"service.name": child})]
        self._call(caller, callee, count)

    def _call(self, caller: ServiceIdentity, callee: ServiceIdentity, count: int) -> None:
        tally = self.tally
        if not callee.keys:
            tally.unmatched[callee.name] += count
            tally.seen.update(caller.keys)
            return
        if not caller.keys:
            tally.unmatched[caller.name] += count
            for key in callee.keys:
                tally.seen.add(key)
                tally.external[key] += count
            return
        for a in caller.keys:
            for b in callee.keys:
                tally.call(a, b, count)

    def finish(self) -> None:
        """Turn the parent -> child pairs into calls (once every span is in)."""
        tally = self.tally
        for ident in {p // 8 for p in self._spans.values()}:
            tally.seen.update(self._services[ident].keys)
        for packed in self._roots:  # called by something no trace names
            callee = self._services[packed // 8]
            for key in callee.keys:
                tally.external[key] += 1
        for parent_id, child in self._children:
            parent = self._spans.get(parent_id)
            if parent is None:
                tally.left_out["spans whose parent is not in the data"] += 1
                continue
            if parent // 8 == child // 8:
                continue  # inside one service
            if child % 8 not in RECEIVING:
                continue  # a client or internal span is inside its caller's process
            caller, callee = self._services[parent // 8], self._services[child // 8]
            if caller.keys == callee.keys and caller.keys:
                continue
            self._call(caller, callee, 1)
        self._spans.clear()
        self._children.clear()
        self._roots.clear()
