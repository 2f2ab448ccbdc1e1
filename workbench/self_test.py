"""The installation self-test (``mesh-workbench --self-test``), its Qt-free part.

Proves a build carries everything the app needs at run time: the bundled resources, the
sample plan, the economics engine, and the three exports, each written to a temporary
folder and read back (the workbook reopens with its defined names, every manifest parses
and each wave folder is kustomize-ready, the PDF has its pages). The window part lives
in :mod:`workbench.ui.self_test_window`; both report a list of :class:`Check`.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.plan import Plan
from workbench.resources import resource_path, sample_plan_path

MIN_PDF_PAGES = 3
ICON_FILES = ("workbench.svg", "workbench-256.png")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True, slots=True)
class Check:
    """One self-test step: what was checked, whether it passed, what was seen."""

    name: str
    ok: bool
    detail: str
    seconds: float = 0.0

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail} ({self.seconds:.2f} s)"


class CheckFailed(Exception):
    """A self-test step saw something wrong (the message says what)."""


def timed(name: str, step: Callable[[], str]) -> Check:
    """Run one step; any exception makes it a failed check that names the exception."""
    start = time.perf_counter()
    try:
        detail = step()
    except CheckFailed as exc:
        return Check(name, False, str(exc), time.perf_counter() - start)
    except Exception as exc:  # a broken build shows up as any exception at all
        return Check(name, False, f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
    return Check(name, True, detail, time.perf_counter() - start)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_resources() -> str:
    missing = [name for name in ICON_FILES if not resource_path("icons", name).is_file()]
    expect(not missing, f"missing under {resource_path('icons')}: {', '.join(missing)}")
    return f"icons in {resource_path('icons')}"


def check_plan(plan: Plan) -> str:
    workloads = len(plan.inventory.workloads)
    waves = len(plan.schedule.waves)
    expect(workloads > 0 and waves > 0, f"{workloads} workloads and {waves} waves")
    return f"{workloads} workloads, {waves} waves"


def check_economics(plan: Plan) -> str:
    from workbench.ops.economics import compute

    m = compute(plan).metrics
    figures = (m.total_cost, m.total_benefit, m.npv)
    expect(all(math.isfinite(x) for x in figures), f"figures not finite: {figures}")
    expect(m.total_cost > 0 and m.roi is not None, f"no cost in the business case: {m}")
    payback = "none" if m.payback_months is None else f"{m.payback_months:.1f} months"
    return f"cost {m.total_cost:,.0f}, ROI {m.roi:.0%}, payback {payback}"


def check_excel(plan: Plan, folder: Path) -> str:
    from openpyxl import load_workbook

    from workbench.io.excel.cashflow_results import RESULT_NAMES
    from workbench.io.excel.refs import SHEETS
    from workbench.ops.export_excel import export_excel

    path = folder / "plan.xlsx"
    export_excel(plan, path)
    book = load_workbook(path)
    try:
        missing_sheets = [s for s in SHEETS if s not in book.sheetnames]
        expect(not missing_sheets, f"sheets missing: {missing_sheets}")
        names = set(book.defined_names)
        missing_names = sorted(set(RESULT_NAMES.values()) - names)
        expect(not missing_names, f"defined names missing: {missing_names}")
    finally:
        book.close()
    return f"{len(book.sheetnames)} sheets, {len(names)} defined names, {_size(path)}"


def check_manifests(plan: Plan, folder: Path) -> str:
    import yaml

    from workbench.ops.export_manifests import export_manifests

    out = folder / "manifests"
    report = export_manifests(plan, out)
    expect(bool(report.folders), "no wave folders written")
    for wave in report.folders:
        kustomizations = list((out / wave).rglob("kustomization.yaml"))
        expect(bool(kustomizations), f"{wave}: no kustomization.yaml")
        for path in kustomizations:
            _check_kustomization(path, yaml.safe_load(path.read_text(encoding="utf-8")))
    documents = 0
    files = sorted(out.rglob("*.yaml"))
    for path in files:
        try:
            documents += sum(1 for d in yaml.safe_load_all(path.read_text("utf-8")) if d)
        except yaml.YAMLError as exc:
            raise CheckFailed(f"{path.relative_to(out)} does not parse: {exc}") from None
    return f"{len(report.folders)} wave folders, {len(files)} YAML files, {documents} documents"


def _check_kustomization(path: Path, data: Any) -> None:
    where = path.parent.name
    expect(isinstance(data, dict), f"{where}/kustomization.yaml is not a mapping")
    listed: list[str] = list(data.get("resources") or [])
    for patch in data.get("patches") or []:
        if isinstance(patch, dict) and "path" in patch:
            listed.append(str(patch["path"]))
    for entry in listed:
        expect((path.parent / entry).exists(), f"{where}/kustomization.yaml lists {entry}: absent")


KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: self-test
  cluster: {server: "https://127.0.0.1:9"}
users:
- name: self-test
  user: {token: self-test}
contexts:
- name: self-test
  context: {cluster: self-test, user: self-test}
current-context: self-test
"""


def check_cluster_client(folder: Path) -> str:
    """The live-cluster import stack (kubeconfig, Kubernetes client, TLS, HTTP) loads and
    reports an unreachable server as a user error; nothing leaves this machine."""
    from workbench.io.cluster_reader import ClusterReader, ClusterUnreachable
    from workbench.io.kubeconfig import load_kubeconfig

    path = folder / "kubeconfig"
    path.write_text(KUBECONFIG, encoding="utf-8")
    config = load_kubeconfig(path)
    try:
        ClusterReader(config, config.contexts[0], "self-test").read(lambda *_: None)
    except ClusterUnreachable as exc:
        return f"a closed port reads as: {exc}"
    raise CheckFailed("reading from a closed local port did not fail")


def pdf_pages(path: Path) -> int:
    """Pages of a PDF: with pypdf when installed, else by counting page objects."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(_PAGE_OBJECT.findall(path.read_bytes()))
    return len(PdfReader(path).pages)


def check_pdf(plan: Plan, folder: Path) -> str:
    from workbench.ops.export_report import export_pdf

    path = folder / "report.pdf"
    written = export_pdf(plan, path)
    expect(path.read_bytes()[:5] == b"%PDF-", "report.pdf is not a PDF")
    pages = pdf_pages(path)
    expect(pages >= MIN_PDF_PAGES, f"{pages} pages (expected at least {MIN_PDF_PAGES})")
    expect(pages == written.pages, f"{pages} pages in the file, {written.pages} written")
    return f"{pages} pages, {_size(path)}"


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:,.0f} KiB"


def run_checks(plan_path: Path | None = None, out_dir: Path | None = None) -> list[Check]:
    """Every Qt-free check, in order; exports go to ``out_dir`` (default: a temp folder)."""
    from workbench.io.plan_file import load_plan

    path = plan_path or sample_plan_path()
    checks = [timed("resources", check_resources)]
    loaded: list[Plan] = []

    def load() -> str:
        loaded.append(load_plan(path))
        return f"{path.name}: {check_plan(loaded[0])}"

    checks.append(timed("plan", load))
    if not loaded:
        return checks
    plan = loaded[0]
    checks.append(timed("economics", lambda: check_economics(plan)))
    with tempfile.TemporaryDirectory(prefix="mesh-workbench-self-test-") as temp:
        folder = Path(out_dir or temp)
        folder.mkdir(parents=True, exist_ok=True)
        checks.append(timed("excel", lambda: check_excel(plan, folder)))
        checks.append(timed("manifests", lambda: check_manifests(plan, folder)))
        checks.append(timed("pdf", lambda: check_pdf(plan, folder)))
        checks.append(timed("cluster client", lambda: check_cluster_client(folder)))
    return checks


def process_age() -> float | None:
    """Seconds since this process started (Linux), for start-up measurements."""
    try:
        stat = Path(f"/proc/{os.getpid()}/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def report(checks: Iterable[Check], out: Callable[[str], None] = print) -> bool:
    """Print one line per check and a verdict; True when everything passed."""
    checks = list(checks)
    for check in checks:
        out(check.line())
    failed = [c.name for c in checks if not c.ok]
    if failed:
        out(f"self-test FAILED: {len(failed)} of {len(checks)} checks ({', '.join(failed)})")
    else:
        out(f"self-test passed: {len(checks)} checks")
    return not failed
