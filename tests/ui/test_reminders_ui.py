"""Reminders, the missed list, the publish helper, sign-in and the audit log on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.planning import publishing
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.team import audit, users
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import PostImage, PostStatus, UserRole
from moments_desk.scheduling.clock import FakeClock
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.publish.dialog import PublishDialog
from moments_desk.ui.reminders.install import Reminders
from moments_desk.ui.reminders.missed import MissedDialog
from moments_desk.ui.users.audit_dialog import AuditLogDialog
from moments_desk.ui.users.login import LoginDialog
from tests.core.team_helpers import add_post, post_status
from tests.ui.conftest import NOW


@pytest.fixture
def reminders_ui(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> Iterator[tuple[AppContext, Reminders]]:
    ctx = make_ctx()
    window = QMainWindow()
    qtbot.addWidget(window)
    installed = Reminders(ctx, window)
    yield ctx, installed
    installed.stop()


def test_due_and_missed_posts_reach_the_panel_once(
    qtbot: QtBot, reminders_ui: tuple[AppContext, Reminders], shop: Shop
) -> None:
    ctx, ui = reminders_ui
    missed = add_post(shop.sessions, NOW - timedelta(hours=3), "昨晚没发的上新")
    later = add_post(shop.sessions, NOW + timedelta(hours=2), "今晚八点上新")
    with qtbot.waitSignal(ui.service.missed, timeout=5000) as caught:
        ui.start()
    assert [n.target_id for n in caught.args[0]] == [missed]
    qtbot.waitUntil(lambda: ui.missed_dialog is not None)
    assert ui.missed_dialog is not None and ui.missed_dialog.post_ids() == [missed]
    assert "昨晚没发的上新" in ui.dock.banner.text()
    assert ui.dock.posts.count() == 1 and "昨晚没发的上新" in ui.dock.posts.item(0).text()
    assert set(ui.service.armed) == {f"post_due:{later}", f"post_soon:{later}"}
    # A second reconcile (another change, a replayed timer) announces nothing again.
    notices: list[object] = []
    ui.service.notices.connect(notices.append)
    with qtbot.waitSignal(ui.service.state_changed, timeout=5000):
        ctx.changes.announce(ChangeSet.of(Kind.POSTS))
    assert notices == []
    # Time moves on to the later post: it is announced on time, not as missed.
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(timedelta(hours=2))
    with qtbot.waitSignal(ui.service.notices, timeout=5000) as due:
        ui.service.reconcile()
    assert [(n.target_id, n.missed) for n in due.args[0]] == [(later, False)]
    assert post_status(shop.sessions, later) == PostStatus.DUE
    # Once the seller skipped it, the banner stops asking about the missed post.
    ui.dock.show_notices([*caught.args[0], *due.args[0]])
    assert "昨晚没发的上新" in ui.dock.banner.text()
    now = ctx.clock.now()
    # The skip is committed on this engine: the panel hears it without any call from here.
    uow.write(shop.sessions, lambda s: publishing.skip_post(s, missed, "太晚了", None, now))
    qtbot.waitUntil(lambda: "昨晚没发的上新" not in ui.dock.banner.text(), timeout=5000)
    assert "今晚八点上新" in ui.dock.banner.text()


def test_clock_jump_triggers_a_reconcile(
    qtbot: QtBot, reminders_ui: tuple[AppContext, Reminders], shop: Shop
) -> None:
    ctx, ui = reminders_ui
    with qtbot.waitSignal(ui.service.state_changed, timeout=5000):
        ui.start()
    post_id = add_post(shop.sessions, NOW + timedelta(minutes=30))
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(timedelta(hours=1))  # the laptop slept; monotonic time did not move
    with qtbot.waitSignal(ui.service.notices, timeout=5000) as woke:
        ui.service.watch()
    assert [n.target_id for n in woke.args[0]] == [post_id]


def test_missed_list_skip_needs_a_reason(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()
    post_id = add_post(shop.sessions, NOW - timedelta(hours=3), status=PostStatus.DUE)
    other = add_post(shop.sessions, NOW - timedelta(hours=2), status=PostStatus.DUE)
    from moments_desk.core.planning.reminders import Notice
    from moments_desk.scheduling.reconcile import ActionKind

    dialog = MissedDialog(ctx)
    qtbot.addWidget(dialog)
    notices = [
        Notice(ActionKind.POST_DUE, i, NOW - timedelta(hours=3), "x", True)
        for i in (post_id, other)
    ]
    dialog.add_notices(notices)
    dialog.add_notices(notices)  # shown once, however often it is told
    assert dialog.post_ids() == [post_id, other]
    dialog.skip(post_id, "到货晚了")
    qtbot.waitUntil(lambda: dialog.post_ids() == [other])
    assert post_status(shop.sessions, post_id) == PostStatus.SKIPPED
    dialog.reschedule(other, NOW + timedelta(days=1))
    qtbot.waitUntil(lambda: dialog.post_ids() == [])
    assert post_status(shop.sessions, other) == PostStatus.SCHEDULED


def test_publish_helper_copies_exports_and_records_each_account(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop, tmp_path: Path
) -> None:
    ctx = make_ctx()
    post_id = add_post(
        shop.sessions, NOW, "周二上新｜法式方领连衣裙", PostStatus.DUE, ["主号", "小号"]
    )
    paths = []
    for index in range(2):
        path = tmp_path / f"p{index}.jpg"
        Image.new("RGB", (800, 800), "white").save(path)
        paths.append(path)

    def attach(s: Session) -> None:
        for position, path in enumerate(paths):
            media = register_media(s, store_image(path, shop.paths.media))
            s.add(PostImage(post_id=post_id, media_id=media.id, position=position))

    uow.write(shop.sessions, attach)
    QApplication.clipboard().clear()
    dialog = PublishDialog(ctx, post_id)
    qtbot.addWidget(dialog)
    opened: list[Path] = []
    dialog.open_folder = opened.append
    qtbot.waitUntil(lambda: len(dialog.posted_buttons) == 2)
    assert QApplication.clipboard().text() == "周二上新｜法式方领连衣裙"
    dialog.export()
    qtbot.waitUntil(lambda: opened != [])
    assert sorted(p.name for p in opened[0].iterdir()) == [
        f"post{post_id}-1.jpg",
        f"post{post_id}-2.jpg",
    ]
    first, second = list(dialog.posted_buttons)
    dialog.posted_buttons[first].click()
    qtbot.waitUntil(lambda: list(dialog.posted_buttons) == [second])
    assert post_status(shop.sessions, post_id) == PostStatus.DUE
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.posted_buttons[second].click()
    assert post_status(shop.sessions, post_id) == PostStatus.POSTED


def test_sign_in_explains_wrong_pins_and_the_lock(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    ctx = make_ctx()

    def team(s: Session) -> None:
        owner = users.ensure_owner(s).id
        users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)

    uow.write(shop.sessions, team)
    profiles = uow.read(shop.sessions, users.list_users)
    dialog = LoginDialog(ctx, profiles)
    qtbot.addWidget(dialog)
    dialog.profile.setCurrentIndex([p.name for p in profiles].index("小林"))
    for _ in range(4):
        dialog.pin.setText("0000")
        dialog.try_sign_in()
        qtbot.waitUntil(dialog.buttons.isEnabled)
    assert "1 attempt" in dialog.message.text()
    dialog.pin.setText("0000")
    dialog.try_sign_in()
    qtbot.waitUntil(lambda: "Too many" in dialog.message.text())
    assert "30 second" in dialog.message.text()
    dialog.pin.setText("2468")
    dialog.try_sign_in()
    qtbot.waitUntil(dialog.buttons.isEnabled)
    assert [dialog.signed_in] == [None]  # the right PIN waits for the lock to end
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(timedelta(seconds=31))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.pin.setText("2468")
        dialog.try_sign_in()
    assert dialog.signed_in is not None and dialog.signed_in.name == "小林"


def test_audit_log_filters_by_action(
    qtbot: QtBot, qtmodeltester: ModelTester, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    def work(s: Session) -> None:
        owner = users.ensure_owner(s).id
        audit.record(s, owner, "post", "post", 7, "主号", at=NOW - timedelta(hours=1))
        audit.record(s, owner, "skip", "post", 8, "下雨", at=NOW - timedelta(hours=2))

    uow.write(shop.sessions, work)
    dialog = AuditLogDialog(make_ctx())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 2)
    qtmodeltester.check(dialog.model)
    dialog.action.setCurrentIndex(dialog.action.findData("post"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.index(0, 2).data() == "Posted"
    dialog.action.setCurrentIndex(dialog.action.findData("skip"))
    qtbot.waitUntil(lambda: dialog.model.index(0, 4).data() == "下雨")
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 3).data() == "Post #8"
    qtmodeltester.check(dialog.model)


def test_a_write_from_another_computer_is_noticed_by_polling(
    qtbot: QtBot, reminders_ui: tuple[AppContext, Reminders], shop: Shop
) -> None:
    ctx, ui = reminders_ui
    with qtbot.waitSignal(ui.service.state_changed, timeout=5000):
        ui.start()
    with qtbot.assertNotEmitted(ctx.changes.changed, wait=200):
        ui.service.poll()
        ctx.executor.wait()
    # The other laptop schedules a post that is due now: its own engine, no event here.
    other = make_engine(shop.database_url)
    try:
        post_id = add_post(
            make_session_factory(other), NOW - timedelta(minutes=1), "另一台电脑排的"
        )
    finally:
        other.dispose()
    with qtbot.waitSignal(ctx.changes.changed, timeout=5000) as heard:
        ui.service.poll()
    assert heard.args[0].touches(Kind.POSTS)
    assert not heard.args[0].touches(Kind.ORDERS, Kind.CUSTOMERS)
    qtbot.waitUntil(lambda: [p.id for p in ui.service.state.posts] == [post_id])


def test_tray_notice_text_without_a_system_tray(
    qtbot: QtBot, reminders_ui: tuple[AppContext, Reminders]
) -> None:
    from moments_desk.core.planning.reminders import Notice
    from moments_desk.scheduling.reconcile import ActionKind

    _, ui = reminders_ui
    notices = [
        Notice(ActionKind.POST_DUE, 1, NOW, "周二上新", False),
        Notice(ActionKind.POST_DUE, 2, NOW, "买家秀", False),
    ]
    ui.tray.notify(notices)
    assert ui.tray.last_message is not None
    title, body = ui.tray.last_message
    assert title == "Time to post in Moments"
    assert "周二上新" in body and "1 more" in body


def test_two_instances_on_one_database_show_a_due_post_once(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    post_id = add_post(shop.sessions, NOW - timedelta(minutes=1), "今晚上新")
    shown: dict[str, list[int]] = {}
    installed = []
    for name in ("laptop-a", "laptop-b"):
        window = QMainWindow()
        qtbot.addWidget(window)
        ui = Reminders(make_ctx(), window)
        ui.service.me = name
        ui.service.notices.connect(
            lambda notices, n=name: shown.setdefault(n, []).extend(x.target_id for x in notices)
        )
        installed.append(ui)
    try:
        for ui in installed:
            with qtbot.waitSignal(ui.service.state_changed, timeout=5000):
                ui.start()
        assert shown == {"laptop-a": [post_id]}
        # Both panels list it as due; only one machine announced it.
        assert all([p.id for p in ui.service.state.posts] == [post_id] for ui in installed)
    finally:
        for ui in installed:
            ui.stop()


def test_follow_ups_become_reminders_in_the_panel_after_start(
    qtbot: QtBot,
    reminders_ui: tuple[AppContext, Reminders],
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from decimal import Decimal

    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
    from moments_desk.db.models import Product, ReminderKind, WeChatAccount
    from moments_desk.ui.reminders import service as service_module

    def unpaid_order(s: Session) -> int:
        account = WeChatAccount(label="主号")
        product = Product(code="QZ-1", name="雾霾蓝连衣裙", price=Decimal(259), stock=5)
        s.add_all([account, product])
        s.flush()
        customer = create_customer(s, CustomerDraft(account_id=account.id, nickname="阿花"))
        item = ItemDraft(product.id, product.name, 1, Decimal(259))
        return create_order(s, OrderDraft(customer, [item]), NOW - timedelta(hours=30))

    order_id = uow.write(shop.sessions, unpaid_order)
    monkeypatch.setattr(service_module, "FOLLOW_UPS_DELAY_MS", 0)
    _, ui = reminders_ui
    ui.start()
    qtbot.waitUntil(
        lambda: any(r.order_id == order_id for r in ui.service.state.reminders), timeout=5000
    )
    unpaid = [r for r in ui.service.state.reminders if r.order_id == order_id]
    assert [(r.kind, r.message) for r in unpaid] == [(ReminderKind.UNPAID_ORDER, "阿花 · ¥259")]


def test_audit_log_names_the_post_profile_and_product(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    from moments_desk.db.models import Product

    post_id = add_post(shop.sessions, NOW, text="\n周二上新：雾霾蓝连衣裙\n第二行")

    def work(s: Session) -> None:
        owner = users.ensure_owner(s)
        product = Product(code="QZ-1", name="奶白色羊毛围巾", price=89, stock=3)
        s.add(product)
        s.flush()
        audit.record(s, owner.id, "post", "post", post_id, "主号", at=NOW - timedelta(hours=1))
        audit.record(s, owner.id, "change", "user", owner.id, "", at=NOW - timedelta(hours=2))
        audit.record(s, owner.id, "create", "product", product.id, "", at=NOW - timedelta(hours=3))
        audit.record(s, owner.id, "delete", "post", 999, "", at=NOW - timedelta(hours=4))

    uow.write(shop.sessions, work)
    owner_name = uow.read(shop.sessions, lambda s: users.ensure_owner(s).name)
    dialog = AuditLogDialog(make_ctx())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4)
    qtbot.waitUntil(lambda: bool(dialog.model.index(3, 3).data()))
    assert [dialog.model.index(r, 3).data() for r in range(4)] == [
        "Post · 周二上新：雾霾蓝连衣裙",
        f"Profile · {owner_name}",
        "Product · 奶白色羊毛围巾",
        "Post #999",  # deleted meanwhile: the number is all that is left
    ]


def test_audit_log_details_speak_chinese_not_kind_keys(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    post_id = add_post(shop.sessions, NOW, text="上新")

    def work(s: Session) -> None:
        owner = users.ensure_owner(s)
        for hours, summary in enumerate(
            ("new_arrival: 雾霾蓝连衣裙", "lifestyle: 降温了", "小林 (assistant)", "back to draft")
        ):
            at = NOW - timedelta(hours=hours + 1)
            audit.record(s, owner.id, "change", "post", post_id, summary, at=at)

    uow.write(shop.sessions, work)
    dialog = AuditLogDialog(make_ctx("zh_CN"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4)
    qtbot.waitUntil(lambda: bool(dialog.model.index(3, 4).data()))
    details = [dialog.model.index(r, 4).data() for r in range(4)]
    assert details[:2] == ["上新：雾霾蓝连衣裙", "生活：降温了"]
    assert details[2] == "小林（助理）"
    assert details[3] == "退回草稿"
