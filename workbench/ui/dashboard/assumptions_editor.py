"""The assumptions panel: cost and benefit lines, the business case, prices, overhead.

Every edit is a domain command run through ``document.execute`` (one undo step each;
consecutive edits of one value merge). Input that is not valid shows a message at the
top of the panel and on the field, and the plan stays as it was. Values the active
scenario overrides show that scenario's value, read-only.
"""

from __future__ import annotations

import copy
from dataclasses import astuple, fields

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.assumption_paths import Scalar, get_value
from workbench.domain.assumptions import (
    CASE_KINDS,
    INFRASTRUCTURE_MODES,
    RAMP_KINDS,
    OverheadProfile,
    overhead_profile,
)
from workbench.domain.commands import Change, Command, Macro, SetAssumption
from workbench.domain.errors import WorkbenchError
from workbench.ui.dashboard.fields import AssumptionField, FieldSpec
from workbench.ui.dashboard.line_tables import BENEFIT_LINES, COST_LINES, LineTable
from workbench.ui.document import PlanDocument
from workbench.ui.theme import set_muted

BUILTIN_PROFILES = ("istio-defaults", "seed-playbook")
CUSTOM_PROFILE = "custom"
MAX_HORIZON_MONTHS = 600
ERROR_BANNER = "background: #fdf0ee; color: #8b1e3f; border: 1px solid #e6b8ad; padding: 6px;"

BUSINESS_CASE = (
    FieldSpec(
        "discount_rate",
        "Discount rate",
        "percent",
        -1.0,
        1.0,
        low_open=True,
        unit="a year",
        tip="Annual rate for the NPV; months discount at (1 + r)^(1/12) - 1.",
    ),
    FieldSpec("horizon_months", "Horizon", "int", 1, MAX_HORIZON_MONTHS, unit="months"),
    FieldSpec(
        "risk_adjustment",
        "Risk adjustment",
        "percent",
        0.0,
        1.0,
        high_open=True,
        tip="TEI style: benefits reduced and costs raised by this share.",
    ),
    FieldSpec("ramp.kind", "Benefit ramp", "choice", choices=RAMP_KINDS),
    FieldSpec(
        "ramp.months",
        "Linear ramp length",
        "int",
        1,
        MAX_HORIZON_MONTHS,
        unit="months",
        tip="For the linear ramp: months until benefits reach their full run-rate.",
    ),
    FieldSpec(
        "infrastructure",
        "Infrastructure cost",
        "choice",
        choices=INFRASTRUCTURE_MODES,
        tip="fixed: the cost lines as given; computed: the priced mesh overhead month by month.",
    ),
    FieldSpec("sensitivity_step", "Tornado step", "percent", 0.0, 1.0, low_open=True),
    FieldSpec(
        "case",
        "Cost model",
        "choice",
        choices=CASE_KINDS,
        tip="estate: cost derived from the estate and the schedule; lines: the lines as given.",
    ),
    *(
        FieldSpec(f"estate_case.{attr}", label, kind, 0.0, high, unit=unit, tip=tip)
        for attr, label, kind, high, unit, tip in (
            ("fte_annual_cost", "Cost of a person", "number", None, "a year",
             "Loaded cost; the playbook: $800K a year for four people."),
            ("workloads_per_fte", "Workloads per person", "number", None, "",
             "Platform team size during the programme; the playbook: 1,000 services, four."),
            ("min_fte", "Smallest team", "number", None, "people", ""),
            ("run_share", "Team kept to run", "percent", 1.0, "", "After the last wave."),
            ("days_ready", "Days: ready workload", "number", None, "days", ""),
            ("days_needs_work", "Days: needs work", "number", None, "days",
             "Medium or high findings."),
            ("days_blocked", "Days: blocked", "number", None, "days", "A blocker."),
            ("days_per_wave", "Days per wave", "number", None, "days", ""),
            ("days_per_blocker_rule", "Days per blocker rule", "number", None, "days",
             "Remediation, in month 1."),
            ("training_per_namespace", "Training per namespace", "number", None, "", ""),
        )
    ),
)  # fmt: skip

PRICES = (
    FieldSpec("prices.vcpu_hour", "vCPU", "number", 0.0, unit="per vCPU-hour"),
    FieldSpec("prices.gb_hour", "Memory", "number", 0.0, unit="per GiB-hour"),
    FieldSpec("prices.hours_per_month", "Hours a month", "number", 0.0, 744.0, low_open=True),
    FieldSpec("prices.node_vcpu", "Node vCPU", "number", 0.0, low_open=True, unit="vCPU"),
    FieldSpec("prices.node_memory_gib", "Node memory", "number", 0.0, low_open=True, unit="GiB"),
    FieldSpec(
        "prices.node_target_utilisation", "Node utilisation", "percent", 0.0, 1.0, low_open=True
    ),
)


def _resource(attr: str, label: str) -> FieldSpec:
    if attr.endswith("_bytes"):
        return FieldSpec(f"overhead.{attr}", label, "mib", 0, unit="MiB")
    if attr.endswith("_m"):
        return FieldSpec(f"overhead.{attr}", label, "int", 0, unit="millicores")
    return FieldSpec(f"overhead.{attr}", label, "int", 0 if "replicas" in attr else 1)


OVERHEAD = tuple(
    _resource(attr, label)
    for attr, label in (
        ("sidecar_cpu_request_m", "Sidecar CPU request"),
        ("sidecar_memory_request_bytes", "Sidecar memory request"),
        ("sidecar_cpu_limit_m", "Sidecar CPU limit"),
        ("sidecar_memory_limit_bytes", "Sidecar memory limit"),
        ("ztunnel_cpu_request_m", "ztunnel CPU (per node)"),
        ("ztunnel_memory_request_bytes", "ztunnel memory (per node)"),
        ("waypoint_cpu_request_m", "Waypoint CPU"),
        ("waypoint_memory_request_bytes", "Waypoint memory"),
        ("istiod_cpu_request_m", "istiod CPU"),
        ("istiod_memory_request_bytes", "istiod memory"),
        ("istiod_replicas", "istiod replicas"),
        ("gateway_cpu_request_m", "Gateway CPU"),
        ("gateway_memory_request_bytes", "Gateway memory"),
        ("gateway_replicas", "Gateway replicas"),
        ("pods_per_node_estimate", "Pods per node (estimate)"),
    )
)


def _profile_values(profile: OverheadProfile) -> tuple[object, ...]:
    """The profile without its name, to compare against the built-in ones."""
    return astuple(profile)[1:]


def matching_profile(profile: OverheadProfile) -> str:
    """The built-in profile these values are, or "custom"."""
    for name in BUILTIN_PROFILES:
        if _profile_values(overhead_profile(name)) == _profile_values(profile):
            return name
    return CUSTOM_PROFILE


class AssumptionsEditor(QWidget):
    """Tabs of editors over ``document.plan.assumptions``."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.fields: dict[str, AssumptionField] = {}
        self.error = QLabel(self)
        self.error.setObjectName("assumptions-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_BANNER)
        self.error.hide()
        self.cost_lines = LineTable(COST_LINES, self)
        self.benefit_lines = LineTable(BENEFIT_LINES, self)
        self.profile = QComboBox(self)
        self.profile.addItems([*BUILTIN_PROFILES, CUSTOM_PROFILE])
        self.profile.activated.connect(lambda _i: self.choose_profile(self.profile.currentText()))
        self.scenario_note = QLabel(self)
        self.scenario_note.setWordWrap(True)
        set_muted(self.scenario_note, 8)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.cost_lines, "Costs")
        self.tabs.addTab(self.benefit_lines, "Benefits")
        self.tabs.addTab(self._form(BUSINESS_CASE), "Case")
        self.tabs.addTab(self._form(PRICES), "Prices")
        self.tabs.addTab(self._form(OVERHEAD, profile=True, columns=3), "Overhead")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.scenario_note)
        for table in (self.cost_lines, self.benefit_lines):
            table.edit_requested.connect(self.execute)
            table.rejected.connect(self.show_error)
        document.changed.connect(self._on_changed)
        document.replaced.connect(self.refresh)
        self.refresh()

    def _form(
        self, specs: tuple[FieldSpec, ...], profile: bool = False, columns: int = 2
    ) -> QScrollArea:
        """Label and field pairs in ``columns`` columns (the panel is wide, not tall)."""
        page = QWidget()
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        rows: list[tuple[str, QWidget]] = [("Profile", self.profile)] if profile else []
        for spec in specs:
            editor = AssumptionField(spec, page)
            editor.submitted.connect(self.submit)
            editor.rejected.connect(lambda s, msg: self.show_error(f"{s.label}: {msg}"))
            self.fields[spec.path] = editor
            rows.append((spec.label, editor))
        per_column = -(-len(rows) // columns)
        for i, (label, widget) in enumerate(rows):
            row, col = i % per_column, 2 * (i // per_column)
            grid.addWidget(QLabel(label, page), row, col)
            grid.addWidget(widget, row, col + 1)
            grid.setColumnStretch(col + 1, 1)
        grid.setRowStretch(per_column, 1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(page)
        return area

    # -- showing ---------------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if "assumptions" in change.areas:
            self.refresh()

    def refresh(self) -> None:
        plan = self.document.plan
        scenario = plan.active_scenario
        overrides: dict[str, Scalar] = {}
        if scenario is not None and any(s.name == scenario for s in plan.scenarios):
            overrides = dict(plan.scenario(scenario).overrides)
        a = plan.assumptions
        for path, editor in self.fields.items():
            if path in overrides:
                editor.show_value(overrides[path], overridden_by=scenario)
            else:
                editor.show_value(get_value(a, path))
        self.profile.setCurrentText(matching_profile(a.overhead))
        self.cost_lines.refresh(plan, overrides, scenario)
        self.benefit_lines.refresh(plan, overrides, scenario)
        self.scenario_note.setText(
            f"Scenario {scenario!r} sets {len(overrides)} value(s), shown in grey italics; "
            "the rest edits the plan's own assumptions."
            if overrides
            else ""
        )
        self.scenario_note.setVisible(bool(overrides))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- editing ---------------------------------------------------------------------------
    def execute(self, command: Command) -> bool:
        """Run ``command`` on the document; a refused edit shows why and changes nothing."""
        try:
            self.document.execute(command)
        except WorkbenchError as exc:
            self.show_error(str(exc))
            self.refresh()
            return False
        self.show_error("")
        return True

    def submit(self, spec: FieldSpec, value: Scalar) -> bool:
        a = self.document.plan.assumptions
        if get_value(a, spec.path) == value:
            self.show_error("")
            self.refresh()
            return True
        command: Command = SetAssumption(spec.path, value)
        if spec.path.startswith("overhead.") and a.overhead.name != CUSTOM_PROFILE:
            # edited values are no longer the named profile's
            trial = copy.copy(a.overhead)
            setattr(trial, spec.path.removeprefix("overhead."), value)
            name = matching_profile(trial)
            if name != a.overhead.name:
                command = Macro([command, SetAssumption("overhead.name", name)], "Edit overhead")
        return self.execute(command)

    def choose_profile(self, name: str) -> bool:
        """Apply a built-in profile's values (one undo step); "custom" keeps the values."""
        current = self.document.plan.assumptions.overhead
        if name not in BUILTIN_PROFILES:
            if current.name == name:
                return True
            return self.execute(SetAssumption("overhead.name", name))
        target = overhead_profile(name)
        commands: list[Command] = [
            SetAssumption(f"overhead.{f.name}", getattr(target, f.name))
            for f in fields(OverheadProfile)
            if getattr(target, f.name) != getattr(current, f.name)
            and not isinstance(getattr(target, f.name), bool)
        ]
        if not commands:
            return True
        return self.execute(Macro(commands, f"Use the {name} overhead profile"))
