"""Things that need a fresh interpreter: the PySide6 crash guard and the headless start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

# The loop that aborted the interpreter with PySide6-Essentials 6.12.0
# ("Fatal Python error: none_dealloc") after a few thousand calls.
PEN_BRUSH_LOOP = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QGraphicsRectItem
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtCore import QRectF

app = QApplication([])
for i in range(50_000):
    item = QGraphicsRectItem(QRectF(0, 0, 1, 1))
    item.setBrush(QBrush(QColor("#3a7bd5")))
    item.setPen(QPen(QColor("#333333")))
print("ok")
"""


def _env_without_display() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_graphics_items_survive_many_pen_and_brush_calls(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PEN_BRUSH_LOOP],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "ok"


def test_gui_without_a_display_prints_the_headless_hint_and_exits_2(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "mesh-workbench"
    require(script.is_file(), f"the mesh-workbench console script beside {sys.executable}")
    result = subprocess.run(
        [str(script)],
        capture_output=True,
        text=True,
        env=_env_without_display(),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "no display found" in result.stderr
    assert "mesh-workbench summary PLAN" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
