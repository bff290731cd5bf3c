"""The products list: a 尺码 column with each size's stock (issue 22)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.catalogue.variants import VariantDraft, save_variants
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.model import Column
from moments_desk.ui.products.page import ProductsPage


def test_a_product_in_several_sizes_shows_each_sizes_stock(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    with shop.sessions.begin() as s:
        cardigan = cat.create_product(
            s, ProductDraft(code="ZZ-07", name="燕麦色羊毛开衫", price=Decimal("199"))
        )
        save_variants(
            s,
            cardigan,
            [VariantDraft("", "S", 2), VariantDraft("", "M", 0), VariantDraft("", "L", 5)],
        )
        cat.create_product(s, ProductDraft(code="BB-01", name="托特包", stock=4))
    # In Chinese at a laptop's 1366×768, as the seller sees it (build/shots/ is looked at).
    page = ProductsPage(make_ctx("zh_CN"))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    row = page.model.row_of(cardigan)
    assert row is not None
    model = page.model
    assert model.headerData(Column.SIZES, Qt.Orientation.Horizontal) in ("Sizes", "尺码")
    assert model.data(model.index(row, Column.SIZES)) == "S 2 · M 0 · L 5"
    assert model.data(model.index(row, Column.STOCK), Qt.ItemDataRole.ToolTipRole) == (
        "S 2 · M 0 · L 5"
    )
    bag_row = 1 - row
    assert model.data(model.index(bag_row, Column.SIZES)) == ""
    # Right after the stock, where a seller looks for it.
    header = page.table.horizontalHeader()
    assert header.visualIndex(Column.SIZES) == header.visualIndex(Column.STOCK) + 1
    shots = Path("build/shots")
    shots.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)
    page.grab().save(str(shots / "products-sizes-column.png"))
