"""Reading one cell of a customer file: birthdays (lunar too), addresses, cleaned text,
length limits. Pure functions, no database."""

from __future__ import annotations

import pytest

from moments_desk.core.customers.addresses import parse_address
from moments_desk.core.customers.birthdays import Birthday, BirthdayError, parse_birthday
from moments_desk.core.customers.customer_import_plan import parse_customer_row
from moments_desk.core.spreadsheets.importing import RowError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-03-05", Birthday(3, 5, 1990)),
        ("1990年3月5日", Birthday(3, 5, 1990)),
        ("3月5日", Birthday(3, 5)),
        ("03/05", Birthday(3, 5)),
        ("2月29日", Birthday(2, 29)),
        ("农历三月初五", Birthday(3, 5, lunar=True)),
        ("农历正月十五", Birthday(1, 15, lunar=True)),
        ("阴历腊月廿三", Birthday(12, 23, lunar=True)),
        ("农历十一月三十", Birthday(11, 30, lunar=True)),
        ("农历1990年3月5日", Birthday(3, 5, 1990, lunar=True)),
        ("农历2023年闰二月初一", Birthday(2, 1, 2023, lunar=True, leap_month=True)),
        ("农历闰四月十二", Birthday(4, 12, lunar=True, leap_month=True)),
        ("03-05（农历）", Birthday(3, 5, lunar=True)),
        ("", None),
    ],
)
def test_birthday_text(text: str, expected: Birthday | None) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2月30日",
        "2023-02-29",
        "4月31日",
        "13月1日",
        "农历闰正月初一",
        "农历2023年闰三月初一",
        "农历1993年12月30日",
        "农历三十二月",
        "生日",
        "19900305",
        "1990-13-01",
        "1990-04-31",
        "1899-03-05",
        "1990-00-10",
        "1990-03-00",
    ],
)
def test_impossible_birthdays(text: str) -> None:
    with pytest.raises(BirthdayError):
        parse_birthday(text)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "浙江省 杭州市 西湖区 文三路 1 号(310012)",
            ("浙江省", "杭州市", "西湖区", "文三路 1 号", "310012"),
        ),
        (
            "上海 上海市 浦东新区 世纪大道100号（200120）",
            ("上海", "上海市", "浦东新区", "世纪大道100号", "200120"),
        ),
        ("广东省深圳市南山区科技园1栋", ("广东省", "深圳市", "南山区", "科技园1栋", "")),
        ("北京 北京市 朝阳区 建国路 1 号(000000)", ("北京", "北京市", "朝阳区", "建国路 1 号", "")),
        ("小区门口", ("", "", "", "小区门口", "")),
    ],
)
def test_addresses_split_into_parts(text: str, parts: tuple[str, ...]) -> None:
    a = parse_address(text)
    assert (a.province, a.city, a.district, a.detail, a.postcode) == parts


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("小美", "小美"),
        (" 小美\u3000", "小美"),
        ("小\u200b美", "小美"),
        ("\tmei ", "mei"),
        ("🌸小美🌸", "🌸小美🌸"),
    ],
)
def test_cells_are_cleaned_unless_already_clean(cell: str, stored: str) -> None:
    errors: list[RowError] = []
    planned = parse_customer_row(2, {"nickname": cell, "city": cell}, errors)
    assert not errors and planned is not None
    assert planned.values["nickname"] == planned.values["city"] == stored


def test_a_cell_over_its_limit_is_refused_not_cut() -> None:
    errors: list[RowError] = []
    assert parse_customer_row(2, {"wechat_id": "w" * 61, "nickname": "小美"}, errors) is None
    assert [str(e) for e in errors] == ["row 2: wechat_id: is 61 characters long; at most 60"]
