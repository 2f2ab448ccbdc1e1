"""A scripted user session on a large plan, with an event-loop latency probe.

A 1 ms timer records every gap between two turns of the Qt event loop while a scripted
user opens a 10,000-workload / 100,000-pod / 5-cluster plan, types in the inventory
filter, switches views, drags a wave on the Gantt chart, edits an assumption, runs
auto-plan and exports the Excel workbook. Each step runs from the event loop, as a real
key press or mouse move would, so the time a handler takes counts as a stall.

Prints one JSON line: per phase and overall, the longest stall and the 99th percentile
of the gaps (ms), the time until the opened plan is in the window (it answers the user
throughout: the file loads in the background) and until its findings are complete, and
the memory of the window, of its checking process and of the other worker processes
(the job and chart workers kept ready) at the end of the steps and once idle workers
have ended, and the peak of all of them together during the session.
Run: ``python -m tests.benchmarks.latency_session [--workloads N] [--pods P]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Step = tuple[str, Callable[[], object], "float | Callable[[], bool]"]
SETTLE_S = 20.0  # after the last step, before the settled memory: idle job workers end


def scaled_plan(workloads: int, pods: int, clusters: int, seed: int = 7) -> object:
    """A generated estate whose replica counts are scaled to about ``pods`` pods."""
    from workbench.ops.generate import generate_plan

    plan = generate_plan(workloads, clusters, seed)
    scalable = [w for w in plan.inventory.workloads.values() if w.kind != "DaemonSet"]
    fixed = plan.inventory.total_pods() - sum(w.pods for w in scalable)
    factor = max(1.0, (pods - fixed) / max(1, sum(w.pods for w in scalable)))
    for w in scalable:
        w.replicas = w.pods = max(1, round(w.pods * factor))
    return plan


def rss_mb(pid: int | None = None) -> float:
    path = f"/proc/{pid or 'self'}/status"
    try:
        with open(path, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def helper_processes() -> dict[int, str]:
    """This process's children (the checking process, job and chart workers): pid -> name."""
    found: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if int(rest.split()[1]) == os.getpid():
            found[int(entry)] = name
    return found


def total_rss_mb() -> float:
    """The memory of this process and of every helper process it started."""
    return rss_mb() + sum(rss_mb(pid) for pid in helper_processes())


class MemorySampler:
    """The peak of :func:`total_rss_mb`, sampled twice a second on a thread of its own."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while self.running:
            self.peak = max(self.peak, total_rss_mb())
            time.sleep(0.5)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak


class StallSampler:
    """Samples the UI thread's stack while the event loop has not turned for 50 ms."""

    def __init__(self, state: dict[str, object]) -> None:
        import threading
        from collections import Counter

        self.state = state
        self.main = threading.main_thread().ident
        self.samples: Counter[str] = Counter()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        import traceback

        while self.running:
            time.sleep(0.02)
            if time.perf_counter() - float(self.state["last"]) < 0.05:  # type: ignore[arg-type]
                continue
            frame = sys._current_frames().get(self.main or 0)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "workbench" in f.filename or "latency" in f.filename]
            innermost = [] if stack[-1] in ours else [stack[-1]]  # a library call, by name
            where = " < ".join(
                f"{Path(f.filename).name}:{f.lineno}:{f.name}"
                for f in [*innermost, *reversed(ours[-10:])]
            )
            self.samples[f"[{self.state['phase']}] {where}"] += 1

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    def print_summary(self) -> None:
        for where, count in self.samples.most_common(25):
            print(f"{count * 20:6d} ms  {where[:400]}", file=sys.stderr)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", type=int, default=10_000)
    parser.add_argument("--pods", type=int, default=100_000)
    parser.add_argument("--clusters", type=int, default=5)
    parser.add_argument("--trace-stalls", action="store_true", help="print where long stalls sat")
    parser.add_argument(
        "--per-step", action="store_true", help="report the longest stall of every step"
    )
    args = parser.parse_args(argv)

    from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest

    settings = tempfile.mkdtemp()
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings)
    from workbench.io.plan_file import save_plan

    path = Path(settings) / "estate.meshplan"
    plan = scaled_plan(args.workloads, args.pods, args.clusters)
    save_plan(plan, path)  # type: ignore[arg-type]
    del plan

    from workbench.ui.app import application
    from workbench.ui.settings import app_settings

    app = application()
    app_settings().setValue("preferences/recoveryDir", str(Path(settings) / "recovery"))
    from tests.ui.plans import FakeDialogs
    from workbench.ui.main_window import MainWindow

    dialogs_seen = FakeDialogs()
    window = MainWindow(dialogs=dialogs_seen)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()

    gaps: list[tuple[str, float]] = []
    state = {"phase": "idle", "last": time.perf_counter(), "done": False, "step": -1}
    step_longest: dict[int, float] = {}
    marks: dict[str, float] = {}

    def tick() -> None:
        now = time.perf_counter()
        gap = (now - float(state["last"])) * 1000
        gaps.append((str(state["phase"]), gap))
        state["last"] = now
        step = int(state["step"])  # type: ignore[call-overload]
        step_longest[step] = max(step_longest.get(step, 0.0), gap)

    collections: list[tuple[int, float, str, int]] = []  # generation, ms, phase, young
    started_at: dict[str, float] = {}

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started_at["t"], started_at["young"] = time.perf_counter(), gc.get_count()[0]
        elif "t" in started_at:
            took = (time.perf_counter() - started_at.pop("t")) * 1000
            young = int(started_at.pop("young"))
            collections.append((info["generation"], took, str(state["phase"]), young))

    gc.callbacks.append(timed)
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(1)
    probe.timeout.connect(tick)

    def idle() -> bool:
        doc = window.document
        analysis = doc.analysis
        return not doc.jobs.running() and not analysis.busy and analysis.current.ready

    def key(ch: str) -> Callable[[], object]:
        def press() -> None:
            edit = window.views["inventory"].filter_edit  # type: ignore[attr-defined]
            if ch == "\b":
                QTest.keyClick(edit, Qt.Key.Key_Backspace)
            else:
                QTest.keyClick(edit, ch)

        return press

    def show(view_id: str) -> Callable[[], object]:
        def go() -> object:
            return window.show_view(view_id)

        go.__name__ = f"show {view_id}"
        return go

    drag: dict[str, object] = {}

    def drag_press() -> None:
        gantt = window.views["gantt"]
        bar = gantt.scene.bars["wave-03"]  # type: ignore[attr-defined]
        gantt.canvas.ensureVisible(bar.rect(), 40, 10)  # type: ignore[attr-defined]
        rect = bar.rect()
        start = gantt.canvas.mapFromScene(rect.center().x(), rect.center().y())  # type: ignore[attr-defined]
        drag["start"], drag["viewport"] = start, gantt.canvas.viewport()  # type: ignore[attr-defined]
        drag["ppd"] = gantt.scene.axis.px_per_day  # type: ignore[attr-defined]
        QTest.mousePress(
            drag["viewport"], Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start
        )  # type: ignore[arg-type]

    def drag_move(days: int) -> Callable[[], object]:
        def move() -> None:
            offset = QPoint(round(days * float(drag["ppd"])), 0)  # type: ignore[arg-type]
            QTest.mouseMove(drag["viewport"], drag["start"] + offset)  # type: ignore[arg-type,operator]

        return move

    def drag_release() -> None:
        offset = QPoint(round(20 * float(drag["ppd"])), 0)  # type: ignore[arg-type]
        QTest.mouseRelease(
            drag["viewport"],  # type: ignore[arg-type]
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            drag["start"] + offset,  # type: ignore[operator]
        )

    def assumption(text: str) -> Callable[[], object]:
        def edit() -> None:
            economics = window.views["economics"]
            economics.editor.fields["discount_rate"].set_text(text)  # type: ignore[attr-defined]

        return edit

    dialogs: dict[str, object] = {}

    def autoplan_open() -> None:
        from workbench.ui.gantt.autoplan_dialog import AutoPlanDialog

        gantt = window.views["gantt"]
        dialog = AutoPlanDialog(window.document, gantt.live.runner, gantt)  # type: ignore[attr-defined]
        dialogs["autoplan"] = dialog
        dialog.show()
        dialog.preview()

    def autoplan_apply() -> None:
        dialog = dialogs["autoplan"]
        dialog.apply()  # type: ignore[attr-defined]

    def export_start() -> None:
        from workbench.ui.export_dialog import ExportDialog

        dialog = ExportDialog(window.document, window.dialogs, window)
        dialogs["export"] = dialog
        dialog.show()
        dialog.set_kind("excel")
        dialog.path_edit.setText(str(Path(settings) / "plan.xlsx"))
        dialog.start()

    def export_done() -> bool:
        dialog = dialogs.get("export")
        return dialog is not None and dialog.job is None  # type: ignore[attr-defined]

    def open_plan() -> None:
        marks["open_started"] = time.perf_counter()
        window.document.replaced.connect(lambda: marks.setdefault("shown", time.perf_counter()))
        assert window.open_plan(path)

    typing = "prod-c1 dep"
    steps: list[Step] = [("open", open_plan, idle)]  # loaded in the background, then checked
    steps += [("open", lambda: marks.setdefault("checked", time.perf_counter()), 0.0)]
    steps += [("filter", key(ch), 0.14) for ch in typing]
    steps += [("filter", key("\b"), 0.1) for _ in typing]
    steps += [("filter", lambda: None, idle)]
    for view_id in ("dependencies", "waves", "economics", "findings", "gantt", "inventory"):
        steps += [("views", show(view_id), 0.6)]
    steps += [("drag", show("gantt"), 0.5), ("drag", drag_press, 0.05)]
    steps += [("drag", drag_move(d), 0.016) for d in range(1, 21)]
    steps += [("drag", drag_release, idle)]
    steps += [("assumption", show("economics"), 0.5)]
    steps += [("assumption", assumption(t), 0.4) for t in ("12%", "14%", "11%")]
    steps += [("assumption", lambda: None, idle)]
    steps += [("autoplan", show("gantt"), 0.5), ("autoplan", autoplan_open, 0.1)]
    steps += [
        ("autoplan", lambda: None, lambda: dialogs["autoplan"].proposal is not None),  # type: ignore[attr-defined]
        ("autoplan", autoplan_apply, idle),
    ]
    steps += [("export", export_start, export_done), ("export", lambda: None, idle)]

    timeline: list[tuple[str, float]] = []

    def run(index: int) -> None:
        if index >= len(steps):
            state["done"] = True
            worker = window.document.analysis.worker_pid  # read before the window closes
            marks["worker_rss_mb"] = rss_mb(worker) if worker else 0.0
            others = {pid: name for pid, name in helper_processes().items() if pid != worker}
            marks["other_helpers_rss_mb"] = sum(rss_mb(pid) for pid in others)
            marks["other_helpers"] = len(others)
            # the plan open and nothing done: idle helpers have ended (jobs.IDLE_S)
            state["phase"] = "settle"
            QTimer.singleShot(round(SETTLE_S * 1000), lambda: settled(worker))
            return
        phase, action, wait = steps[index]
        state["phase"] = phase
        state["step"] = index
        print(f"{time.perf_counter():.2f} step {index} {phase}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        action()
        timeline.append((phase, (time.perf_counter() - started) * 1000))
        if callable(wait):
            poll(index + 1, wait, time.perf_counter())
        else:
            QTimer.singleShot(round(wait * 1000), lambda: run(index + 1))

    def settled(worker: int | None) -> None:
        marks["settled_rss_mb"] = rss_mb()
        marks["settled_worker_rss_mb"] = rss_mb(worker) if worker else 0.0
        others = [pid for pid in helper_processes() if pid != worker]
        marks["settled_other_helpers_rss_mb"] = sum(rss_mb(pid) for pid in others)
        marks["settled_total_rss_mb"] = total_rss_mb()
        window.document.undo_stack.setClean()  # quit without the unsaved-changes question
        app.quit()

    def poll(index: int, ready: Callable[[], bool], since: float) -> None:
        if ready() or time.perf_counter() - since > 120:
            QTimer.singleShot(50, lambda: run(index))
        else:
            QTimer.singleShot(10, lambda: poll(index, ready, since))

    sampler = StallSampler(state) if args.trace_stalls else None
    memory = MemorySampler()
    QTimer.singleShot(200, lambda: run(0))
    probe.start()
    app.exec()
    probe.stop()
    marks["peak_total_rss_mb"] = memory.stop()
    if sampler is not None:
        sampler.stop()
        sampler.print_summary()

    by_phase: dict[str, list[float]] = {}
    for phase, gap in gaps:
        by_phase.setdefault(phase, []).append(gap)
    all_gaps = [g for _, g in gaps]
    report = {
        "workloads": len(window.document.plan.inventory.workloads),
        "pods": window.document.plan.inventory.total_pods(),
        "clusters": len(window.document.plan.inventory.clusters),
        "plan_shown_s": marks.get("shown", 0.0) - marks.get("open_started", 0.0),
        "checked_s": marks.get("checked", 0.0) - marks.get("open_started", 0.0),
        "load_average": os.getloadavg()[0],
        "longest_ms": max(all_gaps, default=0.0),
        "p99_ms": percentile(all_gaps, 0.99),
        "phases": {
            p: {"longest_ms": max(g), "p99_ms": percentile(g, 0.99), "turns": len(g)}
            for p, g in by_phase.items()
        },
        "slowest_steps": sorted(timeline, key=lambda t: -t[1])[:8],
        "collections": {
            str(generation): {
                "count": sum(1 for g, *_ in collections if g == generation),
                "longest_ms": round(
                    max((ms for g, ms, *_ in collections if g == generation), default=0.0), 1
                ),
                "over_50_ms": [
                    [phase, round(ms, 1), young]
                    for g, ms, phase, young in collections
                    if g == generation and ms > 50
                ],
            }
            for generation in (0, 1, 2)
        },
        "rss_mb": rss_mb(),
        "worker_rss_mb": marks.get("worker_rss_mb", 0.0),
        # the job and chart workers kept ready at the end (idle, yet memory in use)
        "other_helpers_rss_mb": marks.get("other_helpers_rss_mb", 0.0),
        "other_helpers": marks.get("other_helpers", 0),
        # SETTLE_S after the last step: the window, its checking process and what is left
        "settled_rss_mb": marks.get("settled_rss_mb", 0.0),
        "settled_worker_rss_mb": marks.get("settled_worker_rss_mb", 0.0),
        "settled_other_helpers_rss_mb": marks.get("settled_other_helpers_rss_mb", 0.0),
        "settled_total_rss_mb": marks.get("settled_total_rss_mb", 0.0),
        "peak_total_rss_mb": marks.get("peak_total_rss_mb", 0.0),
        "completed": bool(state["done"]),
        **(
            {
                "steps": [
                    [i, steps[i][0], getattr(steps[i][1], "__name__", ""), round(ms, 1)]
                    for i, ms in sorted(step_longest.items())
                    if i >= 0
                ]
            }
            if args.per_step
            else {}
        ),
        "errors": dialogs_seen.errors,
    }
    window.document.undo_stack.setClean()
    window.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
