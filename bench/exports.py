"""Exports through the formula-safe cell gate, against the same cells written raw.

A 50,000-row customer table (nickname, remark, city, orders, spent, share) goes to CSV and to
XLSX through ``core/reports/export``; the baselines write the identical cells with a bare
``csv.writer`` and a bare openpyxl ``append`` in the same run. One nickname in ten starts
like a formula, so the quoting path is exercised, not only the check.
"""

from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.common import Result, median_ms
from moments_desk.core.reports.export import write_csv, write_xlsx
from moments_desk.core.reports.table import Column, ReportTable, format_cell


def _table(rows: int) -> ReportTable:
    columns = (
        Column("nickname", "昵称", "text"),
        Column("remark", "备注", "text"),
        Column("city", "城市", "text"),
        Column("orders", "订单", "int"),
        Column("spent", "消费", "money"),
        Column("share", "占比", "percent"),
    )
    body = tuple(
        (
            f'=HYPERLINK("http://127.0.0.1/{i}","点我")' if i % 10 == 0 else f"小美{i}🌸",
            f"杭州-曾姐{i}",
            "杭州",
            i % 17,
            Decimal(i % 5000) / 100,
            (i % 100) / 100,
        )
        for i in range(rows)
    )
    return ReportTable("customers", "Customers", columns, body)


def run(rows: int, repeat: int) -> list[Result]:
    from openpyxl import Workbook

    table = _table(rows)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)

        def raw_csv() -> None:
            with (target / "raw.csv").open("w", encoding="utf-8-sig", newline="") as fp:
                writer = csv.writer(fp)
                writer.writerow([c.title for c in table.columns])
                for row in table.rows:
                    writer.writerow(
                        format_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)
                    )

        def raw_xlsx() -> None:
            book = Workbook()
            sheet = book.active
            sheet.append([c.title for c in table.columns])
            for row in table.rows:
                sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
            book.save(target / "raw.xlsx")

        csv_base = median_ms(raw_csv, repeat)
        csv_ms = median_ms(lambda: write_csv(table, target / "safe.csv"), repeat)
        xlsx_repeat = max(1, repeat // 2)
        xlsx_base = median_ms(raw_xlsx, xlsx_repeat)
        xlsx_ms = median_ms(
            lambda: write_xlsx([(table, None, "客户")], target / "s.xlsx"), xlsx_repeat
        )
    return [
        Result(
            f"export {rows:,} report rows to CSV, formula-safe", csv_ms, "raw csv.writer", csv_base
        ),
        Result(
            f"export {rows:,} report rows to XLSX, formula-safe",
            xlsx_ms,
            "raw openpyxl append (live formulas)",
            xlsx_base,
        ),
    ]
