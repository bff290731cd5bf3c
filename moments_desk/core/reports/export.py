"""Writing a report table to CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from moments_desk.core.reports.table import ReportTable, format_cell
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.spreadsheets.safe_cells import SafeCsvWriter, xlsx_row


class ExportError(Exception):
    """The file could not be written; ``str()`` names the file."""


def _headers(table: ReportTable, headers: Sequence[str] | None) -> list[str]:
    names = list(headers) if headers is not None else [c.title for c in table.columns]
    if len(names) != len(table.columns):
        raise ValueError(f"{len(names)} headers for {len(table.columns)} columns")
    return names


def write_csv(table: ReportTable, path: Path, headers: Sequence[str] | None = None) -> None:
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as fp:
            writer = SafeCsvWriter(fp)
            writer.writerow(_headers(table, headers))
            for row in table.rows:
                writer.writerow(
                    format_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)
                )
    except OSError as error:
        raise ExportError(
            QT_TRANSLATE_NOOP("ReportsExport", "{path}: {value}").format(
                path=path, value=error.strerror or error
            )
        ) from error


def write_xlsx(tables: Sequence[tuple[ReportTable, Sequence[str] | None, str]], path: Path) -> None:
    """One sheet per (table, headers, sheet title); numbers stay numbers with formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table, headers, title in tables:
        name = (title or table.name)[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, " ")
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(xlsx_row(sheet, _headers(table, headers)))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        formats = {"money": "#,##0.00", "percent": "0.0%", "float": "0.00"}
        for row in table.rows:
            cells = xlsx_row(sheet, row)
            # The cells just made, not sheet[sheet.max_row]: max_row scans every cell so far.
            for cell, column in zip(cells, table.columns, strict=True):
                if column.kind in formats:
                    cell.number_format = formats[column.kind]
            sheet.append(cells)
        for index, column in enumerate(table.columns, 1):
            width = 28 if column.kind == "text" else 12
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    try:
        book.save(path)
    except OSError as error:
        raise ExportError(
            QT_TRANSLATE_NOOP("ReportsExport", "{path}: {value}").format(
                path=path, value=error.strerror or error
            )
        ) from error
