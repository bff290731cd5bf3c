"""Is a SQLite file a Moments Desk database, complete at its own schema revision? (no Qt)

``integrity_check`` proves the pages are sound, not that the file is ours: another program's
database, one from a newer app, or one missing a table all pass it. Before a database from
outside is swapped in, its revision must be one this app knows, and every table and column
that revision has must be there, with no table, trigger or view the migrations never made (a
trigger could rewrite the shop later, on an ordinary insert).

The expected schema of the head revision comes from the models (a test keeps the migrations
and models identical); an older one is built once by running the migrations up to it in
memory, because it is migrated to head right after the restore and must be complete for
those migrations to run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from moments_desk.core.safety.archive_paths import is_safe_name, printable
from moments_desk.core.safety.errors import ArchiveError
from moments_desk.core.safety.integrity import read_only_uri
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

SQLITE_HEADER = b"SQLite format 3\x00"
#: How many missing or foreign names a sentence lists.
_SHOWN = 6


@dataclass(frozen=True)
class Schema:
    tables: dict[str, frozenset[str]]  # table → column names
    others: frozenset[str]  # triggers and views


def _read_schema(conn: sqlite3.Connection) -> Schema:
    rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    tables = {}
    others = set()
    for kind, name in rows:
        if str(name).startswith("sqlite_"):
            continue
        if kind == "table":
            columns = conn.execute("SELECT name FROM pragma_table_info(?)", (name,)).fetchall()
            tables[str(name)] = frozenset(str(c[0]) for c in columns)
        elif kind in ("trigger", "view"):
            others.add(str(name))
    return Schema(tables, frozenset(others))


@lru_cache(maxsize=8)
def expected_schema(revision: str) -> Schema:
    from moments_desk.db.migrate import HEAD_REVISION

    if revision == HEAD_REVISION:
        from moments_desk.db.models import Base

        tables = {
            t.name: frozenset(c.name for c in t.columns) for t in Base.metadata.tables.values()
        }
        tables["alembic_version"] = frozenset({"version_num"})
        return Schema(tables, frozenset())
    from alembic import command
    from sqlalchemy import create_engine

    from moments_desk.db.migrate import alembic_config

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            return _read_schema(raw)
    finally:
        engine.dispose()


def _listed(names: list[str]) -> str:
    shown = ", ".join(printable(n) for n in sorted(names)[:_SHOWN])
    return shown + (f" (+{len(names) - _SHOWN})" if len(names) > _SHOWN else "")


def _revision(conn: sqlite3.Connection, schema: Schema, name: str) -> str:
    if "alembic_version" not in schema.tables:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is not a Moments Desk database (it holds: {tables})"
            ).format(name=name, tables=_listed(list(schema.tables)) or "-")
        )
    stamps = conn.execute("SELECT version_num FROM alembic_version LIMIT 2").fetchall()
    revision = str(stamps[0][0]) if len(stamps) == 1 else ""
    from moments_desk.db.migrate import HEAD_REVISION, known_revisions

    if revision != HEAD_REVISION and revision not in known_revisions():
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} was made by a newer Moments Desk (data format {revision}); "
                "update the app first",
            ).format(name=name, revision=printable(revision) or "?")
        )
    return revision


def check_schema(conn: sqlite3.Connection, name: str) -> str:
    """The database's revision, after checking it is complete for it; else ArchiveError."""
    found = _read_schema(conn)
    revision = _revision(conn, found, name)
    expected = expected_schema(revision)
    missing = [t for t in expected.tables if t not in found.tables] + [
        f"{t}.{c}"
        for t, columns in expected.tables.items()
        if t in found.tables
        for c in columns - found.tables[t]
    ]
    if missing:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is incomplete for data format {revision}: {missing} missing"
            ).format(name=name, revision=revision, missing=_listed(missing))
        )
    foreign = (
        [t for t in found.tables if t not in expected.tables]
        + [
            f"{t}.{c}"
            for t, columns in found.tables.items()
            if t in expected.tables
            for c in columns - expected.tables[t]
        ]
        + list(found.others - expected.others)
    )
    if foreign:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive",
                "{name} holds tables, columns or triggers Moments Desk never made: {found}",
            ).format(name=name, found=_listed(foreign))
        )
    return revision


def check_picture_paths(conn: sqlite3.Connection, name: str) -> None:
    """Every picture the database names must lie inside the media folder."""
    for (rel_path,) in conn.execute("SELECT rel_path FROM media_file"):
        if not isinstance(rel_path, str) or not is_safe_name(rel_path):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "Archive",
                    "{name} is refused: it lists a picture at the unsafe path “{entry}”",
                ).format(name=name, entry=printable(str(rel_path)))
            )


def check_database_file(path: Path, name: str) -> str:
    """Header, schema and picture paths of a SQLite file from outside; returns its revision.

    Opened read-only and immutable, so looking writes nothing, not even beside the file.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} cannot be read: {error}").format(
                name=name, error=error.strerror or str(error)
            )
        ) from error
    if header != SQLITE_HEADER:
        raise not_a_database(name)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise not_a_database(name) from error
    try:
        revision = check_schema(conn, name)
        check_picture_paths(conn, name)
    except sqlite3.DatabaseError as error:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a database ({summary})").format(
                name=name, summary=str(error)
            )
        ) from error
    finally:
        conn.close()
    return revision


def not_a_database(name: str) -> ArchiveError:
    return ArchiveError(
        QT_TRANSLATE_NOOP("Archive", "{name} is damaged or not a database ({summary})").format(
            name=name, summary=QT_TRANSLATE_NOOP("Archive", "no SQLite header")
        )
    )
