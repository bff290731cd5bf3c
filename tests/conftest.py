"""Shared fixtures. Qt must be told to render offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.db.engine import make_engine, make_session_factory, normalise_url, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.paths import AppPaths

PG_ENV = "MOMENTS_DESK_TEST_PG"

# `make test` explores the same examples on every run and every machine: a red build is
# the code's doing, never the draw's. `make test-slow` (--hypothesis-profile=wide) explores
# freshly each run, with more examples, and keeps what it found in .hypothesis/ to replay.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("wide", derandomize=False, max_examples=1000, deadline=None)
settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with `make test-slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    data = tmp_path / "data"
    data.mkdir()
    return AppPaths(data)


#: Set by ``make test-pg``: the SQLite half of every ``db_url`` test already ran in
#: ``make test``, so the PostgreSQL run skips it (CI's time budget).
ONLY_PG_ENV = "MOMENTS_DESK_TEST_ONLY_PG"


def _backends() -> list[str]:
    if not os.environ.get(PG_ENV):
        return ["sqlite"]
    return ["postgresql"] if os.environ.get(ONLY_PG_ENV) else ["sqlite", "postgresql"]


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "test.sqlite3")
        return
    admin_url = make_url(normalise_url(os.environ[PG_ENV]))
    name = f"md_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A database migrated to the newest schema."""
    eng = make_engine(db_url)
    upgrade_to_head(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
