"""Qt-side resources: the application icon, from the top-level ``resources/`` folder
found by :mod:`workbench.resources` (from source or from a frozen build)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from workbench.resources import resource_path, resources_dir, sample_plan_path

__all__ = ["ICON_SIZES", "app_icon", "resource_path", "resources_dir", "sample_plan_path"]

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The application icon at every size drawn, plus the scalable SVG."""
    icon = QIcon()
    folder = resource_path("icons")
    for size in ICON_SIZES:
        png = folder / f"workbench-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = folder / "workbench.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon
