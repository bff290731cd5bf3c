"""Every path the app writes to, from one place.

The default data folder comes from the platform (``QStandardPaths``, via QtCore only) and
can be overridden with ``--data-dir``. Nothing else in the app builds paths by hand.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from moments_desk import APP_ID
from moments_desk.db.engine import DB_FILENAME


class DataDirError(Exception):
    """The data folder cannot be used; ``reason`` is one of the class constants."""

    MISSING_PARENT = "missing_parent"
    NOT_A_DIRECTORY = "not_a_directory"
    NOT_WRITABLE = "not_writable"

    def __init__(self, path: Path, reason: str, detail: str = "") -> None:
        super().__init__(f"{path}: {reason} {detail}".strip())
        self.path = path
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def thumbnails(self) -> Path:
        return self.data_dir / "cache" / "thumbnails"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def exports(self) -> Path:
        return self.data_dir / "exports"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "moments-desk.lock"

    @property
    def prefs_file(self) -> Path:
        return self.data_dir / "prefs.json"


def default_data_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    if not base:  # pragma: no cover - only on exotic platforms
        base = str(Path.home() / ".local" / "share")
    return Path(base) / APP_ID


def prepare_data_dir(path: Path) -> AppPaths:
    """Check the folder is usable and create it (one level only) if it does not exist.

    Creating only the last level means a mistyped or unmounted location (say, a USB disk)
    is reported instead of silently starting an empty shop somewhere else.
    """
    path = path.expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise DataDirError(path, DataDirError.NOT_A_DIRECTORY)
    if not path.exists():
        if not path.parent.is_dir():
            raise DataDirError(path, DataDirError.MISSING_PARENT)
        try:
            path.mkdir()
        except OSError as exc:
            raise DataDirError(path, DataDirError.NOT_WRITABLE, exc.strerror or "") from exc
    _check_writable(path)
    return AppPaths(path)


def _check_writable(path: Path) -> None:
    # os.access lies for root and on some network shares; writing a file is the real test.
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=path)
    except OSError as exc:
        raise DataDirError(path, DataDirError.NOT_WRITABLE, exc.strerror or "") from exc
    os.close(fd)
    os.unlink(probe)
