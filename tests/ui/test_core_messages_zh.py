"""Messages written in core/ reach a Chinese interface in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import WeChatAccount
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.page import CustomersPage
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.products.import_dialog import ProductImportDialog


def test_product_import_preview_explains_an_ambiguous_price_in_chinese(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    ctx = make_ctx("zh_CN")
    path = tmp_path / "products.csv"
    path.write_text('货号,名称,售价\nQZ-1,法式连衣裙,199\nQZ-2,针织开衫,"12,5"\n', "utf-8")
    dialog = ProductImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.start(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    shown = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert shown == ["第 3 行 · 售价：12,5 有歧义：小数请写成 12.5，千位分隔请写成 1,299"]
    assert not dialog.import_button.isEnabled()


def test_customer_editor_explains_an_impossible_birthday_in_chinese(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    with shop.sessions.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        customer_id = create_customer(s, CustomerDraft(account_id=account.id, nickname="张三"))
    page = CustomersPage(make_ctx("zh_CN"))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    page.table.selectRow(page.model.row_of(customer_id) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == customer_id)
    page.detail.has_birthday.setChecked(True)
    page.detail.birth_month.setValue(2)
    page.detail.birth_day.setValue(30)
    page.detail.save.click()
    qtbot.waitUntil(page.detail.error.isVisible)
    assert page.detail.error.text() == "生日：2月30日不存在。"


def test_nested_messages_are_translated_inside_out(make_ctx: Callable[..., AppContext]) -> None:
    make_ctx("zh_CN")
    inner = QT_TRANSLATE_NOOP("Money", "{raw} is negative").format(raw="-3")
    outer = QT_TRANSLATE_NOOP("ProductImport", "row {row}: {error}").format(row=4, error=inner)
    assert tr_msg(outer) == "第 4 行：-3 是负数"
    assert tr_msg(ValueError(outer)) == "第 4 行：-3 是负数"
    assert tr_msg("plain text") == "plain text"
