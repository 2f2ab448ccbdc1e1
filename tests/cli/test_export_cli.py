"""``mesh-workbench export``: targets, one-line errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workbench.cli import main


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("mesh-workbench: error:"), err
    return err[0]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ([], "nothing to export"),
        (["--pdf", "r.pdf", "--istio-version", "latest"], "not an Istio version"),
        (["--pdf", "r.pdf", "--scenario", "nope"], "no scenario named 'nope'"),
        (["--pdf", "missing-folder/r.pdf"], "no folder"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    sample_plan_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(sample_plan_path), *extra]) == 2
    assert says in _one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_missing_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "none.meshplan"), "--pdf", str(tmp_path / "r.pdf")]) == 2
    assert "none.meshplan" in _one_error_line(capsys)


def test_pdf_and_png(
    sample_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, png = tmp_path / "report.pdf", tmp_path / "charts"
    args = ["export", str(sample_plan_path), "--pdf", str(pdf), "--png", str(png)]
    assert main([*args, "--scenario", "ramp-with-migration"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("pdf: ") and "pages)" in out[0]
    assert out[1].startswith("png: ") and "charts)" in out[1]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert (png / "cashflow.png").is_file() and (png / "gantt.png").is_file()


def test_excel(sample_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("workbench.ops.export_excel")
    book = tmp_path / "plan.xlsx"
    assert main(["export", str(sample_plan_path), "--excel", str(book)]) == 0
    assert capsys.readouterr().out.startswith("excel: ")
    with zipfile.ZipFile(book) as z:
        assert "xl/workbook.xml" in z.namelist()


def test_manifests(
    sample_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("workbench.ops.export_manifests")
    out = tmp_path / "manifests"
    args = ["export", str(sample_plan_path), "--manifests", str(out), "--istio-version", "1.22"]
    assert main(args) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("manifests: ") and line.endswith("Istio 1.22)")
    assert any(out.rglob("kustomization.yaml"))
    texts = [f.read_text() for f in out.rglob("*.yaml")]
    assert any("apiVersion: security.istio.io/v1\n" in t for t in texts)
