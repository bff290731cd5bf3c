"""The rule engine's vocabulary: codes, severities, limits, the post as the engine sees it,
and the local-time helpers every rule shares. Pure data, no database, no Qt."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
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
    - ``forbidden_text``: phrase, reason (a ``wording.ForbiddenReason`` value); hard unless
      the seller overrode it with a reason (then soft, with ``override``: that reason)
    - ``invited_likes``: phrase, reason (``likes_for_priority``)
    - ``near_duplicate``: similarity_pct, days (between the two), other_hook
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
    INVITED_LIKES = "invited_likes"
    NEAR_DUPLICATE = "near_duplicate"


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
    RuleCode.FORBIDDEN_TEXT: Severity.HARD,
    RuleCode.NO_ACCOUNT: Severity.HARD,
    RuleCode.NO_TIME: Severity.HARD,
    RuleCode.EMPTY_POST: Severity.HARD,
    RuleCode.INVITED_LIKES: Severity.SOFT,
    RuleCode.NEAR_DUPLICATE: Severity.SOFT,
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
        RuleCode.NEAR_DUPLICATE,
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


#: The client's defaults, for callers that pass no limits of their own.
DEFAULT_SETTINGS = RuleSettings()


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
    #: The seller's reason for scheduling forbidden wording anyway (audited); "" = none.
    wording_override: str = ""


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
