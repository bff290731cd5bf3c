"""Thumbnails made off the GUI thread: workers build QImage, the GUI thread makes pixmaps."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPixmap

from moments_desk.core.pictures.thumbnails import thumbnail


class _Signals(QObject):
    done = Signal(str, QImage)


class _ThumbJob(QRunnable):
    def __init__(self, media_root: Path, cache: Path, rel_path: str, size: int, signals: _Signals):
        super().__init__()
        self._args = (media_root, cache, rel_path, size)
        self._signals = signals

    def run(self) -> None:
        media_root, cache, rel_path, size = self._args
        try:
            image = QImage(str(thumbnail(media_root, cache, rel_path, size)))
        except Exception:  # a broken or deleted picture shows as no thumbnail, never a crash
            image = QImage()
        self._signals.done.emit(rel_path, image)


class ThumbnailCache(QObject):
    """Pixmaps by media path; asks a small pool to make the missing ones."""

    ready = Signal(str)

    def __init__(
        self, media_root: Path, cache_dir: Path, size: int = 96, parent: QObject | None = None
    ):
        super().__init__(parent)
        self._media_root = media_root
        self._cache_dir = cache_dir
        self._size = size
        self._pixmaps: dict[str, QPixmap] = {}
        self._pending: set[str] = set()
        self._queued: list[str] = []
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.done.connect(self._store)

    def get(self, rel_path: str) -> QPixmap | None:
        pixmap = self._pixmaps.get(rel_path)
        if pixmap is None and rel_path not in self._pending:
            self._pending.add(rel_path)
            if not self._queued:
                # Start the jobs once the current paint is done: workers decoding pictures
                # during the first paint would compete with it for the CPU.
                QTimer.singleShot(0, self, self._start_queued)
            self._queued.append(rel_path)
        return pixmap

    def _start_queued(self) -> None:
        queued, self._queued = self._queued, []
        for rel_path in queued:
            self._pool.start(
                _ThumbJob(self._media_root, self._cache_dir, rel_path, self._size, self._signals)
            )

    @Slot(str, QImage)
    def _store(self, rel_path: str, image: QImage) -> None:
        self._pending.discard(rel_path)
        self._pixmaps[rel_path] = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        self.ready.emit(rel_path)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        self._start_queued()
        return self._pool.waitForDone(timeout_ms)
