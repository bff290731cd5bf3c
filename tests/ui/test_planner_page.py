"""The Planner page: a week with its slots and posts, plan 4 weeks, dragging against the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from moments_desk.core.planning.settings import load_rule_settings, save_rule_settings
from moments_desk.core.shared import uow
from moments_desk.db.models import Post, PostKind, PostStatus
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.planner.cadence_editor import CadenceDialog, SlotTableModel
from moments_desk.ui.planner.composer import ComposerDialog
from moments_desk.ui.planner.page import PlannerPage
from tests.ui.planner_shop import add_post, build_seller_shop, local

TUESDAY = date(2026, 11, 24)
THURSDAY = date(2026, 11, 26)


def open_page(qtbot: QtBot, ctx: AppContext) -> PlannerPage:
    page = PlannerPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def next_week(qtbot: QtBot, page: PlannerPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.step(1)


def drag(
    view: QWidget, start: QPoint, end: QPoint, *, press: bool = True, release: bool = True
) -> None:
    """Press, move in steps and release, as a mouse does (QTest's moves carry no buttons)."""

    def send(kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
        event = QMouseEvent(
            kind,
            QPointF(at),
            QPointF(view.mapToGlobal(at)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(view, event)

    if press:
        send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
        for step in range(1, 6):
            point = start + (end - start) * (step / 5)
            send(QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    if release:
        send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def test_week_shows_slots_and_posts(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(
        shop, seller.account_id, local(TUESDAY, 20), slot_id=seller.tuesday, text="周二上新｜连衣裙"
    )
    page = open_page(qtbot, make_ctx())
    next_week(qtbot, page)
    assert page.range_label.text() == "2026-11-23 – 11-29"
    assert [(p.id, p.when.date(), p.title) for p in page.week.posts] == [
        (post_id, TUESDAY, "周二上新｜连衣裙")
    ]
    empty = [(s.when.date(), s.label) for _, s in page.week.slot_rects()]
    # Tue 20:00 holds the post; Thu 20:00 and seven lunchtimes wait for one.
    assert (THURSDAY, "周四上新") in empty
    assert (TUESDAY, "周二上新") not in empty
    assert sum(1 for _, label in empty if label == "午间生活") == 7
    assert len(empty) == 8
    assert "0 :" not in page.gauge.caption() and "1" in page.gauge.caption()
    # The account is called by the seller's own name for it, as on every other page.
    assert page.account.currentText() == "主号"


def test_plan_four_weeks_creates_drafts_in_the_view(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_seller_shop(shop)
    page = open_page(qtbot, make_ctx())
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.plan_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "draft" in told[0], told
    next_week(qtbot, page)
    drafts = [p for p in page.week.posts if p.status is PostStatus.DRAFT]
    kinds = {p.kind for p in drafts}
    assert PostKind.NEW_ARRIVAL in kinds and PostKind.LIFESTYLE in kinds
    assert {p.when.date() for p in drafts if p.kind is PostKind.NEW_ARRIVAL} == {
        TUESDAY,
        THURSDAY,
    }
    # Every slot of the week got its draft.
    assert page.week.slot_rects() == []


def test_dragging_onto_a_slot_that_breaks_a_hard_rule_is_refused(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seller = build_seller_shop(shop)

    def one_sales_post_a_week(session: Session) -> None:
        rules = load_rule_settings(session, seller.account_id)
        save_rule_settings(session, seller.account_id, replace(rules, max_sales_posts_per_week=1))

    uow.write(shop.sessions, one_sales_post_a_week)
    add_post(shop, seller.account_id, local(TUESDAY, 20), slot_id=seller.tuesday, scheduled=True)
    moving = add_post(shop, seller.account_id, local(date(2026, 11, 25), 15))
    page = open_page(qtbot, make_ctx("zh_CN"))
    next_week(qtbot, page)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: refused.append(text))
    card = next(rect for rect, post in page.week.post_rects() if post.id == moving)
    slot = next(rect for rect, s in page.week.slot_rects() if s.slot_id == seller.thursday)
    drag(page.week, card.center(), slot.center(), release=False)
    # While the card hovers over the slot the rules are checked and the refusal is shown.
    qtbot.waitUntil(lambda: bool(page.week._verdict and page.week._verdict[1]), timeout=5000)
    assert page.week._verdict is not None and "卖货" in page.week._verdict[1]
    drag(page.week, slot.center(), slot.center(), press=False)
    qtbot.waitUntil(lambda: bool(refused), timeout=5000)
    # The message names the rule (sales posts per week) and the post stays where it was.
    assert "卖货" in page.last_refusal
    assert page.last_refusal in refused[0]
    at = uow.read(shop.sessions, lambda s: s.get(Post, moving).scheduled_at)  # type: ignore[union-attr]
    assert at == local(date(2026, 11, 25), 15)


def test_dragging_a_card_within_the_week_moves_it(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(shop, seller.account_id, local(TUESDAY, 20), slot_id=seller.tuesday)
    page = open_page(qtbot, make_ctx())
    next_week(qtbot, page)
    card = next(rect for rect, post in page.week.post_rects() if post.id == post_id)
    target = next(rect for rect, s in page.week.slot_rects() if s.slot_id == seller.thursday)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        drag(page.week, card.center(), target.center())
    assert [(p.id, p.when) for p in page.week.posts] == [(post_id, local(THURSDAY, 20))]


def test_slot_table_model_and_quiet_hours_message(
    qtbot: QtBot, qtmodeltester: ModelTester, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    dialog = CadenceDialog(make_ctx(), seller.account_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    qtmodeltester.check(dialog.model)
    assert isinstance(dialog.model, SlotTableModel)
    assert dialog.model.index(0, 0).data() == "Daily"
    dialog.new_slot()
    dialog.time.setTime(dialog.time.time().fromString("23:30", "HH:mm"))
    qtbot.waitUntil(lambda: bool(dialog.problems), timeout=5000)
    assert "23:30" in dialog.problems[0]
    assert dialog.problem_label.isVisible() or not dialog.isVisible()


def test_keyboard_moves_between_weeks_and_back_to_today(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    build_seller_shop(shop)
    page = open_page(qtbot, make_ctx())
    page.activateWindow()
    page.week.setFocus()
    assert page.range_label.text() == "2026-11-16 – 11-22"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.week, Qt.Key.Key_PageDown)
    assert page.range_label.text() == "2026-11-23 – 11-29"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.week, Qt.Key.Key_Home)
    assert page.range_label.text() == "2026-11-16 – 11-22"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.month_button.click()
    assert page.range_label.text() == "2026-11"
    # The past slots of this week are not offered; the month shows the coming ones dashed.
    assert all(slot.when >= local(date(2026, 11, 22), 10) for _, slot in page.month.chips())


def test_rules_dialog_saves_the_accounts_limits_and_explains_each(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from moments_desk.ui.planner.rules_editor import RulesDialog

    seller = build_seller_shop(shop)
    dialog = RulesDialog(make_ctx(), seller.account_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    per_day = dialog.fields["max_posts_per_day"]
    assert isinstance(per_day, QSpinBox) and per_day.value() == 3
    assert all(widget.toolTip() for widget in dialog.fields.values())
    per_day.setValue(2)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    saved = uow.read(shop.sessions, lambda s: load_rule_settings(s, seller.account_id))
    assert saved.max_posts_per_day == 2


def test_month_view_drag_moves_a_post_to_another_day_at_the_same_time(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(
        shop, seller.account_id, local(TUESDAY, 15), PostKind.LIFESTYLE, text="下午茶"
    )
    page = open_page(qtbot, make_ctx())
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.set_month_mode(True)
    chip = next(rect for rect, item in page.month.chips() if getattr(item, "id", 0) == post_id)
    friday = next(
        page.month._cell(i)
        for i in range(42)
        if page.month.day_at(page.month._cell(i).center()) == date(2026, 11, 27)
    )
    with qtbot.waitSignal(page.loaded, timeout=5000):
        drag(page.month, chip.center(), friday.bottomLeft() + QPoint(8, -4))
    assert [(p.id, p.when) for p in page.month.posts] == [(post_id, local(date(2026, 11, 27), 15))]


def test_double_click_opens_the_post_in_the_composer(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seller = build_seller_shop(shop)
    post_id = add_post(
        shop, seller.account_id, local(TUESDAY, 20), slot_id=seller.tuesday, text="周二上新｜大衣"
    )
    page = open_page(qtbot, make_ctx())
    next_week(qtbot, page)
    card = next(rect for rect, post in page.week.post_rects() if post.id == post_id)
    qtbot.mouseDClick(page.week, Qt.MouseButton.LeftButton, pos=card.center())
    composer = page.composer
    assert isinstance(composer, ComposerDialog)
    qtbot.waitUntil(lambda: not composer._loading, timeout=5000)
    assert composer.post_id == post_id
    assert composer.preview.text.shown_text() == "周二上新｜大衣"
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Discard)
    composer.reject()
    # A second post opens a fresh composer; the closed one is let go.
    slot = next(rect for rect, s in page.week.slot_rects() if s.slot_id == seller.thursday)
    qtbot.mouseDClick(page.week, Qt.MouseButton.LeftButton, pos=slot.center())
    assert page.composer is not composer and composer.parent() is None
    second = page.composer
    assert isinstance(second, ComposerDialog)
    qtbot.waitUntil(lambda: not second._loading, timeout=5000)
    assert second.form.when_value() == local(THURSDAY, 20)
    page.composer.reject()


def test_seller_scenario_slots_plan_and_preview_through_the_gui(
    qtbot: QtBot,
    make_ctx: Callable[..., AppContext],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tue/Thu 20:00 new arrivals and a daily lifestyle post set up in the slot editor, then
    "plan 4 weeks", then a draft opened in the composer with its Moments preview."""
    from PySide6.QtCore import QTime

    from moments_desk.core.planning.cadence import delete_slot, list_slots
    from moments_desk.ui.kit import combo

    seller = build_seller_shop(shop)

    def delete_every_slot(s: Session) -> None:
        for slot in list_slots(s, seller.account_id):
            delete_slot(s, slot.id)

    uow.write(shop.sessions, delete_every_slot)
    ctx = make_ctx("zh_CN")
    page = open_page(qtbot, ctx)
    page.edit_cadence()
    dialog = page.cadence_dialog
    for weekday, hour, kind, label, template in (
        (1, 20, PostKind.NEW_ARRIVAL, "周二上新", "✨周{weekday}上新｜{name} {price}"),
        (3, 20, PostKind.NEW_ARRIVAL, "周四上新", "✨周{weekday}上新｜{name} {price}"),
        (-1, 12, PostKind.LIFESTYLE, "午间生活", "午后的一杯咖啡☕️"),
    ):
        dialog.new_slot()
        dialog.day.setCurrentIndex(combo.find(dialog.day, weekday))
        dialog.time.setTime(QTime(hour, 0))
        dialog.kind.setCurrentIndex(combo.find(dialog.kind, kind.value))
        dialog.label.setText(label)
        dialog.template.setPlainText(template)
        rows = dialog.model.rowCount()
        dialog.save()
        qtbot.waitUntil(
            partial(lambda want: dialog.model.rowCount() == want, rows + 1), timeout=5000
        )
    assert dialog.problems == []
    with qtbot.waitSignal(page.loaded, timeout=5000):
        dialog.accept()
    monkeypatch.setattr(QMessageBox, "information", lambda *_: None)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.plan_button.click()
    next_week(qtbot, page)
    drafts = [p for p in page.week.posts if p.status is PostStatus.DRAFT]
    assert len(drafts) == 9  # two new arrivals and seven lunchtimes
    tuesday = next(p for p in drafts if p.kind is PostKind.NEW_ARRIVAL)
    assert tuesday.title.startswith("✨周二上新｜")
    page.open_composer(tuesday.id)
    composer = page.composer
    assert isinstance(composer, ComposerDialog)
    qtbot.waitUntil(lambda: not composer._loading, timeout=5000)
    assert composer.preview.name.text() == "小棉袄的衣橱"
    assert composer.preview.text.shown_text().startswith("✨周二上新｜")
    assert "¥" in composer.preview.text.shown_text()
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Discard)
    composer.reject()


def test_week_keys_stay_with_the_planner_when_a_side_panel_has_focus(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from PySide6.QtWidgets import QHBoxLayout, QListWidget, QWidget

    build_seller_shop(shop)
    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    page = PlannerPage(make_ctx())
    panel = QListWidget()  # stands for the due-now panel's lists beside the page
    panel.addItems(["a", "b", "c"])
    row.addWidget(page, 1)
    row.addWidget(panel)
    window.resize(1400, 900)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show()
    window.activateWindow()
    panel.setFocus()
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Home):
        qtbot.keyClick(panel, key)
    qtbot.keyClick(panel, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.range_label.text() == "2026-11-16 – 11-22"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 posts on Tue 24 Nov; this account allows 3 a day."),
        ("zh_CN", "11月24日（周二） 发了 4 条，本号每天最多 3 条。"),
    ],
)
def test_a_rule_message_reads_in_the_interface_language(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop, language: str, expected: str
) -> None:
    """Rule sentences come from core as Qt Linguist messages: the zh_CN catalogue words them
    in Chinese (the day too), the English interface shows the source."""
    seller = build_seller_shop(shop)
    for hour in (9, 12, 15, 18):
        add_post(shop, seller.account_id, local(TUESDAY, hour))
    page = open_page(qtbot, make_ctx(language))
    next_week(qtbot, page)
    lines = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert any(expected in line for line in lines), lines
