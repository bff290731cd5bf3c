"""A SQLite shop opens without an engine: it is made on first use, and whatever must watch
it (the change watcher) is attached before anything commits on it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.db.migrate import HEAD_REVISION
from moments_desk.startup import Shop, open_shop
from moments_desk.ui.kit.changes import DataChanges


def _write_a_setting(shop: Shop) -> None:
    from sqlalchemy import column, insert, table

    settings = table("app_setting", column("key"), column("value"))
    with shop.engine.begin() as connection:
        connection.execute(insert(settings).values(key="x", value="y"))


def _made(shop: Shop) -> bool:
    return shop.engine_made


def _existing_shop(folder: Path) -> None:
    open_shop(folder).close()  # creates the database at the head revision


def test_an_up_to_date_sqlite_shop_opens_without_an_engine(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    _existing_shop(folder)

    shop = open_shop(folder, check_later=True)
    try:
        assert not _made(shop)
        assert shop.unchecked_file == shop.sqlite_file  # still checked after the paint
        assert shop.migration.to_revision == HEAD_REVISION
        assert not shop.migration.upgraded_existing
        assert shop.is_sqlite
        with shop.plain_sqlite() as db:
            (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        assert version == HEAD_REVISION
        assert not _made(shop)
        with shop.sessions() as session:  # made on first use, on the same file
            assert session.connection().engine is shop.engine
        assert _made(shop)
        assert shop.database_url.startswith("sqlite:///")
    finally:
        shop.close()


def test_changes_are_announced_from_the_first_commit_on_a_lazily_made_engine(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "shop"
    _existing_shop(folder)
    shop: Shop = open_shop(folder, check_later=True)
    changes = DataChanges()
    try:
        changes.watch(shop)
        assert not _made(shop)
        with qtbot.waitSignal(changes.changed, timeout=5_000) as seen:
            _write_a_setting(shop)
        assert isinstance(seen.args[0], ChangeSet)
        assert Kind.SETTINGS in seen.args[0].kinds
    finally:
        changes.unwatch()
        shop.close()


def test_a_watch_dropped_before_the_engine_is_made_attaches_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "shop"
    _existing_shop(folder)
    shop = open_shop(folder, check_later=True)
    changes = DataChanges()
    heard: list[object] = []
    changes.changed.connect(heard.append)
    try:
        changes.watch(shop)
        changes.unwatch()
        _write_a_setting(shop)
        qtbot.wait(50)
        assert heard == []
    finally:
        shop.close()
