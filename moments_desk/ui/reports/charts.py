"""Charts (QtCharts) and the weekday × hour heatmap, styled for the app and readable in CJK."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from moments_desk.ui.kit.theme import ACCENT, BORDER, MUTED, TEXT

PALETTE = ("#07A35A", "#F59E0B", "#3B82F6", "#EF4444", "#8B5CF6", "#14B8A6")

Formatter = Callable[[float], str]


def _font(size_delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(font.pointSizeF() + size_delta, 7.0))
    font.setBold(bold)
    return font


class BarChart(QChartView):
    """Bars per category for one or more series; hovering a bar shows its exact value.

    ``bar_clicked(series_index, category_index)`` lets a chart open the rows behind a bar.
    """

    bar_clicked = Signal(int, int)

    def __init__(
        self,
        *,
        horizontal: bool = False,
        stacked: bool = False,
        formatter: Formatter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._horizontal = horizontal
        self._stacked = stacked
        self._format: Formatter = formatter or (lambda v: f"{v:,.0f}")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setBackgroundBrush(QColor("#FFFFFF"))
        chart = QChart()
        chart.setBackgroundRoundness(0)
        chart.setBackgroundBrush(QColor("#FFFFFF"))
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setFont(_font(-1))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self.categories: list[str] = []
        self.tooltip_categories: list[str] = []
        self.series_values: list[tuple[str, list[float]]] = []

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        tooltip_categories: Sequence[str] | None = None,
    ) -> None:
        """``tooltip_categories`` name the bars in full when the axis shows short labels."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories = list(categories)
        self.tooltip_categories = list(tooltip_categories or categories)
        self.series_values = [(name, [float(v) for v in values]) for name, values in series]
        bars: QAbstractBarSeries
        if self._stacked:
            bars = QStackedBarSeries()
        elif self._horizontal:
            bars = QHorizontalBarSeries()
        else:
            bars = QBarSeries()
        for index, (name, values) in enumerate(self.series_values):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.setBorderColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.append(values)
            bar_set.hovered.connect(lambda status, i, s=index: self._hovered(status, s, i))
            bar_set.clicked.connect(lambda i, s=index: self.bar_clicked.emit(s, i))
            bars.append(bar_set)
        bars.setBarWidth(0.7)
        chart.addSeries(bars)
        chart.legend().setVisible(len(self.series_values) > 1)
        category_axis = QBarCategoryAxis()
        label_font = _font(-1) if self._horizontal else _font(-2)
        category_axis.append(
            self.categories if self._horizontal else _wrapped(self.categories, label_font)
        )
        # QtCharts turns a label that is a hair too wide into "…" (day numbers in English,
        # "Needs attention"): short labels may touch, long ones wrap instead.
        category_axis.setTruncateLabels(self._horizontal)
        category_axis.setLabelsFont(label_font)
        category_axis.setLabelsColor(QColor(TEXT))
        category_axis.setGridLineVisible(False)
        value_axis = QValueAxis()
        value_axis.setLabelsFont(_font(-1))
        value_axis.setLabelsColor(QColor(MUTED))
        value_axis.setGridLineColor(QColor(BORDER))
        value_axis.setLabelFormat("%.0f")
        top = max(
            (
                sum(vals[i] for _, vals in self.series_values)
                if self._stacked
                else max(vals[i] for _, vals in self.series_values)
                for i in range(len(self.categories))
            ),
            default=0.0,
        )
        ceiling = _nice_ceiling(top)
        value_axis.setRange(0, ceiling)
        value_axis.setTickCount(_tick_count(ceiling))
        if self._horizontal:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(category_axis)
        bars.attachAxis(value_axis)

    def tooltip_text(self, series: int, index: int) -> str:
        name, values = self.series_values[series]
        label = self.tooltip_categories[index]
        prefix = f"{label} · {name}" if len(self.series_values) > 1 else label
        return f"{prefix}: {self._format(values[index])}"

    def _hovered(self, status: bool, series: int, index: int) -> None:
        if status:
            QToolTip.showText(QCursor.pos(), self.tooltip_text(series, index), self)
        else:
            QToolTip.hideText()

    def sizeHint(self) -> QSize:
        return QSize(420, 260)


def _wrapped(labels: Sequence[str], font: QFont, width: int = 56) -> list[str]:
    """Labels wider than a bar slot broken at spaces; QtCharts reads them as rich text, and
    only when every label is rich text does it place them all (a plain first label vanishes)."""
    metrics = QFontMetrics(font)
    if all(metrics.horizontalAdvance(label) <= width or " " not in label for label in labels):
        return list(labels)
    wrapped = []
    for label in labels:
        words = escape(label).split(" ")
        text = "<br>".join(words) if metrics.horizontalAdvance(label) > width else " ".join(words)
        wrapped.append(f"<span>{text}</span>")
    return wrapped


def _tick_count(ceiling: float) -> int:
    """Ticks that fall on whole numbers (0, 10, 20… rather than 0, 12.5, 25…) when they can."""
    for count in (6, 5, 3, 2):
        step = ceiling / (count - 1)
        if step >= 1 and step == int(step):
            return count
    return 5


def _nice_ceiling(value: float) -> float:
    """An axis end a person reads easily: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


class Heatmap(QWidget):
    """Rows × columns of values as shaded cells; hover shows a cell's figures.

    Drawn by hand: QtCharts has no heatmap series.
    """

    cell_hovered = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.row_labels: list[str] = []
        self.column_labels: list[str] = []
        self.values: list[list[float]] = []
        self.tooltips: list[list[str]] = []
        self.highlights: set[tuple[int, int]] = set()

    def set_data(
        self,
        row_labels: Sequence[str],
        column_labels: Sequence[str],
        values: Sequence[Sequence[float]],
        tooltips: Sequence[Sequence[str]],
        highlights: set[tuple[int, int]] | None = None,
    ) -> None:
        self.row_labels = list(row_labels)
        self.column_labels = list(column_labels)
        self.values = [list(r) for r in values]
        self.tooltips = [list(r) for r in tooltips]
        self.highlights = highlights or set()
        self.update()

    def _grid(self) -> tuple[QRectF, float, float]:
        metrics = self.fontMetrics()
        left = max((metrics.horizontalAdvance(t) for t in self.row_labels), default=0) + 12
        top = metrics.height() + 6
        area = QRectF(left, top, max(self.width() - left - 4, 1), max(self.height() - top - 4, 1))
        cols = max(len(self.column_labels), 1)
        rows = max(len(self.row_labels), 1)
        return area, area.width() / cols, area.height() / rows

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        area, w, h = self._grid()
        if not area.contains(pos):
            return None
        row = int((pos.y() - area.top()) // h)
        col = int((pos.x() - area.left()) // w)
        if 0 <= row < len(self.row_labels) and 0 <= col < len(self.column_labels):
            return row, col
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area, w, h = self._grid()
        top_value = max((v for row in self.values for v in row), default=0.0) or 1.0
        base = QColor(ACCENT)
        painter.setPen(QColor(MUTED))
        step = 1 if w >= 26 else 3
        for col, label in enumerate(self.column_labels):
            if col % step:
                continue
            rect = QRectF(area.left() + col * w, 0, w * step, area.top() - 2)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, label)
        for row, label in enumerate(self.row_labels):
            rect = QRectF(0, area.top() + row * h, area.left() - 8, h)
            painter.setPen(QColor(TEXT))
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
            for col in range(len(self.column_labels)):
                value = self.values[row][col] if row < len(self.values) else 0.0
                cell = QRectF(area.left() + col * w + 1, area.top() + row * h + 1, w - 2, h - 2)
                has_posts = bool(self.tooltips and self.tooltips[row][col])
                if value > 0:
                    color = QColor(base)
                    color.setAlphaF(0.15 + 0.85 * min(value / top_value, 1.0))
                else:
                    color = QColor("#E5E7EB" if has_posts else "#F6F7F8")
                painter.fillRect(cell, color)
                if has_posts and w >= 30:
                    strong = value > top_value * 0.55
                    painter.setPen(QColor("#FFFFFF" if strong else TEXT))
                    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
                if (row, col) in self.highlights:
                    pen = QPen(QColor("#B45309"))
                    pen.setWidthF(2.0)
                    painter.setPen(pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(cell.adjusted(1, 1, -1, -1))
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is None:
            QToolTip.hideText()
        else:
            self.cell_hovered.emit(*cell)
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip(*cell), self)
        super().mouseMoveEvent(event)

    def tooltip(self, row: int, col: int) -> str:
        return self.tooltips[row][col] if row < len(self.tooltips) else ""

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            if cell is not None:
                QToolTip.showText(event.globalPos(), self.tooltip(*cell), self)
                return True
        return super().event(event)  # type: ignore[arg-type]

    def sizeHint(self) -> QSize:
        return QSize(560, 240)
