"""This week's mix: sales against non-sales posts, with the target share marked on the bar."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from moments_desk.core.planning.rules import MixGauge


class MixGaugeWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gauge: MixGauge | None = None
        self.setMinimumWidth(300)
        self.setFixedHeight(40)

    def sizeHint(self) -> QSize:
        return QSize(340, 40)

    def set_gauge(self, gauge: MixGauge) -> None:
        self.gauge = gauge
        self.setToolTip(
            QCoreApplication.translate(
                "Planner",
                "Friends mute accounts that only sell. Aim for about {target}% product posts "
                "and the rest about life, styling tips and buyer feedback.",
            ).format(target=gauge.target_sales_pct)
        )
        # The caption is painted, not laid out: ask for the width it needs so it is never cut.
        self.setMinimumWidth(
            max(300, QFontMetrics(self._caption_font()).horizontalAdvance(self.caption()) + 8)
        )
        self.update()

    def _caption_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(12)
        return font

    def caption(self) -> str:
        gauge = self.gauge
        if gauge is None:
            return ""
        if gauge.total == 0:
            return QCoreApplication.translate("Planner", "Mix of the week: no posts yet")
        return QCoreApplication.translate(
            "Planner", "This week: sales {sales} : other {other} · {pct}% (target {target}%)"
        ).format(
            sales=gauge.sales,
            other=gauge.non_sales,
            pct=gauge.sales_pct,
            target=gauge.target_sales_pct,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gauge = self.gauge
        painter.setPen(QColor("#374151"))
        painter.setFont(self._caption_font())
        painter.drawText(
            QRectF(0, 0, self.width(), 18), int(Qt.AlignmentFlag.AlignLeft), self.caption()
        )
        bar = QRectF(0, 22, self.width() - 1, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#DBEAFE"))
        painter.drawRoundedRect(bar, 6, 6)
        if gauge is not None and gauge.total:
            share = gauge.sales / gauge.total
            colour = "#DC2626" if gauge.over_target else "#07A35A"
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * share, 12), 6, 6)
        if gauge is not None:
            x = bar.left() + bar.width() * gauge.target_sales_pct / 100
            painter.setPen(QPen(QColor("#111827"), 2))
            painter.drawLine(int(x), int(bar.top()) - 3, int(x), int(bar.bottom()) + 3)
        painter.end()
