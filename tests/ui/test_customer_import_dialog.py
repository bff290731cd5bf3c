"""Importing customers and Taobao orders from the Customers page, as a seller does it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from moments_desk.db.models import Customer, Order, WeChatAccount
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.import_dialogs import CustomerImportDialog, TaobaoImportDialog
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.kit import combo as combos
from tests.ui.cells import cell_text


@pytest.fixture
def page(qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]) -> CustomersPage:
    with shop.sessions.begin() as s:
        s.add_all([WeChatAccount(label="主号"), WeChatAccount(label="小号")])
    widget = CustomersPage(make_ctx())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.results_shown, timeout=10_000):
        widget.show()
    qtbot.waitUntil(lambda: len(widget.accounts) == 2)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)


def drive(
    monkeypatch: pytest.MonkeyPatch, kind: type[Any], steps: Callable[[Any], None]
) -> list[Any]:
    """Replace the dialog's modal loop with ``steps``, run while the page waits on it."""
    seen: list[Any] = []

    def fake_exec(dialog: Any) -> int:
        seen.append(dialog)
        steps(dialog)
        return 0

    monkeypatch.setattr(kind, "exec", fake_exec)
    return seen


def count(shop: Shop, model: type[Any]) -> int:
    with shop.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_customer_import_previews_errors_then_imports(
    qtbot: QtBot, shop: Shop, page: CustomersPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "好友.csv"
    path.write_bytes(
        (
            "微信号,昵称,备注,手机,生日,标签\n"
            "lily88,小美,王丽,13800138000,农历三月初五,铁粉\n"
            "wx_zs,张三,,138001380001,2月30日,\n"
        ).encode("gbk")
    )
    choose_file(monkeypatch, path)

    def look_at_errors(dialog: CustomerImportDialog) -> None:
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
        assert combos.value(dialog.account) == page.accounts[0][0]
        assert "gb18030" in dialog.file_label.text()
        errors = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
        assert "Row 3 · Phone: 138001380001 has 12 digits; a mobile number has 11" in errors
        assert "Row 3 · Birthday: 2/30 does not exist" in errors
        assert not dialog.errors.isHidden() and not dialog.import_button.isEnabled()
        assert dialog.preview.rowCount() == 1
        assert cell_text(dialog.preview, 0, 5) == "lunar 03-05"

    # The key press only opens the dialog: waiting inside it would leave Qt believing Ctrl
    # is still held, and later clicks would toggle selections.
    dialogs = drive(monkeypatch, CustomerImportDialog, lambda dialog: None)
    qtbot.keyClick(page, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs) == 1
    look_at_errors(dialogs[0])
    assert dialogs[0].imported is None
    assert count(shop, Customer) == 0

    path.write_bytes(
        (
            "微信号,昵称,备注,手机,生日,标签\nlily88,小美,王丽,13800138000,农历三月初五,铁粉\n"
        ).encode("gbk")
    )

    def import_it(dialog: CustomerImportDialog) -> None:
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
        # the second account is chosen; the plan is checked again for it
        dialog.plan = None
        dialog.account.setCurrentIndex(1)
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        assert dialog.summary.text().startswith("New: 1")
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)

    dialogs = drive(monkeypatch, CustomerImportDialog, import_it)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.import_customers_action.trigger()
    assert dialogs[0].imported.created == 1
    assert page.model.rowCount() == 1
    with shop.sessions() as s:
        lily = s.scalars(select(Customer)).one()
        assert lily.account_id == page.accounts[1][0] and lily.remark == "王丽"
        assert lily.birthday_lunar and [t.name for t in lily.tags] == ["铁粉"]


def test_taobao_import_from_the_menu(
    qtbot: QtBot, shop: Shop, page: CustomersPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ExportOrderList.csv"
    path.write_bytes(
        (
            "订单编号 ,买家会员名 ,买家实付金额 ,订单状态 ,收货人姓名 ,收货地址 ,联系手机 ,"
            "宝贝标题 ,订单创建时间 \r\n"
            '="3515000001",tb_lily,199.00,"买家已付款，等待卖家发货",王丽,'
            '"浙江省 杭州市 西湖区 文三路 1 号(310012)",\'13800138000,法式连衣裙,'
            "2026-10-03 20:15:33\r\n"
        ).encode("gbk")
    )
    choose_file(monkeypatch, path)

    def import_it(dialog: TaobaoImportDialog) -> None:
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        row = [cell_text(dialog.preview, 0, c) for c in range(dialog.preview.columnCount())]
        assert row[:7] == [
            "2",
            "3515000001",
            "王丽",
            "Paid",
            "¥199",
            "2026-10-03 20:15",
            "new customer",
        ]
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)

    opened = drive(monkeypatch, TaobaoImportDialog, lambda dialog: None)
    qtbot.keyClick(
        page, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    # QTest leaves Shift marked as held after a Ctrl+Shift click; later tests select rows.
    qtbot.keyRelease(page, Qt.Key.Key_Shift)
    assert len(opened) == 1
    qtbot.waitUntil(lambda: opened[0].plan is not None, timeout=10_000)

    dialogs = drive(monkeypatch, TaobaoImportDialog, import_it)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.import_orders_action.trigger()
    assert dialogs[0].imported.orders == 1
    assert count(shop, Order) == 1 and count(shop, Customer) == 1

    # the same file again: the preview says everything is already there; nothing to import
    def nothing_new(dialog: TaobaoImportDialog) -> None:
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
        assert "Already imported: 1" in dialog.summary.text()
        assert not dialog.import_button.isEnabled()

    drive(monkeypatch, TaobaoImportDialog, nothing_new)
    page.import_orders_action.trigger()
    assert count(shop, Order) == 1


def test_import_without_an_account_says_what_to_do(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = CustomersPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: told.append(title))
    page.import_customers()
    assert told == ["No WeChat account yet"]


def test_row_errors_read_in_chinese(make_ctx: Callable[..., AppContext]) -> None:
    from moments_desk.core.customers.birthdays import BirthdayError, parse_birthday
    from moments_desk.core.customers.customers import CustomerError, clean_phone
    from moments_desk.core.shared.messages import message_of
    from moments_desk.core.spreadsheets.importing import RowError
    from moments_desk.ui.i18n import tr_msg

    ctx = make_ctx("zh_CN")
    dialog = CustomerImportDialog(ctx, [(1, "主号")], 1)
    try:
        with pytest.raises(CustomerError) as phone:
            clean_phone("139123456789")
        assert (
            dialog.error_text(RowError(4, "phone", message_of(phone.value)))
            == "第 4 行 · 手机：139123456789 有 12 位数字；手机号应为 11 位"
        )
        with pytest.raises(BirthdayError) as birthday:
            parse_birthday("2/30")
        assert dialog.error_text(RowError(5, "birthday", message_of(birthday.value))).endswith(
            "2月30日不存在"
        )
        # a message core does not mark for translation stays readable rather than disappearing
        assert tr_msg("something new went wrong") == "something new went wrong"
    finally:
        dialog.deleteLater()


def test_an_import_past_the_friend_limit_warns_and_splits_across_accounts(
    qtbot: QtBot, shop: Shop, page: CustomersPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Limits of 20 here stand for WeChat's 5,000: 20 new friends into 主号 (18 already)."""
    from sqlalchemy import update

    from moments_desk.core.friends.capacity import Room
    from moments_desk.db.models import WeChatAccount
    from moments_desk.ui.customers import import_dialogs
    from moments_desk.ui.customers.friend_cap import CapChoice, cap_text

    main, second = (a[0] for a in page.accounts)
    with shop.sessions.begin() as s:
        s.execute(update(WeChatAccount).values(friend_limit=20))
        s.add_all(Customer(account_id=main, nickname=f"老朋友{i}") for i in range(18))
    rows = "".join(f"wx_{i},新朋友{i}\n" for i in range(20))
    path = tmp_path / "好友.csv"
    path.write_bytes(("微信号,昵称\n" + rows).encode("gbk"))
    choose_file(monkeypatch, path)
    asked: list[str] = []

    def answer(_parent: object, room: Room, adding: int, shares: object, found: object) -> object:
        asked.append(cap_text(room, adding, shares, found))  # type: ignore[arg-type]
        return CapChoice.SPLIT

    monkeypatch.setattr(import_dialogs, "ask_about_cap", answer)

    def import_it(dialog: CustomerImportDialog) -> None:
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)

    dialogs = drive(monkeypatch, CustomerImportDialog, import_it)
    page.import_customers_action.trigger()
    assert asked == [
        "主号 has 18 friends. Importing 20 new ones makes 38, over WeChat's limit of 20 "
        "friends per account.\n\nSplit across accounts: 主号 2、小号 18."
    ]
    assert dialogs[0].imported.created == 20
    with shop.sessions() as s:
        per_account = dict(
            s.execute(select(Customer.account_id, func.count()).group_by(Customer.account_id)).all()
        )
    assert per_account == {main: 20, second: 18}
