"""The Excel plan follows the schedule: wave dates are inputs that drive payback.

Each wave's Start and End cells on the Waves sheet are named ``Wave1Start``,
``Wave1End`` ... Copies of exported workbooks get wave dates moved with openpyxl; after
LibreOffice recalculates them, the named results equal what the app computes for the
same move: money to the cent, payback and ratios to 1e-6.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.conftest import require
from tests.io import libreoffice
from tests.ops.case_plans import scheduled_estate
from workbench.domain.commands_waves import RescheduleWaves
from workbench.domain.economics.metrics import Metrics
from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Plan
from workbench.ops.economics import compute
from workbench.ops.export_excel import export_excel
from workbench.ops.sample_plan import build_sample_plan

CENT = 0.005
NAMED = {
    "total_cost": "TotalCost",
    "total_benefit": "TotalBenefit",
    "npv": "NPV",
    "roi": "ROI",
    "payback_months": "PaybackMonths",
    "mirr": "MIRR",
}


@dataclass
class Move:
    name: str
    plan: Plan
    scenario: str | None
    days: dict[int, int]  # wave number (1-based) -> days to move it by


def _moves() -> list[Move]:
    estate = scheduled_estate(300, 3)
    ambient = scheduled_estate(240, 6, clusters=2)
    ambient.schedule.waves[2].mode = "ambient"
    sample = build_sample_plan()
    return [
        Move("estate", estate, None, {}),
        Move("estate-one-later", estate, None, {2: 31}),
        Move("estate-all-later", estate, None, {1: 45, 2: 45, 3: 45}),
        Move("estate-one-earlier", estate, None, {3: -40}),
        Move("ambient-one-later", ambient, None, {2: 20}),
        Move("sample-one-later", sample, None, {2: 60}),
    ]


def _moved(plan: Plan, days: dict[int, int]) -> Plan:
    out = copy.deepcopy(plan)
    waves = out.schedule.waves
    RescheduleWaves(
        {
            waves[k - 1].id: (
                waves[k - 1].start + timedelta(days=d),
                waves[k - 1].end + timedelta(days=d),
            )
            for k, d in days.items()
        }
    ).do(out)
    return out


def _edit_dates(src: Path, dst: Path, days: dict[int, int]) -> None:
    wb = load_workbook(src)
    for k, d in days.items():
        for name in (f"Wave{k}Start", f"Wave{k}End"):
            (sheet, coord), *_ = wb.defined_names[name].destinations
            c = wb[sheet][coord.replace("$", "")]
            assert isinstance(c.value, datetime), (name, c.value)
            c.value = c.value + timedelta(days=d)
    wb.save(dst)


@dataclass
class Result:
    move: Move
    workbook: Workbook
    app: Metrics


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    require(shutil.which("soffice") is not None, "LibreOffice (libreoffice-calc-nogui)")
    root = tmp_path_factory.mktemp("excel-schedule")
    files, moves = [], _moves()
    exported: dict[int, Path] = {}
    for move in moves:
        key = id(move.plan)
        if key not in exported:
            exported[key] = root / f"{move.name}-base.xlsx"
            export_excel(move.plan, exported[key], scenario=move.scenario)
        path = root / f"{move.name}.xlsx"
        _edit_dates(exported[key], path, move.days)
        files.append(path)
    outputs = libreoffice.recalculate(files, root / "recalculated", root / "profile")
    return {
        m.name: Result(
            m,
            libreoffice.values(out),
            compute(_moved(m.plan, m.days), m.scenario, cache=BasisCache()).metrics,
        )
        for m, out in zip(moves, outputs, strict=True)
    }


NAMES = [m.name for m in _moves()]


@pytest.mark.parametrize("name", NAMES)
def test_moving_a_wave_date_in_the_workbook_matches_the_app(
    recalculated: dict[str, Result], name: str
) -> None:
    r = recalculated[name]
    for key, defined in NAMED.items():
        got, want = libreoffice.named_value(r.workbook, defined), getattr(r.app, key)
        if want is None:
            assert got in ("beyond horizon", "n/a"), (key, got)
            continue
        tolerance = CENT if key in ("total_cost", "total_benefit", "npv") else 1e-6
        if key == "mirr":  # the spreadsheet's MIRR equals the app's and numpy-financial's
            tolerance = 1e-9
        assert isinstance(got, (int, float)) and abs(got - want) <= tolerance, (key, got, want)
    assert list(libreoffice.error_cells(r.workbook)) == []
    notes = [row[0] for row in r.workbook["Summary"].iter_rows(values_only=True) if row[0]]
    assert "Notes" in notes


def test_the_wave_dates_drive_payback(recalculated: dict[str, Result]) -> None:
    base = libreoffice.named_value(recalculated["estate"].workbook, "PaybackMonths")
    later = libreoffice.named_value(recalculated["estate-all-later"].workbook, "PaybackMonths")
    one = libreoffice.named_value(recalculated["estate-one-later"].workbook, "PaybackMonths")
    earlier = libreoffice.named_value(recalculated["estate-one-earlier"].workbook, "PaybackMonths")
    assert isinstance(base, float)
    assert later > one > base > earlier
    assert later - base == pytest.approx(1.5, abs=0.5)  # 45 days later: about a month and a half
