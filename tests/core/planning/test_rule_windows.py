"""The anti-spam rules on both sides of every limit, the 40/60 mix as a rolling window
(checked against a brute-force recount) and the ledger auto-drafting asks."""

from __future__ import annotations

import time as time_module
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.planning.rules import (
    TIME_RULES,
    AccountLedger,
    MixGauge,
    PlanItem,
    RuleCode,
    RuleSettings,
    after_quiet_hours,
    check_plan,
    hard_violations,
    in_quiet_hours,
    mix_gauge,
    split_at_fold,
    time_in_quiet_hours,
    violations_for,
    visual_lines,
)
from moments_desk.db.models import PostKind, PostStatus
from tests.core.planning.test_rules import DEFAULTS, SHANGHAI, at, post, rules_of

FAST = settings(max_examples=150, deadline=None, derandomize=True)
WIDE = settings(max_examples=3000, deadline=None)
SALE = PostKind.NEW_ARRIVAL
CALM = replace(DEFAULTS, max_posts_per_day=99, min_gap_minutes=0, max_sales_posts_per_week=99)


def day_posts(count: int, first: int = 1, kind: PostKind = PostKind.LIFESTYLE) -> list[PlanItem]:
    """``count`` posts on Tuesday 24 Nov, three hours apart from 08:00."""
    return [post(first + i, at(24, 8 + 3 * i), kind, products=()) for i in range(count)]


# -- posts per day, gap, quiet hours, sales per week: both sides of each limit -----------------


def test_three_posts_a_day_are_fine_four_are_not() -> None:
    assert rules_of(day_posts(3)) == []
    assert rules_of(day_posts(4)) == [RuleCode.MAX_PER_DAY]
    one_a_day = replace(DEFAULTS, max_posts_per_day=1)
    assert rules_of(day_posts(1), one_a_day) == []
    assert rules_of(day_posts(2), one_a_day) == [RuleCode.MAX_PER_DAY]


@pytest.mark.parametrize(("minutes", "broken"), [(119, True), (120, False), (121, False)])
def test_the_gap_is_at_least_two_hours(minutes: int, broken: bool) -> None:
    start = at(24, 12)
    items = [post(1, start), post(2, start + timedelta(minutes=minutes))]
    found = check_plan(items, {}, SHANGHAI)
    assert [v.rule for v in found] == ([RuleCode.MIN_GAP] if broken else [])
    if broken:
        params = found[0].params
        assert (params["gap_minutes"], params["limit_minutes"]) == (119, 120)
        assert (params["first_time"], params["second_time"]) == ("12:00", "13:59")


def test_every_pair_too_close_is_named_not_only_neighbours() -> None:
    items = [post(1, at(24, 12)), post(2, at(24, 12, 50)), post(3, at(24, 13, 40))]
    pairs = [v.post_ids for v in check_plan(items, {}, SHANGHAI)]
    assert pairs == [(1, 2), (1, 3), (2, 3)]


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(22, 59, False), (23, 0, True), (23, 1, True), (0, 0, True), (6, 59, True), (7, 0, False)],
)
def test_quiet_hours_start_at_23_00_and_end_at_07_00(hour: int, minute: int, quiet: bool) -> None:
    when = datetime(2026, 11, 24, hour, minute, tzinfo=SHANGHAI)
    assert in_quiet_hours(when, SHANGHAI, DEFAULTS) is quiet
    assert time_in_quiet_hours(time(hour, minute), DEFAULTS) is quiet
    assert rules_of([post(1, when)]) == ([RuleCode.QUIET_HOURS] if quiet else [])


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(11, 59, False), (12, 0, True), (13, 59, True), (14, 0, False)],
)
def test_quiet_hours_within_one_day(hour: int, minute: int, quiet: bool) -> None:
    lunch = replace(DEFAULTS, quiet_start=time(12), quiet_end=time(14))
    assert time_in_quiet_hours(time(hour, minute), lunch) is quiet


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    never = replace(DEFAULTS, quiet_start=time(23), quiet_end=time(23))
    assert not any(time_in_quiet_hours(time(h, m), never) for h in range(24) for m in (0, 30))


def test_a_suggestion_in_daytime_quiet_hours_moves_to_their_end_the_same_day() -> None:
    lunch = replace(DEFAULTS, quiet_start=time(12), quiet_end=time(14))
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)
    assert after_quiet_hours(noon, SHANGHAI, lunch) == datetime(2026, 11, 24, 14, tzinfo=SHANGHAI)
    # Shown in the caller's zone
    moved = after_quiet_hours(noon.astimezone(UTC), SHANGHAI, lunch)
    assert moved.tzinfo is UTC and moved == datetime(2026, 11, 24, 6, tzinfo=UTC)
    late = datetime(2026, 11, 24, 23, 0, tzinfo=SHANGHAI)
    assert after_quiet_hours(late, SHANGHAI, DEFAULTS) == datetime(2026, 11, 25, 7, tzinfo=SHANGHAI)


def test_ten_sales_posts_a_week_are_fine_eleven_are_not() -> None:
    def week(count: int) -> list[PlanItem]:
        return [
            post(i, at(23 + i // 3, 8 + 3 * (i % 3)), PostKind.PROMOTION, products=(i,))
            for i in range(count)
        ]

    relaxed = replace(CALM, max_sales_posts_per_week=10, sales_share_pct=100)
    assert rules_of(week(10), relaxed) == []
    found = check_plan(week(11), {1: relaxed}, SHANGHAI)
    assert [v.rule for v in found] == [RuleCode.SALES_PER_WEEK]
    assert found[0].params == {"week_start": "2026-11-23", "count": 11, "limit": 10}


@pytest.mark.parametrize(("days", "hours", "warned"), [(6, 23, True), (7, 0, False)])
def test_a_product_may_come_back_after_seven_days(days: int, hours: int, warned: bool) -> None:
    first = at(23, 12)
    items = [
        post(1, first, PostKind.PROMOTION, products=(7, 7)),
        post(2, first + timedelta(days=days, hours=hours), PostKind.PROMOTION, products=(7,)),
    ]
    found = check_plan(items, {1: CALM}, SHANGHAI)
    cooldown = [v for v in found if v.rule is RuleCode.PRODUCT_COOLDOWN]
    assert len(cooldown) == (1 if warned else 0)
    if warned:
        assert cooldown[0].params == {"product_id": 7, "days": 6, "limit_days": 7}
        assert cooldown[0].post_ids == (1, 2)


def test_the_cooldown_compares_with_the_latest_post_of_the_product() -> None:
    items = [
        post(1, at(1, 12), PostKind.PROMOTION, products=(7,)),
        post(2, at(9, 12), PostKind.PROMOTION, products=(7,)),
        post(3, at(12, 12), PostKind.PROMOTION, products=(7,)),
    ]
    found = [
        v for v in check_plan(items, {1: CALM}, SHANGHAI) if v.rule is RuleCode.PRODUCT_COOLDOWN
    ]
    assert [(v.post_ids, v.params["days"]) for v in found] == [((2, 3), 3)]


# -- per-post rules ----------------------------------------------------------------------------


def test_a_post_needs_text_or_a_picture() -> None:
    assert rules_of([post(1, at(24, 12), images=0, text="今天")]) == []
    assert rules_of([post(1, at(24, 12), images=1, text="")]) == []
    assert rules_of([post(1, at(24, 12), images=0, text=" \n")]) == [RuleCode.EMPTY_POST]


def test_the_first_accounts_fold_setting_applies_to_the_text() -> None:
    text = "好" * 60
    narrow = replace(DEFAULTS, fold_chars=50)
    items = [post(1, at(24, 12), text=text)]
    assert check_plan(items, {1: narrow}, SHANGHAI)[0].rule is RuleCode.TEXT_FOLDED
    assert check_plan(items, {2: narrow}, SHANGHAI) == []


def test_six_lines_show_seven_fold() -> None:
    six = "\n".join("行" for _ in range(6))
    assert visual_lines(six) == 6 and rules_of([post(1, at(24, 12), text=six)]) == []
    assert rules_of([post(1, at(24, 12), text=six + "\n行")]) == [RuleCode.TEXT_FOLDED]
    assert visual_lines("") == 0 and visual_lines("\n\n") == 0
    assert visual_lines("a\n\nb") == 3  # an empty line still takes a line


def test_symbols_and_arrows_are_as_wide_as_chinese() -> None:
    assert visual_lines("→" * 24, fold_chars=144) == 1
    assert visual_lines("→" * 25, fold_chars=144) == 2
    assert visual_lines("a" * 48, fold_chars=144) == 1
    assert visual_lines("a" * 49, fold_chars=144) == 2
    assert visual_lines("好", fold_chars=1) == 1  # a line is never narrower than one character


def test_the_fold_split_wraps_long_lines_where_wechat_would() -> None:
    text = "好" * 141
    shown, hidden = split_at_fold(text)
    # Six lines of 23 characters (140 / 6 per line, whole characters) are shown.
    assert (shown, hidden) == ("好" * 138, "好" * 3)
    lines = "\n".join(["一行"] * 6) + "\n\n第七行"
    shown, hidden = split_at_fold(lines)
    assert shown == "\n".join(["一行"] * 6) and hidden == "第七行"
    assert split_at_fold("a" * 200) == ("a" * 200, "")


def test_violations_for_a_post_and_the_hard_ones() -> None:
    items = [post(1, at(24, 23, 30), text="集赞"), post(2, at(25, 12))]
    found = check_plan(items, {}, SHANGHAI)
    assert {v.rule for v in violations_for(1, found)} == {
        RuleCode.QUIET_HOURS,
        RuleCode.FORBIDDEN_TEXT,
    }
    assert violations_for(2, found) == []
    assert [v.rule for v in hard_violations(found)] == [
        RuleCode.FORBIDDEN_TEXT,
        RuleCode.QUIET_HOURS,
    ]


def test_drafts_count_and_skipped_posts_do_not() -> None:
    for status in (PostStatus.DRAFT, PostStatus.POSTED, PostStatus.DUE):
        assert rules_of([post(1, at(24, 12), status=status), post(2, at(24, 13))]) == [
            RuleCode.MIN_GAP
        ]


# -- the 40/60 mix -----------------------------------------------------------------------------


def test_the_mix_needs_six_posts_before_it_says_anything() -> None:
    five = [post(i, at(23 + i, 20), SALE, products=(i,)) for i in range(5)]
    assert rules_of(five, CALM) == []
    six = [*five, post(5, at(28, 20), SALE, products=(5,))]
    assert rules_of(six, CALM) == [RuleCode.SALES_MIX]


@pytest.mark.parametrize(("sales", "warned"), [(9, False), (10, True)])
def test_the_mix_tolerates_five_points_over_the_target(sales: int, warned: bool) -> None:
    # 20 posts over a week: 9 sales is 45 % (target 40 % + 5 tolerated), 10 is 50 %.
    items = [
        post(i, at(23 + i // 3, 8 + 4 * (i % 3)), SALE if i >= 20 - sales else PostKind.LIFESTYLE)
        for i in range(20)
    ]
    found = [v for v in check_plan(items, {1: CALM}, SHANGHAI) if v.rule is RuleCode.SALES_MIX]
    assert bool(found) is warned
    if warned:
        assert found[0].params == {
            "sales": 10,
            "total": 20,
            "share_pct": 50,
            "target_pct": 40,
            "window_days": 7,
        }


def test_the_mix_is_a_rolling_seven_day_window_not_a_calendar_week() -> None:
    # Sunday–Saturday heavy with sales: no calendar week holds six posts, a rolling week does.
    items = [post(i, at(28 + i, 20), SALE, products=(i,)) for i in range(3)]
    items += [
        post(3, datetime(2026, 12, 1, 20, tzinfo=SHANGHAI), SALE),
        post(4, datetime(2026, 12, 2, 20, tzinfo=SHANGHAI), SALE),
        post(5, datetime(2026, 12, 3, 20, tzinfo=SHANGHAI), SALE),
    ]
    found = check_plan(items, {1: CALM}, SHANGHAI)
    assert [v.rule for v in found] == [RuleCode.SALES_MIX]
    assert found[0].post_ids == (5,)
    # Exactly seven days after the second post it has left the window: five posts, no warning.
    later = [*items[1:], post(6, datetime(2026, 12, 6, 20, tzinfo=SHANGHAI), SALE)]
    assert rules_of(later, CALM) == []


def test_lifestyle_posts_from_more_than_seven_days_ago_do_not_dilute_the_mix() -> None:
    old_calm = [post(20 + i, at(10 + i, 12)) for i in range(10)]
    sales = [post(i, at(23 + i, 20), SALE, products=(i,)) for i in range(6)]
    assert rules_of(old_calm + sales, CALM) == [RuleCode.SALES_MIX]


def test_one_warning_per_run_with_its_worst_share() -> None:
    calm = [post(100 + i, at(20 + i, 9)) for i in range(3)]
    sales = [post(i, at(23, 8) + timedelta(hours=5 * i), SALE) for i in range(8)]
    found = check_plan(calm + sales, {1: CALM}, SHANGHAI)
    (mix,) = [v for v in found if v.rule is RuleCode.SALES_MIX]
    assert mix.post_ids == tuple(range(2, 8))
    assert (mix.params["sales"], mix.params["total"]) == (8, 11)
    assert mix.params["share_pct"] == 73


def _brute_force_mix(items: list[PlanItem], s: RuleSettings) -> dict[int, tuple[int, int]]:
    """Sales posts over the target, with (sales, total) of the window ending at each."""
    ordered = sorted(items, key=lambda i: (i.at, i.post_id))
    over: dict[int, tuple[int, int]] = {}
    for index, item in enumerate(ordered):
        if not item.kind.is_sales:
            continue
        assert item.at is not None
        window = [
            other
            for other in ordered[: index + 1]
            if other.at is not None and item.at - other.at < timedelta(days=s.mix_window_days)
        ]
        sales = sum(1 for other in window if other.kind.is_sales)
        if len(window) >= 6 and 100 * sales > (s.sales_share_pct + 5) * len(window):
            over[item.post_id] = (sales, len(window))
    return over


mix_plans = st.lists(
    st.builds(
        lambda pid, minutes, sales: post(
            pid,
            datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=minutes),
            SALE if sales else PostKind.LIFESTYLE,
        ),
        st.integers(1, 10_000),
        st.integers(0, 30 * 24 * 60).map(lambda m: m - m % 30),
        st.booleans(),
    ),
    max_size=40,
    unique_by=lambda item: item.post_id,
)
mix_settings = st.builds(
    lambda pct, days: replace(CALM, sales_share_pct=pct, mix_window_days=days),
    st.integers(0, 100),
    st.integers(1, 14),
)


def _check_mix(items: list[PlanItem], s: RuleSettings) -> None:
    expected = _brute_force_mix(items, s)
    found = [v for v in check_plan(items, {1: s}, SHANGHAI) if v.rule is RuleCode.SALES_MIX]
    flagged = [pid for v in found for pid in v.post_ids]
    assert sorted(flagged) == sorted(expected)
    for violation in found:
        # The highest share of the run; on a tie, the earliest post's window.
        run = [expected[p] for p in expected if p in violation.post_ids]
        worst = max(run, key=lambda pair: Fraction(*pair))
        assert (violation.params["sales"], violation.params["total"]) == worst
        assert violation.params["share_pct"] == round(100 * worst[0] / worst[1])
        assert violation.params["window_days"] == s.mix_window_days


@FAST
@given(mix_plans, mix_settings)
def test_the_mix_equals_a_brute_force_recount_of_every_window(
    items: list[PlanItem], s: RuleSettings
) -> None:
    _check_mix(items, s)


@pytest.mark.slow
@WIDE
@given(mix_plans, mix_settings)
def test_the_mix_equals_a_brute_force_recount_wide(items: list[PlanItem], s: RuleSettings) -> None:
    _check_mix(items, s)


def test_the_gauge_for_this_week() -> None:
    items = [post(i, at(23 + i, 12), SALE if i < 4 else PostKind.LIFESTYLE) for i in range(6)]
    gauge = mix_gauge(items, 1, date(2026, 11, 29), SHANGHAI)
    assert (gauge.week_start, gauge.sales, gauge.non_sales) == (date(2026, 11, 23), 4, 2)
    assert (gauge.total, gauge.sales_pct, gauge.over_target) == (6, 67, True)
    assert mix_gauge(items, 1, date(2026, 11, 30), SHANGHAI).total == 0
    assert mix_gauge([post(1, None)], 1, date(2026, 11, 23), SHANGHAI).total == 0


@pytest.mark.parametrize(
    ("sales", "non_sales", "over"),
    [(3, 3, True), (2, 3, False), (9, 11, False), (10, 10, True), (0, 0, False)],
)
def test_the_gauge_warns_only_past_six_posts_and_the_tolerance(
    sales: int, non_sales: int, over: bool
) -> None:
    gauge = MixGauge(date(2026, 11, 23), sales, non_sales, 40)
    assert gauge.over_target is over
    assert gauge.sales_pct == (round(100 * sales / (sales + non_sales)) if sales + non_sales else 0)


# -- the ledger auto-drafting asks -------------------------------------------------------------


def test_the_ledger_fills_the_weekly_sales_allowance_exactly() -> None:
    ledger = AccountLedger(replace(DEFAULTS, max_sales_posts_per_week=3), SHANGHAI)
    for day in (23, 24, 25):
        assert ledger.blocking_rule(at(day, 12), SALE) is None
        ledger.add(at(day, 12), SALE)
    assert ledger.blocking_rule(at(26, 12), SALE) is RuleCode.SALES_PER_WEEK
    assert ledger.blocking_rule(at(26, 12), PostKind.LIFESTYLE) is None
    assert ledger.blocking_rule(at(30, 12), SALE) is None  # next Monday


def test_the_ledger_fills_the_day_exactly() -> None:
    ledger = AccountLedger(DEFAULTS, SHANGHAI)
    for hour in (8, 12, 16):
        assert ledger.blocking_rule(at(24, hour), PostKind.LIFESTYLE) is None
        ledger.add(at(24, hour), PostKind.LIFESTYLE)
    assert ledger.blocking_rule(at(24, 20), PostKind.LIFESTYLE) is RuleCode.MAX_PER_DAY
    assert ledger.blocking_rule(at(25, 20), PostKind.LIFESTYLE) is None


@pytest.mark.parametrize(
    ("minutes", "blocked"), [(-120, False), (-119, True), (0, True), (119, True), (120, False)]
)
def test_the_ledger_keeps_the_gap_on_both_sides(minutes: int, blocked: bool) -> None:
    ledger = AccountLedger(DEFAULTS, SHANGHAI)
    ledger.add(at(24, 12), PostKind.LIFESTYLE)
    rule = ledger.blocking_rule(at(24, 12) + timedelta(minutes=minutes), PostKind.LIFESTYLE)
    assert rule is (RuleCode.MIN_GAP if blocked else None)


def test_the_ledger_refuses_quiet_hours_first() -> None:
    ledger = AccountLedger(DEFAULTS, SHANGHAI)
    assert ledger.blocking_rule(at(24, 23), SALE) is RuleCode.QUIET_HOURS
    assert ledger.blocking_rule(at(24, 22, 59), SALE) is None


def test_a_tie_for_the_worst_share_names_the_earliest_window() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    layout = [(2, 0, False), (7, 0, True), (5, 0, False), (3, 30, False), (6, 300, True)]
    layout += [(1, 300, True), (110, 390, False), (4, 420, True)]
    items = [
        post(pid, start + timedelta(minutes=m), SALE if sale else PostKind.LIFESTYLE)
        for pid, m, sale in layout
    ]
    s = replace(CALM, sales_share_pct=44, mix_window_days=14)
    (mix,) = [v for v in check_plan(items, {1: s}, SHANGHAI) if v.rule is RuleCode.SALES_MIX]
    assert (mix.params["sales"], mix.params["total"]) == (3, 6)
    _check_mix(items, s)


# -- how the gap refusal names the two posts ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("一二三四五六七八九十一二三四", "一二三四五六七八九十一二三四"),  # 14 characters: whole
        ("一二三四五六七八九十一二三四五", "一二三四五六七八九十一二三…"),  # 15: cut at 13 + …
        ("\n  \n  第一行  \n第二行", "第一行"),  # the first line with text, trimmed
        ("", ""),
    ],
)
def test_the_gap_refusal_names_each_post_by_its_first_line_shortened(text: str, named: str) -> None:
    first = replace(post(1, at(24, 12), PostKind.PROMOTION), text=text)
    second = replace(post(2, at(24, 13)), text="第二条")
    (found,) = check_plan([first, second], {}, SHANGHAI)
    assert found.params["first_hook"] == named
    assert (found.params["first_kind"], found.params["second_kind"]) == ("promotion", "lifestyle")
    assert found.params["second_hook"] == "第二条"


@pytest.mark.parametrize(
    ("char", "wide"),
    [
        ("a", False),
        ("\u218f", False),  # the last character before the arrows
        ("\u2190", True),  # ←, the first arrow
        ("\u2bff", True),  # the last of the symbol blocks
        ("\u2c00", False),  # the next block is narrow again
        ("\u2e7f", False),
        ("\u2e80", True),  # the first CJK radical
        ("好", True),
    ],
)
def test_arrows_symbols_and_chinese_are_wide_other_characters_narrow(char: str, wide: bool) -> None:
    # 144 fold characters make lines of 24 wide or 48 narrow characters
    assert visual_lines(char * 24, fold_chars=144) == 1
    assert visual_lines(char * 25, fold_chars=144) == (2 if wide else 1)
    assert visual_lines(char * 48, fold_chars=144) == (2 if wide else 1)
    assert visual_lines(char * 49, fold_chars=144) == (3 if wide else 2)


# -- what each refusal carries, and the order they come in -------------------------------------


def test_every_missing_picture_is_named_and_counted() -> None:
    (found,) = check_plan([post(1, at(24, 12), missing=("a.jpg", "b.jpg"))], {}, SHANGHAI)
    assert found.rule is RuleCode.MISSING_IMAGE
    assert found.params == {"files": "a.jpg, b.jpg", "count": 2}


def test_a_forbidden_phrase_says_why_wechat_forbids_it() -> None:
    found = check_plan([post(1, at(24, 12), text="集赞30个送同款，转发抽奖！")], {}, SHANGHAI)
    assert sorted((v.params["phrase"], v.params["reason"]) for v in found) == [
        ("转发抽奖", "reward_sharing"),
        ("集赞", "collect_likes"),
    ]


def test_the_refusals_of_one_post_come_in_a_fixed_order() -> None:
    # A post at 23:30 with ten pictures: the quiet hours are named before the pictures
    # (by rule), whatever order the checks ran in
    found = check_plan([post(1, at(24, 23, 30), images=10)], {}, SHANGHAI)
    assert [v.rule for v in found] == [RuleCode.QUIET_HOURS, RuleCode.TOO_MANY_IMAGES]
    # One rule broken on two accounts: the first account first
    both = [post(1, at(24, 23, 30), accounts=(2, 1))]
    assert [v.account_id for v in check_plan(both, {}, SHANGHAI)] == [1, 2]


def test_a_post_listed_twice_on_one_account_is_not_too_close_to_itself() -> None:
    assert rules_of([post(1, at(24, 12), accounts=(1, 1))]) == []


def test_two_posts_at_the_same_minute_are_named_in_the_order_they_were_made() -> None:
    second = replace(post(2, at(24, 12)), text="第二条")
    first = replace(post(1, at(24, 12)), text="第一条")
    (found,) = check_plan([second, first], {}, SHANGHAI)
    assert found.post_ids == (1, 2)
    assert (found.params["first_hook"], found.params["second_hook"]) == ("第一条", "第二条")
    assert found.params["gap_minutes"] == 0


def test_blank_lines_around_the_text_take_no_line() -> None:
    assert visual_lines("\n好\n") == 1
    assert visual_lines("\n\n好\n好\n\n") == 2


def test_refusals_of_one_rule_on_one_post_come_in_a_fixed_order() -> None:
    found = check_plan([post(1, at(24, 12), text="集赞30个送同款，转发抽奖！")], {}, SHANGHAI)
    assert [v.params["phrase"] for v in found] == ["转发抽奖", "集赞"]


def test_every_time_rule_names_the_account_it_was_broken_on() -> None:
    # Account 2 breaks every time rule: quiet hours, four posts a day, the gap, eleven
    # sales posts a week, the same product twice, a sales-heavy week
    strict = replace(DEFAULTS, max_sales_posts_per_week=3)
    items = [
        post(i, at(23 + i // 2, 9 + 2 * (i % 2)), SALE, accounts=(2,), products=(7,))
        for i in range(8)
    ]
    items += [post(20 + i, at(24, 13 + i), accounts=(2,)) for i in range(2)]
    items.append(post(30, at(24, 23, 30), accounts=(2,)))
    found = check_plan(items, {2: strict}, SHANGHAI)
    rules = {v.rule for v in found}
    assert rules >= {
        RuleCode.QUIET_HOURS,
        RuleCode.MAX_PER_DAY,
        RuleCode.MIN_GAP,
        RuleCode.SALES_PER_WEEK,
        RuleCode.PRODUCT_COOLDOWN,
        RuleCode.SALES_MIX,
    }
    assert {v.account_id for v in found if v.rule in TIME_RULES} == {2}


def test_the_gap_is_counted_in_whole_minutes() -> None:
    items = [post(1, at(24, 12)), post(2, at(24, 12) + timedelta(minutes=119, seconds=59))]
    (found,) = check_plan(items, {}, SHANGHAI)
    assert found.params["gap_minutes"] == 119


def test_a_ledger_of_one_post_a_day_and_one_sale_a_week_admits_the_first() -> None:
    ledger = AccountLedger(
        replace(DEFAULTS, max_posts_per_day=1, max_sales_posts_per_week=1), SHANGHAI
    )
    assert ledger.blocking_rule(at(24, 12), SALE) is None
    ledger.add(at(24, 12), SALE)
    assert ledger.blocking_rule(at(24, 18), PostKind.LIFESTYLE) is RuleCode.MAX_PER_DAY
    assert ledger.blocking_rule(at(25, 12), SALE) is RuleCode.SALES_PER_WEEK


# -- the laptop's own clock setting changes nothing ---------------------------------------------


@pytest.fixture
def laptop_far_east(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's own zone is UTC+14 while the seller plans in Shanghai time."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


@pytest.mark.usefixtures("laptop_far_east")
def test_the_rules_work_in_the_sellers_zone_not_the_laptops() -> None:
    # Cadence slots: quiet hours are read on the wall clock
    assert time_in_quiet_hours(time(23, 30), DEFAULTS)
    assert not time_in_quiet_hours(time(12, 0), DEFAULTS)
    # A suggestion inside 18:00–20:00 quiet hours moves to 20:00 the same Shanghai day
    evening = replace(DEFAULTS, quiet_start=time(18), quiet_end=time(20))
    late = datetime(2026, 11, 24, 18, 30, tzinfo=SHANGHAI).astimezone(UTC)
    assert after_quiet_hours(late, SHANGHAI, evening) == datetime(2026, 11, 24, 20, tzinfo=SHANGHAI)
    # Auto-drafting counts Shanghai days: 19:00 and 21:30 are still Tuesday there
    ledger = AccountLedger(DEFAULTS, SHANGHAI)
    for hour in (8, 12, 19):
        ledger.add(at(24, hour), PostKind.LIFESTYLE)
    assert ledger.blocking_rule(at(24, 21, 30), PostKind.LIFESTYLE) is RuleCode.MAX_PER_DAY
    # The gauge's week holds Sunday evening in Shanghai
    sunday = [post(1, at(29, 20), SALE)]
    assert mix_gauge(sunday, 1, date(2026, 11, 23), SHANGHAI).sales == 1


def test_the_gauge_reads_every_post_past_one_it_leaves_out() -> None:
    items = [post(1, at(24, 12), accounts=(2,)), post(2, at(24, 20), SALE)]
    assert mix_gauge(items, 1, date(2026, 11, 24), SHANGHAI).sales == 1


# -- where the text folds ----------------------------------------------------------------------


def test_the_fold_follows_the_accounts_fold_setting() -> None:
    shown, hidden = split_at_fold("好" * 60, fold_chars=50)
    assert (len(shown), len(hidden)) == (48, 12)  # six lines of eight (50 / 6)
    assert split_at_fold("好" * 7, fold_chars=6) == ("好" * 6, "好")  # one a line


def test_a_line_after_a_break_starts_empty_and_a_full_line_fits() -> None:
    # 138 fold characters make lines of exactly 23
    assert split_at_fold("好" * 139, fold_chars=138) == ("好" * 138, "好")
    # After a paragraph break the next line starts empty: 23 fit on each
    shown, hidden = split_at_fold("一\n" + "好" * 200)
    assert shown == "一\n" + "好" * 115 and hidden == "好" * 85


def test_the_fold_drops_only_the_line_breaks_around_it() -> None:
    text = "1\n2\n3\n4\n第五行到XX\n\n  XL码第七行"
    assert split_at_fold(text) == ("1\n2\n3\n4\n第五行到XX", "  XL码第七行")
    spaced = "1\n2\n3\n4\n5\n6  \n\nXL"
    assert split_at_fold(spaced) == ("1\n2\n3\n4\n5\n6  ", "XL")


def test_a_post_a_moment_short_of_seven_days_earlier_is_still_in_the_mix_window() -> None:
    start = at(23, 12)
    later = start + timedelta(days=7, microseconds=-1)
    items = [post(0, start, SALE)] + [post(i, later, SALE) for i in range(1, 6)]
    assert rules_of(items, CALM) == [RuleCode.SALES_MIX]
    items[0] = post(0, start - timedelta(microseconds=1), SALE)
    assert rules_of(items, CALM) == []


def test_a_space_or_letter_past_a_full_line_wraps_and_a_tiny_fold_holds_one_a_line() -> None:
    assert visual_lines("好" * 24 + " ", fold_chars=144) == 2
    assert visual_lines("好" * 24 + "X", fold_chars=144) == 2
    assert visual_lines("   " + "好" * 23, fold_chars=144) == 2  # an indent takes room
    assert visual_lines("好" * 7, fold_chars=6) == 7


def test_a_post_without_an_account_is_checked_with_the_default_limits() -> None:
    narrow = replace(DEFAULTS, fold_chars=50)
    items = [post(1, at(24, 12), accounts=(), text="好" * 60)]
    assert [v.rule for v in check_plan(items, {1: narrow}, SHANGHAI)] == [RuleCode.NO_ACCOUNT]
