"""Recalculate workbooks with LibreOffice, headless, and read the values back.

LibreOffice is told to recalculate every formula when it loads an .xlsx file (the
``OOXMLRecalcMode`` setting of a private user profile, so parallel runs never share
one), converts each workbook to a new .xlsx in another folder, and writes the computed
values into it; openpyxl reads them back with ``data_only=True``. One ``soffice`` call
converts any number of files.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_RECALC_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice")


def recalculate(
    paths: Sequence[Path], out_dir: Path, profile: Path, timeout: float = 300
) -> list[Path]:
    """Recalculated copies of ``paths`` (distinct file names) in ``out_dir``."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ValueError(f"workbooks to recalculate need distinct names: {names}")
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_ON_LOAD, encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            exe,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    outputs = [out_dir / p.name for p in paths]
    missing = [str(p) for p in outputs if not p.is_file()]
    if result.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice failed (exit {result.returncode}; missing {missing}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return outputs


def values(path: Path) -> Workbook:
    """The workbook with each formula's computed value in place of the formula."""
    return load_workbook(path, data_only=True)


def named_value(wb: Workbook, name: str) -> Any:
    """The value of the single cell a workbook-level defined name points at."""
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, f"{name} points at {dests}"
    sheet, coord = dests[0]
    return wb[sheet][coord.replace("$", "")].value


def error_cells(wb: Workbook) -> Iterator[tuple[str, str, Any]]:
    """(sheet, cell, value) of every cell holding a spreadsheet error."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if c.data_type == "e" or (
                    isinstance(v, str) and (v in ERROR_VALUES or v.startswith("Err:"))
                ):
                    yield ws.title, c.coordinate, v
