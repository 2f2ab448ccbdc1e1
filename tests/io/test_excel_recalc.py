"""The Excel plan recalculated by LibreOffice equals the app's figures.

Every workbook below is exported, some copies get input cells changed with openpyxl,
and all go through one headless LibreOffice run that recalculates every formula. The
named results, the risk-adjusted results, the monthly cumulative net and the per-row
overhead formulas must then equal what ``workbench.ops.economics`` computes for the same
plan and the same edit: money to the cent, ratios and months to 1e-6.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.conftest import require
from tests.io import libreoffice
from workbench.domain.assumptions import Scenario
from workbench.domain.economics.metrics import Metrics
from workbench.domain.economics.model import BasisCache
from workbench.domain.economics.pricing import monthly_cost
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.check import check_plan
from workbench.ops.economics import EconomicsReport, compute, scenario_assumptions
from workbench.ops.export_excel import export_excel
from workbench.ops.generate import generate_plan

CENT = 0.005
NAMED = {
    "total_cost": "TotalCost",
    "total_benefit": "TotalBenefit",
    "net_benefit": "NetBenefit",
    "roi": "ROI",
    "npv": "NPV",
    "payback_months": "PaybackMonths",
}
INPUT_NAMES = {
    "discount_rate": "DiscountRate",
    "risk_adjustment": "RiskAdjustment",
    "ramp.kind": "RampKind",
    "ramp.months": "RampMonths",
    "infrastructure": "InfrastructureMode",
    "horizon_months": "Horizon",
    "prices.vcpu_hour": "VcpuHour",
    "prices.gb_hour": "GbHour",
}


@dataclass
class Case:
    name: str
    plan: Plan
    scenario: str | None = None
    base: str | None = None  # the exported case this one edits a copy of
    edits: dict[str, Any] = field(default_factory=dict)  # assumption path -> new value


def _generated(workloads: int, clusters: int, seed: int, **changes: Any) -> Plan:
    plan = generate_plan(workloads, clusters, seed)
    a = plan.assumptions
    for path, value in changes.items():
        if path == "ramp_kind":
            a.ramp.kind = value
        elif path == "ramp_months":
            a.ramp.months = value
        else:
            setattr(a, path, value)
    return plan


def _cases(sample: Plan) -> list[Case]:
    small = _generated(300, 2, 3, infrastructure="computed", ramp_kind="coverage")
    mid = _generated(
        900, 3, 11, infrastructure="computed", ramp_kind="linear", ramp_months=10,
        risk_adjustment=0.15, discount_rate=0.08,
    )  # fmt: skip
    wide = _generated(
        600, 1, 5, ramp_kind="coverage", horizon_months=48, discount_rate=0.12,
        infrastructure="computed",
    )  # fmt: skip
    # no infrastructure line (the computed one is added) and no monitoring costs
    wide.assumptions.cost_lines = [
        c for c in wide.assumptions.cost_lines if c.name.lower() != "infrastructure"
    ]
    wide.assumptions.observability.enabled = False
    return [
        Case("seed-playbook", sample, "playbook"),
        Case("seed-ramp", sample, "ramp-with-migration"),
        Case("gen-300", small),
        Case("gen-900", mid),
        Case("gen-600", wide),
        Case("empty", Plan()),
        Case(
            "seed-benefit-rate",
            sample,
            "playbook",
            "seed-playbook",
            {"benefit_lines[Incident Reduction].annual": 1_750_000.0, "discount_rate": 0.07},
        ),
        Case(
            "seed-ramp-risk",
            sample,
            "ramp-with-migration",
            "seed-ramp",
            {"ramp.months": 8, "risk_adjustment": 0.2, "cost_lines[Training].one_time": 450_000.0},
        ),
        Case(
            "seed-computed-coverage",
            sample,
            "playbook",
            "seed-playbook",
            {"infrastructure": "computed", "ramp.kind": "coverage"},
        ),
        Case(
            "gen-300-prices",
            small,
            None,
            "gen-300",
            {"prices.vcpu_hour": 0.09, "prices.gb_hour": 0.011, "horizon_months": 24},
        ),
        Case("gen-300-short", small, None, "gen-300", {"horizon_months": 3}),
    ]


def _find_row(ws: Any, header: str, label: str) -> int:
    """The row of ``label`` in column A of the table headed ``header``."""
    seen = False
    for row in ws.iter_rows(min_col=1, max_col=1):
        value = row[0].value
        if value == header:
            seen = True
        elif seen and value == label:
            return int(row[0].row)
    raise AssertionError(f"no {label!r} under {header!r}")


def _edit(src: Path, dst: Path, edits: dict[str, Any]) -> None:
    wb = load_workbook(src)
    ws = wb["Assumptions"]
    for path, value in edits.items():
        if path in INPUT_NAMES:
            (sheet, coord), *_ = wb.defined_names[INPUT_NAMES[path]].destinations
            wb[sheet][coord.replace("$", "")].value = value
            continue
        table, rest = path.split("[", 1)
        item, attr = rest.split("].")
        header = {"cost_lines": "Cost line", "benefit_lines": "Benefit line"}[table]
        column = {"one_time": "C", "annual": "D" if table == "cost_lines" else "C"}[attr]
        ws[f"{column}{_find_row(ws, header, item)}"].value = value
    wb.save(dst)


def _expected(case: Case) -> EconomicsReport:
    """The app's report for the case's plan, scenario and edits."""
    if not case.edits:
        return compute(case.plan, case.scenario, cache=BasisCache())
    if case.scenario:
        s = case.plan.scenario(case.scenario)
        edited = dataclasses.replace(s, name="edited", overrides={**s.overrides, **case.edits})
    else:
        edited = Scenario("edited", overrides=dict(case.edits))
    plan = dataclasses.replace(case.plan, scenarios=[*case.plan.scenarios, edited])
    return compute(plan, "edited", cache=BasisCache())


@dataclass
class Recalculated:
    case: Case
    workbook: Workbook
    expected: EconomicsReport


@pytest.fixture(scope="session")
def recalculated(
    tmp_path_factory: pytest.TempPathFactory, sample_plan_path: Path
) -> dict[str, Recalculated]:
    require(shutil.which("soffice") is not None, "LibreOffice (libreoffice-calc-nogui)")
    root = tmp_path_factory.mktemp("excel-recalc")
    cases = _cases(load_plan(sample_plan_path))
    files: list[Path] = []
    for case in cases:
        path = root / f"{case.name}.xlsx"
        if case.base is None:
            export_excel(case.plan, path, scenario=case.scenario)
        else:
            _edit(root / f"{case.base}.xlsx", path, case.edits)
        files.append(path)
    outputs = libreoffice.recalculate(files, root / "recalculated", root / "profile")
    return {
        case.name: Recalculated(case, libreoffice.values(out), _expected(case))
        for case, out in zip(cases, outputs, strict=True)
    }


CASE_NAMES = [
    "seed-playbook",
    "seed-ramp",
    "gen-300",
    "gen-900",
    "gen-600",
    "empty",
    "seed-benefit-rate",
    "seed-ramp-risk",
    "seed-computed-coverage",
    "gen-300-prices",
    "gen-300-short",
]


def _same(key: str, got: Any, want: float | None) -> bool:
    if want is None:
        return got in ("beyond horizon", "n/a")
    if not isinstance(got, (int, float)):
        return False
    tolerance = CENT if key in ("total_cost", "total_benefit", "net_benefit", "npv") else 1e-6
    return abs(got - want) <= tolerance


def _results(wb: Workbook, column: str) -> dict[str, Any]:
    out = {}
    for key, name in NAMED.items():
        (sheet, coord), *_ = wb.defined_names[name].destinations
        row = int(coord.split("$")[-1])
        out[key] = wb[sheet][f"{column}{row}"].value
    return out


def _compare(got: dict[str, Any], want: Metrics) -> list[str]:
    return [
        f"{key}: workbook {got[key]!r}, app {getattr(want, key)!r}"
        for key in NAMED
        if not _same(key, got[key], getattr(want, key))
    ]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_named_results_equal_the_apps_figures(
    recalculated: dict[str, Recalculated], name: str
) -> None:
    r = recalculated[name]
    named = {key: libreoffice.named_value(r.workbook, n) for key, n in NAMED.items()}
    assert not _compare(named, r.expected.metrics)
    assert not _compare(_results(r.workbook, "B"), r.expected.metrics)
    assert not _compare(_results(r.workbook, "C"), r.expected.risk_adjusted)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_monthly_cumulative_net_and_irr_follow_the_app(
    recalculated: dict[str, Recalculated], name: str
) -> None:
    r = recalculated[name]
    ws = r.workbook["Cash flow"]
    row = next(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == "Cumulative net")
    flow = r.expected.evaluation.cash_flow
    cumulative = list(flow.cumulative_net)
    horizon = len(cumulative)
    cells = [c.value for c in next(ws.iter_rows(min_row=row, max_row=row, min_col=3))]
    assert len([v for v in cells if v is not None]) >= horizon
    for month, want in enumerate(cumulative):
        assert abs(cells[month] - want) <= CENT, (month + 1, cells[month], want)
    # months beyond an edited, shorter horizon add nothing
    assert all(abs(v - cumulative[-1]) <= CENT for v in cells[horizon:] if v is not None)
    irr_row = _find_row(ws, "Results", "IRR (a year)")
    got, want = ws[f"B{irr_row}"].value, r.expected.metrics.irr
    if want is None:
        assert got == "n/a"
    elif want < -0.99:  # a root at the edge of -100% a year: the spreadsheet may miss it
        assert got == "n/a" or math.isclose(got, want, rel_tol=1e-6)
    else:
        assert isinstance(got, float) and math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)


def test_edits_moved_the_outputs(recalculated: dict[str, Recalculated]) -> None:
    """The edited copies really differ from their originals, as the app says they should."""
    for name in CASE_NAMES:
        r = recalculated[name]
        if r.case.base is None:
            continue
        before = recalculated[r.case.base].expected.metrics
        after = r.expected.metrics
        assert (before.npv, before.payback_months) != (after.npv, after.payback_months), name
        assert abs(libreoffice.named_value(r.workbook, "NPV") - after.npv) <= CENT


def test_a_plan_that_does_not_pay_back_says_so(recalculated: dict[str, Recalculated]) -> None:
    r = recalculated["gen-300-short"]
    assert r.expected.metrics.payback_months is None
    assert libreoffice.named_value(r.workbook, "PaybackMonths") == "beyond horizon"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_no_cell_evaluates_to_an_error(recalculated: dict[str, Recalculated], name: str) -> None:
    assert list(libreoffice.error_cells(recalculated[name].workbook)) == []


@pytest.mark.parametrize("name", ["seed-playbook", "gen-300", "gen-900"])
def test_defined_names_resolve_and_summary_shows_them(
    recalculated: dict[str, Recalculated], name: str
) -> None:
    wb = recalculated[name].workbook
    summary = wb["Summary"]
    shown = {row[0]: row[1] for row in summary.iter_rows(min_row=6, max_row=12, values_only=True)}
    for key, label in (("NPV", "NPV"), ("ROI", "ROI"), ("TotalCost", "Total cost")):
        assert shown[label] == libreoffice.named_value(wb, key)
    for name_ in (*NAMED.values(), "DiscountRate", "Horizon", "RampKind", "MonthlyRate"):
        dests = list(wb.defined_names[name_].destinations)
        assert len(dests) == 1 and dests[0][0] in wb.sheetnames


@pytest.mark.parametrize("name", ["seed-playbook", "gen-300", "gen-900"])
def test_summary_counts_findings_and_prices_the_steady_overhead(
    recalculated: dict[str, Recalculated], name: str
) -> None:
    r = recalculated[name]
    shown = {
        row[0]: row[1]
        for row in r.workbook["Summary"].iter_rows(max_col=2, values_only=True)
        if row[0]
    }
    for severity, count in check_plan(r.case.plan).counts().items():
        assert shown[severity.capitalize()] == count
    overhead = r.expected.overhead
    assert abs(shown["Monthly cost of the overhead"] - overhead.monthly_cost) <= CENT
    assert shown["As nodes (at the target utilisation)"] == pytest.approx(overhead.nodes.nodes)
    assert shown["Extra nodes (whole)"] == overhead.nodes.whole_nodes


@pytest.mark.parametrize("name", ["gen-300", "gen-900"])
def test_overhead_formulas_price_like_the_app(
    recalculated: dict[str, Recalculated], name: str
) -> None:
    r = recalculated[name]
    prices = scenario_assumptions(r.case.plan, r.case.scenario)[1].prices
    inventory = r.workbook["Inventory"]
    head = [c.value for c in inventory[1]]
    cost_col = head.index("Overhead a month")
    total = sum(row[cost_col] or 0.0 for row in inventory.iter_rows(min_row=2, values_only=True))
    report = r.expected
    sidecar = float(
        monthly_cost(report.overhead.sidecar_cpu_m, report.overhead.sidecar_memory_bytes, prices)
    )
    assert total == pytest.approx(sidecar, abs=CENT)
    waves = r.workbook["Waves"]
    costs = [row[12] for row in waves.iter_rows(min_row=5, values_only=True) if row[0] == "Wave"]
    want = [float(monthly_cost(w.cpu_m, w.memory_bytes, prices)) for w in report.waves]
    assert costs == pytest.approx(want, abs=CENT)
