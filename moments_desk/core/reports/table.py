"""A report's numbers as a plain table: what the "view as table" and every export show."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

ColumnKind = Literal["text", "int", "money", "percent", "float"]
Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = "int"


@dataclass(frozen=True)
class ReportTable:
    """Money cells are yuan ``Decimal``; percent cells are fractions (0.25 = 25 %)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def column(self, key: str) -> list[Cell]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


def yuan(fen_amount: int | None) -> Decimal:
    return (Decimal(fen_amount or 0) / 100).quantize(Decimal("0.01"))


def format_cell(value: Cell, kind: ColumnKind) -> str:
    """Plain text for CSV and the summary (the UI formats with the locale instead)."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind == "float":
        return f"{float(value):.2f}"
    return str(value)
