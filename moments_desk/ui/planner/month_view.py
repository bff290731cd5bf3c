"""The month: a six-week calendar grid; each day lists its posts and empty slots as chips.

A post dragged onto another day keeps its time of day, or takes a slot's time when dropped
on that slot's chip.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from moments_desk.ui.kit import labels
from moments_desk.ui.planner.calendar_items import (
    KIND_COLOURS,
    SEVERITY_COLOURS,
    CalendarPost,
    CalendarSlot,
    status_colours,
)
from moments_desk.ui.planner.week_view import weekday_name

HEADER = 28
CHIP = 17


def month_grid_start(month: date) -> date:
    """The Monday on or before the 1st: the first cell of the grid."""
    first = month.replace(day=1)
    return first - timedelta(days=first.weekday())


class MonthView(QWidget):
    post_activated = Signal(int)
    move_requested = Signal(int, object, int)
    day_activated = Signal(object)
    hover_target = Signal(int, object)

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.month = date.today().replace(day=1)
        self.today = date.today()
        self.posts: list[CalendarPost] = []
        self.slots: list[CalendarSlot] = []
        self._drag: CalendarPost | None = None
        self._drag_from = QPoint()
        self._drag_at = QPoint()
        self._dragging = False
        self._target: datetime | None = None
        self._verdict: tuple[datetime, str] | None = None
        self._chips: list[tuple[QRect, CalendarPost | CalendarSlot]] = []
        self._small = QFont(self.font())
        self._small.setPixelSize(11)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_month(
        self, month: date, today: date, posts: list[CalendarPost], slots: list[CalendarSlot]
    ) -> None:
        self.month, self.today, self.posts, self.slots = month.replace(day=1), today, posts, slots
        self._chips = []
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    def _cell(self, index: int) -> QRect:
        width = self.width() / 7
        height = (self.height() - HEADER) / 6
        col, row = index % 7, index // 7
        return QRect(round(col * width), round(HEADER + row * height), round(width), round(height))

    def day_at(self, point: QPoint) -> date | None:
        if point.y() < HEADER:
            return None
        col = int(point.x() // (self.width() / 7))
        row = int((point.y() - HEADER) // ((self.height() - HEADER) / 6))
        if not (0 <= col < 7 and 0 <= row < 6):
            return None
        return month_grid_start(self.month) + timedelta(days=row * 7 + col)

    def _layout_chips(self) -> list[tuple[QRect, CalendarPost | CalendarSlot]]:
        start = month_grid_start(self.month)
        by_day: dict[date, list[CalendarPost | CalendarSlot]] = {}
        for post in self.posts:
            by_day.setdefault(post.when.date(), []).append(post)
        for slot in self.slots:
            if not slot.filled:
                by_day.setdefault(slot.when.date(), []).append(slot)
        chips: list[tuple[QRect, CalendarPost | CalendarSlot]] = []
        for index in range(42):
            items = sorted(by_day.get(start + timedelta(days=index), []), key=lambda i: i.when)
            cell = self._cell(index).adjusted(3, 20, -3, -2)
            room = max(cell.height() // (CHIP + 2), 0)
            for n, item in enumerate(items[:room]):
                chips.append(
                    (QRect(cell.left(), cell.top() + n * (CHIP + 2), cell.width(), CHIP), item)
                )
        return chips

    def chips(self) -> list[tuple[QRect, CalendarPost | CalendarSlot]]:
        if not self._chips:
            self._chips = self._layout_chips()
        return self._chips

    def resizeEvent(self, event: object) -> None:
        self._chips = []

    def item_at(self, point: QPoint) -> CalendarPost | CalendarSlot | None:
        for rect, item in self.chips():
            if rect.contains(point):
                return item
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        width = self.width() / 7
        painter.setPen(QColor("#6B7280"))
        for col in range(7):
            painter.drawText(
                QRect(round(col * width), 0, round(width), HEADER),
                int(Qt.AlignmentFlag.AlignCenter),
                weekday_name(col),
            )
        start = month_grid_start(self.month)
        hovered = self.day_at(self._drag_at) if self._dragging else None
        bold = QFont(self.font())
        bold.setBold(True)
        for index in range(42):
            day = start + timedelta(days=index)
            cell = self._cell(index)
            if day.month != self.month.month:
                painter.fillRect(cell, QColor("#FAFAFB"))
            if day == self.today:
                painter.fillRect(cell, QColor("#F0FAF4"))
            if hovered == day:
                refused = bool(
                    self._verdict and self._verdict[0] == self._target and self._verdict[1]
                )
                painter.fillRect(cell, QColor("#FEE2E2" if refused else "#DCFCE7"))
            painter.setPen(QColor("#EEF0F2"))
            painter.drawRect(cell)
            painter.setFont(bold if day == self.today else self.font())
            painter.setPen(
                QColor("#07A35A")
                if day == self.today
                else QColor("#111827" if day.month == self.month.month else "#C0C4CA")
            )
            painter.drawText(cell.adjusted(6, 3, -4, 0), str(day.day))
        painter.setFont(self._small)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for rect, item in self.chips():
            if isinstance(item, CalendarSlot):
                painter.setPen(QPen(QColor(KIND_COLOURS[item.kind]), 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
                painter.setPen(QColor("#9CA3AF"))
                name = item.label or labels.post_kind(item.kind)
                painter.drawText(
                    rect.adjusted(5, 0, -2, 0),
                    int(Qt.AlignmentFlag.AlignVCenter),
                    f"{item.when:%H:%M} {name}",
                )
                continue
            fill, ink = status_colours(item.status)
            painter.setBrush(fill)
            severity = SEVERITY_COLOURS.get(item.severity or "")
            painter.setPen(QPen(severity, 1.6) if severity is not None else Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(KIND_COLOURS[item.kind]))
            painter.drawRect(QRect(rect.left() + 2, rect.top() + 3, 3, rect.height() - 6))
            painter.setPen(ink)
            mark = {"hard": "⛔", "soft": "⚠"}.get(item.severity or "", "")
            painter.drawText(
                rect.adjusted(8, 0, -2, 0),
                int(Qt.AlignmentFlag.AlignVCenter),
                f"{mark}{item.when:%H:%M} {item.title}",
            )
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.item_at(event.position().toPoint())
            movable = isinstance(item, CalendarPost) and item.movable
            self._drag = item if movable and isinstance(item, CalendarPost) else None
            self._drag_from = event.position().toPoint()
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._drag_at = event.position().toPoint()
            if (self._drag_at - self._drag_from).manhattanLength() > 6:
                self._dragging = True
            target = self._target_at(self._drag, self._drag_at) if self._dragging else None
            if target is not None and target != self._target:
                self._target = target
                self.hover_target.emit(self._drag.id, target)
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and self._drag is not None:
            self.drop_at(self._drag, event.position().toPoint())
        self._drag = None
        self._dragging = False
        self._target = None
        self.setToolTip("")
        self.update()
        super().mouseReleaseEvent(event)

    def set_drop_verdict(self, when: datetime, text: str) -> None:
        self._verdict = (when, text)
        self.setToolTip(text)
        self.update()

    def _target_at(self, post: CalendarPost, point: QPoint) -> datetime | None:
        target = self.item_at(point)
        if isinstance(target, CalendarSlot):
            return target.when
        day = self.day_at(point)
        return datetime.combine(day, post.when.time(), self._zone) if day is not None else None

    def drop_at(self, post: CalendarPost, point: QPoint) -> None:
        target = self.item_at(point)
        if isinstance(target, CalendarSlot):
            self.move_requested.emit(post.id, target.when, target.slot_id)
            return
        day = self.day_at(point)
        if day is not None and day != post.when.date():
            when = datetime.combine(day, post.when.time(), self._zone)
            self.move_requested.emit(post.id, when, 0)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        item = self.item_at(point)
        if isinstance(item, CalendarPost):
            self.post_activated.emit(item.id)
        elif (day := self.day_at(point)) is not None:
            self.day_activated.emit(day)

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            item = self.item_at(event.pos())
            if isinstance(item, CalendarPost):
                lines = [
                    f"{labels.post_kind(item.kind)} · {labels.post_status(item.status)}",
                    item.title,
                    *item.warnings,
                ]
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]
