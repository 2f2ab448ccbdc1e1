"""Desktop benchmarks: start-up with the sample plan, and a 10,000-workload generated plan
(5 clusters, ~43,000 pods).

Targets: the window with the sample plan on screen <= 1.5 s from launching the
interpreter; opening the large plan to an interactive window <= 3 s (the window is shown
at once and answers while the file loads in the background; the figure is the time
until the inventory shows the plan); a filter keystroke updates the inventory table in
<= 100 ms; memory with the plan open (findings computed) <= 800 MB.
Each figure is measured in a fresh interpreter so imports and other tests do not skew it.
Run: pytest tests/benchmarks/bench_ui.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OPEN_TARGET_S = 3.0
START_TARGET_S = 1.5
KEYSTROKE_TARGET_MS = 100.0
MEMORY_TARGET_MB = 800.0
REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, os, statistics, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
settings = tempfile.mkdtemp()
for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, settings)
from workbench.ops.generate import generate_plan
from workbench.io.plan_file import save_plan
path = os.path.join(settings, "estate.meshplan")
save_plan(generate_plan(10_000, 5, 7), path)

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

from workbench.ui.app import application
app = application()
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import app_settings
app_settings().setValue("preferences/recoveryDir", os.path.join(settings, "recovery"))
t0 = time.perf_counter()
window = MainWindow()
window.resize(1600, 1000)
window.show()
assert window.open_plan(path)
app.processEvents()
window_shown = time.perf_counter() - t0
while window.document.path is None:  # the file loads in the background
    app.processEvents()
    time.sleep(0.002)
app.processEvents()
opened = time.perf_counter() - t0
inventory = window.views["inventory"]
rows = inventory.proxy.rowCount()

def keystroke(text):
    t = time.perf_counter()
    inventory.filter_edit.setText(text)
    app.processEvents()
    inventory.table.viewport().repaint()
    return (time.perf_counter() - t) * 1000, inventory.proxy.rowCount()

def idle():
    t = time.perf_counter()
    while window.document.jobs.running() or window.document.analysis.busy:
        app.processEvents()
        time.sleep(0.005)
    return time.perf_counter() - t

checked = idle()  # the findings check that opening started
times = []
for text in ("p", "pr", "pro", "prod", "prod-", "prod-c", "prod-c1", "prod-c1 d", "prod-c1 de",
             "prod-c1 dep", "prod-c1 de", "prod-c1", "", "s", "sv", "svc", "", "b", "bl",
             "blo", "blocker", ""):
    ms, shown = keystroke(text)
    times.append(ms)
# typing while a findings check runs in the background (after an edit) shares the CPU
window.document.analysis.refresh_now()
busy = []
for text in ("p", "pr", "pro", "prod", ""):
    ms, _ = keystroke(text)
    busy.append(ms)
idle()
after_check = busy
memory = rss_mb()
window.document.undo_stack.setClean()
window.close()
print(json.dumps({
    "workloads": len(window.document.plan.inventory.workloads),
    "pods": window.document.plan.inventory.total_pods(),
    "rows": rows, "window_s": window_shown, "open_s": opened, "keystroke_ms": times,
    "keystroke_after_check_ms": after_check,
    "check_s": checked, "rss_mb": memory,
}))
"""


def test_ui_with_ten_thousand_workloads() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    keys = data["keystroke_ms"]
    worst, median = max(keys), sorted(keys)[len(keys) // 2]
    print()
    print(f"plan: {data['workloads']:,} workloads, {data['pods']:,} pods, {data['rows']:,} rows")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"window shown and answering: {data['window_s']:.2f} s")
    print(f"open to interactive window: {data['open_s']:.2f} s (target <= {OPEN_TARGET_S} s)")
    print(
        f"filter keystroke: median {median:.0f} ms, worst {worst:.0f} ms "
        f"(target <= {KEYSTROKE_TARGET_MS:.0f} ms)"
    )
    busy = " ".join(f"{t:.0f}" for t in data["keystroke_after_check_ms"])
    print(f"filter keystrokes while a findings check runs (ms): {busy}")
    print(f"findings check after opening (background): {data['check_s']:.2f} s")
    print(
        f"memory with the plan open: {data['rss_mb']:.0f} MB (target <= {MEMORY_TARGET_MB:.0f} MB)"
    )
    assert data["workloads"] == 10_000 and data["rows"] == 10_000
    assert data["open_s"] <= OPEN_TARGET_S
    assert worst <= KEYSTROKE_TARGET_MS
    assert data["rss_mb"] <= MEMORY_TARGET_MB


START_SCRIPT = r"""
import os, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QTimer
settings = tempfile.mkdtemp()
for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, settings)
from workbench.ui.app import application
from workbench.ui.resources import sample_plan_path
app = application()
from workbench.ui.main_window import MainWindow
window = MainWindow()
window.show()
window.open_plan(sample_plan_path())
def painted():
    window.repaint()
    print(time.time(), len(window.document.plan.inventory.workloads), flush=True)
    window.document.undo_stack.setClean()
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


def test_start_up_with_the_sample_plan() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app starts from compiled modules
    figures = []
    for _ in range(3):
        import time

        launched = time.time()
        result = subprocess.run(
            [sys.executable, "-c", START_SCRIPT], capture_output=True, text=True, env=env,
            timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        stamp, workloads = result.stdout.split()[-2:]
        assert int(workloads) > 0
        figures.append(float(stamp) - launched)
    print()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(
        "window with the sample plan on screen, from launch: "
        + ", ".join(f"{f:.2f}" for f in figures)
        + f" s (best {min(figures):.2f} s; target <= {START_TARGET_S} s)"
    )
