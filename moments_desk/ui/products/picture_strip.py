"""A product's pictures in posting order (the strip the product editor and the post composer
show), and the file-dialog filter for picking pictures."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from moments_desk.ui.kit.thumbnails import ThumbnailCache

MEDIA_ROLE = Qt.ItemDataRole.UserRole
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class ImageStrip(QListWidget):
    """Pictures in posting order; drag to reorder, the first one is the cover."""

    changed = Signal()

    def __init__(self, thumbnails: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbnails = thumbnails
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(84, 84))
        self.setGridSize(QSize(96, 104))
        self.setMovement(QListView.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWrapping(True)
        self.setFixedHeight(118)
        self.model().rowsMoved.connect(self._renumber)
        thumbnails.ready.connect(self._thumbnail_ready)

    def set_images(self, images: list[tuple[int, str]]) -> None:
        self.clear()
        for media_id, rel_path in images:
            self.append(media_id, rel_path, emit=False)
        self._renumber()

    def append(self, media_id: int, rel_path: str, *, emit: bool = True) -> None:
        if media_id in self.media_ids():
            return
        item = QListWidgetItem()
        item.setData(MEDIA_ROLE, media_id)
        item.setData(PATH_ROLE, rel_path)
        pixmap = self._thumbnails.get(rel_path)
        if pixmap is not None:
            item.setIcon(QIcon(pixmap))
        self.addItem(item)
        if emit:
            self._renumber()
            self.changed.emit()

    def remove_selected(self) -> None:
        for item in self.selectedItems():
            self.takeItem(self.row(item))
        self._renumber()
        self.changed.emit()

    def media_ids(self) -> list[int]:
        return [int(self.item(i).data(MEDIA_ROLE)) for i in range(self.count())]

    def _renumber(self, *_: object) -> None:
        cover = QCoreApplication.translate("ProductEditor", "cover")
        for i in range(self.count()):
            self.item(i).setText(f"{i + 1} · {cover}" if i == 0 else str(i + 1))
        if _:
            self.changed.emit()

    def _thumbnail_ready(self, rel_path: str) -> None:
        for i in range(self.count()):
            item = self.item(i)
            if item.data(PATH_ROLE) == rel_path:
                pixmap = self._thumbnails.get(rel_path) or QPixmap()
                item.setIcon(QIcon(pixmap))


def image_files_filter() -> str:
    pictures = QCoreApplication.translate("ProductEditor", "Pictures")
    return f"{pictures} (*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC)"
