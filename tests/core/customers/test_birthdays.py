from __future__ import annotations

from datetime import date

import pytest

from moments_desk.core.customers.birthdays import (
    Birthday,
    BirthdayError,
    birthdays_between,
    lunar_to_solar,
)


def test_mid_autumn_2026_lunar_to_solar() -> None:
    assert lunar_to_solar(2026, 8, 15) == date(2026, 9, 25)


@pytest.mark.parametrize(
    "birthday",
    [
        Birthday(2, 30),
        Birthday(13, 1),
        Birthday(4, 31),
        Birthday(2, 29, year=2023),
        Birthday(2, 30, year=2026, lunar=True),  # lunar 2026 month 2 has 29 days
        Birthday(5, 1, year=2026, lunar=True, leap_month=True),  # 2026 has no leap month
        Birthday(6, 1, leap_month=True),  # leap months are lunar only
    ],
)
def test_impossible_birthdays_are_refused(birthday: Birthday) -> None:
    with pytest.raises(BirthdayError):
        birthday.validate()


def test_leap_day_without_year_is_allowed_and_kept_on_28th() -> None:
    leap = Birthday(2, 29).validate()
    assert leap.next_occurrence(date(2026, 1, 10)) == date(2026, 2, 28)


def test_lunar_30th_in_a_short_month_is_kept_on_the_29th() -> None:
    birthday = Birthday(2, 30, lunar=True).validate()
    assert birthday.solar_in(2026) == lunar_to_solar(2026, 2, 29)


def test_leap_month_birthday_falls_back_to_the_regular_month() -> None:
    born_in_leap_6th = Birthday(6, 10, lunar=True, leap_month=True).validate()
    assert born_in_leap_6th.solar_in(2025) == date(2025, 8, 3)  # 2025 has 闰六月
    assert born_in_leap_6th.solar_in(2026) == lunar_to_solar(2026, 6, 10)


def test_next_occurrence_rolls_to_next_year() -> None:
    assert Birthday(1, 5).next_occurrence(date(2026, 11, 22)) == date(2027, 1, 5)


def test_week_window_covers_solar_and_lunar_birthdays() -> None:
    solar, lunar = birthdays_between(date(2026, 9, 21), date(2026, 9, 28))
    assert (9, 25) in solar and (9, 20) not in solar
    assert (8, 15, False) in lunar  # 中秋 2026 is 25 September
