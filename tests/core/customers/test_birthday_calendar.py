"""Birthdays as a seller types them and is reminded of them: every Gregorian and lunar day,
both sides of each month's end, leap days, leap months and short lunar months."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import LunarMonth, LunarYear, Solar

from moments_desk.core.customers.birthdays import (
    Birthday,
    BirthdayError,
    birthdays_between,
    lunar_to_solar,
    parse_birthday,
)
from tests.sentences import in_chinese, said

FAST = settings(max_examples=60, deadline=None, derandomize=True)
WIDE = settings(max_examples=3000, deadline=None)
LAST_DAY = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

# -- Gregorian dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("month", range(1, 13))
def test_the_first_and_the_last_day_of_every_month_are_birthdays(month: int) -> None:
    assert Birthday(month, 1).validate() == Birthday(month, 1)
    assert Birthday(month, LAST_DAY[month]).validate().day == LAST_DAY[month]


@pytest.mark.parametrize("month", range(1, 13))
def test_the_day_after_a_months_end_does_not_exist(month: int) -> None:
    with pytest.raises(BirthdayError) as refused:
        Birthday(month, LAST_DAY[month] + 1).validate()
    assert said(refused.value) == f"{month}/{LAST_DAY[month] + 1} does not exist"
    with pytest.raises(BirthdayError, match=f"^{month}/0 does not exist$"):
        Birthday(month, 0).validate()


def test_june_31_is_refused_not_stored_and_crashing_later() -> None:
    with pytest.raises(BirthdayError, match="6/31 does not exist"):
        parse_birthday("6月31日")
    assert in_chinese(refusal(Birthday(6, 31))) == "6月31日不存在"


def refusal(birthday: Birthday) -> BirthdayError:
    with pytest.raises(BirthdayError) as refused:
        birthday.validate()
    return refused.value


@pytest.mark.parametrize(("month", "refused"), [(0, True), (1, False), (12, False), (13, True)])
def test_months_one_to_twelve(month: int, refused: bool) -> None:
    for lunar in (False, True):
        if refused:
            error = refusal(Birthday(month, 1, lunar=lunar))
            assert said(error) == f"month {month} does not exist"
        else:
            assert Birthday(month, 1, lunar=lunar).validate().month == month


@pytest.mark.parametrize(
    ("year", "refused"), [(1899, True), (1900, False), (2100, False), (2101, True)]
)
def test_years_from_1900_to_2100(year: int, refused: bool) -> None:
    if refused:
        error = refusal(Birthday(1, 1, year))
        assert said(error) == f"year {year} is out of range"
    else:
        assert Birthday(1, 1, year).validate().year == year


def test_29_february_needs_a_leap_year_when_the_year_is_known() -> None:
    assert Birthday(2, 29, 2024).validate().day == 29
    assert Birthday(2, 29, 2000).validate().day == 29
    with pytest.raises(BirthdayError, match="2/29 does not exist"):
        Birthday(2, 29, 1900).validate()  # 1900 was not a leap year
    assert Birthday(2, 28, 2023).validate().day == 28


def test_a_leap_month_is_lunar_only() -> None:
    error = refusal(Birthday(6, 1, leap_month=True))
    assert said(error) == "only lunar birthdays have leap months"


def test_29_february_is_celebrated_on_the_28th_in_common_years_only() -> None:
    leap_day = Birthday(2, 29)
    assert leap_day.solar_in(2026) == date(2026, 2, 28)
    assert leap_day.solar_in(2028) == date(2028, 2, 29)
    assert leap_day.next_occurrence(date(2027, 3, 1)) == date(2028, 2, 29)
    assert Birthday(2, 28).solar_in(2028) == date(2028, 2, 28)


def test_next_occurrence_includes_today_and_rolls_over_after_it() -> None:
    birthday = Birthday(11, 25)
    assert birthday.next_occurrence(date(2026, 11, 25)) == date(2026, 11, 25)
    assert birthday.next_occurrence(date(2026, 11, 24)) == date(2026, 11, 25)
    assert birthday.next_occurrence(date(2026, 11, 26)) == date(2027, 11, 25)


def test_a_lunar_birthday_early_in_the_year_can_fall_in_january() -> None:
    # 腊月初八 of lunar 2025 is 2026-01-26: seen from 1 January it is still ahead.
    laba = Birthday(12, 8, lunar=True)
    assert laba.next_occurrence(date(2026, 1, 1)) == date(2026, 1, 26)
    assert laba.next_occurrence(date(2026, 1, 27)) == lunar_to_solar(2026, 12, 8)


# -- lunar dates -------------------------------------------------------------------------------

DAYS = {
    **{f"初{d}": n for n, d in enumerate("一二三四五六七八九十", 1)},
    "十": 10,
    **{f"十{d}": 10 + n for n, d in enumerate("一二三四五六七八九", 1)},
    "二十": 20,
    "廿": 20,
    **{f"二十{d}": 20 + n for n, d in enumerate("一二三四五六七八九", 1)},
    **{f"廿{d}": 20 + n for n, d in enumerate("一二三四五六七八九", 1)},
    **{f"卄{d}": 20 + n for n, d in enumerate("一二三四五六七八九", 1)},
    "三十": 30,
}
MONTHS = {
    "正": 1,
    **{d: n for n, d in enumerate("一二三四五六七八九十", 1)},
    "十一": 11,
    "十二": 12,
    "冬": 11,
    "腊": 12,
    "臘": 12,
}


@pytest.mark.parametrize(("text", "day"), DAYS.items())
def test_every_lunar_day_numeral_parses(text: str, day: int) -> None:
    assert parse_birthday(f"农历三月{text}") == Birthday(3, day, lunar=True)


@pytest.mark.parametrize(("text", "month"), MONTHS.items())
def test_every_lunar_month_name_parses(text: str, month: int) -> None:
    assert parse_birthday(f"农历{text}月初六") == Birthday(month, 6, lunar=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("农历六月初六", Birthday(6, 6, lunar=True)),
        ("阴历腊月二十三", Birthday(12, 23, lunar=True)),
        ("農曆正月十五", Birthday(1, 15, lunar=True)),
        ("(农历)8月15", Birthday(8, 15, lunar=True)),
        ("03/05 (阴历)", Birthday(3, 5, lunar=True)),
        ("农历1988年闰四月十二", None),
        ("农历2023年闰二月初一", Birthday(2, 1, 2023, lunar=True, leap_month=True)),
        ("农历闰六月初十", Birthday(6, 10, lunar=True, leap_month=True)),
        ("1990-03-05", Birthday(3, 5, 1990)),
        ("1990-11-25", Birthday(11, 25, 1990)),
        ("1990/11/25", Birthday(11, 25, 1990)),
        ("1990年3月5日", Birthday(3, 5, 1990)),
        ("3月5号", Birthday(3, 5)),
        ("  3 / 5 ", Birthday(3, 5)),
        ("", None),
        ("   ", None),
    ],
)
def test_birthdays_as_sellers_type_them(text: str, expected: Birthday | None) -> None:
    if text.startswith("农历1988"):
        with pytest.raises(BirthdayError, match="lunar year 1988 has no leap month 4"):
            parse_birthday(text)
        return
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("1990-02-30", "2/30 does not exist"),
        ("三月五日", "三月五日 is not a date; write 1990-03-05, 3月5日 or 农历三月初五"),
        (
            "农历三月初零",
            "农历三月初零 is not a lunar date; write 农历三月初五 or 农历1990年3月5日",
        ),
        ("农历闰正月初一", "there is no leap month 1 in the lunar calendar"),
        ("农历闰腊月初一", "there is no leap month 12 in the lunar calendar"),
        ("农历三月三十一", None),
        ("农历2026年二月三十", "lunar 2026 month 2 has only 29 days"),
    ],
)
def test_dates_that_cannot_be_are_refused_with_a_sentence(text: str, sentence: str | None) -> None:
    with pytest.raises(BirthdayError) as refused:
        parse_birthday(text)
    if sentence is not None:
        assert said(refused.value) == sentence


@pytest.mark.parametrize(("day", "refused"), [(0, True), (1, False), (30, False), (31, True)])
def test_lunar_days_one_to_thirty(day: int, refused: bool) -> None:
    if refused:
        error = refusal(Birthday(5, day, lunar=True))
        assert said(error) == f"lunar day {day} does not exist"
    else:
        assert Birthday(5, day, lunar=True).validate().day == day


def test_a_known_lunar_year_checks_its_leap_month_and_month_length() -> None:
    assert Birthday(6, 30, 2025, lunar=True, leap_month=False).validate().day == 30
    assert Birthday(6, 29, 2025, lunar=True, leap_month=True).validate().leap_month
    error = refusal(Birthday(5, 1, 2026, lunar=True, leap_month=True))
    assert said(error) == "lunar year 2026 has no leap month 5"


def test_a_leap_month_has_its_own_length() -> None:
    # 2025: the regular 6th month has 30 days, the leap one 29; 2017 the other way round.
    error = refusal(Birthday(6, 30, 2025, lunar=True, leap_month=True))
    assert said(error) == "lunar 2025 month 6 has only 29 days"
    assert Birthday(6, 30, 2017, lunar=True, leap_month=True).validate().day == 30
    assert said(refusal(Birthday(6, 30, 2017, lunar=True))) == "lunar 2017 month 6 has only 29 days"


def test_lunar_days_become_the_right_solar_days() -> None:
    assert Birthday(6, 6, lunar=True).solar_in(2026) == date(2026, 7, 19)
    assert Birthday(1, 1, lunar=True).solar_in(2026) == date(2026, 2, 17)
    assert Birthday(12, 30, lunar=True).solar_in(2025) == date(2026, 2, 16)  # 除夕
    # 2025 has a 闰六月: the regular and the leap 6th month are a month apart.
    assert lunar_to_solar(2025, 6, 10) == date(2025, 7, 4)
    assert lunar_to_solar(2025, 6, 10, leap=True) == date(2025, 8, 3)


def _lunar_dates() -> st.SearchStrategy[tuple[int, int, int, bool]]:
    @st.composite
    def build(draw: st.DrawFn) -> tuple[int, int, int, bool]:
        year = draw(st.integers(1901, 2099))
        leap_month = LunarYear.fromYear(year).getLeapMonth()
        month = draw(st.integers(1, 12))
        leap = leap_month == month and draw(st.booleans())
        days = LunarMonth.fromYm(year, -month if leap else month).getDayCount()
        return year, month, draw(st.integers(1, days)), leap

    return build()


def _round_trip(year: int, month: int, day: int, leap: bool) -> None:
    solar = lunar_to_solar(year, month, day, leap)
    back = Solar.fromYmd(solar.year, solar.month, solar.day).getLunar()
    assert (back.getYear(), back.getMonth(), back.getDay()) == (
        year,
        -month if leap else month,
        day,
    )
    Birthday(month, day, year, lunar=True, leap_month=leap).validate()


@FAST
@given(_lunar_dates())
def test_a_lunar_date_round_trips_through_the_solar_calendar(
    when: tuple[int, int, int, bool],
) -> None:
    _round_trip(*when)


@pytest.mark.slow
def test_every_lunar_date_of_1900_to_2100_round_trips() -> None:
    for year in range(1901, 2100):  # 1900 and 2100 are partly outside the Gregorian range
        leap_month = LunarYear.fromYear(year).getLeapMonth()
        for month in range(1, 13):
            for leap in (False, True) if month == leap_month else (False,):
                days = LunarMonth.fromYm(year, -month if leap else month).getDayCount()
                for day in range(1, days + 1):
                    _round_trip(year, month, day, leap)


# -- who is reminded in a window ---------------------------------------------------------------


def test_29_february_people_are_reminded_on_the_28th_in_common_years() -> None:
    solar, _ = birthdays_between(date(2026, 2, 28), date(2026, 3, 1))
    assert solar == {(2, 28), (2, 29)}
    solar, _ = birthdays_between(date(2028, 2, 28), date(2028, 2, 29))
    assert solar == {(2, 28)}
    solar, _ = birthdays_between(date(2028, 2, 29), date(2028, 3, 1))
    assert solar == {(2, 29)}


def test_the_window_includes_its_start_and_excludes_its_end() -> None:
    solar, lunar = birthdays_between(date(2026, 9, 25), date(2026, 9, 26))
    assert solar == {(9, 25)}
    assert (8, 15, False) in lunar
    assert birthdays_between(date(2026, 9, 25), date(2026, 9, 25)) == (set(), set())


def test_a_lunar_30th_is_reminded_on_the_last_day_of_a_29_day_month() -> None:
    # Lunar 2026 month 2 has 29 days; its 29th is 2026-04-16.
    last = lunar_to_solar(2026, 2, 29)
    _, lunar = birthdays_between(last, last + timedelta(days=1))
    assert {(2, 29, False), (2, 30, False)} <= lunar
    # The 29th of a 30-day month is not the 30th's day.
    assert LunarMonth.fromYm(2026, 1).getDayCount() == 30
    day29 = lunar_to_solar(2026, 1, 29)
    _, lunar = birthdays_between(day29, day29 + timedelta(days=1))
    assert (1, 30, False) not in lunar


def test_leap_month_people_are_reminded_in_the_regular_month_of_other_years() -> None:
    # 2026 has no 闰六月: someone born in one celebrates on the regular 6th month's day.
    day = lunar_to_solar(2026, 6, 10)
    _, lunar = birthdays_between(day, day + timedelta(days=1))
    assert lunar == {(6, 10, False), (6, 10, True)}
    # 2025 has one: the regular 6th month is only for those born in the regular month.
    regular = lunar_to_solar(2025, 6, 10)
    _, lunar = birthdays_between(regular, regular + timedelta(days=1))
    assert lunar == {(6, 10, False)}
    leap = lunar_to_solar(2025, 6, 10, leap=True)
    _, lunar = birthdays_between(leap, leap + timedelta(days=1))
    assert lunar == {(6, 10, True)}


def test_a_leap_month_30th_in_a_year_without_it_keeps_a_30_day_months_30th() -> None:
    # 2026 has no 闰六月 and its 6th month has 30 days: the 29th is nobody's 30th.
    day29 = lunar_to_solar(2026, 6, 29)
    _, lunar = birthdays_between(day29, day29 + timedelta(days=1))
    assert lunar == {(6, 29, False), (6, 29, True)}


def test_a_leap_month_30th_in_a_year_without_it_falls_on_the_short_months_end() -> None:
    # Lunar 2026 month 2 has 29 days and there is no 闰二月 in 2026.
    last = lunar_to_solar(2026, 2, 29)
    _, lunar = birthdays_between(last, last + timedelta(days=1))
    assert lunar == {(2, 29, False), (2, 30, False), (2, 29, True), (2, 30, True)}


@st.composite
def birthdays(draw: st.DrawFn) -> Birthday:
    lunar = draw(st.booleans())
    month = draw(st.integers(1, 12))
    if lunar:
        return Birthday(month, draw(st.integers(1, 30)), lunar=True, leap_month=draw(st.booleans()))
    return Birthday(month, draw(st.integers(1, LAST_DAY[month])))


def _reminded(birthday: Birthday, start: date, end: date) -> bool:
    solar, lunar = birthdays_between(start, end)
    if birthday.lunar:
        return (birthday.month, birthday.day, birthday.leap_month) in lunar
    return (birthday.month, birthday.day) in solar


def _falls_in(birthday: Birthday, start: date, end: date) -> bool:
    """Brute force: the day it is celebrated in any season that touches the window."""
    for year in range(start.year - 1, end.year + 1):
        when = birthday.solar_in(year)
        if when is not None and start <= when < end:
            return True
    return False


def _check_window(birthday: Birthday, start: date, days: int) -> None:
    if birthday.lunar and birthday.leap_month and birthday.month in (1, 12):
        return  # no such leap months in 1900–2100: parse_birthday refuses them
    end = start + timedelta(days=days)
    assert _reminded(birthday, start, end) == _falls_in(birthday, start, end)


@FAST
@given(birthdays(), st.dates(date(1950, 1, 1), date(2090, 12, 31)), st.integers(0, 40))
def test_a_birthday_is_reminded_exactly_when_it_falls_in_the_window(
    birthday: Birthday, start: date, days: int
) -> None:
    _check_window(birthday, start, days)


@pytest.mark.slow
@WIDE
@given(birthdays(), st.dates(date(1901, 3, 1), date(2098, 12, 31)), st.integers(0, 60))
def test_a_birthday_is_reminded_exactly_when_it_falls_in_the_window_wide(
    birthday: Birthday, start: date, days: int
) -> None:
    _check_window(birthday, start, days)


def test_leap_days_follow_the_gregorian_rule() -> None:
    assert calendar.isleap(2000) and not calendar.isleap(2100)
    assert Birthday(2, 29, 2096).validate().day == 29
