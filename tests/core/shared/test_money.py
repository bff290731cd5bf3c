from __future__ import annotations

from decimal import Decimal

import pytest

from moments_desk.core.shared.money import PriceError, format_price, parse_price


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
