"""Two laptops editing the same product: the editor says what the other saved and keeps the
seller's unsaved text; saving again keeps hers (issue 25). Another laptop's save is made
through the core, as that laptop's app would."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.orders.orders import take_stock
from moments_desk.db.models import Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.page import ProductsPage
from tests.ui.conftest import type_text
from tests.ui.test_products_page import seed


def _open(qtbot: QtBot, page: ProductsPage, product_id: int) -> None:
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(page.model.row_of(product_id) or 0)
    qtbot.waitUntil(lambda: page.editor.product_id == product_id)


def _type_price(qtbot: QtBot, page: ProductsPage, price: str) -> None:
    qtbot.mouseClick(page.editor.price, Qt.MouseButton.LeftButton)
    page.editor.price.selectAll()
    qtbot.keyClicks(page.editor.price, price)


def _retype(widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    type_text(widget, text)


def _elsewhere(shop: Shop, product_id: int, **changes: object) -> None:
    with shop.sessions.begin() as s:
        now = cat.get_product(s, product_id).draft
        cat.update_product(s, product_id, cat.ProductDraft(**{**vars(now), **changes}))


def test_a_price_saved_on_both_laptops_is_shown_with_both_and_kept_in_the_form(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    ids = seed(shop)
    page = ProductsPage(make_ctx())
    qtbot.addWidget(page)
    page.show()
    _open(qtbot, page, ids["dress"])
    _type_price(qtbot, page, "239")
    # Meanwhile the other laptop sets another price and sells a piece.
    _elsewhere(shop, ids["dress"], price=Decimal("249"))
    with shop.sessions.begin() as s:
        take_stock(s, ids["dress"], 1, "QZ-01")
    qtbot.mouseClick(page.editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.editor.error.isVisible)
    message = page.editor.error.text()
    assert "249" in message and "239" in message
    assert page.editor.price.text() == "239" and page.editor.dirty  # her text is still there
    with shop.sessions() as s:
        assert s.get_one(Product, ids["dress"]).price == Decimal("249")
    # Saving again keeps hers; the piece sold elsewhere stays sold.
    qtbot.mouseClick(page.editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.editor.dirty)
    with shop.sessions() as s:
        product = s.get_one(Product, ids["dress"])
        assert (product.price, product.stock) == (Decimal("239"), 4)


def test_a_field_changed_only_elsewhere_is_kept_when_this_laptop_saves(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    ids = seed(shop)
    page = ProductsPage(make_ctx())
    qtbot.addWidget(page)
    page.show()
    _open(qtbot, page, ids["bag"])
    _type_price(qtbot, page, "139")
    _elsewhere(shop, ids["bag"], name="Mini托特包（新色）")
    qtbot.mouseClick(page.editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.editor.dirty)
    with shop.sessions() as s:
        product = s.get_one(Product, ids["bag"])
        assert (product.name, product.price) == ("Mini托特包（新色）", Decimal("139"))


def test_a_remark_saved_here_keeps_notes_written_there_and_a_clash_keeps_her_text(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from moments_desk.core.customers import customers as cu
    from moments_desk.db.models import Customer
    from moments_desk.ui.customers.page import CustomersPage
    from tests.ui.test_customers_page import seed as seed_customers
    from tests.ui.test_customers_page import show

    ids = seed_customers(shop)
    page = CustomersPage(make_ctx())
    qtbot.addWidget(page)
    show(qtbot, page)
    page.table.selectRow(page.model.row_of(ids["zhang"]) or 0)
    qtbot.waitUntil(lambda: page.detail.customer_id == ids["zhang"])

    def elsewhere(**changes: object) -> None:
        with shop.sessions.begin() as s:
            now, _ = cu.get_customer(s, ids["zhang"])
            cu.update_customer(s, ids["zhang"], cu.CustomerDraft(**{**vars(now), **changes}))

    _retype(page.detail.remark, "杭州-张姐姐")
    assert page.detail.dirty
    elsewhere(notes="喜欢蓝色，M 码")
    page.detail.save.click()
    qtbot.waitUntil(lambda: not page.detail.dirty)
    with shop.sessions() as s:
        customer = s.get_one(Customer, ids["zhang"])
        assert (customer.remark, customer.notes) == ("杭州-张姐姐", "喜欢蓝色，M 码")
    qtbot.waitUntil(lambda: page.detail.base is not None and page.detail.base.notes != "")
    # Both change the remark: hers is refused with both, kept in the form, kept on saving again.
    _retype(page.detail.remark, "张姐-老客")
    elsewhere(remark="张姐-VIP")
    page.detail.save.click()
    qtbot.waitUntil(page.detail.error.isVisible)
    assert "张姐-VIP" in page.detail.error.text() and "张姐-老客" in page.detail.error.text()
    assert page.detail.remark.text() == "张姐-老客"
    page.detail.save.click()
    qtbot.waitUntil(lambda: not page.detail.dirty)
    with shop.sessions() as s:
        assert s.get_one(Customer, ids["zhang"]).remark == "张姐-老客"


def test_a_post_text_saved_on_both_laptops_is_shown_in_the_composer_and_kept(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from datetime import date

    from moments_desk.core.planning.post_views import get_post
    from moments_desk.core.planning.posts import update_post
    from moments_desk.core.shared import uow
    from moments_desk.db.models import Post
    from moments_desk.scheduling.clock import local_zone
    from tests.ui.planner_shop import add_post, build_seller_shop, local
    from tests.ui.test_composer import open_composer

    seller = build_seller_shop(shop)
    post_id = add_post(shop, seller.account_id, local(date(2026, 11, 24), 20))
    dialog = open_composer(qtbot, make_ctx(), seller.account_id, post_id)
    dialog.form.text.setPlainText("我这边改的文案")
    # The other laptop saves another text meanwhile.
    view = uow.read(shop.sessions, lambda s: get_post(s, post_id, shop.paths.media, local_zone()))
    theirs = view.to_draft()
    theirs.text = "另一台电脑的文案"
    uow.write(shop.sessions, lambda s: update_post(s, post_id, theirs, base=view.to_draft()))
    dialog.save(schedule=False)
    qtbot.waitUntil(lambda: "另一台电脑的文案" in dialog.error.text(), timeout=5000)
    assert "我这边改的文案" in dialog.error.text()
    assert dialog.form.text.toPlainText() == "我这边改的文案" and dialog.dirty
    # Saving again keeps hers.
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save(schedule=False)
    assert uow.read(shop.sessions, lambda s: s.get_one(Post, post_id).text) == "我这边改的文案"
