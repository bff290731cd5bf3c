"""The colour × size grid in the product editor, as a seller fills it in."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue.variants import list_variants
from moments_desk.db.models import Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.page import ProductsPage
from tests.ui.conftest import type_text
from tests.ui.test_products_page import seed


def open_page(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], language: str = "en"
) -> ProductsPage:
    page = ProductsPage(make_ctx(language))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    return page


def test_a_cardigan_in_two_colours_and_three_sizes_is_saved_cell_by_cell(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    # In Chinese, as the seller sees it (the screenshot in build/shots/ is looked at).
    page = open_page(qtbot, make_ctx, "zh_CN")
    page.resize(1366, 768)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    qtbot.keyClicks(editor.code, "KS-01")
    type_text(editor.name, "燕麦色开衫")
    type_text(editor.price, "199")
    grid = editor.variants
    type_text(grid.new_color, "燕麦色")
    qtbot.mouseClick(grid.add_color_button, Qt.MouseButton.LeftButton)
    type_text(grid.new_size, "S M L")
    qtbot.mouseClick(grid.add_size_button, Qt.MouseButton.LeftButton)
    type_text(grid.new_color, "黑色")
    qtbot.mouseClick(grid.add_color_button, Qt.MouseButton.LeftButton)
    assert (grid.colors(), grid.sizes()) == (["燕麦色", "黑色"], ["S", "M", "L"])
    # Fill the 燕麦色 row with 3 each, then M of 黑色 gets 2 and its own price.
    grid.table.setCurrentCell(0, 1)
    grid.fill_value.setValue(3)
    qtbot.mouseClick(grid.fill_row, Qt.MouseButton.LeftButton)
    grid.cell(1, 1).stock.setValue(2)
    type_text(grid.cell(1, 1).price, "209")
    assert not editor.stock.isEnabled() and editor.stock.value() == 11
    assert "6" in grid.total.text() and "11" in grid.total.text()
    shots = Path("build/shots")
    shots.mkdir(parents=True, exist_ok=True)
    editor.scroll_area.ensureWidgetVisible(grid)
    qtbot.wait(50)
    page.grab().save(str(shots / "product-variant-grid.png"))
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    assert not editor.error.isVisible()
    with shop.sessions() as s:
        product_id = s.query(Product.id).filter(Product.code == "KS-01").scalar()
        assert product_id is not None
        cells = {v.label: (v.stock, v.price) for v in list_variants(s, product_id)}
        assert s.get(Product, product_id).stock == 11  # type: ignore[union-attr]
    assert cells == {
        "燕麦色 S": (3, None),
        "燕麦色 M": (3, None),
        "燕麦色 L": (3, None),
        "黑色 S": (0, None),
        "黑色 M": (2, Decimal("209")),
        "黑色 L": (0, None),
    }


def test_a_product_without_sizes_keeps_its_single_stock_field(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    ids = seed(shop)
    page = open_page(qtbot, make_ctx)
    page.open_product(ids["dress"])
    editor = page.editor
    qtbot.waitUntil(lambda: editor.product_id == ids["dress"], timeout=10_000)
    assert editor.variants.is_single() and editor.stock.isEnabled()
    assert editor.stock.value() == 5
    # Adding the first size turns the single stock into its cell.
    type_text(editor.variants.new_size, "均码")
    qtbot.mouseClick(editor.variants.add_size_button, Qt.MouseButton.LeftButton)
    assert editor.variants.cell(0, 0).stock.value() == 5
    assert editor.dirty


def test_each_colour_can_show_one_of_the_products_pictures(qtbot: QtBot) -> None:
    from moments_desk.ui.products.variant_grid import VariantGrid

    grid = VariantGrid()
    qtbot.addWidget(grid)
    grid.set_pictures([11, 12, 13])
    grid.add_color("燕麦色")
    grid.add_color("黑色")
    grid.add_size("M")
    assert [grid.picture_color.itemText(i) for i in range(grid.picture_color.count())] == [
        "燕麦色",
        "黑色",
    ]
    grid.picture_color.setCurrentIndex(1)
    grid.picture.setCurrentIndex(2)
    grid.picture.activated.emit(2)  # picture 2 for 黑色
    drafts = grid.drafts()
    assert drafts is not None
    assert {(d.color, d.media_id) for d in drafts} == {("燕麦色", None), ("黑色", 12)}
    grid.set_pictures([11, 13])  # the picture was removed from the product
    drafts = grid.drafts()
    assert drafts is not None and all(d.media_id is None for d in drafts)


def test_a_size_gets_its_own_code_in_the_grid(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    page = open_page(qtbot, make_ctx)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    qtbot.keyClicks(editor.code, "KS-02")
    type_text(editor.name, "黑色开衫")
    type_text(editor.price, "199")
    grid = editor.variants
    type_text(grid.new_size, "S M")
    qtbot.mouseClick(grid.add_size_button, Qt.MouseButton.LeftButton)
    grid.cell(0, 1).stock.setValue(4)
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(args[2]))
        return " KS-02-M ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    grid.table.setCurrentCell(0, 1)
    qtbot.mouseClick(grid.code_button, Qt.MouseButton.LeftButton)
    assert asked and "M" in asked[0]
    assert grid.code_of(0, 1) == "KS-02-M" and "KS-02-M" in grid.cell(0, 1).toolTip()
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    assert not editor.error.isVisible()
    with shop.sessions() as s:
        product_id = s.query(Product.id).filter(Product.code == "KS-02").scalar()
        assert product_id is not None
        codes = {v.label: v.code for v in list_variants(s, product_id)}
    assert codes == {"S": "", "M": "KS-02-M"}
