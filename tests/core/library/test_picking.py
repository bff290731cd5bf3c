"""Choosing 素材库 entries: holidays on their day, the seller's own entries first, no
repeat within the window, and a 待写 draft (not a rule violation) when nothing fits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from moments_desk.core.library.picking import LibraryItem, LibraryPicker
from moments_desk.core.library.starters import STARTERS
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.autodraft import propose_drafts
from moments_desk.core.planning.cadence import SlotSpec, occurrences
from moments_desk.core.planning.rules import PlanItem, check_plan
from moments_desk.db.models import PostKind, PostStatus

ZONE = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, tzinfo=UTC)  # Monday


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), ZONE)


def test_a_holiday_goes_out_on_its_day_and_own_entries_come_first() -> None:
    own = [LibraryItem("entry:1", "life", "我自己写的一段话，关于今天的店", entry_id=1)]
    picker = LibraryPicker(own, timedelta(weeks=4), {})
    winter_solstice = date(2026, 12, 21)
    picked = picker.pick(1, at(winter_solstice), winter_solstice)
    assert picked is not None and "冬至" in picked.text
    monday = date(2026, 11, 23)
    first = picker.pick(1, at(monday), monday)
    assert first is not None and first.entry_id == 1
    again = picker.pick(1, at(monday + timedelta(days=1)), monday + timedelta(days=1))
    assert again is not None and again.entry_id is None  # not the same entry twice


def test_no_entry_repeats_on_an_account_within_the_window() -> None:
    picker = LibraryPicker([], timedelta(weeks=4), {})
    days = [date(2026, 11, 23) + timedelta(days=n) for n in range(28)]
    texts = [picker.pick(1, at(d), d) for d in days]
    assert all(t is not None for t in texts)
    assert len({t.text for t in texts if t}) == 28
    # Another account has its own friends: it may use the same entries.
    assert picker.pick(2, at(days[0]), days[0]) is not None


def test_when_nothing_fits_the_slot_becomes_a_to_write_draft_without_violations() -> None:
    spec = SlotSpec(1, None, time(12), PostKind.LIFESTYLE, "生活分享")
    planned = occurrences([(1, spec)], START, START + timedelta(weeks=1), ZONE)
    empty_library = LibraryPicker([], timedelta(weeks=4), {}, with_starters=False)
    proposals, empty, _ = propose_drafts(
        planned, {1: spec}, [], [], {}, ZONE, library=empty_library
    )
    assert len(proposals) == 7 and empty == []
    assert all(copy_bank.is_to_write(p.text) for p in proposals)
    assert all(p.text.count("\n") == 3 for p in proposals)  # three suggestions
    items = [
        PlanItem(n, p.kind, p.at, (1,), PostStatus.DRAFT, (), 0, p.text)
        for n, p in enumerate(proposals)
    ]
    assert check_plan(items, {}, ZONE) == []


def test_starters_have_unique_keys_and_every_season() -> None:
    assert len({s.key for s in STARTERS}) == len(STARTERS)
    assert {s.season for s in STARTERS} >= {"spring", "summer", "autumn", "winter", ""}
