"""What the planner board shows for a range of days: posts, slot occurrences, the mix gauge.

Read on the database thread; the UI turns it into calendar items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session

from moments_desk.core.planning.cadence import SlotView, list_slots, occurrences
from moments_desk.core.planning.post_views import PostView, list_posts, plan_item
from moments_desk.core.planning.rules import MixGauge, mix_gauge
from moments_desk.core.planning.settings import load_rule_settings


@dataclass(frozen=True)
class BoardData:
    account_id: int
    first_day: date
    days: int
    posts: tuple[PostView, ...]
    slots: tuple[SlotView, ...]
    #: (slot id, UTC moment) of every slot occurrence in the range
    occurrences: tuple[tuple[int, datetime], ...]
    gauge: MixGauge


def local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def load_board(
    session: Session,
    account_id: int,
    first_day: date,
    days: int,
    zone: tzinfo,
    media_root: Path,
    gauge_day: date,
) -> BoardData:
    start = local_midnight(first_day, zone)
    end = local_midnight(first_day + timedelta(days=days), zone)
    # The gauge's week may stick out of a month grid; read both ranges in one go.
    monday = gauge_day - timedelta(days=gauge_day.weekday())
    read_start = min(start, local_midnight(monday, zone))
    read_end = max(end, local_midnight(monday + timedelta(days=7), zone))
    posts = list_posts(session, read_start, read_end, media_root, zone, account_id)
    slots = list_slots(session, account_id)
    found = occurrences([(s.id, s.spec) for s in slots], start, end, zone)
    settings = load_rule_settings(session, account_id)
    gauge = mix_gauge([plan_item(p) for p in posts], account_id, gauge_day, zone, settings)
    shown = tuple(p for p in posts if p.scheduled_at is not None and start <= p.scheduled_at < end)
    return BoardData(
        account_id,
        first_day,
        days,
        shown,
        tuple(slots),
        tuple((o.slot_id, o.at) for o in found),
        gauge,
    )
