"""The composer: the Moments preview folds long text behind 全文, lays out pictures as WeChat
does, warns about forbidden text and refuses to schedule a post that breaks a hard rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PIL import Image
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from moments_desk.core.shared import uow
from moments_desk.db.models import Post, PostKind, PostStatus
from moments_desk.scheduling.clock import FakeClock
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.planner.composer import ComposerDialog
from moments_desk.ui.planner.preview import ImageGrid, MomentsPreview, PreviewPost, grid_rects
from tests.ui.planner_shop import add_post, build_seller_shop, local


@pytest.fixture(autouse=True)
def never_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a dialog with unsaved edits asks; the tests' teardown answers "discard"."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)


LONG = "\n".join(f"第{i}行：显白" for i in range(1, 10))


def is_dirty(dialog: ComposerDialog) -> bool:
    """Read afresh: the flag changes under the test's feet as Qt delivers events."""
    return dialog.dirty


def open_composer(
    qtbot: QtBot, ctx: AppContext, account_id: int, post_id: int | None = None
) -> ComposerDialog:
    dialog = ComposerDialog(ctx, account_id, post_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog._loading, timeout=5000)
    return dialog


def test_preview_folds_after_six_lines_behind_full_text(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    dialog = open_composer(qtbot, make_ctx("zh_CN"), seller.account_id)
    text = dialog.preview.text
    dialog.form.text.setPlainText("第1行\n第2行")
    assert (text.folded, text.link.isVisible()) == (False, False)
    dialog.form.text.setPlainText(LONG)
    assert text.folded and text.link.isVisible()
    assert text.link.text() == "全文"
    shown = text.shown_text()
    assert shown.startswith("第1行") and "第6行" in shown and "第7行" not in shown
    qtbot.mouseClick(text.link, Qt.MouseButton.LeftButton)
    assert "第9行" in text.shown_text() and text.link.text() == "收起"
    qtbot.mouseClick(text.link, Qt.MouseButton.LeftButton)
    assert "第7行" not in text.shown_text()
    assert dialog.preview.name.text() == "小棉袄的衣橱"


@pytest.mark.parametrize(
    ("count", "columns", "rows"),
    [(1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 2, 2), (5, 3, 2), (9, 3, 3)],
)
def test_grid_lays_pictures_out_as_wechat(count: int, columns: int, rows: int) -> None:
    rects = grid_rects(count, 80, QSize(1200, 800) if count == 1 else None)
    assert len({r.left() for r in rects}) == columns
    assert len({r.top() for r in rects}) == rows
    if count == 1:
        # One picture is shown larger than a cell and keeps its 3:2 shape.
        ratio = rects[0].width() / rects[0].height()
        assert rects[0].width() > 80 * 2 and abs(ratio - 1.5) < 0.02
    else:
        assert all(r.width() == r.height() == 80 for r in rects)


def test_image_grid_widget_sizes_for_one_four_and_nine(qtbot: QtBot) -> None:
    grid = ImageGrid(None)
    qtbot.addWidget(grid)
    for count, width in ((1, 2 * grid.cell + 4), (4, 2 * grid.cell + 4), (9, 3 * grid.cell + 8)):
        grid.set_images(tuple(f"p{i}.jpg" for i in range(count)), ((1000, 1000),) * count)
        assert grid.sizeHint().width() == width
    preview = MomentsPreview(None)
    qtbot.addWidget(preview)
    preview.set_post(PreviewPost("小棉袄", "", ("a.jpg",) * 4, ((10, 10),) * 4))
    assert preview.grid.sizeHint() == QSize(2 * preview.grid.cell + 4, 2 * preview.grid.cell + 4)


def test_forbidden_text_is_warned(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    dialog = open_composer(qtbot, make_ctx("zh_CN"), seller.account_id)
    dialog.form.text.setPlainText("新品上架，集赞 38 个送围巾！")
    texts = dialog.warnings.texts()
    assert any("集赞" in t for t in texts), texts
    assert not dialog.warnings.ok.isVisible()
    # The phrase itself is shaded in the text box.
    shaded = [m.cursor.selectedText() for m in dialog.form.text.extraSelections()]
    assert shaded == ["集赞"]


def test_schedule_is_refused_on_a_hard_rule(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(shop, seller.account_id, local(date(2026, 11, 24), 20), text="周二上新")
    dialog = open_composer(qtbot, make_ctx("zh_CN"), seller.account_id, post_id)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: refused.append(text))
    dialog.form.set_when(local(date(2026, 11, 24), 23, 30))  # quiet hours
    qtbot.waitUntil(lambda: bool(dialog.warnings.blocking), timeout=5000)
    dialog.schedule_button.click()
    assert refused and "23:30" in refused[0]
    assert dialog.error.isVisible() and "23:30" in dialog.error.text()
    status = uow.read(shop.sessions, lambda s: s.get(Post, post_id).status)  # type: ignore[union-attr]
    assert status is PostStatus.DRAFT


def test_composer_saves_and_schedules_an_edited_post(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop, tmp_path: object
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(
        shop, seller.account_id, local(date(2026, 11, 24), 20), products=seller.product_ids[:1]
    )
    dialog = open_composer(qtbot, make_ctx(), seller.account_id, post_id)
    dialog.form.text.setPlainText("✨周{weekday}上新｜{name} {price}")
    assert dialog.preview.text.shown_text() == "✨周二上新｜雾霾蓝法式方领连衣裙 ¥259"
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.keyClick(dialog.form.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    saved = uow.read(
        shop.sessions,
        lambda s: (s.get(Post, post_id).status, s.get(Post, post_id).text),  # type: ignore[union-attr]
    )
    assert saved == (PostStatus.SCHEDULED, "✨周二上新｜雾霾蓝法式方领连衣裙 ¥259")


def test_pictures_from_files_show_in_the_preview_grid(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop, tmp_path: object
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    seller = build_seller_shop(shop)
    files = []
    for i in range(4):
        path = tmp_path / f"photo-{i}.jpg"
        Image.new("RGB", (600, 600), (200, 40 * i, 90)).save(path)
        files.append(path)
    dialog = open_composer(qtbot, make_ctx(), seller.account_id)
    dialog.add_file_paths(files)
    qtbot.waitUntil(lambda: dialog.form.images.count() == 4, timeout=5000)
    assert len(dialog.preview.grid.rects) == 4
    assert len({r.left() for r in dialog.preview.grid.rects}) == 2
    dialog.thumbnails.wait()
    qtbot.waitUntil(lambda: all(dialog.thumbnails.get(p) for p in dialog.preview.grid._paths))


def test_ctrl_s_saves_and_escape_asks_about_unsaved_changes(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(shop, seller.account_id, local(date(2026, 11, 24), 20))
    dialog = open_composer(qtbot, make_ctx(), seller.account_id, post_id)
    dialog.form.text.setPlainText("改过的文案")
    assert dialog.dirty
    asked: list[str] = []

    def keep_editing(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", keep_editing)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog.form.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not is_dirty(dialog)
    text = uow.read(shop.sessions, lambda s: s.get_one(Post, post_id).text)
    assert text == "改过的文案"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_unknown_placeholder_blocks_scheduling_and_names_it(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    dialog = open_composer(qtbot, make_ctx("zh_CN"), seller.account_id)
    dialog.form.text.setPlainText("今日新品 {name} 颜色：{colour}")
    blocking = [w.text for w in dialog.warnings.blocking]
    assert blocking and "{colour}" in blocking[0]
    # The preview shows the text as typed rather than losing it.
    assert "{colour}" in dialog.preview.text.shown_text()


def test_a_new_post_at_night_suggests_the_morning_not_the_quiet_hours(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    ctx = make_ctx("zh_CN")
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.set(local(date(2026, 11, 22), 23, 40))  # "new post" at 23:40 would suggest 00:00
    dialog = open_composer(qtbot, ctx, seller.account_id)
    assert dialog.form.when_value() == local(date(2026, 11, 23), 7)


def test_linked_products_hint_follows_the_kind(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    dialog = open_composer(qtbot, make_ctx(), seller.account_id)
    form = dialog.form
    form.set_kind(PostKind.NEW_ARRIVAL)
    assert form.products.text() == "none yet: choose what this post sells"
    form.set_kind(PostKind.LIFESTYLE)
    assert form.products.text() == "none (a lifestyle post needs none)"
    form.set_products({1: "A", 2: "B"})
    assert form.products.text() == "A, B"


def test_a_new_post_previews_with_the_accounts_avatar(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from sqlalchemy import update

    from moments_desk.db.models import WeChatAccount

    seller = build_seller_shop(shop)
    with shop.sessions.begin() as s:
        s.execute(
            update(WeChatAccount)
            .where(WeChatAccount.id == seller.account_id)
            .values(avatar_path="ab/avatar.jpg")
        )
    dialog = open_composer(qtbot, make_ctx(), seller.account_id)  # a new post
    dialog.refresh()
    assert dialog.preview._avatar_path == "ab/avatar.jpg"  # not the nickname's first letter


def test_forbidden_wording_is_scheduled_only_after_the_seller_gives_a_reason(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moments_desk.ui.planner import composer as composer_module

    seller = build_seller_shop(shop)
    post_id = add_post(shop, seller.account_id, local(date(2026, 11, 24), 20), text="周二上新")
    dialog = open_composer(qtbot, make_ctx("zh_CN"), seller.account_id, post_id)
    monkeypatch.setattr(QMessageBox, "warning", lambda *_: None)
    asked: list[str] = []
    answers = iter(["", "老客户线下活动"])

    def ask(_parent: object, phrases: str) -> str:
        asked.append(phrases)
        return next(answers)

    monkeypatch.setattr(composer_module, "ask_override_reason", ask)
    dialog.form.text.setPlainText("转发有奖！周二上新")
    qtbot.waitUntil(lambda: bool(dialog.warnings.blocking), timeout=5000)
    dialog.schedule_button.click()  # cancelled: nothing scheduled
    assert asked == ["“转发有奖”"] and dialog.error.isVisible()
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.schedule_button.click()
    saved = uow.read(
        shop.sessions,
        lambda s: (s.get(Post, post_id).status, s.get(Post, post_id).wording_override),  # type: ignore[union-attr]
    )
    assert saved == (PostStatus.SCHEDULED, "老客户线下活动")
