"""Settings → Backups and safety: back up, restore after confirming, check the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.backup import Manifest, list_snapshots
from moments_desk.startup import Shop
from moments_desk.ui import backup_dialogs
from moments_desk.ui.backup_dialogs import damaged_question, restore_question
from moments_desk.ui.context import AppContext
from moments_desk.ui.pages import backup_settings
from moments_desk.ui.pages.backup_settings import BackupCard
from tests.core.safety.shopdata import NOW, fill_shop


@pytest.fixture
def filled(shop: Shop, tmp_path: Path) -> Shop:
    fill_shop(shop.engine, shop.paths.media, tmp_path)
    return shop


def card_for(qtbot: QtBot, ctx: AppContext) -> BackupCard:
    card = BackupCard(ctx)
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.newest.text() != "", timeout=10_000)
    return card


def test_back_up_now_and_to_a_file(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], filled: Shop, tmp_path: Path
) -> None:
    card = card_for(qtbot, make_ctx())
    assert card.newest.text() == "No backup yet."
    card.back_up_now.click()
    qtbot.waitUntil(lambda: "Newest backup" in card.newest.text(), timeout=10_000)
    assert len(list_snapshots(filled.paths.backups)) == 1
    card.back_up_to_file(tmp_path / "out.zip")
    qtbot.waitUntil(lambda: "3 pictures" in card.result.text(), timeout=10_000)
    assert (tmp_path / "out.zip").is_file()


def test_restore_asks_first_and_replaces_the_shop(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    filled: Shop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card = card_for(qtbot, make_ctx())
    card.back_up_to_file(tmp_path / "out.zip")
    qtbot.waitUntil(lambda: "Backed up" in card.result.text(), timeout=10_000)
    with filled.engine.begin() as conn:
        conn.execute(text("DELETE FROM interaction"))

    asked: list[Manifest] = []

    def refuse(_parent: object, manifest: Manifest, _summary: object) -> bool:
        asked.append(manifest)
        return False

    monkeypatch.setattr(backup_settings, "confirm_restore", refuse)
    card.restore_from_file(tmp_path / "out.zip")
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert asked[0].counts["interaction"] == 1
    qtbot.wait(50)
    with filled.engine.connect() as conn:  # declined: nothing changed
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar_one() == 0

    told: list[str] = []
    reloaded: list[bool] = []
    monkeypatch.setattr(backup_settings, "reload_app", lambda: reloaded.append(True))
    monkeypatch.setattr(backup_settings, "confirm_restore", lambda _p, _m, _s: True)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, message: told.append(message))
    card.restore_from_file(tmp_path / "out.zip")
    qtbot.waitUntil(lambda: bool(told), timeout=15_000)
    assert "pre-restore" in told[0] and reloaded == [True]
    with filled.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar_one() == 1


def test_a_file_that_is_not_a_backup_is_named(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card = card_for(qtbot, make_ctx())
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, message: warned.append(message))
    (tmp_path / "holiday.zip").write_bytes(b"not a zip")
    card.restore_from_file(tmp_path / "holiday.zip")
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert "holiday.zip" in warned[0]


def test_check_lists_missing_pictures(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], filled: Shop
) -> None:
    card = card_for(qtbot, make_ctx())
    card.run_check()
    qtbot.waitUntil(lambda: "all present" in card.result.text(), timeout=10_000)
    assert "no problems" in card.result.text()
    with filled.engine.connect() as conn:
        rel = conn.execute(text("SELECT rel_path FROM media_file ORDER BY id")).scalars().first()
    assert rel is not None
    media_file_path(filled.paths.media, rel).unlink()
    card.run_check()
    qtbot.waitUntil(lambda: "missing" in card.result.text(), timeout=10_000)
    assert "p0.jpg" in card.result.text()


def test_policy_changes_are_saved(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from moments_desk.prefs import Prefs

    card = card_for(qtbot, make_ctx())
    card.interval.setValue(12)
    card.monthly.setValue(12)
    saved = Prefs.load(shop.paths.prefs_file).extra["backup"]
    assert saved["interval_hours"] == 12 and saved["keep_monthly"] == 12


def manifest() -> Manifest:
    counts = {"customer": 50000, "product": 5000, "media_file": 2000}
    return Manifest("manual", NOW, "0.1.0", "0002", "sqlite", counts, "f")


def test_the_questions_show_date_and_contents(qtbot: QtBot) -> None:
    box = restore_question(None, manifest(), "/home/小美/备份.zip")
    qtbot.addWidget(box)
    assert backup_dialogs.when(manifest()) in box.text()
    assert "Customers: 50,000" in box.informativeText()
    assert box.defaultButton().text() == "Cancel"

    damaged = damaged_question("database disk image is malformed", "/shop.sqlite3", manifest())
    qtbot.addWidget(damaged)
    assert any(b.objectName() == "restoreButton" for b in damaged.buttons())
    assert "malformed" in damaged.informativeText()
    hopeless = damaged_question("malformed", "/shop.sqlite3", None)
    qtbot.addWidget(hopeless)
    assert not any(b.objectName() == "restoreButton" for b in hopeless.buttons())


def test_a_hostile_backup_is_refused_in_the_interface_language(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    filled: Shop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refused when looked at (a path that escapes) or while restoring (a script posing as
    a picture): a sentence in Chinese, nothing written, the shop as it was."""
    from moments_desk.core.safety.archive import create_archive
    from tests.core.safety.hostile import add_picture, read_members, write_zip

    good = tmp_path / "good.zip"
    create_archive(filled.engine, filled.paths.media, good)
    escaping = write_zip(
        tmp_path / "escaping.zip",
        add_picture(read_members(good), "../../evil.sh", b"#!/bin/sh\n"),
    )
    posing = write_zip(
        tmp_path / "posing.zip",
        add_picture(read_members(good), "ab/notes.jpg", b"#!/bin/sh\nrm -rf ~\n" * 20),
    )
    with filled.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM customer")).scalar_one()

    card = card_for(qtbot, make_ctx("zh_CN"))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, message: said.append(message))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, message: said.append(message))
    monkeypatch.setattr(backup_settings, "confirm_restore", lambda _p, _m, _s: True)
    monkeypatch.setattr(backup_settings, "reload_app", lambda: pytest.fail("restored"))
    card.restore_from_file(escaping)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "escaping.zip 已拒绝" in said[0] and "不安全" in said[0], said[0]
    card.restore_from_file(posing)
    qtbot.waitUntil(lambda: len(said) == 2, timeout=15_000)
    assert "posing.zip 已拒绝" in said[1] and "不是朋友圈卖货台能用的图片" in said[1], said[1]
    assert not list(tmp_path.rglob("evil*"))
    assert not list(filled.paths.backups.glob("pre-restore-*"))
    with filled.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer")).scalar_one() == before


def test_a_search_answers_while_a_backup_is_being_made(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    filled: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long backup runs on its own thread: the customers page's search still answers
    while it copies (it used to queue behind the backup on the one database thread)."""
    import threading

    from moments_desk.ui.customers.page import CustomersPage

    release = threading.Event()
    real = backup_settings.snapshot  # type: ignore[attr-defined]

    def slow_snapshot(*args: object, **kwargs: object) -> object:
        release.wait(20)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_settings, "snapshot", slow_snapshot)
    ctx = make_ctx()
    card = card_for(qtbot, ctx)
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    card.back_up_now.click()  # blocks in slow_snapshot until released
    try:
        with qtbot.waitSignal(page.results_shown, timeout=5_000):
            page.search.setText("王")
        assert not release.is_set()  # answered while the backup was still running
    finally:
        release.set()
    qtbot.waitUntil(lambda: "Newest backup" in card.newest.text(), timeout=10_000)
