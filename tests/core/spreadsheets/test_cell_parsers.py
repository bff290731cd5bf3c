"""How the importers read single cells and headers: export wrappers, spreadsheet values,
ragged rows, dates, and which column is which."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.catalogue.product_import import parse_date
from moments_desk.core.spreadsheets.tabular import (
    _cell_text,
    _fit,
    _tidy,
    clean_cell,
    guess_mapping,
    mapping_signature,
    normalise_header,
)
from tests.sentences import in_chinese, said

FAST = settings(max_examples=300, deadline=None, derandomize=True)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('="0012345"', "0012345"),  # Excel keeps leading zeros this way
        ("'13800138000", "13800138000"),  # …or with an apostrophe
        ('  =" 12 "  ', "12"),
        ("'", ""),
        ('=""', ""),  # Excel's empty text
        ('="abc', '="abc'),
        ('abc"', 'abc"'),
        ("=SUM(A1)", "=SUM(A1)"),
        ("it's", "it's"),
        ("  小美  ", "小美"),
        ("", ""),
    ],
)
def test_export_wrappers_are_removed_from_cells(raw: str, clean: str) -> None:
    assert clean_cell(raw) == clean


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("\ufeff商品编码", "商品编码"),
        (" 售 价 ", "售价"),
        ("Price\u3000(元)", "price(元)"),
        ("NAME\t", "name"),
    ],
)
def test_headers_compare_without_spaces_case_or_byte_order_marks(header: str, key: str) -> None:
    assert normalise_header(header) == key


def test_columns_are_found_by_any_alias_once_each() -> None:
    headers = ["货号", " 名称", "售价", "价格", "Stock"]
    aliases = {
        "code": ("编码", "货号"),
        "name": ("name", "名称"),
        "price": ("售价", "价格"),
        "cost": ("价格", "售价"),
        "stock": ("库存", "stock"),
        "notes": ("备注",),
    }
    assert guess_mapping(headers, aliases) == {
        "code": 0,
        "name": 1,
        "price": 2,
        "cost": 3,
        "stock": 4,
    }
    # A column already taken is not given to a second field.
    assert guess_mapping(["售价"], {"price": ("售价",), "cost": ("售价",)}) == {"price": 0}


def test_a_layout_is_remembered_by_its_headers_whatever_their_spacing() -> None:
    assert mapping_signature(["货号", "售价"]) == mapping_signature([" 货号", "售 价"])
    assert mapping_signature(["货号", "售价"]) != mapping_signature(["售价", "货号"])
    assert len(mapping_signature(["a"])) == 16


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (datetime(2026, 11, 24), "2026-11-24"),
        (datetime(2026, 11, 24, 20, 15, 33), "2026-11-24 20:15:33"),
        (datetime(2026, 11, 24, 0, 0, 1), "2026-11-24 00:00:01"),
        (date(2026, 11, 24), "2026-11-24"),
        (129.0, "129"),
        (129.5, "129.5"),
        (13800138000.0, "13800138000"),
        (0.0, "0"),
        (42, "42"),
        (True, "True"),
        ("小美", "小美"),
    ],
)
def test_spreadsheet_values_read_as_a_seller_typed_them(value: object, text: str) -> None:
    assert _cell_text(value) == text


@pytest.mark.parametrize(
    ("row", "width", "fitted"),
    [
        (["a", "b", "c"], 2, ["a", "b"]),
        (["a"], 3, ["a", "", ""]),
        (["a", "b"], 2, ["a", "b"]),
        ([], 1, [""]),
        (["a"], 0, []),
    ],
)
def test_ragged_rows_are_cut_or_padded_to_the_header(
    row: list[str], width: int, fitted: list[str]
) -> None:
    assert _fit(row, width) == fitted


@pytest.mark.parametrize(
    ("cells", "tidy"),
    [
        (["a", "b"], True),
        (["a b", "c"], True),
        ([" a", "b"], False),
        (["a", "b "], False),
        (["a ", "b"], False),
        (["a", " b"], False),
        (["a\tb"], False),
        (["a\u3000"], False),
        ([""], True),
        ([" "], False),
    ],
)
def test_a_file_is_tidy_when_no_cell_has_spaces_at_its_edges(cells: list[str], tidy: bool) -> None:
    assert _tidy(cells, "".join(cells)) is tidy


@FAST
@given(st.lists(st.text(alphabet=st.sampled_from("a 好\t\u3000"), max_size=4), max_size=5))
def test_tidy_means_every_cell_is_printable_and_trimmed(cells: list[str]) -> None:
    expected = all(c.isprintable() and c == c.strip() for c in cells)
    assert _tidy(cells, "".join(cells)) is expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026.01.05", date(2026, 1, 5)),
        ("2026年11月24日", date(2026, 11, 24)),
        (" 2026 - 11 - 24 ", date(2026, 11, 24)),
        ("2026-11-24 20:15:33", date(2026, 11, 24)),  # a spreadsheet's date and time
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_arrival_dates_as_sellers_write_them(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("2026-02-29", "2026-02-29 does not exist", "2026-02-29 这个日期不存在"),
        ("2026-13-01", "2026-13-01 does not exist", None),
        ("2026-11-00", "2026-11-00 does not exist", None),
        ("24/11/2026", "24/11/2026 is not a date; write 2026-11-24", None),
        ("2026-11-24x", "2026-11-24x is not a date; write 2026-11-24", None),
        ("下周二", "下周二 is not a date; write 2026-11-24", "下周二 不是日期；请写成 2026-11-24"),
    ],
)
def test_dates_that_cannot_be_are_refused(text: str, english: str, chinese: str | None) -> None:
    with pytest.raises(ValueError) as refused:
        parse_date(text)
    assert said(refused.value) == english
    if chinese is not None:
        assert in_chinese(refused.value) == chinese
