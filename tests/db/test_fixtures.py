"""Every released schema version, kept as a small database, upgrades to today's schema with
every row intact (SQLite, and PostgreSQL when MOMENTS_DESK_TEST_PG is set).

The fixtures come from
``scripts/make_fixture_db.py REVISION tests/db/fixtures/rev_REVISION.sqlite3``.
When a release ships a new migration, add that revision's fixture and raise RELEASED below.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select

from moments_desk.core.safety.archive import (
    copy_rows,
    rows_from_sqlite,
)
from moments_desk.core.safety.integrity import check_database
from moments_desk.core.safety.snapshots import pre_migration_backup
from moments_desk.core.shared.pinyin import customer_search_text
from moments_desk.db import models
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import alembic_config, head_revision, upgrade_to_head

pytestmark = pytest.mark.db
FIXTURES = Path(__file__).with_name("fixtures")
#: The newest revision that shipped in a release; every revision up to it needs a fixture.
RELEASED = ("0001", "0002", "0005", "0006")


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("rev_*.sqlite3"))


def snapshot_rows(engine: Engine) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table, keyed by primary key (types as SQLAlchemy reflects them)."""
    out: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    with engine.connect() as conn:
        meta = MetaData()
        meta.reflect(bind=conn)
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            keys = [c.name for c in table.primary_key.columns]
            out[table.name] = {
                tuple(row[k] for k in keys): dict(row)
                for row in (r._mapping for r in conn.execute(table.select()))
            }
    return out


#: Columns a migration drops or writes again on purpose → that migration's revision.
REWRITTEN = {
    ("customer", "search_initials"): "0006",
    ("customer", "search_full"): "0006",
    ("customer", "search_text"): "0006",
}


def assert_kept(before: dict[str, Any], after: dict[str, Any], revision: str) -> None:
    for table, rows in before.items():
        assert table in after, f"table {table} disappeared"
        assert set(after[table]) == set(rows), f"{table}: rows lost or added"
        for key, old in rows.items():
            new = after[table][key]
            changed = {
                c: (v, new.get(c))
                for c, v in old.items()
                if new.get(c) != v and REWRITTEN.get((table, c), "") <= revision
            }
            assert not changed, f"{table} {key}: {changed}"


def assert_search_texts_current(engine: Engine) -> None:
    """Every customer's search text is what saving her today would write (0006)."""
    with engine.connect() as conn:
        customers = conn.execute(
            select(
                models.Customer.nickname,
                models.Customer.remark,
                models.Customer.wechat_id,
                models.Customer.phone,
                models.Customer.search_text,
            )
        ).all()
    assert customers
    for nickname, remark, wechat_id, phone, text in customers:
        assert text == customer_search_text(nickname, remark, wechat_id, phone)


def test_every_released_revision_has_a_fixture() -> None:
    have = {p.stem.removeprefix("rev_") for p in fixture_files()}
    assert set(RELEASED) <= have, "run scripts/make_fixture_db.py for the missing revisions"


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_fixture_upgrades_with_every_row(fixture: Path, db_url: str, tmp_path: Path) -> None:
    revision = fixture.stem.removeprefix("rev_")
    source = make_engine(sqlite_url(tmp_path / fixture.name))
    shutil.copy(fixture, tmp_path / fixture.name)
    before = snapshot_rows(source)
    assert all(before.values()), "the fixture must have rows in every table"

    if db_url.startswith("sqlite"):
        source.dispose()
        engine = make_engine(sqlite_url(tmp_path / fixture.name))
    else:
        from alembic import command

        engine = make_engine(db_url)
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
            copy_rows(rows_from_sqlite(source), conn, lambda _d, _t: None)
        source.dispose()
    result = upgrade_to_head(engine, pre_migration_backup(engine, tmp_path / "backups"))
    assert result.to_revision == head_revision()
    assert_kept(before, snapshot_rows(engine), revision)
    assert_search_texts_current(engine)
    assert check_database(engine, full=True).ok
    # The app's own models read every upgraded row (enums, money, times all valid).
    with make_session_factory(engine)() as session:
        for model in (
            models.Customer,
            models.Product,
            models.Order,
            models.Post,
            models.Interaction,
            models.MediaFile,
            models.Reminder,
            models.CadenceSlot,
            models.AuditEntry,
            models.User,
            models.Draw,
            models.Allocation,
        ):
            assert session.scalars(select(model)).all(), model.__name__
    engine.dispose()
