"""A filled shop and its backup, built once per module, for the hostile-archive tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from moments_desk.core.safety.archive import create_archive
from moments_desk.db.engine import DB_FILENAME, make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from tests.core.safety.hostile import Entry, Live, copy_shop, read_members
from tests.core.safety.shopdata import NOW, fill_shop


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a shop's data folder, a .zip backup of it) to copy from."""
    root = tmp_path_factory.mktemp("template")
    data = root / "shop"
    data.mkdir()
    engine = make_engine(sqlite_url(data / DB_FILENAME))
    upgrade_to_head(engine)
    fill_shop(engine, data / "media", root)
    archive = root / "good.zip"
    create_archive(engine, data / "media", archive, now=NOW)
    engine.dispose()
    return data, archive


@pytest.fixture
def live(template: tuple[Path, Path], tmp_path: Path) -> Iterator[Live]:
    shop = copy_shop(template[0], tmp_path)
    yield shop
    shop.engine.dispose()
    shutil.rmtree(shop.data, ignore_errors=True)


@pytest.fixture
def good(template: tuple[Path, Path]) -> list[Entry]:
    """The members of a good backup of a shop like ``live``'s (pictures included)."""
    return read_members(template[1])
