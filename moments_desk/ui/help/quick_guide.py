"""The quick guide (F1): the weekly loop in six numbered steps with a drawn flow strip."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from moments_desk.ui.kit.theme import ACCENT, ACCENT_SOFT, BORDER, MUTED, TEXT


@dataclass(frozen=True)
class Step:
    short: str
    title: str
    body: str
    where: str


def weekly_loop() -> list[Step]:
    return [
        Step(
            QCoreApplication.translate("QuickGuide", "Plan"),
            QCoreApplication.translate("QuickGuide", "Plan the week"),
            QCoreApplication.translate(
                "QuickGuide",
                "Your rhythm (e.g. Tuesday and Thursday 20:00 new arrivals) fills the week with "
                "drafts. Move, add or skip posts; the anti-spam checks warn before 刷屏.",
            ),
            QCoreApplication.translate("QuickGuide", "Planner"),
        ),
        Step(
            QCoreApplication.translate("QuickGuide", "Review"),
            QCoreApplication.translate("QuickGuide", "Review the drafts"),
            QCoreApplication.translate(
                "QuickGuide",
                "Check text and pictures (up to nine, the best first), who may see the post "
                "(部分可见 / 不给谁看) and the first line: long text folds behind 全文.",
            ),
            QCoreApplication.translate("QuickGuide", "Planner → open a draft"),
        ),
        Step(
            QCoreApplication.translate("QuickGuide", "Post"),
            QCoreApplication.translate("QuickGuide", "Post from the publish helper"),
            QCoreApplication.translate(
                "QuickGuide",
                "When a post is due, the helper copies the text and saves the pictures in order. "
                "You post from your phone and mark it posted. The app never touches WeChat.",
            ),
            QCoreApplication.translate("QuickGuide", "Reminder → Publish helper"),
        ),
        Step(
            QCoreApplication.translate("QuickGuide", "Likes"),
            QCoreApplication.translate("QuickGuide", "Record likes and comments"),
            QCoreApplication.translate(
                "QuickGuide",
                "Paste or tick who liked, commented or asked in a private chat. Every one of "
                "them lands on the customer's timeline.",
            ),
            QCoreApplication.translate("QuickGuide", "Tracking"),
        ),
        Step(
            QCoreApplication.translate("QuickGuide", "Allocate"),
            QCoreApplication.translate("QuickGuide", "Allocate the stock"),
            QCoreApplication.translate(
                "QuickGuide",
                "First N likers get the item (点赞前N名), or draw winners among the commenters; "
                "the result is fair and can be shown to anyone who asks.",
            ),
            QCoreApplication.translate("QuickGuide", "Tracking → Allocate"),
        ),
        Step(
            QCoreApplication.translate("QuickGuide", "Ship"),
            QCoreApplication.translate("QuickGuide", "Take payment and ship"),
            QCoreApplication.translate(
                "QuickGuide",
                "Orders follow from the allocation. Mark them paid and shipped; the reports "
                "then show what sold and which friends come back.",
            ),
            QCoreApplication.translate("QuickGuide", "Orders"),
        ),
    ]


HEIGHT = 132


class LoopStrip(QWidget):
    """Six numbered circles joined by arrows, with an arrow back to the start: a week."""

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.setMinimumHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(720, HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        count = len(self.labels)
        width = self.width()
        radius = 20.0
        top = 18.0
        step = (width - 40) / count
        centres = [QPointF(20 + step * (i + 0.5), top + radius) for i in range(count)]
        arrow_pen = QPen(QColor(BORDER).darker(130), 2)
        painter.setPen(arrow_pen)
        for a, b in pairwise(centres):
            start, end = a.x() + radius + 6, b.x() - radius - 6
            painter.drawLine(QPointF(start, a.y()), QPointF(end, b.y()))
            painter.drawLine(QPointF(end, b.y()), QPointF(end - 7, b.y() - 5))
            painter.drawLine(QPointF(end, b.y()), QPointF(end - 7, b.y() + 5))
        # The loop back: next week starts again with planning.
        # It leaves the last step and enters the first from beside their captions.
        back = QPainterPath()
        y = top + radius * 2 + 44
        side = radius + 14
        leave = QPointF(centres[-1].x() + side, top + radius)
        enter = QPointF(centres[0].x() - side, top + radius)
        back.moveTo(leave)
        back.quadTo(QPointF(leave.x(), y), QPointF(leave.x() - 40, y))
        back.lineTo(QPointF(enter.x() + 40, y))
        back.quadTo(QPointF(enter.x(), y), enter)
        dashed = QPen(QColor(ACCENT), 1.5, Qt.PenStyle.DashLine)
        painter.setPen(dashed)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(back)
        tip = enter
        painter.setPen(QPen(QColor(ACCENT), 1.5))
        painter.drawLine(tip, QPointF(tip.x() - 5, tip.y() + 8))
        painter.drawLine(tip, QPointF(tip.x() + 5, tip.y() + 8))

        number_font = QFont(self.font())
        number_font.setBold(True)
        number_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        for index, (centre, label) in enumerate(zip(centres, self.labels, strict=True)):
            painter.setPen(QPen(QColor(ACCENT), 2))
            painter.setBrush(QColor(ACCENT_SOFT))
            painter.drawEllipse(centre, radius, radius)
            painter.setFont(number_font)
            painter.setPen(QColor(ACCENT))
            circle = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(index + 1))
            painter.setFont(self.font())
            painter.setPen(QColor(TEXT))
            caption = QRectF(centre.x() - step / 2, centre.y() + radius + 2, step, 20)
            painter.drawText(caption, Qt.AlignmentFlag.AlignHCenter, label)
        painter.setPen(QColor(MUTED))
        painter.drawText(
            QRectF(0, y + 2, width, 20),
            Qt.AlignmentFlag.AlignHCenter,
            QCoreApplication.translate("QuickGuide", "every week"),
        )
        painter.end()


class QuickGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickGuide")
        self.setWindowTitle(QCoreApplication.translate("QuickGuide", "Quick guide: your week"))
        self.resize(860, 820)
        self.setStyleSheet(
            f"QLabel#stepNumber {{ background: {ACCENT_SOFT}; color: {ACCENT}; "
            "border-radius: 15px; font-weight: 600; }"
        )
        steps = weekly_loop()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        heading = QLabel(
            QCoreApplication.translate("QuickGuide", "Selling in Moments, one week at a time")
        )
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        intro = QLabel(
            QCoreApplication.translate(
                "QuickGuide",
                "Friends buy from people they trust and who do not flood their feed. The same "
                "six steps every week keep you regular without 刷屏.",
            )
        )
        intro.setObjectName("pageSubtitle")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.strip = LoopStrip([step.short for step in steps])
        layout.addWidget(self.strip)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.step_titles: list[QLabel] = []
        for index, step in enumerate(steps):
            number = QLabel(str(index + 1))
            number.setObjectName("stepNumber")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setFixedSize(QSize(30, 30))
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(14, 8, 14, 8)
            inner.setSpacing(2)
            title = QLabel(step.title)
            title.setObjectName("sectionTitle")
            text = QLabel(step.body)
            text.setWordWrap(True)
            where = QLabel(
                QCoreApplication.translate("QuickGuide", "Where: {place}").format(place=step.where)
            )
            where.setObjectName("cardHint")
            inner.addWidget(title)
            inner.addWidget(text)
            inner.addWidget(where)
            grid.addWidget(number, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(card, index, 1)
            self.step_titles.append(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        tip = QLabel(
            QCoreApplication.translate(
                "QuickGuide",
                "Tip: hover over any anti-spam rule to see what it counts. Press F1 to open this "
                "guide again.",
            )
        )
        tip.setObjectName("muted")
        tip.setWordWrap(True)
        layout.addWidget(tip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
