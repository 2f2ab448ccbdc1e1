"""What each dashboard chart draws from an economics report, to tell whether a new
report changes it.

Most edits move a few charts only (a new discount rate moves the NPV sensitivity, not
the cash flow or the overhead): a chart whose inputs are the same as those it was drawn
from keeps its picture. :func:`report_inputs` names, per chart, the values its builder
reads (:mod:`.chart_figures`); :func:`same` compares them, arrays by content.
"""

from __future__ import annotations

from dataclasses import astuple, fields, is_dataclass
from typing import Any

import numpy as np

from workbench.ops.economics import EconomicsReport


class Identity:
    """A large object that is reused while it stands, compared by identity."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identity) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)


def report_inputs(report: EconomicsReport) -> dict[str, tuple[Any, ...]]:
    """The values each chart of ``report`` is built from (the Monte Carlo one aside)."""
    flow = report.evaluation.cash_flow
    m = report.metrics
    basis = report.basis
    cur = report.currency
    return {
        "cashflow": (
            report.month_labels,
            flow.cost_total,
            flow.benefit_total,
            m.payback_months,
            cur,
        ),
        "cost_breakdown": (report.evaluation.inputs.cost_names, flow.costs, cur),
        "tornado": (report.tornado, m.npv, report.assumptions.sensitivity_step, cur),
        # The basis is kept and reused while the schedule and the estate stand still,
        # its timeline with it; only its assumptions follow the edits (the prices here).
        "overhead": (
            Identity(basis),
            Identity(basis.timeline),
            astuple(basis.assumptions.prices),
            cur,
        ),
        "sidecar_vs_ambient": (report.overhead, report.overhead_by_mode, cur),
    }


def same(a: object, b: object) -> bool:
    """Equal values: arrays, sequences, mappings and dataclasses compared part by part;
    anything else by ``==`` (objects without a value equality by identity)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b))
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
        )
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False
