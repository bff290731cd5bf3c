"""The week's mix gauge and the incremental ledger auto-drafting asks "may a post go here?"
Both use the same definitions as ``rules.check_plan``. No Qt."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from moments_desk.core.planning.rule_types import (
    ACTIVE_STATUSES,
    DEFAULT_SETTINGS,
    MIX_MIN_POSTS,
    MIX_TOLERANCE_PCT,
    PlanItem,
    RuleCode,
    RuleSettings,
    in_quiet_hours,
    local_day,
    week_start,
)
from moments_desk.db.models import PostKind

# -- the mix gauge -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MixGauge:
    """This week's posts on one account against the target share of sales posts."""

    week_start: date
    sales: int
    non_sales: int
    target_sales_pct: int

    @property
    def total(self) -> int:
        return self.sales + self.non_sales

    @property
    def sales_pct(self) -> int:
        return round(100 * self.sales / self.total) if self.total else 0

    @property
    def over_target(self) -> bool:
        return self.total >= MIX_MIN_POSTS and self.sales_pct > (
            self.target_sales_pct + MIX_TOLERANCE_PCT
        )


def mix_gauge(
    items: Iterable[PlanItem],
    account_id: int,
    day: date,
    zone: tzinfo,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> MixGauge:
    """Sales vs non-sales posts of ``account_id`` in the local week containing ``day``."""
    monday = week_start(day)
    sales = non_sales = 0
    for item in items:
        if (
            item.at is None
            or item.status not in ACTIVE_STATUSES
            or account_id not in item.account_ids
            or week_start(local_day(item.at, zone)) != monday
        ):
            continue
        if item.kind.is_sales:
            sales += 1
        else:
            non_sales += 1
    return MixGauge(monday, sales, non_sales, settings.sales_share_pct)


# -- incremental checks (auto-drafting) --------------------------------------------------------


class AccountLedger:
    """One account's committed times, for asking "may a post go here?" cheaply.

    Uses the same definitions as ``check_plan``, so a post ``fits`` admits never breaks a
    hard time rule of the plan it joins.
    """

    def __init__(self, settings: RuleSettings, zone: tzinfo) -> None:
        self.settings = settings
        self.zone = zone
        self._times: list[datetime] = []
        self._per_day: dict[date, int] = defaultdict(int)
        self._sales_per_week: dict[date, int] = defaultdict(int)

    def add(self, at: datetime, kind: PostKind) -> None:
        insort(self._times, at)
        day = local_day(at, self.zone)
        self._per_day[day] += 1
        if kind.is_sales:
            self._sales_per_week[week_start(day)] += 1

    def blocking_rule(self, at: datetime, kind: PostKind) -> RuleCode | None:
        """The first hard time rule a post at ``at`` would break, or None."""
        s = self.settings
        if in_quiet_hours(at, self.zone, s):
            return RuleCode.QUIET_HOURS
        day = local_day(at, self.zone)
        if self._per_day.get(day, 0) + 1 > s.max_posts_per_day:
            return RuleCode.MAX_PER_DAY
        if kind.is_sales and (
            self._sales_per_week.get(week_start(day), 0) + 1 > s.max_sales_posts_per_week
        ):
            return RuleCode.SALES_PER_WEEK
        gap = timedelta(minutes=s.min_gap_minutes)
        index = bisect_left(self._times, at)
        if index < len(self._times) and self._times[index] - at < gap:
            return RuleCode.MIN_GAP
        if index > 0 and at - self._times[index - 1] < gap:
            return RuleCode.MIN_GAP
        return None
