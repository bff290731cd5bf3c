"""Cadence slots: validation, storage and occurrences across time zones and DST."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from moments_desk.core.planning.cadence import (
    CadenceError,
    SlotSpec,
    check_slot,
    delete_slot,
    list_slots,
    save_slot,
    slot_occurrences,
    validate_slots,
)
from moments_desk.core.planning.rules import RuleSettings
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import PostKind
from tests.core.planning.conftest import PlanningShop
from tests.sentences import error_text

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def slot(weekday: int | None, hour: int, minute: int = 0, **kw: object) -> SlotSpec:
    kind = kw.pop("kind", PostKind.NEW_ARRIVAL)
    return SlotSpec(1, weekday, time(hour, minute), kind, **kw)  # type: ignore[arg-type]


DEFAULT = RuleSettings()


def codes(slots: dict[int, SlotSpec], s: RuleSettings = DEFAULT) -> list[str]:
    return [p.code for p in validate_slots(slots, {1: s})]


def test_the_usual_cadence_is_fine() -> None:
    slots = {
        1: slot(1, 20),
        2: slot(3, 20),
        3: slot(None, 12, kind=PostKind.LIFESTYLE),
        4: slot(0, 21, kind=PostKind.PROMOTION),
    }
    assert codes(slots) == []


def test_two_slots_at_the_same_time_are_refused_by_name() -> None:
    slots = {1: slot(1, 20, label="周二上新"), 2: slot(None, 20, label="每日一荐")}
    (problem,) = validate_slots(slots, {})
    assert problem.code == "slot_same_time" and problem.slot_ids == (1, 2)
    assert "Tue 20:00 周二上新" in problem.message and "daily 20:00 每日一荐" in problem.message
    assert "同一时间" in error_text(problem.code, problem.params, "zh_CN")


def test_slots_closer_than_the_gap() -> None:
    (problem,) = validate_slots({1: slot(1, 20), 2: slot(None, 21)}, {})
    assert problem.code == "slot_too_close"
    assert problem.params["gap_minutes"] == 60 and problem.params["limit_minutes"] == 120


def test_the_gap_wraps_around_midnight_and_the_week() -> None:
    relaxed = RuleSettings(quiet_start=time(3, 0), quiet_end=time(4, 0))
    assert codes({1: slot(6, 23, 30), 2: slot(0, 0, 30)}, relaxed) == ["slot_too_close"]
    assert codes({1: slot(1, 23, 30), 2: slot(3, 0, 30)}, relaxed) == []


def test_a_slot_in_the_quiet_hours() -> None:
    (problem,) = validate_slots({1: slot(None, 23, 30)}, {})
    assert problem.code == "slot_quiet_hours"
    assert problem.params == {"time": "23:30", "start": "23:00", "end": "07:00"}
    assert "免打扰" in error_text(problem.code, problem.params, "zh_CN")


def test_paused_slots_do_not_clash_and_other_accounts_do_not_either() -> None:
    paused = SlotSpec(1, 1, time(20), PostKind.NEW_ARRIVAL, active=False)
    other = SlotSpec(2, 1, time(20), PostKind.NEW_ARRIVAL)
    assert codes({1: slot(1, 20), 2: paused, 3: other}) == []


def test_a_slot_with_an_unknown_placeholder() -> None:
    (problem,) = validate_slots({1: slot(1, 20, template="{nmae} 上新")}, {})
    assert problem.code == "unknown_placeholder" and problem.params["placeholder"] == "{nmae}"


def test_occurrences_keep_the_wall_clock_time_across_dst() -> None:
    spec = slot(1, 20)  # Tuesdays 20:00 in Berlin; summer time ends on Sunday 25 Oct 2026
    found = slot_occurrences(
        spec, datetime(2026, 10, 13, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC), BERLIN
    )
    assert [o.astimezone(BERLIN).strftime("%a %d %H:%M") for o in found] == [
        "Tue 13 20:00",
        "Tue 20 20:00",
        "Tue 27 20:00",
        "Tue 03 20:00",
    ]
    assert [o.hour for o in found] == [18, 18, 19, 19]  # UTC moves, the seller's 20:00 does not


def test_the_repeated_hour_gives_one_occurrence() -> None:
    spec = slot(None, 2, 30, kind=PostKind.LIFESTYLE)  # 02:30 happens twice on 25 Oct
    found = slot_occurrences(
        spec, datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC), BERLIN
    )
    days = [o.astimezone(BERLIN).date().day for o in found]
    assert days == [24, 25, 26]


def test_the_skipped_hour_still_gives_one_occurrence() -> None:
    spec = slot(None, 2, 30, kind=PostKind.LIFESTYLE)  # 02:30 does not exist on 29 Mar
    found = slot_occurrences(
        spec, datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC), BERLIN
    )
    assert [o.astimezone(BERLIN).date().day for o in found] == [28, 29, 30]


def test_daily_slots_in_shanghai() -> None:
    found = slot_occurrences(
        slot(None, 12, kind=PostKind.LIFESTYLE),
        datetime(2026, 11, 23, 5, tzinfo=UTC),  # 13:00 local: today's 12:00 has passed
        datetime(2026, 11, 26, 5, tzinfo=UTC),
        SHANGHAI,
    )
    assert [o.isoformat() for o in found] == [
        "2026-11-24T04:00:00+00:00",
        "2026-11-25T04:00:00+00:00",
        "2026-11-26T04:00:00+00:00",
    ]


@pytest.mark.db
def test_slots_are_stored_checked_and_deleted(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    sessions = shop.sessions
    tue = SlotSpec(shop.main, 1, time(20), PostKind.NEW_ARRIVAL, "周二上新", template="{name}")
    slot_id = write(sessions, lambda s: save_slot(s, None, tue))
    clash = SlotSpec(shop.main, None, time(20, 30), PostKind.LIFESTYLE, "晚安")
    problems = read(sessions, lambda s: check_slot(s, None, clash))
    assert [p.code for p in problems] == ["slot_too_close"]
    with pytest.raises(CadenceError) as caught:
        write(sessions, lambda s: save_slot(s, None, clash))
    assert caught.value.problems == tuple(problems)
    assert [v.id for v in read(sessions, list_slots)] == [slot_id]  # nothing half-saved
    # Editing a slot does not clash with its own old version.
    moved = SlotSpec(shop.main, 1, time(20, 15), PostKind.NEW_ARRIVAL, "周二上新")
    assert write(sessions, lambda s: save_slot(s, slot_id, moved)) == slot_id
    (view,) = read(sessions, lambda s: list_slots(s, shop.main))
    assert view.spec.time_of_day == time(20, 15) and view.account_label == "主号"
    write(sessions, lambda s: delete_slot(s, slot_id))
    assert read(sessions, list_slots) == []


def test_a_slot_just_after_midnight_keeps_every_day_around_the_spring_change() -> None:
    # CronTrigger used to skip 30 March here: the occurrences are walked day by day now.
    spec = slot(None, 0, 30, kind=PostKind.LIFESTYLE)
    found = slot_occurrences(
        spec, datetime(2026, 3, 27, 12, tzinfo=UTC), datetime(2026, 4, 1, 12, tzinfo=UTC), BERLIN
    )
    assert [o.astimezone(BERLIN).strftime("%d %H:%M") for o in found] == [
        "28 00:30",
        "29 00:30",
        "30 00:30",
        "31 00:30",
        "01 00:30",
    ]
