"""Editors for single assumption values: parse what the user typed, check its range.

A field shows a value the way people write it (money with thousands separators,
percentages as 10%, memory in MiB) and turns text back into the stored value. Text that
is not a number, or a number out of range, is refused with a message naming the field and
the value kept; the field shows that last valid value again and nothing reaches the plan.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from workbench.domain.assumption_paths import Scalar
from workbench.ui.theme import muted_text, set_muted

MIB = 1024 * 1024
KINDS = ("money", "number", "int", "percent", "mib", "choice")
_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9}
_STRIP = re.compile(r"[\s,_$€£]")
UNIT_WIDTH = 64  # px: fields with and without units line up
ERROR_STYLE = "border: 1px solid #c8553d; background: #fdf0ee;"


class FieldError(ValueError):
    """Text that cannot be the field's value; the message says why."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    path: str
    label: str
    kind: str = "number"  # KINDS
    low: float | None = None  # in stored units (a share for percentages)
    high: float | None = None
    low_open: bool = False  # the bound itself is excluded
    high_open: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    tip: str = ""


def parse_number(text: str, kind: str) -> float:
    """The number in ``text``: 1,200,000 / $1.2M / 250k / 10% / 0.5."""
    raw = _STRIP.sub("", text)
    if kind == "percent" and raw.endswith("%"):
        raw = raw[:-1]
    factor = 1.0
    if kind in ("money", "number") and raw[-1:].lower() in _SUFFIXES:
        factor = _SUFFIXES[raw[-1].lower()]
        raw = raw[:-1]
    if not raw:
        raise FieldError("enter a number")
    try:
        number = float(raw) * factor
    except ValueError:
        raise FieldError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise FieldError("enter a finite number")
    return number


def _bound(spec: FieldSpec, value: float) -> str:
    return display(spec, int(value) if spec.kind in ("int", "mib") else value)


def check_range(spec: FieldSpec, value: float) -> None:
    lo, hi = spec.low, spec.high
    too_low = lo is not None and (value <= lo if spec.low_open else value < lo)
    too_high = hi is not None and (value >= hi if spec.high_open else value > hi)
    if not (too_low or too_high):
        return
    parts = []
    if lo is not None:
        parts.append(f"{'above' if spec.low_open else 'at least'} {_bound(spec, lo)}")
    if hi is not None:
        parts.append(f"{'below' if spec.high_open else 'at most'} {_bound(spec, hi)}")
    raise FieldError("must be " + " and ".join(parts))


def parse_value(spec: FieldSpec, text: str) -> Scalar:
    """The stored value for ``text``; raises :class:`FieldError`."""
    if spec.kind == "choice":
        if text not in spec.choices:
            raise FieldError(f"must be one of {', '.join(spec.choices)}")
        return text
    number = parse_number(text, spec.kind)
    if spec.kind == "percent":
        number /= 100.0
    elif spec.kind == "mib":
        number *= MIB
    if spec.kind in ("int", "mib"):
        if abs(number - round(number)) > 1e-9:
            raise FieldError("must be a whole number" + (" of MiB" if spec.kind == "mib" else ""))
        check_range(spec, number)
        return round(number)
    check_range(spec, number)
    return number


def display(spec: FieldSpec, value: Scalar) -> str:
    """``value`` (stored units) as the field shows it."""
    if isinstance(value, str):
        return value
    if spec.kind == "money":
        return f"{value:,.2f}".removesuffix(".00")
    if spec.kind == "percent":
        return f"{value * 100:.4g}%"
    if spec.kind == "mib":
        return f"{value / MIB:g}"
    if spec.kind == "int":
        return str(int(value))
    return f"{value:.10g}"


class AssumptionField(QWidget):
    """A line edit (or a choice box) bound to one assumption path."""

    submitted = Signal(object, object)  # FieldSpec, stored value
    rejected = Signal(object, str)  # FieldSpec, message

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"field:{spec.path}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QLineEdit | None = None
        self.combo: QComboBox | None = None
        if spec.kind == "choice":
            self.combo = QComboBox(self)
            self.combo.addItems(list(spec.choices))
            self.combo.activated.connect(lambda _i: self._submit(self.combo_text()))
            layout.addWidget(self.combo, 1)
        else:
            self.edit = QLineEdit(self)
            self.edit.editingFinished.connect(lambda: self._submit(self.text()))
            layout.addWidget(self.edit, 1)
        unit = QLabel(spec.unit, self)  # present even when empty, so fields line up
        set_muted(unit)
        unit.setMinimumWidth(UNIT_WIDTH)
        layout.addWidget(unit)
        self._tip = spec.tip
        self.setToolTip(spec.tip)
        self.error = ""
        self.shown = ""  # the last valid value shown, put back when typed text is refused

    def text(self) -> str:
        return self.edit.text() if self.edit is not None else self.combo_text()

    def combo_text(self) -> str:
        return self.combo.currentText() if self.combo is not None else ""

    def set_text(self, text: str) -> None:
        """Type ``text`` and finish editing, as a user would."""
        if self.combo is not None:
            self.combo.setCurrentText(text)
            self._submit(text)
        else:
            assert self.edit is not None
            self.edit.setText(text)
            self.edit.editingFinished.emit()

    def _submit(self, text: str) -> None:
        try:
            value = parse_value(self.spec, text)
        except FieldError as exc:
            kept = f"; kept {self.shown}" if self.shown else ""
            if self.edit is not None:
                self.edit.setText(self.shown)
            elif self.combo is not None:
                self.combo.setCurrentText(self.shown)
            self.show_error(f"{exc}{kept}")
            self.rejected.emit(self.spec, self.error)
            return
        self.submitted.emit(self.spec, value)

    def show_error(self, message: str) -> None:
        self.error = message
        target = self.edit if self.edit is not None else self.combo
        assert target is not None
        target.setStyleSheet(ERROR_STYLE if message else "")
        target.setToolTip(f"{self.spec.label}: {message}" if message else self._tip)

    def show_value(self, value: Scalar, overridden_by: str | None = None) -> None:
        """Show the stored value; read-only while a scenario sets it."""
        self.show_error("")
        text = display(self.spec, value)
        self.shown = text
        if self.combo is not None:
            self.combo.setCurrentText(text)
            self.combo.setEnabled(overridden_by is None)
        else:
            assert self.edit is not None
            if not self.edit.hasFocus() or self.edit.text() != text:
                self.edit.setText(text)
            self.edit.setReadOnly(overridden_by is not None)
            italic = f"color: {muted_text()}; font-style: italic;"
            self.edit.setStyleSheet(italic if overridden_by else "")
        self.setToolTip(
            f"Set by the scenario {overridden_by!r}; switch to the plan's assumptions to edit "
            "the base value."
            if overridden_by
            else self._tip
        )
