"""The Products page as a seller uses it: search, edit, bulk changes, delete safely."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.db.models import Order, OrderItem, Product, ProductStatus
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.model import Column
from moments_desk.ui.products.page import ProductsPage
from tests.images import pixel
from tests.ui.conftest import type_text


def seed(shop: Shop) -> dict[str, int]:
    with shop.sessions.begin() as s:
        return {
            "dress": cat.create_product(
                s,
                ProductDraft(
                    code="QZ-01",
                    name="奶白色法式连衣裙",
                    category="连衣裙",
                    price=Decimal("259"),
                    stock=5,
                ),
            ),
            "cardigan": cat.create_product(
                s,
                ProductDraft(
                    code="ZZ-07",
                    name="燕麦色羊毛开衫",
                    category="针织衫",
                    price=Decimal("199"),
                    stock=2,
                ),
            ),
            "bag": cat.create_product(
                s,
                ProductDraft(
                    code="BB-01", name="Mini托特包", category="包包", price=Decimal("129")
                ),
            ),
        }


@pytest.fixture
def page(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> ProductsPage:
    widget = ProductsPage(make_ctx())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.results_shown, timeout=10_000):
        widget.show()
    # Shortcuts such as Ctrl+S only reach an active window.
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def search(qtbot: QtBot, page: ProductsPage, text: str) -> list[str]:
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.search.setText(text)
    return [page.model.data(page.model.index(r, Column.CODE)) for r in range(page.model.rowCount())]


def test_lists_and_searches_by_pinyin(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    seed(shop)
    page = ProductsPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    assert page.model.rowCount() == 3
    assert "3" in page.count_label.text()
    assert search(qtbot, page, "lyq") == ["QZ-01"]
    assert search(qtbot, page, "开衫") == ["ZZ-07"]
    assert search(qtbot, page, "") and page.model.rowCount() == 3
    price = page.model.data(page.model.index(page.model.row_of(1) or 0, Column.PRICE))
    assert price.startswith("¥")


def test_model_passes_qt_model_checks(
    qtmodeltester: ModelTester, shop: Shop, page: ProductsPage, qtbot: QtBot
) -> None:
    seed(shop)
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    qtmodeltester.check(page.model)


def test_sorting_by_price_header(qtbot: QtBot, shop: Shop, page: ProductsPage) -> None:
    seed(shop)
    with qtbot.waitSignal(page.results_shown):
        page.table.horizontalHeader().sectionClicked.emit(Column.PRICE)
    prices = [page.model.data(page.model.index(r, Column.PRICE)) for r in range(3)]
    assert prices == ["¥259", "¥199", "¥129"]
    with qtbot.waitSignal(page.results_shown):
        page.table.horizontalHeader().sectionClicked.emit(Column.PRICE)
    assert page.model.data(page.model.index(0, Column.PRICE)) == "¥129"


def test_create_a_product_in_the_editor(qtbot: QtBot, shop: Shop, page: ProductsPage) -> None:
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    qtbot.keyClicks(editor.code, "XZ-99")
    type_text(editor.name, "灰色羊毛大衣")
    type_text(editor.price, "¥899.5")
    editor.category.setCurrentText("外套")
    type_text(editor.tags, "新品，保暖")
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    with shop.sessions() as s:
        product = s.scalars(select(Product).where(Product.code == "XZ-99")).one()
        assert product.price == Decimal("899.50")
        assert product.category == "外套"
        assert {t.name for t in product.tags} == {"新品", "保暖"}
    assert page.model.rowCount() == 1
    assert not editor.dirty


def test_bad_price_is_explained_and_nothing_saved(
    qtbot: QtBot, shop: Shop, page: ProductsPage
) -> None:
    page.new_product()
    qtbot.keyClicks(page.editor.code, "X-1")
    type_text(page.editor.name, "裙子")
    qtbot.keyClicks(page.editor.price, "12,5")
    qtbot.mouseClick(page.editor.save, Qt.MouseButton.LeftButton)
    assert page.editor.error.isVisible()
    assert "ambiguous" in page.editor.error.text()
    with shop.sessions() as s:
        assert s.scalars(select(Product)).first() is None


def test_duplicate_code_is_refused_in_the_editor(
    qtbot: QtBot, shop: Shop, page: ProductsPage
) -> None:
    seed(shop)
    page.new_product()
    qtbot.keyClicks(page.editor.code, "QZ-01")
    type_text(page.editor.name, "另一条")
    qtbot.keyClicks(page.editor.price, "10")
    qtbot.mouseClick(page.editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.editor.error.isVisible)
    assert "QZ-01" in page.editor.error.text()


def test_select_edit_and_save(qtbot: QtBot, shop: Shop, page: ProductsPage) -> None:
    ids = seed(shop)
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(page.model.row_of(ids["bag"]) or 0)
    qtbot.waitUntil(lambda: page.editor.product_id == ids["bag"])
    assert page.editor.name.text() == "Mini托特包"
    qtbot.mouseClick(page.editor.price, Qt.MouseButton.LeftButton)  # focus, as a click does
    page.editor.price.selectAll()
    qtbot.keyClicks(page.editor.price, "139")
    assert page.editor.dirty
    qtbot.keyClick(page.editor.price, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.editor.dirty)
    with shop.sessions() as s:
        assert s.get(Product, ids["bag"]).price == Decimal("139")  # type: ignore[union-attr]
    row = page.model.row_of(ids["bag"])
    qtbot.waitUntil(lambda: page.model.data(page.model.index(row or 0, Column.PRICE)) == "¥139")


def test_bulk_status_change(qtbot: QtBot, shop: Shop, page: ProductsPage) -> None:
    ids = seed(shop)
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectAll()
    assert page.bulk_bar.isVisible()
    assert "3" in page.bulk_label.text()
    page.bulk_set_status(ProductStatus.SOLD_OUT)
    qtbot.waitUntil(
        lambda: page.model.data(page.model.index(0, Column.STATUS)) == "Sold out", timeout=5000
    )
    with shop.sessions() as s:
        statuses = set(s.scalars(select(Product.status).where(Product.id.in_(ids.values()))))
    assert statuses == {ProductStatus.SOLD_OUT}


def test_delete_asks_first_and_keeps_sold_products(
    qtbot: QtBot, shop: Shop, page: ProductsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(shop)
    with shop.sessions.begin() as s:
        order = Order()
        s.add(order)
        s.flush()
        s.add(
            OrderItem(
                order_id=order.id,
                product_id=ids["dress"],
                product_name="裙",
                quantity=1,
                unit_price=Decimal(1),
            )
        )
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.delete_products(list(ids.values()))
    with shop.sessions() as s:
        assert len(s.scalars(select(Product)).all()) == 3  # cancelled: nothing deleted

    explained: list[object] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(
        ProductsPage, "_explain_refused", lambda self, outcome: explained.append(outcome)
    )
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.delete_products(list(ids.values()))
    with shop.sessions() as s:
        assert s.scalars(select(Product.code)).all() == ["QZ-01"]
    assert len(explained) == 1


def test_export_pictures_for_moments_with_price(
    qtbot: QtBot, shop: Shop, page: ProductsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image
    from PySide6.QtGui import QDesktopServices

    from moments_desk.core.pictures.export_settings import save_export_settings
    from moments_desk.core.pictures.image_export import ExportSettings
    from moments_desk.core.pictures.media import register_media, store_image

    ids = seed(shop)
    with shop.sessions.begin() as s:
        detail = cat.get_product(s, ids["bag"])
        for colour in ("white", "grey"):
            Image.new("RGB", (1600, 1600), colour).save(tmp_path / f"{colour}.jpg")
            stored = store_image(tmp_path / f"{colour}.jpg", shop.paths.media)
            detail.draft.image_media_ids.append(register_media(s, stored).id)
        cat.update_product(s, ids["bag"], detail.draft)
        save_export_settings(s, ExportSettings(show_price=True))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    page.run_search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(page.model.row_of(ids["bag"]) or 0)
    qtbot.waitUntil(lambda: page.editor.export.isEnabled())
    page.export_for_moments(tmp_path / "moments")
    qtbot.waitUntil(lambda: len(page.last_export) == 2, timeout=10_000)
    assert [p.name for p in page.last_export] == ["BB-01-1.jpg", "BB-01-2.jpg"]
    with Image.open(page.last_export[0]) as first:
        assert first.size == (1080, 1080)
        red, green, _ = pixel(first.convert("RGB"), (40, 45))
    assert red > 180 and green < 140  # the price tag in the corner


def test_delete_waits_until_the_product_is_saved(
    qtbot: QtBot, shop: Shop, page: ProductsPage
) -> None:
    editor = page.editor
    assert not editor.delete.isEnabled()  # nothing chosen yet
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not editor.delete.isEnabled()
    qtbot.keyClicks(editor.code, "XZ-98")
    type_text(editor.name, "灰色羊毛大衣")
    type_text(editor.price, "899")
    assert not editor.delete.isEnabled()
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.delete.isEnabled, timeout=10_000)


def test_a_product_typed_into_the_blank_editor_gets_todays_arrival_date(
    qtbot: QtBot, shop: Shop, page: ProductsPage
) -> None:
    """No Ctrl+N first: the seller types straight into the editor the page opens with."""
    editor = page.editor
    qtbot.keyClicks(editor.code, "XZ-100")
    type_text(editor.name, "奶白色羊毛围巾")
    type_text(editor.price, "89")
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    with shop.sessions() as s:
        product = s.scalars(select(Product).where(Product.code == "XZ-100")).one()
        assert product.new_arrival_date == page.today()
