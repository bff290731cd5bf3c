"""Reading what a table widget shows, as a person would read it."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no cell at row {row}, column {column}"
    return item.text()
