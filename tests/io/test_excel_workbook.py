"""The Excel plan's structure: sheets, names, inputs, formulas, tables and a sound package."""

from __future__ import annotations

import itertools
import posixpath
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from workbench.domain.assumptions import SuccessMetric
from workbench.domain.economics.pricing import GIB
from workbench.domain.plan import Plan
from workbench.io.excel.print_layout import pages_wide, sheet_width
from workbench.io.excel.refs import SHEETS
from workbench.io.plan_file import load_plan
from workbench.ops.check import check_plan
from workbench.ops.economics import compute
from workbench.ops.export_excel import export_excel
from workbench.ops.generate import generate_plan

RESULTS = ("TotalCost", "TotalBenefit", "NetBenefit", "ROI", "NPV", "PaybackMonths")
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@pytest.fixture(scope="module")
def sample(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory: pytest.TempPathFactory, sample: Plan) -> Path:
    path = tmp_path_factory.mktemp("excel") / "sample.xlsx"
    export_excel(sample, path)
    return path


@pytest.fixture(scope="module")
def sample_wb(sample_xlsx: Path) -> Workbook:
    return load_workbook(sample_xlsx)


def _named_cell(wb: Workbook, name: str) -> Any:
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, dests
    sheet, coord = dests[0]
    return wb[sheet][coord.replace("$", "")]


def test_sheets_come_in_order_with_the_summary_first(sample_wb: Workbook) -> None:
    assert sample_wb.sheetnames == list(SHEETS)
    assert sample_wb.sheetnames[0] == "Summary"
    assert sample_wb.calculation.fullCalcOnLoad


def test_results_are_named_formulas_on_the_cash_flow_sheet(sample_wb: Workbook) -> None:
    for name in RESULTS:
        c = _named_cell(sample_wb, name)
        assert c.parent.title == "Cash flow"
        assert isinstance(c.value, str) and c.value.startswith("="), (name, c.value)
    npv = _named_cell(sample_wb, "NPV").value
    assert "SUMPRODUCT" in npv and "NPV(" not in npv


def test_inputs_hold_the_scenarios_values(sample_wb: Workbook, sample: Plan) -> None:
    a = compute(sample).assumptions
    expected = {
        "DiscountRate": a.discount_rate,
        "RiskAdjustment": a.risk_adjustment,
        "RampKind": a.ramp.kind,
        "RampMonths": a.ramp.months,
        "Horizon": a.horizon_months,
        "InfrastructureMode": a.infrastructure,
        "VcpuHour": a.prices.vcpu_hour,
        "GbHour": a.prices.gb_hour,
        "HoursPerMonth": a.prices.hours_per_month,
    }
    for name, value in expected.items():
        assert _named_cell(sample_wb, name).value == value, name
    ws = sample_wb["Assumptions"]
    lines = {row[0]: row[2:4] for row in ws.iter_rows(values_only=True) if row[0]}
    for line in a.cost_lines:
        assert lines[line.name] == (line.one_time, line.annual)
    for benefit in a.benefit_lines:
        if benefit.per_workload > 0:  # the run-rate is a formula of the per-workload input
            assert lines[benefit.name] == (
                f"=D{_row(ws, benefit.name)}*LiveWorkloads",
                benefit.per_workload,
            )
        else:
            assert lines[benefit.name][0] == benefit.annual


def _row(ws: object, label: str) -> int:
    return next(r[0].row for r in ws.iter_rows() if r[0].value == label)  # type: ignore[attr-defined]


def test_coverage_and_overhead_are_formulas_of_the_wave_dates(
    sample_wb: Workbook, sample: Plan
) -> None:
    report = compute(sample)
    ws = sample_wb["Assumptions"]
    for label in (
        "Share of workloads meshed (coverage ramp)",
        "Mesh overhead: CPU requests",
        "Monitoring: active series",
    ):
        row = next(r for r in ws.iter_rows() if r[0].value == label)
        values = [c.value for c in row[2:]]
        assert len(values) == report.assumptions.horizon_months
        assert all(isinstance(v, str) and "SUMPRODUCT" in v for v in values), label
    names = sample_wb.defined_names
    for k in range(1, len(sample.schedule.waves) + 1):
        for name in (f"Wave{k}Start", f"Wave{k}End"):
            (sheet, _), *_ = names[name].destinations
            assert sheet == "Waves"
    assert "Wave1End" in _named_cell(sample_wb, "ProgrammeEnd").value


def test_cash_timing_is_documented(sample_wb: Workbook) -> None:
    for sheet in ("Assumptions", "Cash flow"):
        text = " ".join(str(c.value) for row in sample_wb[sheet].iter_rows(max_row=4) for c in row)
        assert "END of that month" in text and "interpolated" in text


def test_big_tables_have_frozen_filtered_headers_and_print_setup(
    sample_wb: Workbook, sample: Plan
) -> None:
    live = [w for w in sample.inventory.workloads.values() if not w.vanished]
    counts = {
        "Inventory": len(live),
        "Findings": len(check_plan(sample).findings),
        "Dependencies": len(sample.dependencies.edges),
        "Success metrics": len(sample.metrics),
    }
    for sheet, count in counts.items():
        ws = sample_wb[sheet]
        assert ws.max_row == count + 1, sheet
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.auto_filter.ref.startswith("A1:") and ws.auto_filter.ref.endswith(str(count + 1))
    for ws in sample_wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == pages_wide(sheet_width(ws)), ws.title


def test_inventory_rows_carry_wave_readiness_and_overhead(
    sample_wb: Workbook, sample: Plan
) -> None:
    report = compute(sample)
    check = check_plan(sample)
    ws = sample_wb["Inventory"]
    head = [c.value for c in ws[1]]
    rows = {
        r[0]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    cpu = sum(r["Sidecar vCPU"] or 0.0 for r in rows.values())
    gib = sum(r["Sidecar GiB"] or 0.0 for r in rows.values())
    assert cpu == pytest.approx(report.overhead.sidecar_cpu_m / 1000.0)
    assert gib == pytest.approx(report.overhead.sidecar_memory_bytes / GIB)
    assigned = sample.schedule.assigned()
    for key, wave_id in assigned.items():
        assert rows[key]["Wave"] == wave_id
    worst = {f.subject: f.severity for f in reversed(check.findings)}
    for key, row in rows.items():
        assert row["Worst finding"] == worst.get(key), key
        assert row["Risk (0-100)"] == pytest.approx(check.risk.get(key, 0.0))
        assert str(row["Overhead a month"]).startswith("=(")


def test_waves_gantt_is_conditional_fills_over_week_columns(
    sample_wb: Workbook, sample: Plan
) -> None:
    ws = sample_wb["Waves"]
    types = [r[0] for r in ws.iter_rows(min_row=5, values_only=True)]
    sched = sample.schedule
    assert types == ["Phase"] * len(sched.phases) + ["Activity"] * len(sched.activities) + [
        "Wave"
    ] * len(sched.waves)
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert len(rules) == 4 and all(r.type == "expression" for r in rules)
    assert all("$E5<=" in r.formula[0] and "$F5>=" in r.formula[0] for r in rules)
    weeks = [c.value for c in ws[4][13:]]
    assert weeks and all((b - a).days == 7 for a, b in itertools.pairwise(weeks))


def _target(rels: str, target: str) -> str:
    """The part a relationship in ``rels`` points at."""
    if target.startswith("/"):
        return target[1:]
    base = PurePosixPath(rels).parent.parent
    return posixpath.normpath(posixpath.join(str(base), target))


def test_package_is_well_formed_with_native_charts(sample_xlsx: Path) -> None:
    with zipfile.ZipFile(sample_xlsx) as z:
        names = set(z.namelist())
        assert z.testzip() is None
        charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
        assert len(charts) == 3
        for name in sorted(names):
            if not name.endswith((".xml", ".rels")):
                continue
            root = ElementTree.fromstring(z.read(name))  # well-formed
            for rel in root.iter(REL) if name.endswith(".rels") else ():
                if rel.get("TargetMode") != "External":
                    assert _target(name, rel.get("Target", "")) in names, (name, rel.attrib)
            if name.startswith("xl/worksheets/sheet"):
                assert 't="inlineStr"/>' not in z.read(name).decode()  # no empty text cells


def test_text_from_the_plan_is_never_a_formula(tmp_path: Path) -> None:
    plan = generate_plan(40, 1, 2)
    plan.meta.title = '=HYPERLINK("http://example.com","click")'
    plan.metrics = [
        SuccessMetric(name="=1+1", baseline="@SUM(A1)", target="-2", category="\x07x"),
        SuccessMetric(name="#N/A", baseline="a\ud800b", target=" padded ", achieved="#REF!"),
    ]
    plan.schedule.waves[0].name = "=cmd|' /C calc'!A0"
    path = tmp_path / "hostile.xlsx"
    export_excel(plan, path)
    wb = load_workbook(path)
    assert wb["Summary"]["A1"].value == plan.meta.title
    assert wb["Summary"]["A1"].data_type == "s"
    metric = [c for c in wb["Success metrics"][2]]
    assert [c.value for c in metric[:4]] == ["=1+1", "x", "@SUM(A1)", "-2"]
    assert all(c.data_type == "s" for c in metric[:4])
    second = [c for c in wb["Success metrics"][3]]
    assert [c.value for c in second] == ["#N/A", None, "ab", " padded ", "#REF!"]
    assert all(c.data_type == "s" for c in second if c.value is not None)
    names = [r[2] for r in wb["Waves"].iter_rows(min_row=5, values_only=True) if r[0] == "Wave"]
    assert plan.schedule.waves[0].name in names
    formulas = [
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert not any("HYPERLINK" in f or "cmd|" in f or f.lstrip("=") == "1+1" for f in formulas)
