"""Engine and session factory for SQLite (default) and PostgreSQL (teams)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when an engine is made: a SQLite shop paints before that
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session, sessionmaker

DB_FILENAME = "moments-desk.sqlite3"

#: The databases the app ships a driver for (URLs as ``normalise_url`` leaves them).
SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})


class UnsupportedDatabaseError(ValueError):
    """A URL for a database the app cannot use (MySQL, SQL Server, Oracle, another driver)."""

    def __init__(self, drivername: str) -> None:
        super().__init__(f"unsupported database: {drivername}")
        self.drivername = drivername


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_url(url: str) -> URL:
    from sqlalchemy.engine import make_url as parse

    return parse(url)


def normalise_url(url: str) -> str:
    """Accept the ``postgresql://`` URLs people copy from docs; we ship psycopg 3, not psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def display_url(url: str) -> str:
    """The URL with its password masked, for the settings page and error messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across app crashes in WAL mode; only a power cut may lose the last commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def check_supported(url: str) -> None:
    """Raise ``UnsupportedDatabaseError`` unless the app ships the driver ``url`` needs."""
    drivername = make_url(normalise_url(url)).drivername
    if drivername not in SUPPORTED_DRIVERS:
        raise UnsupportedDatabaseError(drivername)


def make_engine(url: str, **kwargs: Any) -> Engine:
    from sqlalchemy import create_engine, event

    url = normalise_url(url)
    # Refused before SQLAlchemy imports a driver that is not there (ModuleNotFoundError).
    check_supported(url)
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"timeout": 10}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=postgres_connect_args(), **kwargs)


#: Seconds: how long to wait for the server to answer a connection, and for a statement.
CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT = 30
#: TCP keepalives: a silent server (Wi-Fi gone, not refusing) is given up after about
#: idle + interval x count seconds instead of the kernel's two hours.
KEEPALIVES_IDLE = 10
KEEPALIVES_INTERVAL = 5
KEEPALIVES_COUNT = 3


def postgres_connect_args() -> dict[str, Any]:
    """libpq options that keep a dropped network from hanging a query for minutes.

    ``tcp_user_timeout`` covers a request already sent into a dead link (keepalives only
    probe an idle one); ``application_name`` is unique per engine, so the change log tells
    this process's writes from another laptop's.
    """
    return {
        "connect_timeout": CONNECT_TIMEOUT,
        "keepalives": 1,
        "keepalives_idle": KEEPALIVES_IDLE,
        "keepalives_interval": KEEPALIVES_INTERVAL,
        "keepalives_count": KEEPALIVES_COUNT,
        "tcp_user_timeout": (KEEPALIVES_IDLE + KEEPALIVES_INTERVAL * KEEPALIVES_COUNT) * 1000,
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT * 1000}",
        "application_name": f"moments-desk {uuid.uuid4().hex[:16]}",
    }


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    # Objects handed to the UI stay readable after commit; lazy loads still need a session.
    return sessionmaker(engine, expire_on_commit=False)
