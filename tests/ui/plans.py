"""Plans built from the domain classes, and dialogs that answer from a script."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from workbench.domain.inventory import (
    Cluster,
    Container,
    ContainerPort,
    Inventory,
    Namespace,
    Resources,
    Workload,
)
from workbench.domain.plan import Meta, Plan
from workbench.domain.schedule import Phase, Schedule, Wave
from workbench.ui.autosave import Recovery
from workbench.ui.dialogs import Dialogs, UnsavedChoice

MIB = 1024 * 1024
CLUSTERS = ("prod-eu", "prod-us")
NAMESPACES = ("api-gateway", "user-service", "order-service", "payment-service", "inventory")
PHASES = (
    Phase("foundation", "Foundation", date(2027, 1, 4), date(2027, 3, 26)),
    Phase("pilot", "Pilot", date(2027, 3, 29), date(2027, 6, 25)),
    Phase("core", "Core", date(2027, 6, 28), date(2027, 12, 17)),
    Phase("optimization", "Optimization", date(2028, 1, 3), date(2028, 3, 31)),
)


def build_plan(n: int, title: str = "Fixture estate") -> Plan:
    """``n`` workloads over two clusters and five namespaces, two waves, a third assigned."""
    inv = Inventory()
    for cluster in CLUSTERS:
        inv.clusters[cluster] = Cluster(cluster, server_version="1.30")
        for ns in NAMESPACES:
            inv.add_namespace(Namespace(cluster, ns, labels={"team": ns.split("-")[0]}))
    for i in range(n):
        cluster = CLUSTERS[i % len(CLUSTERS)]
        ns = NAMESPACES[(i // 2) % len(NAMESPACES)]
        kind = "StatefulSet" if i % 7 == 3 else ("DaemonSet" if i % 11 == 5 else "Deployment")
        replicas = 1 + (i * 5) % 6
        container = Container(
            name="app",
            image=f"registry.example.com/{ns}/svc-{i}:1.{i % 9}",
            ports=[ContainerPort(8080, "http")],
            resources=Resources()  # every 13th workload states no requests
            if i % 13 == 12
            else Resources(
                cpu_request_m=50 * (1 + i % 8),
                memory_request_bytes=64 * MIB * (1 + i % 5),
            ),
        )
        inv.add_workload(
            Workload(
                cluster,
                ns,
                kind,
                f"svc-{i:03d}",
                replicas=replicas,
                pods=replicas,
                containers=[container],
                labels={"app": f"svc-{i:03d}"},
            )
        )
    keys = sorted(inv.workloads)
    waves = [
        Wave(
            "wave-01",
            "Pilot wave",
            "pilot",
            date(2027, 4, 5),
            date(2027, 5, 14),
            members=keys[: n // 6],
        ),
        Wave(
            "wave-02",
            "Core wave A",
            "core",
            date(2027, 7, 5),
            date(2027, 9, 10),
            members=keys[n // 6 : n // 3],
        ),
        Wave("wave-03", "Core wave B", "core", date(2027, 9, 13), date(2027, 11, 26)),
    ]
    schedule = Schedule(phases=list(PHASES), waves=waves)
    return Plan(meta=Meta(title=title, author="tests"), inventory=inv, schedule=schedule)


class FakeDialogs(Dialogs):
    """Answers the window's questions from queues and records its messages."""

    def __init__(self) -> None:
        self.open_paths: list[str | None] = []
        self.save_paths: list[str | None] = []
        self.unsaved_answers: list[UnsavedChoice] = []
        self.errors: list[tuple[str, str]] = []
        self.unsaved_asked: list[str] = []
        self.texts: list[str | None] = []  # answers to ask_text
        self.restore_answers: list[bool] = []
        self.restore_offers: list[list[Recovery]] = []
        self.files: list[list[str]] = []
        self.folders: list[str | None] = []
        self.opened_folders: list[Path] = []
        self.infos: list[tuple[str, str]] = []

    def open_plan_path(self, parent: QWidget, directory: str) -> str | None:
        assert self.open_paths, "the window asked for a file to open unexpectedly"
        return self.open_paths.pop(0)

    def save_plan_path(self, parent: QWidget, suggestion: str) -> str | None:
        assert self.save_paths, "the window asked where to save unexpectedly"
        return self.save_paths.pop(0)

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.errors.append((title, message))

    def ask_unsaved(self, parent: QWidget, name: str) -> UnsavedChoice:
        self.unsaved_asked.append(name)
        assert self.unsaved_answers, "the window asked about unsaved changes unexpectedly"
        return self.unsaved_answers.pop(0)

    def ask_text(self, parent: QWidget, title: str, label: str) -> str | None:
        assert self.texts, f"the window asked for text unexpectedly: {label}"
        return self.texts.pop(0)

    def ask_name(self, parent: QWidget, title: str, label: str, current: str) -> str | None:
        assert self.texts, f"the window asked for a name unexpectedly: {label}"
        return self.texts.pop(0)

    def ask_restore(self, parent: QWidget, recoveries: Sequence[Recovery]) -> Recovery | None:
        self.restore_offers.append(list(recoveries))
        assert self.restore_answers, "the window offered a recovery copy unexpectedly"
        return recoveries[0] if self.restore_answers.pop(0) else None

    def choose_files(self, parent: QWidget, directory: str) -> list[str]:
        assert self.files, "the window asked for files unexpectedly"
        return self.files.pop(0)

    def choose_folder(self, parent: QWidget, title: str, directory: str) -> str | None:
        assert self.folders, "the window asked for a folder unexpectedly"
        return self.folders.pop(0)

    def open_folder(self, path: Path) -> bool:
        self.opened_folders.append(path)
        return True

    def info(self, parent: QWidget, title: str, message: str) -> None:
        self.infos.append((title, message))
