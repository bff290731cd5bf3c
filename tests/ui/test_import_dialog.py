"""The shared import dialog, through the product import that uses it too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from moments_desk.db.models import Product
from moments_desk.startup import Shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.products.import_dialog import ProductImportDialog
from tests.ui.cells import cell_text


def test_product_mapping_is_remembered_per_file_layout(
    qtbot: QtBot,
    shop: Shop,
    make_ctx: Callable[..., AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    ctx = make_ctx()
    path = tmp_path / "p.csv"
    # "款式" is no known alias: the seller maps it to the name by hand once
    path.write_bytes("货号,款式,一口价\nQZ-1,法式连衣裙,199\n".encode("gb18030"))
    dialog = ProductImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.start(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert "name (名称)" in dialog.summary.text() or dialog.errors.count() == 1
    assert not dialog.import_button.isEnabled()
    name_combo = dialog.combos["name"]
    dialog.plan = None
    name_combo.setCurrentIndex(name_combo.findText("款式"))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert cell_text(dialog.preview, 0, 2) == "法式连衣裙"
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)
    with shop.sessions() as s:
        assert s.scalars(select(Product.name)).all() == ["法式连衣裙"]

    again = ProductImportDialog(ctx)
    qtbot.addWidget(again)
    again.start(path)
    qtbot.waitUntil(lambda: again.plan is not None, timeout=10_000)
    assert again.combos["name"].currentText() == "款式"
    assert cell_text(again.preview, 0, 4) == "update"


def test_preview_gets_most_of_the_height(
    qtbot: QtBot, shop: Shop, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    from moments_desk.ui.customers.import_dialogs import TaobaoImportDialog

    path = tmp_path / "p.csv"
    path.write_bytes("货号,名称,一口价\nQZ-1,法式连衣裙,199\n".encode("gb18030"))
    for dialog in (ProductImportDialog(make_ctx()), TaobaoImportDialog(make_ctx(), [(1, "主号")])):
        qtbot.addWidget(dialog)
        dialog.resize(980, 640)
        dialog.show()
        mapping = next(iter(dialog.combos.values())).parentWidget()
        assert mapping is not None
        preview = dialog.preview
        qtbot.waitUntil(lambda: preview.height() > 0)  # noqa: B023 - waited for right here
        # The column mapping is laid out in two columns and never takes the preview's room.
        assert dialog.preview.height() >= mapping.height()
        dialog.close()
