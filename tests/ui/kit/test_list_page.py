"""The shared list page: reads off the GUI thread, superseded searches, live re-reads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.listing import Window
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.list_page import ListPage
from moments_desk.ui.kit.list_view import make_table
from moments_desk.ui.kit.paged_table import WINDOW, PagedTableModel
from tests.ui.conftest import type_text


@dataclass(frozen=True)
class Friend:
    id: int
    name: str


class Friends:
    """A list source over a Python list, noting on which thread and for what it was read."""

    def __init__(self, names: list[str]) -> None:
        self.friends = [Friend(i, n) for i, n in enumerate(names, 1)]
        self.asked: list[tuple[str, int]] = []
        self.threads: set[bool] = set()  # True: asked on the GUI thread
        self.gate = threading.Event()
        self.gate.set()

    def _note(self, what: str, query: str) -> list[Friend]:
        self.gate.wait(10)
        self.threads.add(QThread.currentThread() is QApplication.instance().thread())  # type: ignore[union-attr]
        self.asked.append((what, len(query)))
        return [f for f in self.friends if query in f.name]

    def window(self, query: str, offset: int, limit: int) -> Window[Friend]:
        found = self._note("window", query)
        return Window(offset, found[offset : offset + limit], len(found) > offset + limit)

    def count(self, query: str) -> int:
        return len(self._note("count", query))

    def all_ids(self, query: str) -> list[int]:
        return [f.id for f in self._note("ids", query)]


class FriendModel(PagedTableModel[Friend]):
    def cell(self, row: Friend, column: int, role: int) -> Any:
        return row.name if role == Qt.ItemDataRole.DisplayRole else None


class FriendsPage(ListPage[str, Friend]):
    def __init__(self, ctx: AppContext, source: Friends) -> None:
        super().__init__(ctx, "好友", source, FriendModel(["昵称"]), (Kind.CUSTOMERS,))
        self.table = make_table(self.model, 24)
        self.page_layout.addWidget(self.table, 1)

    def current_query(self) -> str:
        return self.search.text()

    def count_text(self, count: int) -> str:
        return f"{count} 位"


def names(page: FriendsPage) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def shown_page(qtbot: QtBot, make_ctx: Callable[[], AppContext], source: Friends) -> FriendsPage:
    page = FriendsPage(make_ctx(), source)
    qtbot.addWidget(page)
    page.resize(600, 400)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    return page


def test_rows_are_read_on_the_database_thread_a_window_at_a_time(
    qtbot: QtBot, make_ctx: Callable[[], AppContext], qtmodeltester: ModelTester
) -> None:
    source = Friends([f"客户{i}" for i in range(250)])
    page = shown_page(qtbot, make_ctx, source)
    assert page.model.rowCount() == WINDOW and page.model.canFetchMore()
    with qtbot.waitSignal(page.counted, timeout=10_000):
        pass  # the count follows the rows, in its own read
    assert page.count_label.text() == "250 位"
    page.table.scrollToBottom()  # the view asks for the next window at the end
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * WINDOW, timeout=10_000)
    assert source.threads == {False}, "the GUI thread never waits on the database"
    qtmodeltester.check(page.model)


def test_keys_typed_while_a_search_runs_replace_the_waiting_one(
    qtbot: QtBot, make_ctx: Callable[[], AppContext]
) -> None:
    source = Friends(["张三", "张三丰", "李四", "张小凡"])
    page = shown_page(qtbot, make_ctx, source)
    source.asked.clear()
    source.gate.clear()  # the database is slow: the first key's scan is still running
    page.search.setFocus()
    shown: list[int] = []
    page.results_shown.connect(shown.append)
    type_text(page.search, "张三丰")
    page.search.backspace()
    page.search.backspace()
    type_text(page.search, "小凡")
    source.gate.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    qtbot.wait(50)
    # At most the first key's scan (if it had started), then only the newest text: no scan
    # per key queued behind it, and the answer to the first key (typed past) never shown.
    windows = [length for what, length in source.asked if what == "window"]
    assert 1 <= len(windows) <= 2 and windows[-1] == len("张小凡")
    assert shown == [1] and names(page) == ["张小凡"]


def test_a_change_elsewhere_keeps_the_selection_and_the_scroll(
    qtbot: QtBot, make_ctx: Callable[[], AppContext]
) -> None:
    source = Friends([f"客户{i}" for i in range(80)])
    page = shown_page(qtbot, make_ctx, source)
    chosen = [page.model.item_id(60), page.model.item_id(62)]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (60, 62):
        page.table.selectionModel().select(page.model.index(row, 0), flags)
    qtbot.waitUntil(lambda: page.table.verticalScrollBar().maximum() > 0)
    page.table.verticalScrollBar().setValue(page.table.verticalScrollBar().maximum() // 2)
    scroll = page.table.verticalScrollBar().value()
    assert scroll > 0
    # Another window added two friends that sort first: every row moves down by two.
    source.friends[:0] = [Friend(901, "新客户A"), Friend(902, "新客户B")]
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page._ctx.changes.announce(ChangeSet.of(Kind.CUSTOMERS))
    assert page.model.rowCount() == 82
    assert page.selected_ids() == chosen
    assert page.table.verticalScrollBar().value() == scroll


def test_a_hidden_page_reads_nothing_until_shown(
    qtbot: QtBot, make_ctx: Callable[[], AppContext]
) -> None:
    source = Friends(["张三"])
    page = FriendsPage(make_ctx(), source)
    qtbot.addWidget(page)
    page._ctx.changes.announce(ChangeSet.of(Kind.CUSTOMERS))
    qtbot.wait(50)
    assert source.asked == []
    assert isinstance(page, QWidget)


def test_the_customers_page_reads_its_rows_a_window_at_a_time(
    qtbot: QtBot, make_ctx: Callable[[], AppContext]
) -> None:
    """On a real shop: the first window, the count after it, the next window on scrolling,
    and a search that narrows it; the page's reads run on the database thread."""
    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.shared import uow
    from moments_desk.db.models import WeChatAccount
    from moments_desk.ui.customers.page import CustomersPage

    ctx = make_ctx()

    def fill(s: Any) -> None:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        for i in range(WINDOW + 30):
            create_customer(s, CustomerDraft(account_id=account.id, nickname=f"客户{i:03d}"))

    uow.write(ctx.shop.sessions, fill)
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    threads: set[bool] = set()
    window = page.source.window

    def noted(*args: Any) -> Any:
        threads.add(QThread.currentThread() is QApplication.instance().thread())  # type: ignore[union-attr]
        return window(*args)

    page.source.window = noted  # type: ignore[method-assign,assignment]
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    assert page.model.rowCount() == WINDOW
    qtbot.waitUntil(lambda: page.total == WINDOW + 30, timeout=10_000)
    assert "130" in page.count_label.text()
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == WINDOW + 30, timeout=10_000)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.search.setText("客户12")
    assert page.model.rowCount() == 10 and page.total == 10
    assert threads == {False}
