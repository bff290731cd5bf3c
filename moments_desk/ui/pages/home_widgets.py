"""The home page's small widgets: a figure card that opens its page, the content-mix bar, and
the short read-only lists."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

from moments_desk.core.reports.board import TARGET_SALES_SHARE
from moments_desk.ui.kit.theme import ACCENT
from moments_desk.ui.kit.widgets import StatCard


class LinkCard(StatCard):
    """A figure that opens the page behind it (click, Enter or Space)."""

    clicked = Signal()

    def __init__(self, label: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(label, parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(tooltip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class MixBar(QWidget):
    """Sales share as a bar, with a tick at the 40 % target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share: float | None = None
        self.setFixedHeight(10)

    def set_share(self, share: float | None) -> None:
        self.share = share
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = float(self.width()), float(self.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#DCEFE4"))
        painter.drawRoundedRect(QRectF(0, 2, width, height - 4), 3, 3)
        if self.share is not None:
            over = self.share > TARGET_SALES_SHARE + 0.1
            painter.setBrush(QColor("#F59E0B" if over else ACCENT))
            painter.drawRoundedRect(QRectF(0, 2, width * min(self.share, 1.0), height - 4), 3, 3)
        painter.setBrush(QColor("#1F2329"))
        x = width * TARGET_SALES_SHARE
        painter.drawRect(QRectF(x - 1, 0, 2, height))
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(120, 10)


def list_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def rows_height(table: QTableWidget, rows: int) -> int:
    """The height that shows the header and ``rows`` rows without scrolling."""
    header = table.horizontalHeader().sizeHint().height()
    return header + rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
