"""A friend list's cells, checked a column at a time, read exactly as each cell alone would
be: every field's limit on both sides, and a property tying the fast column path to the
careful one-cell path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.customers.addresses import ParsedAddress
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customer_cells import (
    LIMITS,
    CheckedCells,
    _address_error,
    check_customer_cells,
)
from moments_desk.db.models import CustomerSource, CustomerStage, Gender, Relationship
from tests.sentences import in_chinese, said

FAST = settings(max_examples=200, deadline=None, derandomize=True)
WIDE = settings(max_examples=5000, deadline=None)


def check(field: str, cells: list[str], **others: list[str]) -> CheckedCells:
    columns = {field: cells, **others}
    if field not in ("wechat_id", "nickname", "remark") and not others:
        columns["nickname"] = ["小美"] * len(cells)
    return check_customer_cells(list(range(2, 2 + len(cells))), columns)


def problems(checked: CheckedCells) -> list[tuple[int, str | None, str]]:
    return [
        (e.row, e.field, said(e.message)) for errors in checked.problems.values() for e in errors
    ]


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(LIMITS))
def test_a_name_at_the_column_limit_fits_one_more_is_refused(field: str) -> None:
    limit = LIMITS[field]
    other = "wechat_id" if field == "nickname" else "nickname"
    checked = check(field, ["好" * limit, "好" * (limit + 1), ""], **{other: ["a", "b", "c"]})
    assert checked.column(field)[0] == "好" * limit
    assert checked.column(field)[1] is None
    assert problems(checked) == [
        (3, field, f"is {limit + 1} characters long; at most {limit}"),
    ]
    in_chinese(checked.problems[1][0].message)


def test_odd_names_are_cleaned_and_kept() -> None:
    cells = [" 小美 ", "Lily\u200b李", "阿  花", "", "   ", "正常"]
    checked = check("remark", cells, nickname=["x"] * 6)
    # Spaces inside a name are the seller's: only the edges and invisible characters go.
    assert checked.column("remark") == ["小美", "Lily李", "阿  花", None, None, "正常"]
    assert checked.problems == {}


def test_a_name_that_is_clean_only_after_cleaning_must_still_fit() -> None:
    # Spaces around a name at the limit are trimmed, so it fits.
    cell = " " + "好" * 60 + " "
    checked = check("wechat_id", [cell, "ok"])
    assert checked.column("wechat_id") == ["好" * 60, "ok"]


def test_tidy_columns_skip_cleaning_but_not_the_limit() -> None:
    checked = check_customer_cells(
        [2, 3], {"city": ["杭州", "好" * 61], "nickname": ["a", "b"]}, tidy=True
    )
    assert checked.column("city") == ["杭州", None]
    assert problems(checked) == [(3, "city", "is 61 characters long; at most 60")]
    tidy_ok = check_customer_cells([2], {"city": ["杭 州"], "nickname": ["a"]}, tidy=True)
    assert tidy_ok.column("city") == ["杭 州"]
    empty = check_customer_cells([], {"city": [], "nickname": []}, tidy=True)
    assert empty.column("city") == [] and empty.problems == {}


@pytest.mark.parametrize(
    ("columns", "nameless"),
    [
        ({}, [2, 3]),
        ({"nickname": ["小美", ""]}, [3]),
        ({"wechat_id": ["", ""], "remark": ["", "张姐"]}, [2]),
        ({"wechat_id": ["wx1", ""], "nickname": ["", "小美"], "remark": ["", ""]}, []),
        ({"wechat_id": ["wx1", "wx2"], "nickname": ["", ""]}, []),
    ],
)
def test_each_row_needs_a_wechat_id_a_nickname_or_a_remark(
    columns: dict[str, list[str]], nameless: list[int]
) -> None:
    checked = check_customer_cells([2, 3], {**columns, "city": ["杭州", "宁波"]})
    assert problems(checked) == [
        (row, None, "needs a WeChat ID, a nickname or a remark name") for row in nameless
    ]


# -- phones, birthdays, words, tags, addresses -------------------------------------------------


def test_phones_usual_and_odd() -> None:
    cells = ["13800138000", "", "138 0013 8000", "+86 139-0000-1111", "23800138000", "12345"]
    checked = check("phone", cells)
    assert checked.column("phone") == [
        "13800138000",
        None,
        "13800138000",
        "13900001111",
        None,
        "12345",  # a landline extension or a short number is the seller's to keep
    ]
    assert [(row, field) for row, field, _ in problems(checked)] == [(6, "phone")]
    assert problems(checked)[0][2] == "23800138000 is not a mainland mobile number"


@pytest.mark.parametrize(
    ("cells", "expected", "refused"),
    [
        (["13800138000", "13900001111"], ["13800138000", "13900001111"], []),
        (["13800138000", ""], ["13800138000", None], []),
        (["23800138000", ""], [None, None], [2]),
        (["13800138000", "23800138000"], ["13800138000", None], [3]),
        (["", ""], [None, None], []),
    ],
)
def test_phone_columns_of_plain_digits(
    cells: list[str], expected: list[str | None], refused: list[int]
) -> None:
    checked = check("phone", cells)
    assert checked.column("phone") == expected
    assert [row for row, _f, _m in problems(checked)] == refused


def test_birthdays_each_distinct_date_read_once_and_refused_where_impossible() -> None:
    cells = ["1990-03-05", "农历三月初五", "", "1990-03-05", "2/30", "2/30"]
    checked = check("birthday", cells)
    assert checked.column("birthday") == [
        Birthday(3, 5, 1990),
        Birthday(3, 5, lunar=True),
        None,
        Birthday(3, 5, 1990),
        None,
        None,
    ]
    assert problems(checked) == [
        (6, "birthday", "2/30 does not exist"),
        (7, "birthday", "2/30 does not exist"),
    ]


@pytest.mark.parametrize(
    ("field", "cell", "value"),
    [
        ("gender", "女", Gender.FEMALE),
        ("gender", "Male", Gender.MALE),
        ("gender", " f ", Gender.FEMALE),
        ("relationship", "亲戚", Relationship.FAMILY),
        ("relationship", "COLLEAGUE", Relationship.COLLEAGUE),
        ("source", "老带新", CustomerSource.REFERRAL),
        ("source", "Taobao", CustomerSource.TAOBAO),
        ("stage", "铁粉", CustomerStage.IRON_FAN),
        ("stage", "潜在", CustomerStage.PROSPECT),
        ("stage", "", None),
        ("stage", "  ", None),
    ],
)
def test_words_a_seller_writes(field: str, cell: str, value: Any) -> None:
    checked = check(field, [cell])
    assert checked.column(field) == [value]
    assert checked.problems == {}


def test_an_unknown_word_lists_the_chinese_words_accepted() -> None:
    checked = check("gender", ["女", "不详", "不详"])
    assert checked.column("gender") == [Gender.FEMALE, None, None]
    assert problems(checked) == [
        (3, "gender", "不详 is not one of 女、男、未知"),
        (4, "gender", "不详 is not one of 女、男、未知"),
    ]


def test_tags_split_and_the_longest_tag_allowed() -> None:
    ok, too_long = "好" * 39, "好" * 40
    checked = check("tags", ["铁粉,爱穿裙子 杭州", "", ok, f"铁粉,{too_long}"])
    assert checked.column("tags") == [("铁粉", "爱穿裙子", "杭州"), (), (ok,), ()]
    assert problems(checked) == [(5, "tags", f"{too_long}… is longer than 39")]


def test_addresses_are_parsed_and_each_part_limited() -> None:
    detail_ok = "文" * 300
    cells = [f"浙江省杭州市西湖区{detail_ok}", f"浙江省杭州市西湖区{detail_ok}路", "", "  "]
    checked = check("address", cells)
    first, second, third, fourth = checked.column("address")
    assert (first.province, first.city, first.district) == ("浙江省", "杭州市", "西湖区")
    assert first.detail == detail_ok
    assert (second, third, fourth) == (None, None, None)
    assert problems(checked) == [
        (3, "address", "the detail part is 301 characters long; at most 300")
    ]
    in_chinese(checked.problems[1][0].message)


def test_notes_are_kept_verbatim_and_missing_fields_are_empty() -> None:
    checked = check("notes", [" 爱穿裙子 ", ""])
    assert checked.column("notes") == [" 爱穿裙子 ", None]
    assert checked.column("phone") == [None, None]


# -- the fast path equals the careful path -----------------------------------------------------

cells = st.one_of(
    st.sampled_from(
        ["", " ", "小美", " 小美", "小美 ", "a b", "Lily\u200b", "好" * 60, "好" * 61, "x" * 100]
    ),
    st.text(alphabet=st.sampled_from("a 好\u200b\u3000\t1"), max_size=8),
)
phones = st.sampled_from(
    [
        "",
        "13800138000",
        "23800138000",
        "21800138000",
        "138001380001",
        "138 0013 8000",
        "1380013800",
        "+8613800138000",
        "abc",
    ]
)


@st.composite
def friend_lists(draw: st.DrawFn) -> dict[str, list[str]]:
    rows = draw(st.integers(0, 6))
    fields = draw(st.sets(st.sampled_from(["wechat_id", "nickname", "remark", "city", "phone"])))
    return {
        f: [draw(phones if f == "phone" else cells) for _ in range(rows)] for f in sorted(fields)
    }


def _one_by_one(columns: dict[str, list[str]], rows: int) -> tuple[dict[str, list[Any]], list[Any]]:
    values: dict[str, list[Any]] = {f: [] for f in columns}
    errors: list[Any] = []
    for i in range(rows):
        alone = check_customer_cells([i + 2], {f: [c[i]] for f, c in columns.items()})
        for f in columns:
            values[f].append(alone.column(f)[0])
        errors += alone.problems.get(0, [])
    return values, errors


@FAST
@given(friend_lists())
def test_a_column_reads_as_each_cell_would_alone(columns: dict[str, list[str]]) -> None:
    _compare(columns)


@pytest.mark.slow
@WIDE
@given(friend_lists())
def test_a_column_reads_as_each_cell_would_alone_wide(columns: dict[str, list[str]]) -> None:
    _compare(columns)


def _compare(columns: dict[str, list[str]]) -> None:
    rows = len(next(iter(columns.values()))) if columns else 0
    checked = check_customer_cells(list(range(2, rows + 2)), columns)
    values, errors = _one_by_one(columns, rows)
    assert {f: checked.column(f) for f in columns} == values
    assert [
        e for position in sorted(checked.problems) for e in checked.problems[position]
    ] == errors


@pytest.mark.parametrize(
    ("part", "limit", "chinese"),
    [
        ("province", 30, "省份"),
        ("city", 30, "城市"),
        ("district", 30, "区县"),
        ("detail", 300, "详细地址"),
    ],
)
def test_each_address_part_has_its_limit_named_in_both_languages(
    part: str, limit: int, chinese: str
) -> None:
    fits = ParsedAddress(**{part: "好" * limit})
    assert _address_error(fits) is None
    error = _address_error(ParsedAddress(**{part: "好" * (limit + 1)}))
    assert said(error) == f"the {part} part is {limit + 1} characters long; at most {limit}"
    assert in_chinese(error) == f"地址中的{chinese}有 {limit + 1} 个字符，最多 {limit} 个"


@pytest.mark.parametrize(
    "column",
    [
        [" 小美", "阿花"],
        ["小美 ", "阿花"],
        ["阿花", " 小美"],
        ["阿花", "小美 "],
        ["a b", " 小美"],
    ],
)
def test_a_space_at_either_edge_of_any_cell_is_trimmed(column: list[str]) -> None:
    checked = check("remark", column, nickname=["x"] * len(column))
    assert [v.strip() for v in column] == checked.column("remark")


@pytest.mark.parametrize(
    ("column", "refused"),
    [
        (["13800138000", "21800138000"], [3]),  # only the first digit makes a mobile
        (["", "21800138000"], [3]),
        (["13800138000", "138001380001"], [3]),  # 12 digits
        (["", "138001380001"], [3]),
        (["1380013800012"], [2]),  # 13 digits
        (["x", "138001380001"], [2, 3]),
        (["x", "21800138000"], [2, 3]),
        (["x", "13800138000"], [2]),
        (["1"], [2]),  # one digit is no phone, though it is a mobile's first
        (["1", "13800138000"], [2]),
    ],
)
def test_a_phone_column_refuses_every_number_that_is_not_a_mobile(
    column: list[str], refused: list[int]
) -> None:
    checked = check("phone", column)
    assert [row for row, _field, _message in problems(checked)] == refused
    assert checked.column("phone")[-1] == (None if 3 in refused or len(column) == 1 else column[-1])


def test_a_tags_cell_is_read_up_to_10000_characters() -> None:
    cell = ",".join(f"标签{i:04d}" for i in range(1500))  # 10,499 characters
    (tags,) = check("tags", [cell]).column("tags")
    assert len(cell) > 10_000
    assert tags[-1] == "标签1428"[: 10_000 - cell.index("标签1428")]
    assert tags[-2] == "标签1427" and len(tags) == 1429
