"""Opening a shop: data folder, single-instance lock, database and migrations.

No widgets here. Every way this can fail is a ``StartupError`` whose ``kind`` the UI turns
into a translated message; nothing is created or overwritten on the failing path.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from moments_desk.db.engine import (
    UnsupportedDatabaseError,
    check_supported,
    display_url,
    is_sqlite,
    make_engine,
    make_session_factory,
    normalise_url,
    sqlite_url,
)
from moments_desk.db.migrate import (
    HEAD_REVISION,
    ForeignDatabaseError,
    MigrationResult,
    SchemaTooNewError,
    upgrade_to_head,
)
from moments_desk.instance_lock import InstanceLock, LockHeld
from moments_desk.paths import AppPaths, DataDirError, prepare_data_dir
from moments_desk.prefs import Prefs
from moments_desk.startup_errors import EXIT_CODES as EXIT_CODES
from moments_desk.startup_errors import RELOAD_EXIT_CODE as RELOAD_EXIT_CODE
from moments_desk.startup_errors import StartupError as StartupError
from moments_desk.startup_errors import StartupProblem as StartupProblem

if TYPE_CHECKING:  # a SQLite shop paints before SQLAlchemy is imported (Shop.engine)
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


@dataclass
class Shop:
    """Everything an open shop needs; closed with ``close()``.

    ``engine`` and ``sessions`` are made on first use: an up-to-date SQLite shop in its data
    folder reaches the first paint over ``plain_sqlite`` (revision, sign-in, Overview)
    without importing SQLAlchemy (~180 ms); the window makes them at idle after the paint."""

    paths: AppPaths
    prefs: Prefs
    #: The URL as given (``normalised_url`` is what SQLAlchemy renders of it).
    given_url: str
    migration: MigrationResult
    _lock: InstanceLock | None = field(default=None, repr=False)
    #: The SQLite file whose integrity check waits until the window has painted
    #: (``check_after_start``); None when it was checked before opening, or is not SQLite.
    unchecked_file: Path | None = None
    #: The shop's own SQLite file (the data folder's), read over ``plain_sqlite`` before the
    #: engine exists; None for any other database.
    sqlite_file: Path | None = None
    _engine: Engine | None = field(default=None, repr=False)
    _sessions: sessionmaker[Session] | None = field(default=None, repr=False)
    _making: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _when_made: list[Callable[[Shop], None]] = field(default_factory=list, repr=False)

    @property
    def engine(self) -> Engine:
        with self._making:  # the GUI thread at idle or the database thread, whichever first
            if self._engine is None:
                self._engine = make_engine(self.given_url)
                # Before any other thread can use it: no commit goes unwatched.
                for made in self._when_made:
                    made(self)
                self._when_made.clear()
            return self._engine

    def when_engine_made(self, made: Callable[[Shop], None]) -> None:
        """Call ``made`` once the engine exists (now, if it does): the change watcher
        attaches there, before the engine's first use."""
        with self._making:
            if self._engine is None:
                self._when_made.append(made)
                return
        made(self)

    @property
    def sessions(self) -> sessionmaker[Session]:
        engine = self.engine
        with self._making:
            if self._sessions is None:
                self._sessions = make_session_factory(engine)
            return self._sessions

    @property
    def engine_made(self) -> bool:
        return self._engine is not None

    @property
    def database_url(self) -> str:
        return normalise_url(self.given_url)

    @property
    def database_display(self) -> str:
        if self.sqlite_file is not None:  # no password to hide; the path as the seller wrote it
            return sqlite_url(self.sqlite_file)
        return display_url(self.given_url)

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_file is not None or is_sqlite(self.given_url)

    @contextlib.contextmanager
    def plain_sqlite(self) -> Iterator[sqlite3.Connection]:
        """A sqlite3 connection to a SQLite shop: one of the engine's once it is made, else
        the shop's file opened for this use alone (the engine's pragmas that matter)."""
        if self.sqlite_file is None or self._engine is not None:
            raw = self.engine.raw_connection()
            try:
                db = raw.driver_connection
                assert isinstance(db, sqlite3.Connection), "plain_sqlite is for SQLite shops"
                yield db
            finally:
                raw.close()
            return
        db = sqlite3.connect(self.sqlite_file, timeout=10)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=10000")
            yield db
        finally:
            db.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


_DATA_DIR_PROBLEMS = {
    DataDirError.MISSING_PARENT: StartupProblem.DATA_DIR_MISSING_PARENT,
    DataDirError.NOT_A_DIRECTORY: StartupProblem.DATA_DIR_NOT_A_DIRECTORY,
    DataDirError.NOT_WRITABLE: StartupProblem.DATA_DIR_NOT_WRITABLE,
}


def open_data_dir(data_dir: Path) -> AppPaths:
    try:
        return prepare_data_dir(data_dir)
    except DataDirError as err:
        raise StartupError(_DATA_DIR_PROBLEMS[err.reason], str(err.path), err.detail) from err


def acquire_lock(paths: AppPaths) -> InstanceLock:
    """The data folder's single-instance lock (an OS file lock, see ``instance_lock``)."""
    try:
        return InstanceLock.acquire(paths.lock_file)
    except LockHeld as err:
        raise StartupError(StartupProblem.ALREADY_RUNNING, str(paths.data_dir)) from err
    except OSError as err:
        raise StartupError(
            StartupProblem.DATA_DIR_NOT_WRITABLE, str(paths.lock_file), err.strerror or ""
        ) from err


def _is_corruption(error: BaseException) -> bool:
    orig = getattr(error, "orig", error)
    return isinstance(orig, sqlite3.DatabaseError) and not isinstance(
        orig, sqlite3.OperationalError
    )


def _backup_before(engine: Engine, paths: AppPaths, revision: str) -> Path:
    """The pre-migration snapshot. Imported here: only an upgrade needs the backup code."""
    from moments_desk.core.safety.snapshots import pre_migration_backup

    return pre_migration_backup(engine, paths.backups)(revision)


def check_database_url(url: str) -> str:
    """``url`` normalised, or a ``StartupError`` (exit 2) for one the app cannot use."""
    from sqlalchemy import exc

    try:
        url = normalise_url(url)
        check_supported(url)
    except UnsupportedDatabaseError as err:
        raise StartupError(
            StartupProblem.DATABASE_UNSUPPORTED, display_url(url), err.drivername
        ) from err
    except (exc.ArgumentError, ValueError) as err:
        raise StartupError(StartupProblem.DATABASE_URL_INVALID, url, str(err)) from err
    return url


def _stamped_revision(db_file: Path) -> str | None:
    """The schema revision written in ``db_file``, read without SQLAlchemy or writing; None
    when it has none or cannot be read (the full path then decides what is wrong)."""
    try:
        conn = sqlite3.connect(f"{db_file.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def quick_check_in_place(db_file: Path) -> str | None:
    """``quick_check`` of the open shop's file over a read-only connection (the WAL
    included, nothing written): None when it is sound, else what is wrong. Safe to run on
    any thread: it uses its own connection."""
    try:
        conn = sqlite3.connect(f"{db_file.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return str(error)
    try:
        rows = conn.execute("PRAGMA quick_check(20)").fetchall()
        problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    finally:
        conn.close()
    return "; ".join(problems[:3]) if problems else None


def open_database(
    url: str, paths: AppPaths, check_later: bool = False
) -> tuple[Engine, MigrationResult, Path | None]:
    """The engine at the head revision. With ``check_later`` an up-to-date SQLite file is
    not checked here: its path comes back for ``quick_check_in_place`` after the first
    paint. A file that needs a migration is always checked first (nothing is written to a
    damaged file)."""
    from sqlalchemy import exc

    url = check_database_url(url)
    try:
        engine = make_engine(url)
    except ImportError as err:  # a supported driver missing from a broken installation
        shown = display_url(url)
        raise StartupError(StartupProblem.DATABASE_UNSUPPORTED, shown, str(err.name)) from err
    except (exc.ArgumentError, exc.NoSuchModuleError, ValueError) as err:
        raise StartupError(StartupProblem.DATABASE_URL_INVALID, url, str(err)) from err
    shown = display_url(url)
    db_file = Path(engine.url.database) if is_sqlite(url) and engine.url.database else None
    unchecked = None
    if (
        check_later
        and db_file is not None
        and db_file.is_file()
        and _stamped_revision(db_file) == HEAD_REVISION
    ):
        unchecked = db_file
    elif db_file is not None and db_file.is_file():
        # A fast look at every page before anything writes: a damaged file is reported
        # (and a backup offered) instead of being opened and damaged further.
        from moments_desk.core.safety.integrity import check_sqlite_file

        report = check_sqlite_file(db_file)
        if not report.ok:
            engine.dispose()
            raise StartupError(StartupProblem.DATABASE_CORRUPT, shown, report.summary)
    try:
        result = upgrade_to_head(engine, lambda revision: _backup_before(engine, paths, revision))
    except SchemaTooNewError as err:
        engine.dispose()
        raise StartupError(StartupProblem.DATABASE_TOO_NEW, shown, err.revision) from err
    except ForeignDatabaseError as err:
        engine.dispose()
        raise StartupError(StartupProblem.DATABASE_FOREIGN, shown, ", ".join(err.tables)) from err
    except exc.DBAPIError as err:
        engine.dispose()
        first_line = str(err.orig).strip().splitlines()[0] if str(err.orig).strip() else ""
        if is_sqlite(url) and _is_corruption(err):
            raise StartupError(StartupProblem.DATABASE_CORRUPT, shown, first_line) from err
        raise StartupError(StartupProblem.DATABASE_UNREACHABLE, shown, first_line) from err
    if result.upgraded_existing:
        log.info(
            "database upgraded from %s to %s (backup: %s)",
            result.from_revision,
            result.to_revision,
            result.backup_path,
        )
    return engine, result, unchecked


def _sweep_temporary_files(paths: AppPaths) -> None:
    """Remove what a backup or restore cut short left (a copy of the database among it).
    Only the known places are listed, so a start stays as fast as before."""
    from moments_desk.core.safety.temp_files import sweep_leftovers

    try:
        removed = sweep_leftovers(paths.data_dir)
    except OSError as error:  # never a reason not to start
        log.warning("temporary files not swept: %s", error)
        return
    if removed:
        log.info("removed %d temporary files left by an interrupted run", len(removed))


def open_shop(data_dir: Path, database_url: str | None = None, check_later: bool = False) -> Shop:
    """Open the shop in ``data_dir`` (and ``database_url`` if given, else its SQLite file).

    ``check_later``: see ``open_database``; the caller must then run the integrity check on
    ``Shop.unchecked_file`` and stop using the shop if it fails."""
    if database_url is not None:
        check_database_url(database_url)  # before the data folder is created for nothing
    paths = open_data_dir(data_dir)
    lock = acquire_lock(paths)
    _sweep_temporary_files(paths)
    own_file = paths.database if database_url is None else None
    if (
        own_file is not None
        and check_later
        and own_file.is_file()
        and _stamped_revision(own_file) == HEAD_REVISION
    ):
        # The usual start: nothing to migrate, checked after the paint; no engine yet.
        return Shop(
            paths=paths,
            prefs=Prefs.load(paths.prefs_file),
            given_url=sqlite_url(own_file),
            migration=MigrationResult(HEAD_REVISION, HEAD_REVISION, None),
            _lock=lock,
            unchecked_file=own_file,
            sqlite_file=own_file,
        )
    try:
        url = database_url or sqlite_url(paths.database)
        engine, migration, unchecked = open_database(url, paths, check_later)
    except BaseException:
        lock.unlock()
        raise
    return Shop(
        paths=paths,
        prefs=Prefs.load(paths.prefs_file),
        given_url=normalise_url(url),
        migration=migration,
        _lock=lock,
        unchecked_file=unchecked,
        sqlite_file=own_file,
        _engine=engine,
    )


def recover_from_newest_snapshot(data_dir: Path) -> tuple[Path, Path | None] | None:
    """Replace a damaged SQLite database with the newest snapshot that passes a full check.

    Holds the data folder's lock while it works. Returns (snapshot used, where the damaged
    file was kept), or None when there is no good snapshot.
    """
    from moments_desk.core.safety.backup import newest_good_snapshot
    from moments_desk.core.safety.restore import restore_snapshot

    paths = open_data_dir(data_dir)
    lock = acquire_lock(paths)
    try:
        good = newest_good_snapshot(paths.backups)
        if good is None:
            return None
        kept = restore_snapshot(good.path, paths.database, paths.backups)
        return good.path, kept
    finally:
        lock.unlock()
