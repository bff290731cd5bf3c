"""Checking a friend list's cells a column at a time.

A friend list of 50,000 rows repeats a few genders, stages, tags and birthdays thousands
of times, and nearly every name is already clean. So each column is checked as a whole:
the usual cell passes a cheap test in one comprehension, each distinct word or date is
parsed once, and only the odd cell takes the careful path. Values come out as columns
lined up with the rows, ``None`` where a row leaves a field empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from moments_desk.core.customers.addresses import ParsedAddress, parse_address
from moments_desk.core.customers.birthdays import Birthday, BirthdayError, parse_birthday
from moments_desk.core.customers.customers import CustomerError, clean_phone
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg, message_of
from moments_desk.core.shared.tags import MAX_TAG, split_tags
from moments_desk.core.shared.text import clean_text
from moments_desk.core.spreadsheets.importing import RowError
from moments_desk.db.models import CustomerSource, CustomerStage, Gender, Relationship

GENDER_WORDS = {
    "女": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "男": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "未知": Gender.UNKNOWN,
    "unknown": Gender.UNKNOWN,
}
RELATIONSHIP_WORDS = {
    "客户": Relationship.CUSTOMER,
    "顾客": Relationship.CUSTOMER,
    "customer": Relationship.CUSTOMER,
    "朋友": Relationship.FRIEND,
    "好友": Relationship.FRIEND,
    "friend": Relationship.FRIEND,
    "家人": Relationship.FAMILY,
    "亲戚": Relationship.FAMILY,
    "family": Relationship.FAMILY,
    "同事": Relationship.COLLEAGUE,
    "colleague": Relationship.COLLEAGUE,
}
SOURCE_WORDS = {
    "淘宝": CustomerSource.TAOBAO,
    "taobao": CustomerSource.TAOBAO,
    "线下": CustomerSource.OFFLINE,
    "实体店": CustomerSource.OFFLINE,
    "offline": CustomerSource.OFFLINE,
    "转介绍": CustomerSource.REFERRAL,
    "介绍": CustomerSource.REFERRAL,
    "老带新": CustomerSource.REFERRAL,
    "referral": CustomerSource.REFERRAL,
    "朋友圈": CustomerSource.MOMENTS,
    "moments": CustomerSource.MOMENTS,
    "未知": CustomerSource.UNKNOWN,
    "unknown": CustomerSource.UNKNOWN,
}
STAGE_WORDS = {
    "潜在客户": CustomerStage.PROSPECT,
    "潜在": CustomerStage.PROSPECT,
    "prospect": CustomerStage.PROSPECT,
    "客户": CustomerStage.CUSTOMER,
    "用户": CustomerStage.CUSTOMER,
    "customer": CustomerStage.CUSTOMER,
    "粉丝": CustomerStage.FAN,
    "fan": CustomerStage.FAN,
    "铁粉": CustomerStage.IRON_FAN,
    "iron_fan": CustomerStage.IRON_FAN,
}
WORD_FIELDS: dict[str, dict[str, Any]] = {
    "gender": GENDER_WORDS,
    "relationship": RELATIONSHIP_WORDS,
    "source": SOURCE_WORDS,
    "stage": STAGE_WORDS,
}
#: Column limits of the customer table, checked per cell so nothing is cut silently.
LIMITS = {"wechat_id": 60, "nickname": 100, "remark": 100, "city": 60}
_ADDRESS_LIMITS = {"province": 30, "city": 30, "district": 30, "detail": 300}
#: At least one of these must be filled in: a customer needs something to be recognised by.
IDENTITY = ("wechat_id", "nickname", "remark")

#: Records a problem: (row position, field or None for the whole row, message).
Problem = Callable[[int, str | None, str], None]


@dataclass
class CheckedCells:
    """Each field's values lined up with the rows checked, and each row's problems."""

    count: int
    #: Field → value per row (``None`` where the row leaves it empty). ``birthday`` holds
    #: a Birthday, ``tags`` a tuple of names, ``address`` a ParsedAddress.
    columns: dict[str, list[Any]]
    #: Row position → its problems, in the order of the fields.
    problems: dict[int, list[RowError]]

    def column(self, name: str) -> list[Any]:
        found = self.columns.get(name)
        return found if found is not None else [None] * self.count


def check_customer_cells(
    numbers: Sequence[int], cells: Mapping[str, Sequence[str]], *, tidy: bool = False
) -> CheckedCells:
    """Check the mapped columns (field → the column's cells, one per row numbered
    ``numbers``); a field not in ``cells`` is empty on every row. ``tidy``: every cell is
    known to be printable and without whitespace at either end (``Table.tidy``).

    Fields are checked in a fixed order, so each row lists its problems in that order.
    """
    checked = CheckedCells(len(numbers), {}, {})

    def problem(position: int, field: str | None, message: str) -> None:
        checked.problems.setdefault(position, []).append(
            RowError(numbers[position], field, message)
        )

    for name, limit in LIMITS.items():
        if name in cells:
            checked.columns[name] = _texts(cells[name], name, limit, problem, tidy)
    _identity(checked, problem)
    if "phone" in cells:
        checked.columns["phone"] = _phones(cells["phone"], problem)
    if "birthday" in cells:
        checked.columns["birthday"] = _birthdays(cells["birthday"], problem)
    for name, words in WORD_FIELDS.items():
        if name in cells:
            checked.columns[name] = _words(cells[name], name, words, problem)
    if "notes" in cells:
        checked.columns["notes"] = _filled(cells["notes"])  # kept verbatim
    if "tags" in cells:
        checked.columns["tags"] = _tags(cells["tags"], problem)
    if "address" in cells:
        checked.columns["address"] = _addresses(cells["address"], problem)
    return checked


def _filled(cells: Sequence[str]) -> list[str | None]:
    """The cells with None for the empty ones."""
    return list(map(_EMPTY_IS_NONE.get, cells, cells)) if "" in cells else list(cells)


#: ``get(cell, cell)``: None for an empty cell, else the cell (``map`` runs it at C speed).
_EMPTY_IS_NONE: dict[str, None] = {"": None}


def _texts(
    cells: Sequence[str], name: str, limit: int, problem: Problem, tidy: bool = False
) -> list[str | None]:
    values = _filled(cells)
    if (not cells or max(map(len, cells)) <= limit) if tidy else _all_clean(cells, limit):
        return values
    # The usual cell is already clean: short, no zero-width characters (they are not
    # printable) and no edge whitespace (the only printable one is the ASCII space).
    odd = [
        i
        for i, c in enumerate(cells)
        if c and not (len(c) <= limit and c.isprintable() and c[0] != " " and c[-1] != " ")
    ]
    for i in odd:
        text = clean_text(cells[i], 10 * limit)
        if len(text) > limit:
            problem(
                i,
                name,
                QT_TRANSLATE_NOOP(
                    "CustomerImport", "is {count} characters long; at most {limit}"
                ).format(count=len(text), limit=limit),
            )
            values[i] = None
        else:
            values[i] = text or None
    return values


def _all_clean(cells: Sequence[str], limit: int) -> bool:
    """Whether every cell is clean (see ``_texts``), tested on the whole column at C speed."""
    if not cells or max(map(len, cells)) > limit:
        return not cells
    joined = "".join(cells)
    if not joined.isprintable():
        return False
    if " " not in joined:
        return True
    lines = "\n".join(cells)  # no cell holds a line break: they are not printable
    return not (lines[:1] == " " or lines[-1:] == " " or " \n" in lines or "\n " in lines)


def _identity(checked: CheckedCells, problem: Problem) -> None:
    names = [checked.columns[n] for n in IDENTITY if n in checked.columns]
    if any(None not in column for column in names):  # one of them is filled on every row
        return
    if not names:
        nameless = list(range(checked.count))
    elif len(names) == 1:
        nameless = [i for i, v in enumerate(names[0]) if v is None]
    else:
        nameless = [i for i, row in enumerate(zip(*names, strict=True)) if not any(row)]
    for i in nameless:
        problem(
            i,
            None,
            QT_TRANSLATE_NOOP("CustomerImport", "needs a WeChat ID, a nickname or a remark name"),
        )


def _phones(cells: Sequence[str], problem: Problem) -> list[str | None]:
    values = _filled(cells)
    # The usual column: 11-digit mainland mobiles (each one's first digit is every 11th
    # character of them joined) or empty cells, tested at C speed.
    lengths = set(map(len, cells))
    digits = "".join(cells)
    if lengths == {11} and digits.isdigit() and digits[::11].count("1") == len(cells):
        odd = []
    elif lengths <= {0, 11} and digits.isdigit():
        odd = [i for i, c in enumerate(cells) if c and c[0] != "1"]
    else:
        odd = [
            i
            for i, c in enumerate(cells)
            if c and not (len(c) == 11 and c[0] == "1" and c.isdigit())
        ]
    for i in odd:
        try:
            values[i] = clean_phone(cells[i]) or None
        except CustomerError as error:
            problem(i, "phone", message_of(error))
            values[i] = None
    return values


def _birthdays(cells: Sequence[str], problem: Problem) -> list[Birthday | None]:
    """A friend list repeats a few thousand dates: each distinct cell is parsed once."""
    dates: dict[str, Birthday | None] = {}
    impossible: dict[str, str] = {}
    for cell in set(cells):
        try:
            dates[cell] = parse_birthday(cell) if cell else None
        except BirthdayError as error:
            impossible[cell] = message_of(error)
    values = list(map(dates.get, cells))
    if impossible:
        for i, cell in enumerate(cells):
            if cell in impossible:
                problem(i, "birthday", impossible[cell])
    return values


def _words(cells: Sequence[str], name: str, words: dict[str, Any], problem: Problem) -> list[Any]:
    meaning: dict[str, Any] = {}
    for cell in set(cells):
        text = cell.strip()
        meaning[cell] = words.get(cell) or words.get(text.lower()) if text else None
    values = list(map(meaning.__getitem__, cells))
    unknown = {cell for cell, value in meaning.items() if value is None and cell.strip()}
    if unknown:
        accepted = "、".join(w for w in words if not w.isascii())
        for i, cell in enumerate(cells):
            if cell in unknown:
                problem(
                    i,
                    name,
                    QT_TRANSLATE_NOOP("CustomerImport", "{text} is not one of {accepted}").format(
                        text=cell.strip(), accepted=accepted
                    ),
                )
    return values


def _tags(cells: Sequence[str], problem: Problem) -> list[tuple[str, ...]]:
    split: dict[str, tuple[str, ...]] = {
        cell: tuple(split_tags(clean_text(cell, 10_000))) if cell else () for cell in set(cells)
    }
    values = list(map(split.__getitem__, cells))
    too_long = {cell for cell, tags in split.items() if any(len(t) >= MAX_TAG for t in tags)}
    if too_long:
        for i, cell in enumerate(cells):
            if cell in too_long:
                for tag in split[cell]:
                    if len(tag) >= MAX_TAG:
                        problem(
                            i,
                            "tags",
                            QT_TRANSLATE_NOOP(
                                "CustomerImport", "{tag}… is longer than {limit}"
                            ).format(tag=tag, limit=MAX_TAG - 1),
                        )
                values[i] = ()
    return values


def _address_part(part: str) -> Msg:
    return {
        "province": QT_TRANSLATE_NOOP("CustomerImport", "province"),
        "city": QT_TRANSLATE_NOOP("CustomerImport", "city"),
        "district": QT_TRANSLATE_NOOP("CustomerImport", "district"),
        "detail": QT_TRANSLATE_NOOP("CustomerImport", "detail"),
    }[part]


def _address_error(address: ParsedAddress) -> Msg | None:
    for part, limit in _ADDRESS_LIMITS.items():
        value = getattr(address, part)
        if len(value) > limit:
            return QT_TRANSLATE_NOOP(
                "CustomerImport", "the {part} part is {count} characters long; at most {limit}"
            ).format(part=_address_part(part), count=len(value), limit=limit)
    return None


def _addresses(cells: Sequence[str], problem: Problem) -> list[ParsedAddress | None]:
    values: list[ParsedAddress | None] = []
    for i, cell in enumerate(cells):
        address = None
        if cell and cell.strip():
            address = parse_address(clean_text(cell, 2000))
            error = _address_error(address)
            if error:
                problem(i, "address", error)
                address = None
        values.append(address)
    return values
