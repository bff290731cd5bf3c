"""The anti-spam rule engine: pure functions over plain data, no database, no Qt.

``check_plan`` looks at a whole plan (every post in a window, on every account) and returns
``RuleViolation`` records sorted in a fixed order, so the result never depends on the order
the posts were handed in. Each violation carries a stable ``rule`` code and ``params``; the
seller-facing sentences come from ``messages.violation_message`` (Qt Linguist).

Hard rules refuse scheduling; soft rules only warn. Time rules work in the seller's zone
(a "day" and a "week" are local), so a DST change never moves a post to another day.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from moments_desk.db.models import PostKind, PostStatus

#: A Moments post holds at most nine pictures (the 九宫格).
MAX_IMAGES = 9
#: WeChat folds long text behind 全文 after about six lines.
FOLD_LINES = 6
#: The mix rule warns only when sales posts exceed the target share by more than this.
MIX_TOLERANCE_PCT = 5
#: Below this many posts in the window, a share says nothing (one post is 100 %).
MIX_MIN_POSTS = 6

#: Posts that take part in time rules. Skipped posts never went out.
ACTIVE_STATUSES = frozenset(
    {
        PostStatus.DRAFT,
        PostStatus.AWAITING_APPROVAL,
        PostStatus.SCHEDULED,
        PostStatus.DUE,
        PostStatus.POSTED,
    }
)
#: Posts that are committed: what a newly scheduled post is checked against.
COMMITTED_STATUSES = frozenset(
    {PostStatus.AWAITING_APPROVAL, PostStatus.SCHEDULED, PostStatus.DUE, PostStatus.POSTED}
)


class Severity(enum.StrEnum):
    HARD = "hard"  # scheduling is refused
    SOFT = "soft"  # a warning the seller may ignore


class RuleCode(enum.StrEnum):
    """Stable codes; ``messages.violation_message`` words them. Params per code:

    - ``max_per_day``: day (ISO date), count, limit
    - ``min_gap``: gap_minutes, limit_minutes; first_time, second_time ("HH:MM" local) and
      first_hook, second_hook (each post's first line, shortened; empty: say its kind,
      first_kind / second_kind), so the message names the other post
    - ``quiet_hours``: time ("HH:MM" local), start, end ("HH:MM")
    - ``sales_per_week``: week_start (ISO date of the Monday), count, limit
    - ``sales_mix``: sales, total, share_pct, target_pct, window_days
    - ``product_cooldown``: product_id, days (between the two posts), limit_days
    - ``too_many_images``: count, limit
    - ``text_folded``: lines (estimated), fold_lines
    - ``missing_image``: files (comma-separated file names), count
    - ``forbidden_text``: phrase, reason (a ``templates.ForbiddenReason`` value)
    - ``no_account``: (none)
    - ``no_time``: (none)
    - ``empty_post``: (none)
    """

    MAX_PER_DAY = "max_per_day"
    MIN_GAP = "min_gap"
    QUIET_HOURS = "quiet_hours"
    SALES_PER_WEEK = "sales_per_week"
    SALES_MIX = "sales_mix"
    PRODUCT_COOLDOWN = "product_cooldown"
    TOO_MANY_IMAGES = "too_many_images"
    TEXT_FOLDED = "text_folded"
    MISSING_IMAGE = "missing_image"
    FORBIDDEN_TEXT = "forbidden_text"
    NO_ACCOUNT = "no_account"
    NO_TIME = "no_time"
    EMPTY_POST = "empty_post"


SEVERITY: Mapping[RuleCode, Severity] = {
    RuleCode.MAX_PER_DAY: Severity.HARD,
    RuleCode.MIN_GAP: Severity.HARD,
    RuleCode.QUIET_HOURS: Severity.HARD,
    RuleCode.SALES_PER_WEEK: Severity.HARD,
    RuleCode.SALES_MIX: Severity.SOFT,
    RuleCode.PRODUCT_COOLDOWN: Severity.SOFT,
    RuleCode.TOO_MANY_IMAGES: Severity.HARD,
    RuleCode.TEXT_FOLDED: Severity.SOFT,
    RuleCode.MISSING_IMAGE: Severity.HARD,
    RuleCode.FORBIDDEN_TEXT: Severity.SOFT,
    RuleCode.NO_ACCOUNT: Severity.HARD,
    RuleCode.NO_TIME: Severity.HARD,
    RuleCode.EMPTY_POST: Severity.HARD,
}
#: Rules that depend on when a post goes out (re-checked when a post is moved).
TIME_RULES = frozenset(
    {
        RuleCode.MAX_PER_DAY,
        RuleCode.MIN_GAP,
        RuleCode.QUIET_HOURS,
        RuleCode.SALES_PER_WEEK,
        RuleCode.SALES_MIX,
        RuleCode.PRODUCT_COOLDOWN,
    }
)


@dataclass(frozen=True)
class RuleSettings:
    """One account's limits; the defaults follow the client's documents."""

    max_posts_per_day: int = 3
    min_gap_minutes: int = 120
    quiet_start: time = time(23, 0)
    quiet_end: time = time(7, 0)
    max_sales_posts_per_week: int = 10
    sales_share_pct: int = 40
    mix_window_days: int = 7
    product_cooldown_days: int = 7
    fold_chars: int = 140

    def quiet_label(self) -> tuple[str, str]:
        return self.quiet_start.strftime("%H:%M"), self.quiet_end.strftime("%H:%M")


@dataclass(frozen=True)
class PlanItem:
    """What the engine needs to know about one post. ``at`` is timezone-aware (or None)."""

    post_id: int
    kind: PostKind
    at: datetime | None
    account_ids: tuple[int, ...]
    status: PostStatus = PostStatus.DRAFT
    product_ids: tuple[int, ...] = ()
    image_count: int = 0
    text: str = ""
    #: File names of pictures whose file is gone from disk (the service looks).
    missing_images: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleViolation:
    rule: RuleCode
    severity: Severity
    post_ids: tuple[int, ...]
    account_id: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def hard(self) -> bool:
        return self.severity is Severity.HARD

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.post_ids,
            self.rule.value,
            self.account_id or 0,
            tuple(sorted((k, str(v)) for k, v in self.params.items())),
        )


def hook(text: str, limit: int = 14) -> str:
    """A post's first line, shortened: how the seller recognises it in a message."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _violation(
    rule: RuleCode, post_ids: Iterable[int], account_id: int | None = None, **params: Any
) -> RuleViolation:
    return RuleViolation(rule, SEVERITY[rule], tuple(sorted(set(post_ids))), account_id, params)


# -- time helpers ------------------------------------------------------------------------------


def local_day(at: datetime, zone: tzinfo) -> date:
    return at.astimezone(zone).date()


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (the seller's calendar week)."""
    return day - timedelta(days=day.weekday())


def in_quiet_hours(at: datetime, zone: tzinfo, settings: RuleSettings) -> bool:
    """True when ``at`` falls in the quiet hours (which may wrap past midnight)."""
    moment = at.astimezone(zone).time().replace(tzinfo=None)
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def after_quiet_hours(at: datetime, zone: tzinfo, settings: RuleSettings) -> datetime:
    """``at`` itself, or the end of the quiet hours it falls in (a new post's first suggestion)."""
    if not in_quiet_hours(at, zone, settings):
        return at
    local = at.astimezone(zone)
    end = datetime.combine(local.date(), settings.quiet_end, tzinfo=zone)
    if end <= local:  # quiet hours that began before midnight end tomorrow
        end = datetime.combine(local.date() + timedelta(days=1), settings.quiet_end, tzinfo=zone)
    return end.astimezone(at.tzinfo)


def time_in_quiet_hours(moment: time, settings: RuleSettings) -> bool:
    """The same test for a wall-clock time (a cadence slot)."""
    return in_quiet_hours(datetime.combine(date(2024, 1, 1), moment, tzinfo=UTC), UTC, settings)


# -- the fold ----------------------------------------------------------------------------------


def _width(ch: str) -> float:
    # Latin letters and digits take about half the width of a Chinese character.
    return 0.5 if ord(ch) < 0x2E80 and not (0x2190 <= ord(ch) <= 0x2BFF) else 1.0


def visual_lines(text: str, fold_chars: int = RuleSettings.fold_chars) -> int:
    """Estimate of the lines WeChat shows: ``fold_chars`` fill ``FOLD_LINES`` lines."""
    per_line = max(1.0, fold_chars / FOLD_LINES)
    lines = 0
    for paragraph in text.strip("\n").split("\n"):
        width = sum(_width(ch) for ch in paragraph)
        lines += max(1, math.ceil(width / per_line))
    return lines if text.strip() else 0


def split_at_fold(text: str, fold_chars: int = RuleSettings.fold_chars) -> tuple[str, str]:
    """(shown, hidden behind 全文). ``hidden`` is empty when the text does not fold."""
    if visual_lines(text, fold_chars) <= FOLD_LINES:
        return text, ""
    per_line = max(1.0, fold_chars / FOLD_LINES)
    lines, width = 1, 0.0
    for index, ch in enumerate(text):
        if ch == "\n":
            lines, width = lines + 1, 0.0
        else:
            if width + _width(ch) > per_line:
                lines, width = lines + 1, 0.0
            width += _width(ch)
        if lines > FOLD_LINES:
            return text[:index].rstrip("\n"), text[index:].lstrip("\n")
    return text, ""


# -- per-post rules ----------------------------------------------------------------------------


def check_post(item: PlanItem, settings: RuleSettings) -> list[RuleViolation]:
    """Rules about the post itself, whatever its time: pictures, text, accounts."""
    from moments_desk.core.planning.templates import forbidden_text

    found: list[RuleViolation] = []
    pid = (item.post_id,)
    if item.image_count > MAX_IMAGES:
        found.append(
            _violation(RuleCode.TOO_MANY_IMAGES, pid, count=item.image_count, limit=MAX_IMAGES)
        )
    if item.missing_images:
        found.append(
            _violation(
                RuleCode.MISSING_IMAGE,
                pid,
                files=", ".join(item.missing_images),
                count=len(item.missing_images),
            )
        )
    lines = visual_lines(item.text, settings.fold_chars)
    if lines > FOLD_LINES:
        found.append(_violation(RuleCode.TEXT_FOLDED, pid, lines=lines, fold_lines=FOLD_LINES))
    for warning in forbidden_text(item.text):
        found.append(
            _violation(
                RuleCode.FORBIDDEN_TEXT, pid, phrase=warning.phrase, reason=warning.reason.value
            )
        )
    if not item.account_ids:
        found.append(_violation(RuleCode.NO_ACCOUNT, pid))
    if item.at is None:
        found.append(_violation(RuleCode.NO_TIME, pid))
    if not item.text.strip() and item.image_count == 0:
        found.append(_violation(RuleCode.EMPTY_POST, pid))
    return found


# -- plan rules (per account) ------------------------------------------------------------------


def _account_rules(
    account_id: int,
    items: Sequence[PlanItem],
    settings: RuleSettings,
    zone: tzinfo,
) -> list[RuleViolation]:
    """Time rules for one account; ``items`` all have a time and are sorted by it."""
    found: list[RuleViolation] = []
    by_day: dict[date, list[int]] = defaultdict(list)
    sales_by_week: dict[date, list[int]] = defaultdict(list)
    for item in items:
        assert item.at is not None
        day = local_day(item.at, zone)
        by_day[day].append(item.post_id)
        if item.kind.is_sales:
            sales_by_week[week_start(day)].append(item.post_id)
        if in_quiet_hours(item.at, zone, settings):
            start, end = settings.quiet_label()
            found.append(
                _violation(
                    RuleCode.QUIET_HOURS,
                    (item.post_id,),
                    account_id,
                    time=item.at.astimezone(zone).strftime("%H:%M"),
                    start=start,
                    end=end,
                )
            )
    for day, ids in by_day.items():
        if len(ids) > settings.max_posts_per_day:
            found.append(
                _violation(
                    RuleCode.MAX_PER_DAY,
                    ids,
                    account_id,
                    day=day.isoformat(),
                    count=len(ids),
                    limit=settings.max_posts_per_day,
                )
            )
    for monday, ids in sales_by_week.items():
        if len(ids) > settings.max_sales_posts_per_week:
            found.append(
                _violation(
                    RuleCode.SALES_PER_WEEK,
                    ids,
                    account_id,
                    week_start=monday.isoformat(),
                    count=len(ids),
                    limit=settings.max_sales_posts_per_week,
                )
            )
    # Every pair closer than the gap (not only neighbours): adding a post never hides one.
    gap = timedelta(minutes=settings.min_gap_minutes)
    for i, first in enumerate(items):
        assert first.at is not None
        for second in items[i + 1 :]:
            assert second.at is not None
            delta = second.at - first.at
            if delta >= gap:
                break
            found.append(
                _violation(
                    RuleCode.MIN_GAP,
                    (first.post_id, second.post_id),
                    account_id,
                    gap_minutes=int(delta.total_seconds() // 60),
                    limit_minutes=settings.min_gap_minutes,
                    first_time=first.at.astimezone(zone).strftime("%H:%M"),
                    second_time=second.at.astimezone(zone).strftime("%H:%M"),
                    first_hook=hook(first.text),
                    second_hook=hook(second.text),
                    first_kind=first.kind.value,
                    second_kind=second.kind.value,
                )
            )
    found += _cooldowns(account_id, items, settings)
    found += _mix(account_id, items, settings)
    return found


def _cooldowns(
    account_id: int, items: Sequence[PlanItem], settings: RuleSettings
) -> list[RuleViolation]:
    found: list[RuleViolation] = []
    limit = timedelta(days=settings.product_cooldown_days)
    last: dict[int, PlanItem] = {}
    for item in items:
        assert item.at is not None
        for product_id in dict.fromkeys(item.product_ids):
            before = last.get(product_id)
            if before is not None and before.at is not None and item.at - before.at < limit:
                found.append(
                    _violation(
                        RuleCode.PRODUCT_COOLDOWN,
                        (before.post_id, item.post_id),
                        account_id,
                        product_id=product_id,
                        days=(item.at - before.at).days,
                        limit_days=settings.product_cooldown_days,
                    )
                )
            last[product_id] = item
    return found


def _mix(account_id: int, items: Sequence[PlanItem], settings: RuleSettings) -> list[RuleViolation]:
    """Rolling window ending at each sales post; one warning per run of over-target posts."""
    found: list[RuleViolation] = []
    window = timedelta(days=settings.mix_window_days)
    times = [item.at for item in items if item.at is not None]
    sales_prefix = [0]
    for item in items:
        sales_prefix.append(sales_prefix[-1] + (1 if item.kind.is_sales else 0))
    run: list[int] = []
    worst: tuple[int, int] = (0, 1)

    def close_run() -> None:
        if run:
            sales, total = worst
            found.append(
                _violation(
                    RuleCode.SALES_MIX,
                    run,
                    account_id,
                    sales=sales,
                    total=total,
                    share_pct=round(100 * sales / total),
                    target_pct=settings.sales_share_pct,
                    window_days=settings.mix_window_days,
                )
            )

    for index, item in enumerate(items):
        if not item.kind.is_sales:
            continue
        assert item.at is not None
        first = bisect_left(times, item.at - window + timedelta(microseconds=1))
        total = index + 1 - first
        sales = sales_prefix[index + 1] - sales_prefix[first]
        over = (
            total >= MIX_MIN_POSTS
            and 100 * sales > (settings.sales_share_pct + MIX_TOLERANCE_PCT) * total
        )
        if over:
            if not run or sales * worst[1] > worst[0] * total:
                worst = (sales, total)
            run.append(item.post_id)
        elif run:
            close_run()
            run, worst = [], (0, 1)
    close_run()
    return found


def check_plan(
    items: Iterable[PlanItem],
    settings: Mapping[int, RuleSettings],
    zone: tzinfo,
    *,
    default: RuleSettings = RuleSettings(),
) -> list[RuleViolation]:
    """Every violation in a plan, in a fixed order (independent of the input order).

    ``settings`` maps account id → limits (missing accounts use ``default``). Skipped posts
    are ignored; a post on several accounts counts on each of them.
    """
    active = [item for item in items if item.status in ACTIVE_STATUSES]
    found: list[RuleViolation] = []
    per_account: dict[int, list[PlanItem]] = defaultdict(list)
    for item in active:
        first_account = item.account_ids[0] if item.account_ids else None
        found += check_post(item, settings.get(first_account or 0, default))
        if item.at is not None:
            for account_id in dict.fromkeys(item.account_ids):
                per_account[account_id].append(item)
    for account_id, account_items in per_account.items():
        ordered = sorted(account_items, key=lambda i: (i.at, i.post_id))
        found += _account_rules(account_id, ordered, settings.get(account_id, default), zone)
    return sorted(found, key=RuleViolation.sort_key)


def violations_for(post_id: int, violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    return [v for v in violations if post_id in v.post_ids]


def hard_violations(violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    return [v for v in violations if v.hard]


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
    settings: RuleSettings = RuleSettings(),
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
