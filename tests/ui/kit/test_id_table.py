"""The id-backed table model: pages fetched on demand, and a lost database is no crash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from sqlalchemy.exc import OperationalError

from moments_desk.ui.kit.id_table import IdTableModel


class Names(IdTableModel[str]):
    def cell(self, row: str, column: int, role: int) -> Any:
        return row if role == Qt.ItemDataRole.DisplayRole else None


def test_rows_are_fetched_a_page_at_a_time(qtmodeltester: ModelTester) -> None:
    asked: list[list[int]] = []

    def fetch(ids: Sequence[int]) -> dict[int, str]:
        asked.append(list(ids))
        return {i: f"客户{i}" for i in ids}

    model = Names(fetch, ["昵称"])
    model.set_ids(list(range(1, 121)))
    assert model.data(model.index(0, 0)) == "客户1"
    assert model.data(model.index(49, 0)) == "客户50"
    assert model.data(model.index(50, 0)) == "客户51"
    assert [len(page) for page in asked] == [50, 50]
    qtmodeltester.check(model)


def test_a_database_that_went_away_leaves_cells_empty(caplog: pytest.LogCaptureFixture) -> None:
    reachable = False

    def fetch(ids: Sequence[int]) -> dict[int, str]:
        if not reachable:
            raise OperationalError("SELECT …", {}, Exception("unable to open database file"))
        return {i: f"客户{i}" for i in ids}

    model = Names(fetch, ["昵称"])
    model.set_ids([1, 2, 3])
    assert model.data(model.index(0, 0)) is None
    assert model.data(model.index(1, 0)) is None
    # Said once in the log, not once per cell.
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["rows could not be read"]
    reachable = True
    assert model.data(model.index(2, 0)) == "客户3"  # asked again on the next paint
