"""A Moments post as friends will see it: avatar, name, folded text, the picture grid, time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from moments_desk.ui.kit.thumbnails import ThumbnailCache

#: WeChat's colour for names and links in Moments.
NAME_BLUE = "#576B95"
#: WeChat folds a post's text behind 全文 after this many lines.
FOLD_LINES = 6
AVATAR = 42
GAP = 4


@dataclass(frozen=True)
class PreviewPost:
    """Everything the preview draws; built from a post, a draft in the composer or a test."""

    nickname: str
    text: str
    image_paths: tuple[str, ...] = ()
    #: Pixel size of each picture, same order; (0, 0) when unknown.
    image_sizes: tuple[tuple[int, int], ...] = ()
    avatar_path: str | None = None
    time_text: str = ""
    products_line: str = ""


def grid_rects(count: int, cell: int, single: QSize | None = None) -> list[QRect]:
    """Where WeChat puts ``count`` pictures: one big picture keeping its aspect ratio, four as
    2×2, any other count in rows of three."""
    if count <= 0:
        return []
    if count == 1:
        box = cell * 2 + GAP
        width, height = (single.width(), single.height()) if single else (box, box)
        if width <= 0 or height <= 0:
            width = height = box
        scale = box / max(width, height)
        # Very wide or tall pictures are cropped by WeChat rather than shrunk to a sliver.
        w = max(round(width * scale), cell)
        h = max(round(height * scale), cell)
        return [QRect(0, 0, w, h)]
    columns = 2 if count == 4 else 3
    return [
        QRect((i % columns) * (cell + GAP), (i // columns) * (cell + GAP), cell, cell)
        for i in range(count)
    ]


def fold_text(text: str, font: QFont, width: float, lines: int = FOLD_LINES) -> tuple[str, bool]:
    """The part of ``text`` shown before 全文 and whether it was folded. Each paragraph wraps
    on its own (QTextLayout does not break at newlines)."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    ends: list[int] = []
    offset = 0
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 10.0))
            ends.append(offset + line.textStart() + line.textLength())
        layout.endLayout()
        if not paragraph:
            ends.append(offset)  # an empty line still takes a line
        offset += len(paragraph) + 1
        if len(ends) > lines:
            break
    if len(ends) <= lines:
        return text, False
    return text[: ends[lines - 1]].rstrip("\n"), True


def initial_avatar(name: str, size: int = AVATAR) -> QPixmap:
    """A rounded square with the name's first character, for accounts without a picture."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    palette = ("#07A35A", "#576B95", "#D9822B", "#8E6CC8", "#2B9AC8", "#C8506B")
    colour = QColor(palette[sum(map(ord, name or "?")) % len(palette)])
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(0, 0, size, size), 5, 5)
    font = painter.font()
    font.setPixelSize(int(size * 0.46))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(
        QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, (name.strip() or "?")[:1]
    )
    painter.end()
    return pixmap


def relative_time(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """How WeChat dates a post: 刚刚, N分钟前, N小时前, 昨天, N天前; future times as a date."""
    seconds = (now - moment).total_seconds()
    local = moment.astimezone(zone)
    if seconds < 0:
        return QCoreApplication.translate("MomentsPreview", "Scheduled {when}").format(
            when=local.strftime("%m-%d %H:%M")
        )
    minutes = int(seconds // 60)
    if minutes < 1:
        return QCoreApplication.translate("MomentsPreview", "Just now")
    if minutes < 60:
        return QCoreApplication.translate("MomentsPreview", "%n minute(s) ago", "", minutes)
    hours = minutes // 60
    if hours < 24:
        return QCoreApplication.translate("MomentsPreview", "%n hour(s) ago", "", hours)
    days = (now.astimezone(zone).date() - local.date()).days
    if days <= 1:
        return QCoreApplication.translate("MomentsPreview", "Yesterday")
    return QCoreApplication.translate("MomentsPreview", "%n day(s) ago", "", days)


class ImageGrid(QWidget):
    """Paints the pictures in WeChat's grid; missing thumbnails show grey until they arrive."""

    def __init__(self, thumbnails: ThumbnailCache | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbnails = thumbnails
        self._paths: tuple[str, ...] = ()
        self._sizes: tuple[tuple[int, int], ...] = ()
        self.cell = 78
        self.rects: list[QRect] = []
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_images(self, paths: tuple[str, ...], sizes: tuple[tuple[int, int], ...]) -> None:
        self._paths = paths
        self._sizes = sizes
        single = QSize(*sizes[0]) if len(paths) == 1 and sizes else None
        self.rects = grid_rects(len(paths), self.cell, single)
        self.updateGeometry()
        self.setVisible(bool(paths))
        self.update()

    def sizeHint(self) -> QSize:
        if not self.rects:
            return QSize(0, 0)
        right = max(r.right() for r in self.rects) + 1
        bottom = max(r.bottom() for r in self.rects) + 1
        return QSize(right, bottom)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _thumbnail_ready(self, rel_path: str) -> None:
        if rel_path in self._paths:
            if len(self._paths) == 1 and not (self._sizes and self._sizes[0][0]):
                pixmap = self._thumbnails.get(rel_path) if self._thumbnails else None
                if pixmap is not None and not pixmap.isNull():
                    self.set_images(self._paths, ((pixmap.width(), pixmap.height()),))
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for rect, path in zip(self.rects, self._paths, strict=False):
            pixmap = self._thumbnails.get(path) if self._thumbnails is not None else None
            if pixmap is None or pixmap.isNull():
                painter.fillRect(rect, QColor("#E5E6E8"))
                if pixmap is not None:  # the file is gone or unreadable: say so in the cell
                    painter.setPen(QColor("#9CA3AF"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "✕")
                continue
            # Crop to fill the cell, as WeChat does, instead of letterboxing.
            source = pixmap.rect()
            scale = max(rect.width() / source.width(), rect.height() / source.height())
            w, h = rect.width() / scale, rect.height() / scale
            crop = QRectF((source.width() - w) / 2, (source.height() - h) / 2, w, h)
            painter.drawPixmap(QRectF(rect), pixmap, crop)
        painter.end()


class FoldableText(QWidget):
    """The post text, cut after six lines with 全文 / 收起 below it."""

    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("color: #1F2329; font-size: 14px;")
        self.link = QLabel()
        self.link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.link.setStyleSheet(f"color: {NAME_BLUE}; font-size: 14px;")
        self.link.mousePressEvent = self._clicked  # type: ignore[method-assign]
        layout.addWidget(self.label)
        layout.addWidget(self.link)
        self._text = ""
        self.expanded = False
        self.folded = False

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.expanded = False
        self._refold()

    def shown_text(self) -> str:
        return self.label.text()

    def toggle(self) -> None:
        self.expanded = not self.expanded
        self._refold()
        self.toggled.emit(self.expanded)

    def _clicked(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.toggle()

    def resizeEvent(self, event: object) -> None:
        self._refold()

    def _refold(self) -> None:
        font = self.label.font()
        width = float(self.width() or self.label.width() or 300)
        cut, folded = fold_text(self._text, font, width)
        self.folded = folded
        self.label.setText(self._text if self.expanded or not folded else cut)
        self.label.setVisible(bool(self._text))
        self.link.setVisible(folded)
        self.link.setText(
            QCoreApplication.translate("MomentsPreview", "Collapse")
            if self.expanded
            else QCoreApplication.translate("MomentsPreview", "Full text")
        )


class _MoreButton(QWidget):
    """WeChat's grey "··" button for likes and comments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(32, 20)
        self.setToolTip(QCoreApplication.translate("MomentsPreview", "Like / Comment"))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#F3F3F5"))
        painter.drawRoundedRect(QRectF(self.rect()), 4, 4)
        painter.setBrush(QColor(NAME_BLUE))
        for x in (12.0, 20.0):
            painter.drawEllipse(QPointF(x, 10.0), 2.2, 2.2)
        painter.end()


class MomentsPreview(QWidget):
    """One post in a friend's Moments feed."""

    def __init__(self, thumbnails: ThumbnailCache | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("momentsPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#momentsPreview { background: #FFFFFF; }")
        self._thumbnails = thumbnails
        self._avatar_path: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 14, 14, 14)
        row.setSpacing(10)
        self.avatar = QLabel()
        self.avatar.setFixedSize(AVATAR, AVATAR)
        row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        body = QVBoxLayout()
        body.setSpacing(6)
        self.name = QLabel()
        self.name.setStyleSheet(f"color: {NAME_BLUE}; font-size: 15px; font-weight: 600;")
        body.addWidget(self.name)
        self.text = FoldableText()
        body.addWidget(self.text)
        self.grid = ImageGrid(thumbnails)
        body.addWidget(self.grid)
        self.products = QLabel()
        self.products.setStyleSheet(f"color: {NAME_BLUE}; font-size: 12px;")
        self.products.setWordWrap(True)
        body.addWidget(self.products)
        time_row = QHBoxLayout()
        self.time = QLabel()
        self.time.setStyleSheet("color: #9CA3AF; font-size: 12px;")
        time_row.addWidget(self.time, 1)
        self.more = _MoreButton()
        time_row.addWidget(self.more)
        body.addLayout(time_row)
        body.addStretch(1)
        row.addLayout(body, 1)
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)

    def set_post(self, post: PreviewPost) -> None:
        self.name.setText(post.nickname)
        self._avatar_path = post.avatar_path
        self._paint_avatar(post.nickname)
        self.text.set_text(post.text)
        self.grid.set_images(post.image_paths, post.image_sizes)
        self.products.setText(post.products_line)
        self.products.setVisible(bool(post.products_line))
        self.time.setText(post.time_text)

    def _paint_avatar(self, nickname: str) -> None:
        pixmap = None
        if self._avatar_path and self._thumbnails is not None:
            pixmap = self._thumbnails.get(self._avatar_path)
        if pixmap is None or pixmap.isNull():
            pixmap = initial_avatar(nickname)
        self.avatar.setPixmap(
            pixmap.scaled(
                AVATAR,
                AVATAR,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _thumbnail_ready(self, rel_path: str) -> None:
        if rel_path == self._avatar_path:
            self._paint_avatar(self.name.text())
