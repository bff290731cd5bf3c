"""The first-run wizard as a seller drives it, the quick guide, the About box, the update notice."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from datetime import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from moments_desk.app import wants_first_run
from moments_desk.core.planning.cadence_presets import Preset
from moments_desk.core.setup.first_run import load_existing, shop_name
from moments_desk.core.shared import uow
from moments_desk.db.models import (
    AccountRules,
    AppSetting,
    CadenceSlot,
    Customer,
    PostKind,
    Product,
    WeChatAccount,
)
from moments_desk.prefs import Prefs
from moments_desk.startup import Shop, open_shop
from moments_desk.ui.about import AboutDialog
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.import_dialogs import CustomerImportDialog
from moments_desk.ui.help.quick_guide import QuickGuideDialog
from moments_desk.ui.i18n import choose_language
from moments_desk.ui.main_window import MainWindow
from moments_desk.ui.wizard.base import PAGE_CADENCE, PAGE_DONE, PAGE_IMPORT, PAGE_SHOP
from moments_desk.ui.wizard.language import LanguageSwitcher
from moments_desk.ui.wizard.wizard import FirstRunWizard


@pytest.fixture
def switcher(qapp: QApplication) -> Iterator[LanguageSwitcher]:
    languages = LanguageSwitcher(qapp, "en", [])
    yield languages
    for translator in languages.translators:  # leave English for the next test
        qapp.removeTranslator(translator)


def open_wizard(
    qtbot: QtBot, ctx: AppContext, switcher: LanguageSwitcher, at_start: bool = True
) -> FirstRunWizard:
    existing = uow.read(ctx.shop.sessions, load_existing)
    wizard = FirstRunWizard(ctx, switcher, existing, at_start=at_start)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def avatar_file(tmp_path: Path) -> Path:
    path = tmp_path / "头像.jpg"
    Image.new("RGB", (300, 300), "#E4C59E").save(path)
    return path


def fill_shop_page(wizard: FirstRunWizard, avatar: Path) -> None:
    page = wizard.shop_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no shop name yet
    page.shop_name.setText("小棉袄的衣橱")
    card = page.cards[0]
    card.nickname.setText("小棉袄")
    card.wechat_id.setText("mianao_closet")
    card.set_avatar(avatar)
    assert card.avatar_view.pixmap() is not None and not card.avatar_view.pixmap().isNull()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_wizard_end_to_end_creates_the_shop_and_the_chosen_rhythm(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    switcher: LanguageSwitcher,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = make_ctx("en")
    wizard = open_wizard(qtbot, ctx, switcher)
    assert wizard.windowTitle() == "Set up Moments Desk"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.HelpButton), Qt.MouseButton.LeftButton)
    guide = wizard.findChild(QuickGuideDialog)
    assert guide is not None and guide.isVisible()
    guide.close()

    # 1. Language: the wizard speaks Chinese at once, and the choice is kept for next start.
    page = wizard.language_page
    page.language.setCurrentIndex(page.language.findData("zh_CN"))
    assert wizard.windowTitle() == "设置朋友圈卖货台"
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "下一步 >"
    assert Prefs.load(ctx.shop.paths.prefs_file).language == "zh_CN"
    wizard.next()

    # 2. Shop and account with avatar. The first account is suggested as 主号.
    assert wizard.currentId() == PAGE_SHOP
    assert wizard.shop_page.cards[0].label.text() == "主号"
    fill_shop_page(wizard, avatar_file(tmp_path))
    wizard.next()

    # 3. Rhythm: every anti-spam rule has a sentence and a tooltip.
    assert wizard.currentId() == PAGE_CADENCE
    cadence = wizard.cadence_page
    for headline, sentence in cadence.rule_labels.values():
        assert headline.text() and sentence.text() and headline.toolTip()
    assert len(cadence.rule_labels) == 7
    daily = cadence.presets[Preset.DAILY_PICK]
    qtbot.mouseClick(daily, Qt.MouseButton.LeftButton, pos=QPoint(8, daily.height() // 2))
    assert cadence.preset() is Preset.DAILY_PICK
    assert (
        uow.read(ctx.shop.sessions, lambda s: s.scalar(select(func.count(WeChatAccount.id)))) == 0
    )
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.text() == "创建我的小店"
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_IMPORT, timeout=5000)

    # 4. Every importer is offered: products, customers, Taobao orders. She brings in her
    # friends list; the customers land on the account she just created.
    assert "1" in wizard.import_page.created.text()
    buttons = [button.text() for button, _, _ in wizard.import_page.rows]
    assert buttons == ["导入商品…", "导入客户…", "导入淘宝订单…"]
    assert all(hint.text() for _, hint, _ in wizard.import_page.rows)
    friends = tmp_path / "好友.csv"
    friends.write_text("微信号,昵称,手机,生日\nlily88,小美,13800138000,农历三月初五\n", "utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(friends), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)

    def import_friends(dialog: CustomerImportDialog) -> int:
        qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)
        return 0

    monkeypatch.setattr(CustomerImportDialog, "exec", import_friends)
    customers_button, _, customers_outcome = wizard.import_page.rows[1]
    qtbot.mouseClick(customers_button, Qt.MouseButton.LeftButton)
    assert customers_outcome.text() == "客户：新增 1 位，更新 0 位，地址 0 条。"

    # 5. See where the data lives, then finish.
    assert wizard.buttonText(QWizard.WizardButton.CancelButton) == "关闭"  # nothing to cancel
    wizard.next()
    assert wizard.currentId() == PAGE_DONE
    assert str(ctx.shop.paths.data_dir) in [
        label.text() for label in wizard.done_page.folders.findChildren(type(page.intro))
    ]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible() and not wizard.wants_demo

    with ctx.shop.sessions() as s:
        assert shop_name(s) == "小棉袄的衣橱"
        account = s.scalars(select(WeChatAccount)).one()
        assert (account.label, account.nickname, account.wechat_id) == (
            "主号",
            "小棉袄",
            "mianao_closet",
        )
        assert account.avatar_path and (ctx.shop.paths.media / account.avatar_path).is_file()
        lily = s.scalars(select(Customer)).one()
        assert (lily.wechat_id, lily.account_id) == ("lily88", account.id) and lily.birthday_lunar
        rules = s.get(AccountRules, account.id)
        assert rules is not None and rules.max_sales_posts_per_week == 10
        slot = s.scalars(select(CadenceSlot)).one()
        assert (slot.account_id, slot.weekday, slot.time_of_day, slot.kind, slot.label) == (
            account.id,
            None,
            time(21, 0),
            PostKind.PROMOTION,
            "#每日一荐#",
        )

    # The Planner shows the rhythm the seller picked: next week, every day at 21:00 (this
    # week's past slots are hidden).
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(3)
    qtbot.waitUntil(lambda: len(window.planner.week.slots) == 1, timeout=5000)
    window.planner.step(1)
    qtbot.waitUntil(lambda: len(window.planner.week.slots) == 7, timeout=5000)
    assert {(s.label, s.when.hour) for s in window.planner.week.slots} == {("#每日一荐#", 21)}


def test_cancelling_the_wizard_writes_nothing(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    switcher: LanguageSwitcher,
    tmp_path: Path,
) -> None:
    ctx = make_ctx("en")
    wizard = open_wizard(qtbot, ctx, switcher)
    wizard.next()
    fill_shop_page(wizard, avatar_file(tmp_path))
    wizard.next()
    assert wizard.currentId() == PAGE_CADENCE
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    ctx.executor.wait()
    with ctx.shop.sessions() as s:
        for model in (WeChatAccount, CadenceSlot, AppSetting):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model
    assert not ctx.shop.paths.media.exists() or not any(ctx.shop.paths.media.rglob("*.*"))
    assert wants_first_run(_args(), ctx.shop)  # so it greets her again next start


def _args(*flags: str) -> argparse.Namespace:
    return argparse.Namespace(smoke="--smoke" in flags, demo="--demo" in flags)


def test_wizard_greets_only_a_new_shop(shop: Shop) -> None:
    assert wants_first_run(_args(), shop)
    assert not wants_first_run(_args("--smoke"), shop)  # CI starts never wait for a person
    assert not wants_first_run(_args("--demo"), shop)
    with shop.sessions.begin() as s:
        s.add(Product(code="QZ-1", name="法式连衣裙", price=25900))
    assert not wants_first_run(_args(), shop)


def test_a_later_start_asks_the_same_question_before_the_engine_is_made(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "later"
    open_shop(folder).close()
    later = open_shop(folder, check_later=True)
    try:
        assert wants_first_run(_args(), later)  # still not set up: read over sqlite3
        assert not later.engine_made
        with later.sessions.begin() as s:
            s.add(Product(code="QZ-1", name="法式连衣裙", price=25900))
    finally:
        later.close()
    again = open_shop(folder, check_later=True)
    try:
        assert not wants_first_run(_args(), again)
        assert not again.engine_made
    finally:
        again.close()


def test_wizard_defaults_to_chinese_on_a_chinese_system() -> None:
    assert choose_language(None, None, QLocale(QLocale.Language.Chinese)) == "zh_CN"
    assert choose_language(None, None, QLocale(QLocale.Language.English)) == "en"


def test_reopened_wizard_offers_no_demo_and_keeps_the_window_language(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    switcher: LanguageSwitcher,
    tmp_path: Path,
) -> None:
    ctx = make_ctx("en")
    with ctx.shop.sessions.begin() as s:
        s.add(WeChatAccount(label="主号", nickname="小棉袄"))
    wizard = open_wizard(qtbot, ctx, switcher, at_start=False)
    assert not wizard.language_page.demo.isEnabled()
    page = wizard.language_page
    page.language.setCurrentIndex(page.language.findData("zh_CN"))
    assert wizard.windowTitle() == "Set up Moments Desk"  # the main window would stay English
    assert Prefs.load(ctx.shop.paths.prefs_file).language == "zh_CN"
    wizard.next()
    assert "主号 (小棉袄)" in wizard.shop_page.existing_label.text()
    assert wizard.shop_page.cards == []
    wizard.shop_page.shop_name.setText("店")
    wizard.next()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.committed, timeout=5000)
    with ctx.shop.sessions() as s:
        # The default rhythm went to the existing account, which had none; labels in zh_CN.
        labels = sorted(s.scalars(select(CadenceSlot.label)))
    assert labels == ["周二上新", "周四上新", "生活分享"]


def test_quick_guide_opens_with_f1_and_shows_the_weekly_loop(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    window = MainWindow(make_ctx("en"))
    qtbot.addWidget(window)
    window.show()
    (action,) = [a for a in window.findChildren(QAction) if a.shortcut().toString() == "F1"]
    action.trigger()
    guide = window.findChild(QuickGuideDialog)
    assert guide is not None and guide.isVisible()
    assert [t.text() for t in guide.step_titles] == [
        "Plan the week",
        "Review the drafts",
        "Post from the publish helper",
        "Record likes and comments",
        "Allocate the stock",
        "Take payment and ship",
    ]
    guide.close()


def test_about_box_shows_version_and_data_folder(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk import __version__

    ctx = make_ctx("en")
    dialog = AboutDialog(ctx.shop)
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version.text()
    assert dialog.folder.text() == str(ctx.shop.paths.data_dir)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert __version__ in copied and str(ctx.shop.paths.data_dir) in copied


def test_an_older_database_is_upgraded_after_a_backup_and_the_seller_is_told(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from alembic import command

    from moments_desk.db import migrate
    from moments_desk.db.engine import DB_FILENAME, make_engine, sqlite_url
    from moments_desk.ui.startup_messages import upgrade_notice

    folder = tmp_path / "shop"
    folder.mkdir()
    engine = make_engine(sqlite_url(folder / DB_FILENAME))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
    engine.dispose()

    shop = open_shop(folder)
    try:
        assert shop.migration.upgraded_existing
        backup = shop.migration.backup_path
        assert backup is not None and backup.is_file() and backup.parent == shop.paths.backups
        notice = upgrade_notice(None, shop.migration)  # type: ignore[arg-type]
        qtbot.addWidget(notice)
        notice.open()
        assert notice.isVisible()
        assert "updated" in notice.text() and str(backup) in notice.text()
    finally:
        shop.close()


def test_an_empty_shop_can_open_the_wizard_from_the_overview(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    window = MainWindow(make_ctx("en"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.home.empty.isVisible())
    qtbot.mouseClick(window.home.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(FirstRunWizard) is not None)
    wizard = window.findChild(FirstRunWizard)
    assert wizard is not None and wizard.isVisible()
    assert wizard.language_page.demo.isEnabled()  # still empty: the demo is on offer
    wizard.reject()
