"""Row errors from the Qt-free importers, shown in the interface language.

core/ writes its messages in English (it cannot use Qt's translator); the messages a seller
meets most often in an import preview are recognised here and translated. Anything not
recognised is shown as it is, so a reworded core message degrades to English, never to
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rules() -> list[_Rule]:
    return [
        (
            re.compile(r"^(?P<raw>.+) has (?P<n>\d+) digits; a mobile number has 11$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} has {n} digits; a mobile number has 11"
            ).format(raw=m["raw"], n=m["n"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a phone number$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a phone number"
            ).format(raw=m["raw"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a mainland mobile number$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a mainland mobile number"
            ).format(raw=m["raw"]),
        ),
        (
            re.compile(r"^(?P<m>\d+)/(?P<d>\d+) does not exist$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{month}/{day} does not exist"
            ).format(month=m["m"], day=m["d"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a date; write .*$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a date; write 1990-03-05, 3月5日 or 农历三月初五"
            ).format(raw=m["raw"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a lunar date; write .*$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a lunar date; write 农历三月初五"
            ).format(raw=m["raw"]),
        ),
        (
            re.compile(r"^there is no leap month (?P<m>\d+) .*$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "the lunar calendar has no leap month {month}"
            ).format(month=m["m"]),
        ),
        (
            re.compile(r"^lunar year (?P<y>\d+) has no leap month (?P<m>\d+)$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "lunar year {year} has no leap month {month}"
            ).format(year=m["y"], month=m["m"]),
        ),
        (
            re.compile(r"^lunar (?P<y>\d+) month (?P<m>\d+) has only (?P<d>\d+) days$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "month {month} of lunar year {year} has only {days} days"
            ).format(year=m["y"], month=m["m"], days=m["d"]),
        ),
        (
            re.compile(r"^(?P<what>.+) is also in row (?P<row>\d+)$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{what} is also in row {row}"
            ).format(what=m["what"], row=m["row"]),
        ),
        (
            re.compile(r"^(?P<who>.+) is already a customer of this account$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{who} is already a customer of this account"
            ).format(who=m["who"]),
        ),
        (
            re.compile(r"^needs a WeChat ID, a nickname or a remark name$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "needs a WeChat ID, a nickname or a remark name"
            ),
        ),
        (
            re.compile(r"^is (?P<n>\d+) characters long; at most (?P<limit>\d+)$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "is {n} characters long; at most {limit}"
            ).format(n=m["n"], limit=m["limit"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not one of (?P<words>.+)$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not one of {words}"
            ).format(raw=m["raw"], words=m["words"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a Taobao status$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a Taobao order status"
            ).format(raw=m["raw"]),
        ),
        (
            re.compile(r"^(?P<raw>.+) is not a time; expected .*$"),
            lambda m: QCoreApplication.translate(
                "ImportMessages", "{raw} is not a time; expected 2026-10-03 20:15:33"
            ).format(raw=m["raw"]),
        ),
    ]


_cached: list[_Rule] = []


def translate_message(message: str) -> str:
    """The message in the interface language when it is a known one; else unchanged."""
    if not _cached:
        _cached.extend(_rules())
    for pattern, render in _cached:
        match = pattern.match(message)
        if match:
            return render(match)
    return message
