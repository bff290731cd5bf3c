"""The week: seven day columns with hour rows, posts as cards, empty slots dashed.

Painted by hand (no widget per post) so a repaint stays cheap, with hit-testing for
double-click and drag. A drop snaps to a slot when it lands on one, else to the quarter hour.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from moments_desk.ui.kit import labels
from moments_desk.ui.planner.calendar_items import (
    KIND_COLOURS,
    SEVERITY_COLOURS,
    CalendarPost,
    CalendarSlot,
    status_colours,
)

#: The day starts here unless a post or slot sits earlier (e.g. after a time-zone change).
FIRST_HOUR = 7
LAST_HOUR = 24
MIN_HOUR_HEIGHT = 30
CARD_HEIGHT = 34
HEADER = 40
GUTTER = 52


def weekday_name(day: int) -> str:
    names = (
        QCoreApplication.translate("Planner", "Mon"),
        QCoreApplication.translate("Planner", "Tue"),
        QCoreApplication.translate("Planner", "Wed"),
        QCoreApplication.translate("Planner", "Thu"),
        QCoreApplication.translate("Planner", "Fri"),
        QCoreApplication.translate("Planner", "Sat"),
        QCoreApplication.translate("Planner", "Sun"),
    )
    return names[day]


def draw_post_card(
    painter: QPainter, rect: QRect, post: CalendarPost, small_font: QFont, dragging: bool = False
) -> None:
    fill, ink = status_colours(post.status)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if dragging:
        fill.setAlpha(120)
    painter.setBrush(fill)
    severity = SEVERITY_COLOURS.get(post.severity or "")
    painter.setPen(QPen(severity, 2) if severity is not None else QPen(QColor("#D1D5DB"), 1))
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(KIND_COLOURS[post.kind]))
    painter.drawRoundedRect(QRectF(rect.left() + 2, rect.top() + 3, 3, rect.height() - 6), 1, 1)
    painter.setPen(ink)
    painter.setFont(small_font)
    text_rect = rect.adjusted(9, 1, -4, -1)
    head = f"{post.when:%H:%M} {labels.post_kind(post.kind)}"
    if severity is not None:
        head = ("⚠ " if post.severity == "soft" else "⛔ ") + head
    lines = [head, post.title]
    if rect.height() >= 46:
        lines.append(labels.post_status(post.status))
    painter.drawText(
        text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), "\n".join(lines)
    )


def draw_slot(painter: QPainter, rect: QRect, slot: CalendarSlot, small_font: QFont) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(KIND_COLOURS[slot.kind]), 1.2, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 5, 5)
    painter.setPen(QColor("#6B7280"))
    painter.setFont(small_font)
    name = slot.label or labels.post_kind(slot.kind)
    painter.drawText(
        rect.adjusted(8, 2, -4, -2),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
        QCoreApplication.translate("Planner", "{time} {name}\nempty slot").format(
            time=f"{slot.when:%H:%M}", name=name
        ),
    )


class WeekView(QWidget):
    post_activated = Signal(int)
    #: post id, new local time, slot id or 0
    move_requested = Signal(int, object, int)
    #: an empty slot double-clicked: slot id and its local time
    slot_activated = Signal(int, object)
    #: while dragging: post id and the local time it would land on (to re-check the rules)
    hover_target = Signal(int, object)

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.start = date.today() - timedelta(days=date.today().weekday())
        self.today = date.today()
        self.posts: list[CalendarPost] = []
        self.slots: list[CalendarSlot] = []
        self._drag: CalendarPost | None = None
        self._drag_from = QPoint()
        self._drag_at = QPoint()
        self._dragging = False
        self.first_hour = FIRST_HOUR
        self._target: datetime | None = None
        self._verdict: tuple[datetime, str] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(HEADER + MIN_HOUR_HEIGHT * (LAST_HOUR - self.first_hour))
        self._small = QFont(self.font())
        self._small.setPixelSize(11)

    def set_week(
        self, start: date, today: date, posts: list[CalendarPost], slots: list[CalendarSlot]
    ) -> None:
        self.start, self.today, self.posts, self.slots = start, today, posts, slots
        hours = [p.when.hour for p in posts] + [s.when.hour for s in slots if not s.filled]
        self.first_hour = min([FIRST_HOUR, *hours])
        self.setMinimumHeight(HEADER + MIN_HOUR_HEIGHT * (LAST_HOUR - self.first_hour))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, HEADER + 36 * (LAST_HOUR - self.first_hour))

    # -- geometry ------------------------------------------------------------------------------

    def _column_width(self) -> float:
        return (self.width() - GUTTER) / 7

    def _hour_height(self) -> float:
        """The whole day fits the view when there is room (the evening is when posts go out)."""
        return max(MIN_HOUR_HEIGHT, (self.height() - HEADER) / (LAST_HOUR - self.first_hour))

    def _card_minutes(self) -> float:
        return CARD_HEIGHT / self._hour_height() * 60

    def _y_of(self, moment: time) -> int:
        hours = max(moment.hour + moment.minute / 60 - self.first_hour, 0)
        return HEADER + round(hours * self._hour_height())

    def _card_rect(self, when: datetime) -> QRect:
        day = (when.date() - self.start).days
        width = self._column_width()
        top = self._y_of(when.time())
        height = CARD_HEIGHT
        return QRect(round(GUTTER + day * width) + 2, top, round(width) - 4, height)

    def post_rects(self) -> list[tuple[QRect, CalendarPost]]:
        """Cards of one day that would overlap are placed side by side."""
        placed: list[tuple[QRect, CalendarPost]] = []
        by_day: dict[date, list[CalendarPost]] = {}
        for post in sorted(self.posts, key=lambda p: p.when):
            if 0 <= (post.when.date() - self.start).days < 7:
                by_day.setdefault(post.when.date(), []).append(post)
        for posts in by_day.values():
            groups: list[list[CalendarPost]] = []
            for post in posts:
                previous = groups[-1][-1] if groups else None
                close = previous is not None and (post.when - previous.when) < timedelta(
                    minutes=self._card_minutes()
                )
                if close:
                    groups[-1].append(post)
                else:
                    groups.append([post])
            for group in groups:
                for index, post in enumerate(group):
                    rect = self._card_rect(post.when)
                    share = rect.width() // len(group)
                    placed.append(
                        (
                            QRect(
                                rect.left() + index * share, rect.top(), share - 2, rect.height()
                            ),
                            post,
                        )
                    )
        return placed

    def slot_rects(self) -> list[tuple[QRect, CalendarSlot]]:
        return [
            (self._card_rect(slot.when), slot)
            for slot in self.slots
            if not slot.filled and 0 <= (slot.when.date() - self.start).days < 7
        ]

    def post_at(self, point: QPoint) -> CalendarPost | None:
        for rect, post in reversed(self.post_rects()):
            if rect.contains(point):
                return post
        return None

    def slot_at(self, point: QPoint) -> CalendarSlot | None:
        for rect, slot in self.slot_rects():
            if rect.contains(point):
                return slot
        return None

    def moment_at(self, point: QPoint) -> datetime | None:
        """The local time under ``point``, snapped to a quarter hour."""
        if point.x() < GUTTER or point.y() < HEADER:
            return None
        day = int((point.x() - GUTTER) // self._column_width())
        if not 0 <= day < 7:
            return None
        minutes = round(((point.y() - HEADER) / self._hour_height() * 60) / 15) * 15
        minutes = min(max(minutes, 0), (LAST_HOUR - self.first_hour) * 60 - 15)
        total = self.first_hour * 60 + minutes
        return datetime.combine(
            self.start + timedelta(days=day), time(total // 60, total % 60), self._zone
        )

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        width = self._column_width()
        grid = QColor("#EEF0F2")
        for day in range(7):
            left = round(GUTTER + day * width)
            current = self.start + timedelta(days=day)
            if current == self.today:
                painter.fillRect(QRect(left, 0, round(width), self.height()), QColor("#F6FBF8"))
            painter.setPen(QColor("#07A35A") if current == self.today else QColor("#374151"))
            header_font = QFont(self.font())
            header_font.setBold(current == self.today)
            painter.setFont(header_font)
            painter.drawText(
                QRect(left, 0, round(width), HEADER),
                int(Qt.AlignmentFlag.AlignCenter),
                f"{weekday_name(current.weekday())} {current.month}/{current.day}",
            )
            painter.setPen(grid)
            painter.drawLine(left, 0, left, self.height())
        painter.setFont(self._small)
        for hour in range(self.first_hour, LAST_HOUR + 1):
            y = HEADER + round((hour - self.first_hour) * self._hour_height())
            painter.setPen(grid)
            painter.drawLine(GUTTER, y, self.width(), y)
            if hour < LAST_HOUR:
                painter.setPen(QColor("#9CA3AF"))
                painter.drawText(
                    QRect(0, y - 2, GUTTER - 8, 16),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                    f"{hour:02d}:00",
                )
        for rect, slot in self.slot_rects():
            draw_slot(painter, rect, slot, self._small)
        for rect, post in self.post_rects():
            dragging = self._dragging and self._drag is not None and post.id == self._drag.id
            draw_post_card(painter, rect, post, self._small, dragging)
        target = self._target
        if self._dragging and target is not None:
            verdict = self._verdict[1] if self._verdict and self._verdict[0] == target else None
            colour = QColor("#DC2626" if verdict else "#07A35A")
            rect = self._card_rect(target)
            painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect), 5, 5)
            painter.setPen(colour)
            painter.setFont(self._small)
            painter.drawText(rect.adjusted(8, 2, 0, 0), f"→ {target:%H:%M}")
            if verdict:
                box = QRect(rect.left(), rect.bottom() + 4, max(rect.width() * 2, 220), 60)
                if box.right() > self.width():
                    box.moveRight(rect.right())
                painter.fillRect(box, QColor("#FEF2F2"))
                painter.drawText(
                    box.adjusted(6, 4, -6, -4),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                    verdict,
                )
        painter.end()

    def set_drop_verdict(self, when: datetime, text: str) -> None:
        """What the rules say about dropping the dragged post at ``when`` ("" = fine)."""
        self._verdict = (when, text)
        self.update()

    def _target_at(self, point: QPoint) -> datetime | None:
        slot = self.slot_at(point)
        return slot.when if slot is not None else self.moment_at(point)

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            post = self.post_at(event.position().toPoint())
            self._drag = post if post is not None and post.movable else None
            self._drag_from = event.position().toPoint()
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._drag_at = event.position().toPoint()
            if (self._drag_at - self._drag_from).manhattanLength() > 6:
                self._dragging = True
            target = self._target_at(self._drag_at) if self._dragging else None
            if target is not None and target != self._target:
                self._target = target
                self.hover_target.emit(self._drag.id, target)
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and self._drag is not None:
            self.drop_at(self._drag.id, event.position().toPoint())
        self._drag = None
        self._dragging = False
        self._target = None
        self.update()
        super().mouseReleaseEvent(event)

    def drop_at(self, post_id: int, point: QPoint) -> None:
        """Ask to move ``post_id`` to the slot or time under ``point``."""
        slot = self.slot_at(point)
        if slot is not None:
            self.move_requested.emit(post_id, slot.when, slot.slot_id)
            return
        target = self.moment_at(point)
        if target is not None:
            self.move_requested.emit(post_id, target, 0)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        post = self.post_at(point)
        if post is not None:
            self.post_activated.emit(post.id)
            return
        slot = self.slot_at(point)
        if slot is not None:
            self.slot_activated.emit(slot.slot_id, slot.when)

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            post = self.post_at(event.pos())
            if post is not None:
                text = "\n".join([post.title, *post.warnings])
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]
