"""Ready-made posting rhythms and the anti-spam limits a new account starts with.

The first-run wizard offers these so a seller gets a planned week in one click. The slots are
saved through the planning API (``core.planning.cadence.save_slot``), so they pass the same
checks as slots made in the Planner, which edits them like any other. No Qt here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.planning.cadence import SlotSpec, save_slot
from moments_desk.db.models import AccountRules, CadenceSlot, PostKind

#: WeChat shows at most nine pictures in one Moments post (九宫格).
MAX_IMAGES_PER_POST = 9


@dataclass(frozen=True)
class RuleDefaults:
    """The limits a new account starts with; each is explained to the seller in the wizard."""

    max_posts_per_day: int = 3
    min_gap_minutes: int = 120
    quiet_start: time = time(23, 0)
    quiet_end: time = time(7, 0)
    max_sales_posts_per_week: int = 10
    sales_share_pct: int = 40
    product_cooldown_days: int = 7
    max_images: int = MAX_IMAGES_PER_POST

    def apply_to(self, rules: AccountRules) -> None:
        rules.max_posts_per_day = self.max_posts_per_day
        rules.min_gap_minutes = self.min_gap_minutes
        rules.quiet_start = self.quiet_start
        rules.quiet_end = self.quiet_end
        rules.max_sales_posts_per_week = self.max_sales_posts_per_week
        rules.sales_share_pct = self.sales_share_pct
        rules.product_cooldown_days = self.product_cooldown_days


class Preset(enum.StrEnum):
    #: 每周二、四 20:00 上新 + 每天 12:00 生活分享
    TUE_THU_NEW_DAILY_LIFE = "tue_thu_new_daily_life"
    #: 每天 21:00 #每日一荐#
    DAILY_PICK = "daily_pick"
    #: the seller's own weekdays and time for new arrivals, plus an optional daily share
    CUSTOM = "custom"
    #: no rhythm yet: plan in the Planner later
    NONE = "none"


@dataclass(frozen=True)
class PresetSlot:
    weekday: int | None  # 0 = Monday; None = every day
    time_of_day: time
    kind: PostKind
    label: str
    template: str = ""


@dataclass(frozen=True)
class CustomCadence:
    """What the wizard's "custom" choice asks for."""

    new_arrival_weekdays: tuple[int, ...] = (1, 3)
    new_arrival_time: time = time(20, 0)
    daily_share_time: time | None = time(12, 0)


# Slot labels are data the seller later sees in the Planner, so they are written in the
# language chosen in the wizard rather than translated at display time.
_LABELS = {
    "zh_CN": {
        "new": "{day}上新",
        "life": "生活分享",
        "pick": "#每日一荐#",
        "days": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    },
    "en": {
        "new": "{day} new arrivals",
        "life": "Daily life",
        "pick": "#DailyPick#",
        "days": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    },
}

_TEMPLATES = {
    "zh_CN": {
        # Empty: the planner rotates its built-in copy (core.planning.copy_bank), so a
        # product is 上新 once and 返场 afterwards and no caption repeats.
        "new": "",
        "pick": "",
    },
    "en": {
        "new": "",
        "pick": "",
    },
}


def _words(language: str) -> tuple[dict[str, Any], dict[str, str]]:
    key = language if language in _LABELS else "en"
    return _LABELS[key], _TEMPLATES[key]


def preset_slots(
    preset: Preset, language: str = "zh_CN", custom: CustomCadence | None = None
) -> list[PresetSlot]:
    """The weekly slots a preset stands for, labelled in ``language``."""
    labels, templates = _words(language)
    days = labels["days"]
    assert isinstance(days, tuple)
    new, life, pick = str(labels["new"]), str(labels["life"]), str(labels["pick"])
    if preset is Preset.TUE_THU_NEW_DAILY_LIFE:
        return [
            *(
                PresetSlot(
                    day,
                    time(20, 0),
                    PostKind.NEW_ARRIVAL,
                    new.format(day=days[day]),
                    templates["new"],
                )
                for day in (1, 3)
            ),
            PresetSlot(None, time(12, 0), PostKind.LIFESTYLE, life),
        ]
    if preset is Preset.DAILY_PICK:
        return [PresetSlot(None, time(21, 0), PostKind.PROMOTION, pick, templates["pick"])]
    if preset is Preset.CUSTOM:
        chosen = custom or CustomCadence()
        slots = [
            PresetSlot(
                day,
                chosen.new_arrival_time,
                PostKind.NEW_ARRIVAL,
                new.format(day=days[day]),
                templates["new"],
            )
            for day in sorted(set(chosen.new_arrival_weekdays))
            if 0 <= day <= 6
        ]
        if chosen.daily_share_time is not None:
            slots.append(PresetSlot(None, chosen.daily_share_time, PostKind.LIFESTYLE, life))
        return slots
    return []


def sales_slots_per_week(slots: list[PresetSlot]) -> int:
    """How many sales posts a week the slots plan (a daily slot counts seven times)."""
    return sum(7 if s.weekday is None else 1 for s in slots if s.kind.is_sales)


def add_slots(session: Session, account_id: int, slots: list[PresetSlot]) -> list[int]:
    """Create the slots for one account (flushed, not committed); ``CadenceError`` if the
    cadence checks refuse one (e.g. a custom time inside the quiet hours)."""
    return [
        save_slot(
            session,
            None,
            SlotSpec(
                account_id=account_id,
                weekday=slot.weekday,
                time_of_day=slot.time_of_day,
                kind=slot.kind,
                label=slot.label[:60],
                template=slot.template,
            ),
        )
        for slot in slots
    ]


def accounts_without_slots(session: Session, account_ids: list[int]) -> list[int]:
    if not account_ids:
        return []
    with_slots = set(
        session.scalars(
            select(CadenceSlot.account_id).where(CadenceSlot.account_id.in_(account_ids))
        )
    )
    return [i for i in account_ids if i not in with_slots]
