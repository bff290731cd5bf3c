"""Two laptops editing the same product: the editor says what the other saved and keeps the
seller's unsaved text; saving again keeps hers (issue 25). Another laptop's save is made
through the core, as that laptop's app would."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.orders.orders import take_stock
from moments_desk.db.models import Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.page import ProductsPage
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
