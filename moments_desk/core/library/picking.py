"""Choosing a library entry for a non-selling slot. Pure: plain data in, a choice out.

Holidays and 节气 go out on their day; otherwise the seller's own entries come before the
built-in starters, kinds take turns (life, tips, a question, behind the scenes …) and nothing
repeats on one account within the no-repeat window. Seasonal entries wait for their season.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from moments_desk.core.library.starters import STARTERS, EntryKind, season_of

#: The default no-repeat window (weeks); the seller changes it in the library page.
DEFAULT_NO_REPEAT_WEEKS = 4


@dataclass(frozen=True)
class LibraryItem:
    key: str  # "entry:<id>" or "starter:<key>"
    kind: str
    text: str
    season: str = ""
    day: tuple[int, int] | None = None
    image_ids: tuple[int, ...] = ()
    entry_id: int | None = None

    def fits(self, day: date) -> bool:
        if self.day is not None:
            return (day.month, day.day) == self.day
        return not self.season or self.season == season_of(day.month)


def starter_items() -> list[LibraryItem]:
    return [
        LibraryItem(f"starter:{s.key}", s.kind.value, s.text, s.season, s.day) for s in STARTERS
    ]


def _interleaved(items: Sequence[LibraryItem]) -> list[LibraryItem]:
    # Kinds take turns, so a week is not seven tips in a row.
    by_kind: dict[str, list[LibraryItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    out: list[LibraryItem] = []
    queues = list(by_kind.values())
    depth = 0
    while any(len(q) > depth for q in queues):
        out += [q[depth] for q in queues if len(q) > depth]
        depth += 1
    return out


class LibraryPicker:
    """Hands out entries per account; remembers what each account already showed."""

    def __init__(
        self,
        own: Iterable[LibraryItem],
        no_repeat: timedelta,
        shown: Mapping[int, Iterable[tuple[datetime, str]]],
        *,
        with_starters: bool = True,
    ) -> None:
        own_items = list(own)
        starters = starter_items() if with_starters else []
        self.dated = [i for i in [*own_items, *starters] if i.day is not None]
        # By (month, day), in the same order: a year of drafts asks for each day many times.
        self._dated_on: dict[tuple[int, int], list[LibraryItem]] = {}
        for item in self.dated:
            if item.day is not None:
                self._dated_on.setdefault(item.day, []).append(item)
        self.order = [
            *_interleaved([i for i in own_items if i.day is None]),
            *_interleaved([i for i in starters if i.day is None]),
        ]
        self.no_repeat = no_repeat
        self.shown: dict[int, dict[str, datetime]] = {}
        for account_id, pairs in shown.items():
            seen = self.shown.setdefault(account_id, {})
            for at, text in pairs:
                key = text.strip()
                if key and (key not in seen or seen[key] < at):
                    seen[key] = at
        self.cursor: dict[int, int] = {}

    def _free(self, account_id: int, item: LibraryItem, at: datetime) -> bool:
        last = self.shown.get(account_id, {}).get(item.text.strip())
        return last is None or abs(at - last) >= self.no_repeat

    def pick(
        self, account_id: int, at: datetime, day: date, kinds: frozenset[str] | None = None
    ) -> LibraryItem | None:
        """The entry for this occurrence, or None when nothing fits (a 待写 draft)."""
        found: LibraryItem | None = None
        for item in self._dated_on.get((day.month, day.day), ()):
            fits = kinds is None or item.kind in kinds
            if fits and self._free(account_id, item, at):
                found = item
                break
        if found is None and self.order:
            start = self.cursor.get(account_id, 0)
            count = len(self.order)
            for step in range(count):
                item = self.order[(start + step) % count]
                if kinds is not None and item.kind not in kinds:
                    continue
                if item.fits(day) and self._free(account_id, item, at):
                    found = item
                    self.cursor[account_id] = (start + step + 1) % count
                    break
        if found is not None:
            self.shown.setdefault(account_id, {})[found.text.strip()] = at
        return found


#: Kinds a feedback (买家秀) slot may use; a lifestyle slot takes every kind.
FEEDBACK_KINDS = frozenset({EntryKind.BUYER_SHOW.value})
