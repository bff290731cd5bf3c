"""Report tables written to CSV and XLSX keep their numbers."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.reports import bundles
from moments_desk.core.reports.export import ExportError, write_csv, write_xlsx
from moments_desk.core.reports.period import ReportFilter
from moments_desk.core.reports.summary import weekly_summary
from tests.core.reports.shop import NOW, SHANGHAI, build_post_shop

pytestmark = pytest.mark.db


@pytest.fixture
def report(session_factory: sessionmaker[Session]) -> bundles.PostReport:
    with session_factory.begin() as s:
        build_post_shop(s)
    with session_factory() as s:
        return bundles.load_post_report(
            s, ReportFilter(date(2026, 11, 10), date(2026, 11, 22), SHANGHAI), NOW
        )


def test_csv_has_the_posts_figures(report: bundles.PostReport, tmp_path: Path) -> None:
    table = bundles.posts_table(report)
    path = tmp_path / "posts.csv"
    write_csv(table, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Posted", "Kind", "Text", "Likes"]
    newest_first = rows[1:]
    # p3 (Wed 00:10 local), p2, p1: revenue in yuan, conversions as percentages.
    assert newest_first[0][0] == "2026-11-18 00:10"
    assert newest_first[2][3:] == ["3", "1", "1", "2", "300.00", "6", "33.3%", "40.0%"]


def test_xlsx_keeps_numbers_as_numbers(report: bundles.PostReport, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    posts = bundles.posts_table(report)
    kinds = bundles.groups_table("kinds", "By kind", report.kinds)
    write_xlsx([(posts, None, "帖子"), (kinds, None, "类型")], path)
    book = load_workbook(path)
    assert book.sheetnames == ["帖子", "类型"]
    sheet = book["帖子"]
    last = [cell.value for cell in sheet[4]]
    assert last[3:9] == [3, 1, 1, 2, 300.0, 6]
    assert last[9] == pytest.approx(2 / 6)
    assert sheet.cell(4, 10).number_format == "0.0%"
    assert [c.value for c in book["类型"][2]][:4] == ["new_arrival", 1, 2, 300.0]


def test_export_errors_name_the_file(report: bundles.PostReport, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "posts.csv"
    with pytest.raises(ExportError, match=r"posts\.csv"):
        write_csv(bundles.posts_table(report), missing)


def test_weekly_summary_compares_with_the_week_before(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        build_post_shop(s)
    with session_factory() as s:
        summary = weekly_summary(s, NOW, SHANGHAI)
    # Last 7 days: 16–22 Nov: all three posts, the three counted orders (created 20 Nov).
    assert (summary.filter.start, summary.filter.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert len(summary.posts.rows) == 3 and summary.sales_posts == 2
    assert (summary.orders, summary.revenue_fen) == (3, 35_000)
    assert (summary.orders_before, summary.revenue_before_fen) == (0, 0)
    assert summary.new_customers == 0
    assert Decimal(summary.revenue_fen) / 100 == Decimal("350")
