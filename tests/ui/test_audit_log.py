"""The audit log reads its entries a window at a time on the database thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from moments_desk.core.shared import uow
from moments_desk.core.team import audit, users
from moments_desk.db.models import UserRole
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.paged_table import WINDOW
from moments_desk.ui.users.audit_dialog import AuditLogDialog
from tests.ui.conftest import NOW


def test_a_long_log_shows_a_window_counts_all_and_reads_more_on_scrolling(
    qtbot: QtBot, qtmodeltester: ModelTester, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    entries = WINDOW * 2 + 50

    def work(s: Session) -> None:
        owner = users.ensure_owner(s).id
        for n in range(entries):
            at = NOW - timedelta(minutes=n + 1)
            audit.record(s, owner, "change", "post", n + 1, f"第{n + 1}条", at=at)

    uow.write(shop.sessions, work)
    dialog = AuditLogDialog(make_ctx())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == WINDOW, timeout=10_000)
    # The owner's own creation may fall in the dates too: the count is what core counts.
    wanted = dialog.current_filter()
    total = uow.read(shop.sessions, lambda s: audit.count_audit(s, wanted))
    assert total >= entries
    qtbot.waitUntil(lambda: dialog.count.text() == f"{total} entries", timeout=10_000)
    assert dialog.model.index(0, 4).data() == "第1条"  # newest first
    # Scrolling to the end asks for the next window; nothing is read on the GUI thread.
    assert dialog.model.canFetchMore()
    dialog.model.fetchMore()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 * WINDOW, timeout=10_000)
    dialog.model.fetchMore()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == total, timeout=10_000)
    assert not dialog.model.canFetchMore()
    shown = [dialog.model.index(row, 4).data() for row in range(total)]
    assert shown[:entries] == [f"第{n}条" for n in range(1, entries + 1)]
    qtmodeltester.check(dialog.model)


def test_choosing_a_person_shows_only_what_they_did(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], shop: Shop
) -> None:
    def work(s: Session) -> int:
        owner = users.ensure_owner(s).id
        helper = users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)
        audit.record(s, owner, "post", "post", 7, "老板发的", at=NOW - timedelta(hours=1))
        audit.record(s, helper, "skip", "post", 8, "小林跳过", at=NOW - timedelta(hours=2))
        return helper

    helper = uow.write(shop.sessions, work)
    dialog = AuditLogDialog(make_ctx())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user.findData(helper) >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 2, timeout=10_000)
    dialog.user.setCurrentIndex(dialog.user.findData(helper))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    assert dialog.model.index(0, 4).data() == "小林跳过"
    qtbot.waitUntil(lambda: dialog.count.text().startswith("1 "), timeout=10_000)
