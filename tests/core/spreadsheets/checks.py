"""What "safe" means for a file the seller opens in Excel or WPS, checked from the file."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE = (
    '=HYPERLINK("http://127.0.0.1/x","点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def is_number(text: str) -> bool:
    try:
        return Decimal(text.removesuffix("%")).is_finite() and "_" not in text
    except InvalidOperation:
        return False


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def assert_csv_safe(path: Path) -> list[list[str]]:
    rows = csv_cells(path)
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS) or is_number(cell), (path.name, cell)
    return rows


def assert_xlsx_safe(path: Path) -> list[list[object]]:
    """No cell is a formula; text never starts like one; returns every sheet's values."""
    book = load_workbook(path)
    values: list[list[object]] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    text = cell.value
                    assert not text.startswith(DANGEROUS) or is_number(text), cell.coordinate
            values.append([cell.value for cell in row])
    return values
