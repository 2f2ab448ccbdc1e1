"""AuthorizationPolicy and Sidecar objects read once into matchers for the replay.

A policy's rules are turned into sets and prefix/suffix tuples when the replay first
meets the object, so judging a call against a policy listing hundreds of principals is
a set lookup, not a scan. The matchers decide exactly as the rules in
:mod:`workbench.domain.simulation.rules` describe them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.domain.simulation.model import Obj

L7_OPERATION = ("hosts", "notHosts", "methods", "notMethods", "paths", "notPaths")
L7_SOURCE = ("requestPrincipals", "notRequestPrincipals", "remoteIpBlocks", "notRemoteIpBlocks")
UNKNOWN_SOURCE = ("ipBlocks", "notIpBlocks", *L7_SOURCE)


def _values(d: dict[str, Any], field: str) -> list[str]:
    v = d.get(field)
    return [str(x) for x in v] if isinstance(v, list) else []


@dataclass(frozen=True, slots=True)
class Patterns:
    """Istio's string match: exact, ``prefix*``, ``*suffix`` or ``*``."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    anything: bool

    @staticmethod
    def of(values: list[str]) -> Patterns | None:
        """None for no values (the field is not set)."""
        if not values:
            return None
        exact, prefixes, suffixes = set(), [], []
        for p in values:
            if p.startswith("*"):
                suffixes.append(p[1:])
            elif p.endswith("*"):
                prefixes.append(p[:-1])
            else:
                exact.add(p)
        return Patterns(frozenset(exact), tuple(prefixes), tuple(suffixes), "*" in values)

    def match(self, value: str) -> bool:
        return (
            self.anything
            or value in self.exact
            or (bool(self.suffixes) and value.endswith(self.suffixes))
            or (bool(self.prefixes) and value.startswith(self.prefixes))
        )


@dataclass(frozen=True, slots=True)
class SourceMatch:
    principals: Patterns | None
    not_principals: Patterns | None
    namespaces: Patterns | None
    not_namespaces: Patterns | None
    unknown: bool  # IP blocks, request principals: the plan cannot tell

    @staticmethod
    def of(spec: dict[str, Any]) -> SourceMatch:
        return SourceMatch(
            Patterns.of(_values(spec, "principals")),
            Patterns.of(_values(spec, "notPrincipals")),
            Patterns.of(_values(spec, "namespaces")),
            Patterns.of(_values(spec, "notNamespaces")),
            any(spec.get(f) for f in UNKNOWN_SOURCE),
        )

    def match(self, principal: str | None, namespace: str | None) -> bool | None:
        for allowed, denied, value in (
            (self.principals, self.not_principals, principal),
            (self.namespaces, self.not_namespaces, namespace),
        ):
            if allowed is not None and (value is None or not allowed.match(value)):
                return False
            if denied is not None and (value is None or denied.match(value)):
                return False  # notPrincipals needs an identity to compare (Istio: no match)
        return None if self.unknown else True


@dataclass(frozen=True, slots=True)
class OperationMatch:
    ports: frozenset[str] | None
    not_ports: frozenset[str] | None
    l7: bool

    @staticmethod
    def of(op: dict[str, Any]) -> OperationMatch:
        ports, not_ports = _values(op, "ports"), _values(op, "notPorts")
        return OperationMatch(
            frozenset(ports) if ports else None,
            frozenset(not_ports) if not_ports else None,
            any(op.get(f) for f in L7_OPERATION),
        )

    def match(self, port: int | None) -> bool | None:
        if self.ports is not None and (port is None or str(port) not in self.ports):
            return None if port is None else False
        if self.not_ports is not None and port is not None and str(port) in self.not_ports:
            return False
        return None if self.l7 else True


def _any(results: list[bool | None]) -> bool | None:
    """True if one is, else None if one cannot tell, else False."""
    if True in results:
        return True
    return None if None in results else False


def _all(results: list[bool | None]) -> bool | None:
    """False if one is, else None if one cannot tell, else True."""
    if False in results:
        return False
    return None if None in results else True


@dataclass(frozen=True, slots=True)
class RuleMatch:
    sources: tuple[SourceMatch, ...]
    operations: tuple[OperationMatch, ...]
    when: bool

    @staticmethod
    def of(rule: dict[str, Any]) -> RuleMatch:
        return RuleMatch(
            tuple(SourceMatch.of(f.get("source") or {}) for f in rule.get("from") or []),
            tuple(OperationMatch.of(t.get("operation") or {}) for t in rule.get("to") or []),
            bool(rule.get("when")),
        )

    def match(self, principal: str | None, namespace: str | None, port: int | None) -> bool | None:
        """True, False, or None when the plan cannot tell (HTTP attributes, IP blocks)."""
        parts: list[bool | None] = []
        if self.sources:
            parts.append(_any([s.match(principal, namespace) for s in self.sources]))
        if self.operations:
            parts.append(_any([o.match(port) for o in self.operations]))
        if self.when:
            parts.append(None)
        return _all(parts)


@dataclass(frozen=True, slots=True)
class PolicyMatch:
    rules: tuple[RuleMatch, ...]

    @staticmethod
    def of(pol: Obj) -> PolicyMatch:
        return PolicyMatch(
            tuple(RuleMatch.of(r) for r in (pol.get("spec") or {}).get("rules") or [])
        )

    def match(self, principal: str | None, namespace: str | None, port: int | None) -> bool | None:
        if not self.rules:
            return False
        return _any([r.match(principal, namespace, port) for r in self.rules])


def name(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


@dataclass(frozen=True, slots=True)
class EgressScope:
    """A Sidecar's egress hosts (``namespace/host``) by their namespace part: ``*``,
    ``.`` (the caller's own) or a name; each a host pattern set."""

    name: str
    by_namespace: dict[str, tuple[bool, frozenset[str], tuple[str, ...]]]

    @staticmethod
    def of(sidecar: Obj) -> EgressScope:
        egress = (sidecar.get("spec") or {}).get("egress") or []
        hosts: dict[str, list[str]] = {}
        for entry in (h for e in egress for h in e.get("hosts", [])):
            ns, _, host = str(entry).partition("/")
            hosts.setdefault(ns, []).append(host)
        by_namespace = {
            ns: (
                "*" in found,
                frozenset(found),
                tuple(h[1:] for h in found if h.startswith("*.")),
            )
            for ns, found in hosts.items()
        }
        return EgressScope(name(sidecar), by_namespace)

    def admits(self, caller_ns: str, callee_ns: str, names: set[str]) -> bool:
        """Whether a callee in ``callee_ns`` reached as ``names`` is in scope."""
        parts = ["*", callee_ns, "."] if caller_ns == callee_ns else ["*", callee_ns]
        for part in parts:
            found = self.by_namespace.get(part)
            if found is None:
                continue
            anything, exact, suffixes = found
            if anything or not exact.isdisjoint(names):
                return True
            if suffixes and any(n.endswith(suffixes) for n in names):
                return True
        return False


class Compiled:
    """Matchers by object, built on first use; objects are never changed while replayed."""

    def __init__(self) -> None:
        self._policies: dict[int, tuple[Obj, PolicyMatch]] = {}
        self._scopes: dict[int, tuple[Obj, EgressScope]] = {}

    def policy(self, pol: Obj) -> PolicyMatch:
        found = self._policies.get(id(pol))
        if found is None or found[0] is not pol:
            found = self._policies[id(pol)] = (pol, PolicyMatch.of(pol))
        return found[1]

    def scope(self, sidecar: Obj) -> EgressScope:
        found = self._scopes.get(id(sidecar))
        if found is None or found[0] is not sidecar:
            found = self._scopes[id(sidecar)] = (sidecar, EgressScope.of(sidecar))
        return found[1]
