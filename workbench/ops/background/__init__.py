"""Checking the open plan in a separate process that mirrors it edit by edit.

:mod:`.session` keeps a plan's findings current incrementally (readiness and schedule)
and says what changed since it last reported; :mod:`.sync` names the parts of a plan
an edit touched, which is what travels to the mirror; :mod:`.process` runs a session in
a worker process, coalesces edits that arrive while it works and streams findings back
in small chunks, so the interpreter that draws the window never runs the rules.

:mod:`.jobs` runs the desktop's long jobs (the use cases in :mod:`.usecases`: Monte
Carlo, exports, auto-plan, imports; and in :mod:`.window_usecases` those answering the
window in light, plain data) in worker processes, with progress and cancel;
:mod:`.transfer` is how their plans and results cross without stalling the window.

The names below load their module on first use, so a job's worker (and the window at
start-up) does not import the checking engine it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.ops.background.process import CheckProcess
    from workbench.ops.background.session import CheckSession, FindingsDelta
    from workbench.ops.background.sync import PlanParts, parts_for

__all__ = ["CheckProcess", "CheckSession", "FindingsDelta", "PlanParts", "parts_for"]

_MODULE_OF = {
    "CheckProcess": "process",
    "CheckSession": "session",
    "FindingsDelta": "session",
    "PlanParts": "sync",
    "parts_for": "sync",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
