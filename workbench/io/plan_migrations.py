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
FORMAT_VERSION = 1

Envelope = dict[str, Any]
Migration = Callable[[Envelope], Envelope]

# from-version -> step to the next version; empty while format 1 is the only one.
MIGRATIONS: dict[int, Migration] = {}


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
