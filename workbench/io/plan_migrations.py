"""Upgrading plan files written in older format versions, one version at a time.

``MIGRATIONS[n]`` turns the decoded envelope of a format-``n`` file into the envelope of
a format ``n + 1`` file (a plain dict: ``format``, ``format_version``, ``app_version``,
``plan``). The loader runs the chain from the file's version up to the current one, so
every released version keeps loading. When a change to the domain model changes the
file's shape, bump ``FORMAT_VERSION``, add the step here, and keep a file of the old
version under ``tests/data/plan_files/v<n>/``.

Fields added to the model with a default need no step: a missing field takes its
default when a file is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workbench.domain.errors import WorkbenchError

FORMAT = "meshplan"
FORMAT_VERSION = 2

Envelope = dict[str, Any]
Migration = Callable[[Envelope], Envelope]

MANUAL_EVIDENCE = "added by hand (recorded before evidence sources were kept)"


def _v1_to_v2(envelope: Envelope) -> Envelope:
    """Format 2 records what each piece of dependency evidence rests on.

    Every evidence item gains ``source`` (static, runtime or person, from its kind); an
    edge made by hand that carries no hand-made evidence gains one, so "a person said so"
    is visible in the evidence itself. Runtime windows, observations and caller
    confirmations did not exist in format 1: they start empty, which reads as "not
    observed" (never as "no callers").
    """
    from workbench.domain.dependencies import source_of_kind

    deps = envelope["plan"].get("dependencies")
    if not isinstance(deps, dict):
        return envelope
    edges = deps.get("edges")
    for edge in edges.values() if isinstance(edges, dict) else edges or []:
        if not isinstance(edge, dict):
            continue
        evidence = edge.setdefault("evidence", [])
        for item in evidence:
            if isinstance(item, dict) and "source" not in item:
                item["source"] = source_of_kind(str(item.get("kind", "")))
        if edge.get("manual") and not any(
            isinstance(item, dict) and item.get("source") == "person" for item in evidence
        ):
            evidence.append({"kind": "manual", "detail": MANUAL_EVIDENCE, "source": "person"})
    return envelope


# from-version -> step to the next version
MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


class MigrationError(WorkbenchError, ValueError):
    """A file whose version cannot be brought up to the current format."""


def migrate(
    envelope: Envelope,
    version: int,
    target: int = FORMAT_VERSION,
    chain: Mapping[int, Migration] | None = None,
) -> Envelope:
    """Apply the steps from ``version`` up to ``target``; return the upgraded envelope."""
    steps = MIGRATIONS if chain is None else chain
    while version < target:
        step = steps.get(version)
        if step is None:
            lowest = min(steps, default=target)
            reads = f"format {target}" if lowest == target else f"formats {lowest} to {target}"
            raise MigrationError(
                f"format {version} is older than any this version can upgrade (it reads {reads})"
            )
        try:
            envelope = step(envelope)
        except WorkbenchError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise MigrationError(
                f"could not upgrade from format {version} to {version + 1}: {exc!r}"
            ) from None
        version += 1
        envelope["format_version"] = version
    return envelope
