"""Is the database sound, and is every picture it refers to on disk? (no Qt)

``quick_check`` runs at every start (milliseconds on a big shop); ``integrity_check`` reads
every page and index and runs on demand. PostgreSQL checks its own pages, so there the
checks only prove the database answers and the schema is ours.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, text

from moments_desk.core.pictures.media import media_file_path
from moments_desk.db.models import MediaFile

#: How many problem lines SQLite may report before we stop reading them.
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    full: bool
    problems: tuple[str, ...]

    @property
    def summary(self) -> str:
        return "ok" if self.ok else "; ".join(self.problems[:3])


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` without writing anything, not even a -wal or -shm beside
    it: for files from outside the data folder. Only the main file is read."""
    return f"{path.absolute().as_uri()}?mode=ro&immutable=1"


def check_sqlite_file(
    path: Path,
    full: bool = False,
    *,
    foreign_keys: bool | None = None,
    read_only: bool = False,
) -> IntegrityReport:
    """Check a SQLite file directly (also one that SQLAlchemy cannot open).

    ``full`` reads every page and index (``integrity_check``, plus ``foreign_key_check``
    unless ``foreign_keys`` is False); otherwise ``quick_check`` looks at the pages only.
    ``read_only`` checks a file from outside without writing beside it.
    """
    if foreign_keys is None:
        foreign_keys = full
    pragma = "integrity_check" if full else "quick_check"
    # mode=rw never creates a missing file; it may fold a crashed session's WAL back in,
    # which is SQLite's own recovery and needs write access.
    uri = read_only_uri(path) if read_only else f"{path.absolute().as_uri()}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        return IntegrityReport(False, full, (str(error),))
    try:
        rows = conn.execute(f"PRAGMA {pragma}({_MAX_PROBLEMS})").fetchall()
        problems = tuple(str(r[0]) for r in rows if r and r[0] != "ok")
        if foreign_keys and not problems:
            bad_keys = conn.execute("PRAGMA foreign_key_check").fetchmany(_MAX_PROBLEMS)
            problems = tuple(
                f"row {row[1]} of {row[0]} refers to a missing row of {row[2]}" for row in bad_keys
            )
    except sqlite3.DatabaseError as error:
        problems = (str(error),)
    finally:
        conn.close()
    return IntegrityReport(not problems, full, problems)


def check_database(engine: Engine, full: bool = False) -> IntegrityReport:
    if engine.dialect.name == "sqlite" and engine.url.database:
        return check_sqlite_file(Path(engine.url.database), full)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
    except Exception as error:  # any failure to answer is the finding itself
        return IntegrityReport(False, full, (str(error).splitlines()[0],))
    return IntegrityReport(True, full, ())


@dataclass(frozen=True)
class MissingMedia:
    media_id: int
    rel_path: str
    original_name: str


def missing_media(engine: Engine, media_root: Path) -> list[MissingMedia]:
    """Pictures the database lists whose files are gone from the media folder."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(MediaFile.id, MediaFile.rel_path, MediaFile.original_name).order_by(MediaFile.id)
        ).all()
    return [
        MissingMedia(media_id, rel_path, name)
        for media_id, rel_path, name in rows
        if not media_file_path(media_root, rel_path).is_file()
    ]
