from __future__ import annotations

from decimal import Decimal

import pytest

from moments_desk.core.shared.money import PriceError, format_price, parse_price
from tests.sentences import in_chinese, said


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("129", "129.00"),
        ("129.9", "129.90"),
        ("¥12.5", "12.50"),
        ("￥1,299.00", "1299.00"),
        ("129元", "129.00"),
        (" 88 ", "88.00"),
        (0.1, "0.10"),
        (59, "59.00"),
        ("RMB 35", "35.00"),
    ],
)
def test_prices_sellers_write_are_read_exactly(raw: object, expected: str) -> None:
    assert parse_price(raw) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("12,5", "ambiguous"),
        ("abc", "not a price"),
        ("-5", "negative"),
        ("1.2.3", "not a price"),
        ("12.345", "two decimals"),
        ("", "empty"),
        ("NaN", "not a price"),
        ("1e12", "too large"),
    ],
)
def test_unreadable_prices_say_why(raw: str, reason: str) -> None:
    with pytest.raises(PriceError, match=reason):
        parse_price(raw)


def test_empty_is_allowed_where_optional() -> None:
    assert parse_price("  ", allow_empty=True) is None


def test_prices_are_shown_as_sellers_write_them() -> None:
    assert format_price(Decimal("129.00")) == "¥129"
    assert format_price(Decimal("129.90")) == "¥129.90"
    assert format_price(Decimal("1299")) == "¥1,299"
    assert format_price(None) == ""


# -- every sentence, both sides of every limit -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "english", "chinese"),
    [
        ("", "price is empty", "价格为空"),
        (None, "price is empty", "价格为空"),
        (True, "True is not a price", "True 不是价格"),
        ("12,5", None, "12,5 有歧义：小数请写成 12.5，千位分隔请写成 1,299"),
        ("abc", "abc is not a price", "abc 不是价格"),
        ("Infinity", "Infinity is not a price", "Infinity 不是价格"),
        ("-0.01", "-0.01 is negative", None),
        ("100000000", "100000000 is too large", None),
        ("1.005", "1.005 has more than two decimals", None),
    ],
)
def test_each_refusal_names_the_price_in_english_and_chinese(
    raw: object, english: str | None, chinese: str | None
) -> None:
    with pytest.raises(PriceError) as refused:
        parse_price(raw)  # type: ignore[arg-type]
    if english is not None:
        assert said(refused.value) == english
    if chinese is not None:
        assert in_chinese(refused.value) == chinese
    in_chinese(refused.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", "0.00"),  # a gift: free is a price
        ("0.01", "0.01"),
        ("99999999.99", "99999999.99"),
        ("1.10", "1.10"),
        ("1.000", "1.00"),  # trailing zeros are not more decimals
        ("１２９", "129.00"),  # full-width digits typed on a Chinese keyboard
        ("129\u3000元", "129.00"),
        ("1\u3000299", "1299.00"),  # an ideographic space typed inside the number
        ("1 299", "1299.00"),
        ("1，299．50", "1299.50"),
        ("RMB¥129", "129.00"),  # two marks, two passes
        ("¥¥¥5", "5.00"),
        ("cny 8", "8.00"),
        ("12,345,678.5", "12345678.50"),
        (Decimal("7.5"), "7.50"),
        (2.5, "2.50"),
    ],
)
def test_prices_on_both_sides_of_the_limits(raw: object, expected: str) -> None:
    assert str(parse_price(raw)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["1,2345", "12,34", ",999", "1,299,", "1,2.5"])
def test_commas_that_are_not_thousands_are_refused(raw: str) -> None:
    with pytest.raises(PriceError, match="ambiguous"):
        parse_price(raw)


def test_a_long_string_of_marks_ends() -> None:
    assert parse_price("¥" * 500 + "9" + "元" * 500) == Decimal("9.00")


def test_prices_are_shown_with_grouping_and_cents_only_when_needed() -> None:
    assert format_price(Decimal("0")) == "¥0"
    assert format_price(Decimal("0.5")) == "¥0.50"
    assert format_price(Decimal("1234567.80")) == "¥1,234,567.80"
