"""Bring a database to the schema this app version expects, or refuse with a reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # HEAD_REVISION is read before SQLAlchemy loads (a SQLite shop's start)
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The newest revision in migrations/versions. Kept here so a start on an up-to-date
#: database reads one row instead of importing Alembic (~150 ms); a test keeps it honest.
HEAD_REVISION = "0016"


class SchemaTooNewError(Exception):
    """The database was written by a newer Moments Desk; opening it could damage it."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


class ForeignDatabaseError(Exception):
    """The database has tables but none of ours: not a Moments Desk database."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(", ".join(tables))
        self.tables = tables


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None

    @property
    def upgraded_existing(self) -> bool:
        return self.from_revision is not None and self.from_revision != self.to_revision


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


#: Called with an existing database's revision just before its schema changes; returns the
#: copy it made, if any. The app passes ``core.safety.snapshots.pre_migration_backup`` (db/
#: knows nothing of backups: it sits below core).
BeforeUpgrade = Callable[[str], Path | None]


def upgrade_to_head(engine: Engine, before_upgrade: BeforeUpgrade | None = None) -> MigrationResult:
    """Upgrade ``engine``'s database to the newest schema.

    An existing database goes through ``before_upgrade`` first (the pre-migration backup).
    Raises SchemaTooNewError or ForeignDatabaseError without changing anything.
    """
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        if "alembic_version" in tables:
            stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if stamped == HEAD_REVISION:
                return MigrationResult(stamped, HEAD_REVISION, None)
    if not tables and engine.dialect.name == "sqlite":
        # A new shared (PostgreSQL) shop goes through the migrations instead: they also
        # install the change-log triggers every laptop's poll relies on.
        create_at_head(engine)
        return MigrationResult(None, HEAD_REVISION, None)
    head = head_revision()
    with engine.connect() as connection:
        current = current_revision(connection)
        if current is None:
            tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
            if tables:
                raise ForeignDatabaseError(sorted(tables))
        elif current not in known_revisions():
            raise SchemaTooNewError(current)
    if current == head:
        return MigrationResult(current, head, None)

    backup_path = None
    if current is not None and before_upgrade is not None:
        backup_path = before_upgrade(current)
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    return MigrationResult(current, head, backup_path)


def create_at_head(engine: Engine) -> None:
    """Create a new, empty database's schema from the models and stamp it at the head
    revision, in one transaction: the schema every migration together would build (a test
    compares the two), without importing Alembic and running them one by one (~240 ms)."""
    from sqlalchemy import text

    from moments_desk.db.models import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        # The table Alembic itself creates, so later upgrades read and move the stamp.
        connection.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
            {"head": HEAD_REVISION},
        )
