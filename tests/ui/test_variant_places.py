"""前 N 名 per size in the 互动 page: the size field offers the product's sizes with what is
free of each, and order comments each go to the size they name."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from moments_desk.core.catalogue.variants import VariantDraft, save_variants
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import AllocationStatus, InteractionKind
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.orders.editor import OrderEditor
from moments_desk.ui.orders.page import OrdersPage
from moments_desk.ui.tracking.page import TrackingPage
from tests.tracking_shop import NOW, build_shop


def test_order_comments_take_places_in_their_own_size(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    data = build_shop(shop.sessions, names=["小美", "阿花", "Lily"])
    c = data.customers
    with shop.sessions.begin() as s:
        save_variants(s, data.product_id, [VariantDraft("", "S", 1), VariantDraft("", "M", 1)])
        lines = [
            EntryLine(1, "小美", InteractionKind.COMMENT, "M码", c["小美"]),
            EntryLine(2, "阿花", InteractionKind.COMMENT, "+1 m", c["阿花"]),
            EntryLine(3, "Lily", InteractionKind.COMMENT, "S", c["Lily"]),
        ]
        record_entries(s, data.post_id, data.account_id, lines, NOW)
    page = TrackingPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.posts_shown, timeout=10_000):
        page.show()
    page.tabs.setCurrentWidget(page.allocation)
    panel = page.allocation
    qtbot.waitUntil(lambda: panel.product.count() == 1, timeout=10_000)
    assert panel._size_names.stringList() == ["S", "M"]
    assert "M: 1 free" in panel.variant.toolTip()
    panel.intents_only.setChecked(True)
    panel.allocate_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10_000)
    places = {(r.customer_name, r.variant, r.status) for r in panel._rows}
    assert places == {
        ("小美", "M", AllocationStatus.ALLOCATED),
        ("阿花", "M", AllocationStatus.WAITLISTED),
        ("Lily", "S", AllocationStatus.ALLOCATED),
    }


def _new_order_for_sized_product(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], sizes: list[VariantDraft]
) -> tuple[OrdersPage, OrderEditor]:
    """A new order for 小美 in the order editor, the test product sold in ``sizes`` and
    listed as the product to add."""
    data = build_shop(shop.sessions)
    with shop.sessions.begin() as s:
        save_variants(s, data.product_id, sizes)
    page = OrdersPage(make_ctx())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10_000):
        page.show()
    editor = page.new_order()
    qtbot.addWidget(editor)
    editor.customer_search.setText("小美")
    qtbot.waitUntil(lambda: editor.customer.currentData() == data.customers["小美"], timeout=10_000)
    qtbot.waitUntil(lambda: editor.product.count() > 0, timeout=10_000)
    return page, editor


def test_the_order_editor_shows_the_sizes_and_takes_the_one_typed(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from sqlalchemy import select

    from moments_desk.core.shared import uow
    from moments_desk.db.models import OrderItem

    _page, editor = _new_order_for_sized_product(
        qtbot, shop, make_ctx, [VariantDraft("", "S", 1), VariantDraft("", "M", 2)]
    )
    assert editor.product.currentText().endswith("S 1 · M 2")
    editor.add_chosen_product()
    editor.save()  # no size typed: the seller is asked which one
    qtbot.waitUntil(lambda: "S / M" in editor.error.text(), timeout=10_000)
    size_cell = editor.items.item(0, 1)
    assert size_cell is not None
    size_cell.setText("m")
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    line = uow.read(shop.sessions, lambda s: s.scalars(select(OrderItem)).one())
    assert line.variant == "M" and line.variant_id is not None


def test_the_order_editor_offers_each_line_its_sizes_in_a_drop_down(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    # English strings checked below; the screenshot shows the drop-down as laid out.
    from PySide6.QtWidgets import QComboBox
    from sqlalchemy import select

    from moments_desk.core.shared import uow
    from moments_desk.db.models import OrderItem

    page, editor = _new_order_for_sized_product(
        qtbot,
        shop,
        make_ctx,
        [VariantDraft("", "S", 2), VariantDraft("", "M", 0), VariantDraft("", "L", 5)],
    )
    editor.add_chosen_product()
    combo = editor.items.indexWidget(editor.items.model().index(0, 1))
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "S · 2 in stock",
        "M · 0 in stock",
        "L · 5 in stock",
    ]
    editor.save()  # nothing picked yet: still asked which size
    qtbot.waitUntil(lambda: "S / M / L" in editor.error.text(), timeout=10_000)
    combo.setCurrentIndex(2)
    assert editor.items.lines()[0][1] == "L"
    from pathlib import Path

    shots = Path("build/shots")
    shots.mkdir(parents=True, exist_ok=True)
    page.resize(1366, 768)
    editor.resize(900, 560)
    editor.show()
    qtbot.wait(50)
    editor.grab().save(str(shots / "order-editor-size-dropdown.png"))
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    line = uow.read(shop.sessions, lambda s: s.scalars(select(OrderItem)).one())
    assert line.variant == "L" and line.variant_id is not None
    # Opened again (still unpaid), the line shows its size in the drop-down.
    again = page.open_order(line.order_id)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.items.rowCount() == 1, timeout=10_000)
    reopened = again.items.indexWidget(again.items.model().index(0, 1))
    assert isinstance(reopened, QComboBox)
    assert reopened.currentText() == "L · 5 in stock" and again.items.lines()[0][1] == "L"
    assert not again.edited()


def test_a_size_typed_in_the_drop_down_is_still_taken(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext]
) -> None:
    from PySide6.QtWidgets import QComboBox
    from sqlalchemy import select

    from moments_desk.core.shared import uow
    from moments_desk.db.models import OrderItem

    _page, editor = _new_order_for_sized_product(
        qtbot, shop, make_ctx, [VariantDraft("", "S", 1), VariantDraft("", "M", 2)]
    )
    editor.add_chosen_product()
    combo = editor.items.indexWidget(editor.items.model().index(0, 1))
    assert isinstance(combo, QComboBox)
    combo.setEditText("m")
    assert editor.items.lines()[0][1] == "m"
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    line = uow.read(shop.sessions, lambda s: s.scalars(select(OrderItem)).one())
    assert line.variant_id is not None and line.variant == "M"
