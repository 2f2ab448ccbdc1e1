"""A crowded graph seen from afar draws its edges as a texture: without antialiasing, in
their colours laid over the background beforehand (opaque), the same lines as close up."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene
from pytestqt.qtbot import QtBot

from workbench.ops.graph_layout import GraphEdge
from workbench.ui.graph.edge_item import OVERVIEW_ZOOM, EdgeItem
from workbench.ui.graph.style import GraphStyle


def test_an_overview_pen_is_the_translucent_colour_laid_over_the_background() -> None:
    style = GraphStyle()
    pen = QPen(QColor(200, 40, 40, 128), 2.0, Qt.PenStyle.DashLine)
    opaque = style.overview_pen(pen)
    assert opaque.color().alpha() == 255 and opaque.style() == Qt.PenStyle.DashLine
    back, colour = style.background.color(), opaque.color()
    for got, base, over in (
        (colour.red(), back.red(), 200),
        (colour.green(), back.green(), 40),
        (colour.blue(), back.blue(), 40),
    ):
        assert abs(got - (base + (over - base) * 128 / 255)) <= 1
    assert style.overview_pen(pen) is opaque  # made once per look


def _picture(item: EdgeItem, scale: float) -> QImage:
    scene = QGraphicsScene()
    scene.addItem(item)
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    scene.render(
        painter, QRectF(0, 0, 400 / scale, 200 / scale), QRectF(0, 0, 400 / scale, 200 / scale)
    )
    painter.end()
    scene.removeItem(item)
    return image


def test_a_crowded_edge_far_away_is_drawn_in_its_opaque_colour(qtbot: QtBot) -> None:
    style = GraphStyle()
    edge = GraphEdge("a", "b", "observed", 4.0)  # over a pixel wide even from afar
    item = EdgeItem(edge, QRectF(0, 0, 40, 40), QRectF(600, 250, 40, 40), style)
    scale = OVERVIEW_ZOOM * 0.9
    wanted = style.overview_pen(item.pen()).color().rgb()
    item.crowded = True
    far = _picture(item, scale)
    colours = {far.pixel(x, y) for x in range(far.width()) for y in range(far.height())}
    assert colours == {wanted, QColor("white").rgb()}  # the line, the background: no blend
    item.crowded = False  # a few edges: translucent, as close up
    near = _picture(item, scale)
    assert wanted not in {
        near.pixel(x, y) for x in range(near.width()) for y in range(near.height())
    }
