"""A new shop is created from the models and stamped at the head revision; its schema must
be the one every migration together builds (compared by SQLAlchemy inspection, on SQLite and,
under ``-m db`` with MOMENTS_DESK_TEST_PG, on PostgreSQL)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, make_url, text

from moments_desk.db.engine import make_engine, normalise_url
from moments_desk.db.migrate import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from tests.conftest import PG_ENV

pytestmark = pytest.mark.db


@pytest.fixture
def second_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'by-models.sqlite3'}"
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


def _squash(value: object) -> str:
    """SQL text without the spacing, quoting and case that differ between two DDL routes."""
    return re.sub(r"[\s\"'`()]", "", str(value)).lower()


def schema(engine: Engine) -> dict[str, Any]:
    """Every table's columns, keys, indexes and constraints, by name or by columns where a
    constraint's name is the database's own choice."""
    inspector = inspect(engine)
    found: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (
                _squash(c["type"]),
                c["nullable"],
                _squash(c.get("default")),
                str(c.get("autoincrement")),
            )
            for c in inspector.get_columns(table)
        }
        foreign_keys = sorted(
            (
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                tuple(sorted((fk.get("options") or {}).items())),
            )
            for fk in inspector.get_foreign_keys(table)
        )
        indexes = sorted(
            (i["name"], tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        uniques = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        checks = sorted(_squash(c["sqltext"]) for c in inspector.get_check_constraints(table))
        found[table] = {
            "columns": columns,
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": foreign_keys,
            "indexes": indexes,
            "unique": uniques,
            "checks": checks,
        }
    return found


def test_a_new_database_created_from_the_models_equals_the_migrated_one(
    db_url: str, second_url: str
) -> None:
    from alembic import command

    migrated = make_engine(db_url)
    with migrated.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    created = make_engine(second_url)
    result = upgrade_to_head(created)
    try:
        assert result.from_revision is None and result.to_revision == head_revision()
        with created.connect() as conn:
            assert current_revision(conn) == HEAD_REVISION == head_revision()
        by_migrations, by_models = schema(migrated), schema(created)
        assert by_models.keys() == by_migrations.keys()
        for table, shape in by_migrations.items():
            assert by_models[table] == shape, table
        # and the created database upgrades no further: Alembic reads its stamp
        again = upgrade_to_head(created)
        assert again.from_revision == again.to_revision == head_revision()
    finally:
        migrated.dispose()
        created.dispose()
