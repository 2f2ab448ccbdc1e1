"""The drawn graph as a PNG picture (QImage) or an SVG drawing (QtSvg), legend included."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.io.graph_export import GraphExportError, graph_to_dot, write_dot
from workbench.ui.document import PlanDocument
from workbench.ui.graph.legend import legend_rows, legend_size, paint_legend
from workbench.ui.graph.scene import DependencyScene

EXPORT_FILTERS = {
    "png": "PNG picture (*.png)",
    "svg": "SVG drawing (*.svg)",
    "dot": "Graphviz DOT (*.dot *.gv)",
}
MAX_PIXELS = 60_000_000  # about 240 MB of ARGB: larger pictures are scaled down
_MARGIN = 24.0


def _page(scene: DependencyScene) -> tuple[QRectF, QSize]:
    """The scene area to draw and the extra room the legend needs below it."""
    source = scene.itemsBoundingRect().adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
    if source.isEmpty():
        source = QRectF(0, 0, 200, 100)
    layout = scene.graph_layout
    legend = legend_size(scene.graph_style, legend_rows(bool(layout and layout.collapsed)))
    return source, legend


def render_image(scene: DependencyScene, scale: float = 2.0) -> QImage:
    """The whole graph at ``scale`` (reduced when it would be too large), legend below."""
    source, legend = _page(scene)
    width = max(source.width(), legend.width() + 2 * _MARGIN)
    height = source.height() + legend.height() + _MARGIN
    scale = min(scale, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    image = QImage(
        max(1, round(width * scale)), max(1, round(height * scale)), QImage.Format.Format_ARGB32
    )
    image.fill(scene.graph_style.background.color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    _draw(painter, scene, source, legend)
    painter.end()
    return image


def export_graph(scene: DependencyScene, fmt: str, path: str | Path, title: str) -> Path:
    """Write what the scene shows as ``png``, ``svg`` or ``dot``."""
    if fmt == "png":
        return export_png(scene, path)
    if fmt == "svg":
        return export_svg(scene, path, title)
    if fmt == "dot":
        layout = scene.graph_layout
        nodes = layout.nodes.values() if layout else ()
        groups = layout.groups.values() if layout else ()
        edges = [item.edge for item in scene.edges.values()]
        return write_dot(graph_to_dot(nodes, edges, groups, title=title), path)
    raise ValueError(f"unknown export format {fmt}")


def export_png(scene: DependencyScene, path: str | Path, scale: float = 2.0) -> Path:
    target = Path(path)
    image = render_image(scene, scale)
    if not image.save(str(target)):
        raise GraphExportError(f"could not write the PNG picture to {target}")
    return target


def export_svg(scene: DependencyScene, path: str | Path, title: str = "Dependencies") -> Path:
    target = Path(path)
    source, legend = _page(scene)
    width = max(source.width(), legend.width() + 2 * _MARGIN)
    height = source.height() + legend.height() + _MARGIN
    generator = QSvgGenerator()
    generator.setFileName(str(target))
    generator.setSize(QSize(round(width), round(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle(title)
    generator.setDescription("Workload dependencies drawn by Mesh Migration Workbench")
    painter = QPainter()
    if not painter.begin(generator):
        raise GraphExportError(f"could not write the SVG drawing to {target}")
    _draw(painter, scene, source, legend)
    painter.end()
    if not target.is_file():
        raise GraphExportError(f"could not write the SVG drawing to {target}")
    return target


def _draw(painter: QPainter, scene: DependencyScene, source: QRectF, legend: QSize) -> None:
    target = QRectF(0, 0, source.width(), source.height())
    painter.fillRect(target, scene.graph_style.background)
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    layout = scene.graph_layout
    paint_legend(
        painter,
        QPointF(_MARGIN, source.height() + _MARGIN / 2),
        scene.graph_style,
        legend_rows(bool(layout and layout.collapsed)),
    )


def ask_export_path(parent: QWidget, document: PlanDocument, fmt: str) -> str | None:
    """Ask where to write the export; suggests a name next to the plan file."""
    suggestion = f"dependencies.{fmt}"
    if document.path is not None:
        suggestion = str(document.path.with_name(f"{document.path.stem}-dependencies.{fmt}"))
    filters = EXPORT_FILTERS[fmt]
    path, _ = QFileDialog.getSaveFileName(parent, "Export graph", suggestion, filters)
    return path or None
