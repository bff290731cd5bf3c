"""Cells that a spreadsheet shows as text, never runs: the one gate every CSV/XLSX export uses.

A buyer's nickname or Taobao address such as ``=HYPERLINK("http://…","点我")`` or
``+cmd|' /C calc'!A0`` becomes a live formula (or a DDE command) when Excel or WPS opens an
export that holds it raw. Following OWASP's CSV-injection guidance, a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, and XLSX text
cells are written with the string type so nothing is ever stored as a formula. Real numbers
(``-5``, ``Decimal("-12.50")``, a numeric text such as ``"-3.5"`` or ``"-12.0%"``) stay numbers.

Only exports go through here; imports keep what the seller's files say verbatim.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

#: First characters that make Excel, WPS or LibreOffice read a cell as a formula or command.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A plain decimal literal, optionally signed, with an exponent or a percent sign: a
# spreadsheet reads it as a number, and no formula can hide in it.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?", re.ASCII)

# Characters the XLSX format cannot hold (C0 controls other than tab, newline and CR);
# openpyxl refuses the whole file for one of them, so they are dropped from the cell.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Number = int | float | Decimal


def is_numeric_text(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


# Spaces, newlines and other controls some programs skip before reading a cell's first
# character (tab and carriage return are dangerous starts themselves).
_SKIPPED = " " + "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\r")


# Most cells start with none of these and leave after one set lookup.
_SUSPECT_FIRST = frozenset(DANGEROUS_STARTS) | frozenset(_SKIPPED)


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it, never as a formula."""
    if not text or text[0] not in _SUSPECT_FIRST:
        return text
    head = text.lstrip(_SKIPPED)
    if head.startswith(DANGEROUS_STARTS) and not is_numeric_text(head):
        return "'" + text
    return text


def safe_value(value: object) -> str | Number:
    """A number stays a number; everything else becomes neutralised text (None → empty)."""
    if type(value) is str:
        return safe_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return safe_text(value if isinstance(value, str) else str(value))


class SafeCsvWriter:
    """``csv.writer`` whose every cell has passed :func:`safe_value`."""

    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_value(value: object) -> str | Number:
    """:func:`safe_value` with the characters XLSX cannot store removed from text."""
    safe = safe_value(value)
    if isinstance(safe, str):
        # Dropping a control character may bring a dangerous one to the front.
        cleaned = _XLSX_ILLEGAL.sub("", safe)
        return safe_text(cleaned) if cleaned != safe else cleaned
    if isinstance(safe, Decimal):
        return float(safe)
    return safe


def xlsx_row(sheet: Any, values: Iterable[object]) -> list[Any]:
    """Cells for ``sheet.append``: numbers numeric, text typed as a string, never a formula.

    Works for write-only sheets (``WriteOnlyCell``) and ordinary ones alike.
    """
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells
