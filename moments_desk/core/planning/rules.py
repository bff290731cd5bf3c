"""The anti-spam rule engine: pure functions over plain data, no database, no Qt.

``check_plan`` looks at a whole plan (every post in a window, on every account) and returns
``RuleViolation`` records sorted in a fixed order, so the result never depends on the order
the posts were handed in. Each violation carries a stable ``rule`` code and ``params``; the
seller-facing sentences come from ``messages.violation_message`` (Qt Linguist).

Hard rules refuse scheduling; soft rules only warn. Time rules work in the seller's zone
(a "day" and a "week" are local), so a DST change never moves a post to another day.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta, tzinfo

from moments_desk.core.planning.copy_bank import TO_WRITE_MARK
from moments_desk.core.planning.fold import split_at_fold, visual_lines
from moments_desk.core.planning.rule_types import (
    ACTIVE_STATUSES,
    COMMITTED_STATUSES,
    DEFAULT_SETTINGS,
    FOLD_LINES,
    MAX_IMAGES,
    MIX_MIN_POSTS,
    MIX_TOLERANCE_PCT,
    SEVERITY,
    TIME_RULES,
    PlanItem,
    RuleCode,
    RuleSettings,
    RuleViolation,
    Severity,
    _violation,
    after_quiet_hours,
    hook,
    in_quiet_hours,
    local_day,
    time_in_quiet_hours,
    week_start,
)
from moments_desk.core.planning.rules_ledger import AccountLedger, MixGauge, mix_gauge
from moments_desk.core.planning.similarity import (
    NEAR_DUPLICATE_DAYS,
    NEAR_DUPLICATE_PCT,
    similarity_pct,
)

# Callers import the whole rule vocabulary from here; the pieces live in smaller modules.
__all__ = [
    "ACTIVE_STATUSES",
    "COMMITTED_STATUSES",
    "FOLD_LINES",
    "MAX_IMAGES",
    "SEVERITY",
    "TIME_RULES",
    "AccountLedger",
    "MixGauge",
    "PlanItem",
    "RuleCode",
    "RuleSettings",
    "RuleViolation",
    "Severity",
    "after_quiet_hours",
    "check_plan",
    "check_post",
    "hard_violations",
    "hook",
    "in_quiet_hours",
    "local_day",
    "mix_gauge",
    "split_at_fold",
    "time_in_quiet_hours",
    "violations_for",
    "visual_lines",
    "week_start",
]


# -- per-post rules ----------------------------------------------------------------------------


def check_post(item: PlanItem, settings: RuleSettings) -> list[RuleViolation]:
    """Rules about the post itself, whatever its time: pictures, text, accounts."""
    from moments_desk.core.planning.wording import forbidden_text

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
        if not warning.hard:
            found.append(
                _violation(
                    RuleCode.INVITED_LIKES, pid, phrase=warning.phrase, reason=warning.reason.value
                )
            )
        elif item.wording_override:
            found.append(
                RuleViolation(
                    RuleCode.FORBIDDEN_TEXT,
                    Severity.SOFT,
                    pid,
                    None,
                    {
                        "phrase": warning.phrase,
                        "reason": warning.reason.value,
                        "override": item.wording_override,
                    },
                )
            )
        else:
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
    found += _near_duplicates(account_id, items)
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


def _near_duplicates(account_id: int, items: Sequence[PlanItem]) -> list[RuleViolation]:
    """Captions ≥ 80 % alike within 14 days on one account: WeChat folds the second."""
    found: list[RuleViolation] = []
    window = timedelta(days=NEAR_DUPLICATE_DAYS)
    recent: deque[PlanItem] = deque()
    for item in items:
        assert item.at is not None
        while recent and recent[0].at is not None and item.at - recent[0].at >= window:
            recent.popleft()
        # A 待写 draft is a note to the seller, not a caption: it cannot repeat one.
        if item.text.strip() and not item.text.lstrip().startswith(TO_WRITE_MARK):
            for before in reversed(recent):
                pct = similarity_pct(before.text, item.text)
                if pct >= NEAR_DUPLICATE_PCT:
                    assert before.at is not None
                    found.append(
                        _violation(
                            RuleCode.NEAR_DUPLICATE,
                            (before.post_id, item.post_id),
                            account_id,
                            similarity_pct=pct,
                            days=(item.at - before.at).days,
                            other_hook=hook(before.text),
                        )
                    )
                    break  # one warning per post: the latest look-alike
            recent.append(item)
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
    default: RuleSettings = DEFAULT_SETTINGS,
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
