"""Birthdays as Chinese customers keep them: Gregorian or lunar (农历), often without a year."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

#: Days in each month of a leap year (an import checks thousands of dates).
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class BirthdayError(ValueError):
    """A birthday that cannot exist; the message says why."""


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None
    lunar: bool = False
    leap_month: bool = False  # 闰月: only meaningful for lunar birthdays

    def validate(self) -> Birthday:
        if not 1 <= self.month <= 12:
            raise BirthdayError(
                QT_TRANSLATE_NOOP("Birthdays", "month {month} does not exist").format(
                    month=self.month
                )
            )
        if self.year is not None and not 1900 <= self.year <= 2100:
            raise BirthdayError(
                QT_TRANSLATE_NOOP("Birthdays", "year {year} is out of range").format(year=self.year)
            )
        if self.lunar:
            if not 1 <= self.day <= 30:
                raise BirthdayError(
                    QT_TRANSLATE_NOOP("Birthdays", "lunar day {day} does not exist").format(
                        day=self.day
                    )
                )
            if self.year is not None:
                _check_lunar_date(self.year, self.month, self.day, self.leap_month)
        else:
            if self.leap_month:
                raise BirthdayError(
                    QT_TRANSLATE_NOOP("Birthdays", "only lunar birthdays have leap months")
                )
            # Without a year, 29 February is allowed: it is someone's real birthday.
            last = _MONTH_DAYS[self.month]
            if self.month == 2 and self.year is not None and not calendar.isleap(self.year):
                last = 28
            if not 1 <= self.day <= last:
                raise BirthdayError(
                    QT_TRANSLATE_NOOP("Birthdays", "{month}/{day} does not exist").format(
                        month=self.month, day=self.day
                    )
                )
        return self

    def next_occurrence(self, today: date) -> date:
        """The next solar date (today included) on which this birthday falls."""
        # Last year's lunar season can reach into this January; next year's is always ahead.
        for year in (today.year - 1, today.year):
            when = self.solar_in(year)
            if when is not None and when >= today:
                return when
        when = self.solar_in(today.year + 1)
        assert when is not None
        return when

    def solar_in(self, year: int) -> date | None:
        """The Gregorian date this birthday is celebrated on in (solar) ``year``'s season.

        For lunar birthdays ``year`` is the lunar year; the result may fall in January of
        the next solar year. Customs: a lunar day 30 in a 29-day month is kept on the 29th,
        and a leap-month birthday in a year without that leap month is kept in the regular
        month.
        """
        if not self.lunar:
            if self.month == 2 and self.day == 29 and not calendar.isleap(year):
                return date(year, 2, 28)
            return date(year, self.month, self.day)
        return lunar_to_solar(year, self.month, self.day, self.leap_month)


def _check_lunar_date(year: int, month: int, day: int, leap: bool) -> None:
    from lunar_python import LunarMonth, LunarYear

    if leap and LunarYear.fromYear(year).getLeapMonth() != month:
        raise BirthdayError(
            QT_TRANSLATE_NOOP("Birthdays", "lunar year {year} has no leap month {month}").format(
                year=year, month=month
            )
        )
    days = LunarMonth.fromYm(year, -month if leap else month).getDayCount()
    if day > days:
        raise BirthdayError(
            QT_TRANSLATE_NOOP(
                "Birthdays", "lunar {year} month {month} has only {days} days"
            ).format(year=year, month=month, days=days)
        )


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    from lunar_python import Lunar, LunarMonth, LunarYear

    if leap and LunarYear.fromYear(year).getLeapMonth() != month:
        leap = False
    lunar_month = -month if leap else month
    day = min(day, LunarMonth.fromYm(year, lunar_month).getDayCount())
    solar = Lunar.fromYmd(year, lunar_month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def birthdays_between(
    start: date, end: date
) -> tuple[set[tuple[int, int]], set[tuple[int, int, bool]]]:
    """Which (month, day) solar and (month, day, leap) lunar birthdays fall in [start, end).

    Returned as sets so a query can match customers with a plain IN over a few hundred
    pairs instead of converting 50,000 birthdays one by one.
    """
    solar: set[tuple[int, int]] = set()
    lunar: set[tuple[int, int, bool]] = set()
    from lunar_python import Solar

    day = start
    while day < end:
        solar.add((day.month, day.day))
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            solar.add((2, 29))
        moon = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        month = moon.getMonth()
        lunar.add((abs(month), moon.getDay(), month < 0))
        # A short month's 30th is celebrated on its last day; leap-month birthdays in a year
        # without that leap fall on the regular month (see Birthday.solar_in).
        next_moon = Solar.fromYmd(*_ymd(day + timedelta(days=1))).getLunar()
        if next_moon.getDay() == 1 and moon.getDay() == 29:
            lunar.add((abs(month), 30, month < 0))
        if month > 0:
            from lunar_python import LunarYear

            if LunarYear.fromYear(moon.getYear()).getLeapMonth() != month:
                lunar.add((month, moon.getDay(), True))
                if next_moon.getDay() == 1 and moon.getDay() == 29:
                    lunar.add((month, 30, True))
        day += timedelta(days=1)
    return solar, lunar


def _ymd(day: date) -> tuple[int, int, int]:
    return day.year, day.month, day.day


_SPACES = re.compile(r"\s+")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MONTHS = {"正": 1, "冬": 11, "腊": 12, "臘": 12}
_SOLAR = re.compile(
    r"^(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$"
)
_LUNAR = re.compile(
    r"^(?:(?P<y>\d{4})\s*[-/.年]?\s*)?(?P<leap>闰)?\s*(?P<m>\d{1,2}|[正冬腊臘]|十[一二]?|[一二三四五六七八九])"
    r"\s*[-/.月]\s*(?P<d>\d{1,2}|初[一二三四五六七八九十]|[十廿卄][一二三四五六七八九]?|二十[一二三四五六七八九]?|三十)"
    r"\s*[日号]?$"
)
_LUNAR_MARK = re.compile(
    r"^[（(]?(?:农历|阴历|農曆|陰曆|旧历)[）)]?|[（(](?:农历|阴历|農曆|陰曆)[）)]$"
)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _CN_MONTHS:
        return _CN_MONTHS[text]
    text = text.removeprefix("初")
    if text == "三十":
        return 30
    for prefix, tens in (("二十", 20), ("廿", 20), ("卄", 20), ("十", 10)):
        if text.startswith(prefix):
            units = text[len(prefix) :]
            # 二十 and 廿 alone are the 20th (a KeyError before).
            return tens + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


@lru_cache(maxsize=1)
def _leap_months_ever() -> frozenset[int]:
    """Months that are a leap month in some lunar year 1900–2100 (never 1 or 12)."""
    from lunar_python import LunarYear

    return frozenset(LunarYear.fromYear(y).getLeapMonth() for y in range(1900, 2101)) - {0}


def parse_birthday(text: str) -> Birthday | None:
    """'1990-03-05', '3月5日', '农历三月初五', '农历1988年闰四月十二', '03/05 (阴历)'.

    Empty text is no birthday; anything else that is not a real date raises BirthdayError.
    """
    if (
        len(text) == 10
        and text[4] == text[7] == "-"
        and text.isascii()
        and (digits := text[:4] + text[5:7] + text[8:]).isdigit()
    ):  # 1990-03-05, as spreadsheets write dates: no regular expressions (imports at 50k)
        return Birthday(int(digits[4:6]), int(digits[6:]), int(digits[:4])).validate()
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return None
    lunar_text = _LUNAR_MARK.sub("", text).strip()
    lunar = lunar_text != text
    if not lunar:
        solar = _SOLAR.match(text)
        if solar is None:
            raise BirthdayError(
                QT_TRANSLATE_NOOP(
                    "Birthdays", "{text} is not a date; write 1990-03-05, 3月5日 or 农历三月初五"
                ).format(text=text)
            )
        year = int(solar["y"]) if solar["y"] else None
        return Birthday(int(solar["m"]), int(solar["d"]), year).validate()
    match = _LUNAR.match(lunar_text)
    if match is None:
        raise BirthdayError(
            QT_TRANSLATE_NOOP(
                "Birthdays", "{text} is not a lunar date; write 农历三月初五 or 农历1990年3月5日"
            ).format(text=text)
        )
    year = int(match["y"]) if match["y"] else None
    month, day, leap = _cn_number(match["m"]), _cn_number(match["d"]), bool(match["leap"])
    if leap and year is None and month not in _leap_months_ever():
        raise BirthdayError(
            QT_TRANSLATE_NOOP(
                "Birthdays", "there is no leap month {month} in the lunar calendar"
            ).format(month=month)
        )
    return Birthday(month, day, year, lunar=True, leap_month=leap).validate()
