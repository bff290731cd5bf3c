"""The anti-spam rule engine: every rule, and properties over random plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.planning.rules import (
    FOLD_LINES,
    AccountLedger,
    PlanItem,
    RuleCode,
    RuleSettings,
    Severity,
    after_quiet_hours,
    check_plan,
    hard_violations,
    mix_gauge,
    split_at_fold,
    visual_lines,
)
from moments_desk.db.models import PostKind, PostStatus
from tests.sentences import violation_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
DEFAULTS = RuleSettings()


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = SHANGHAI) -> datetime:
    """A local time in Nov 2026 (the 23rd is a Monday), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=zone).astimezone(UTC)


_OPENINGS = (
    "今天的穿搭",
    "早安咖啡",
    "周末去爬山",
    "新到的布料",
    "雨天在家",
    "晚饭做了汤",
    "路边的花",
)
_ENDINGS = (
    "心情很好",
    "分享给你们",
    "拍了几张",
    "随手记一下",
    "大家周末愉快",
    "真的好看",
    "记录一下",
)


def caption_for(pid: int) -> str:
    """A different caption per post: repeated captions are a rule of their own."""
    return _OPENINGS[pid % 7] + "，" + _ENDINGS[(pid // 7) % 7] + f"（{pid}）"


def post(
    pid: int,
    when: datetime | None,
    kind: PostKind = PostKind.LIFESTYLE,
    *,
    accounts: tuple[int, ...] = (1,),
    products: tuple[int, ...] = (),
    images: int = 1,
    text: str | None = None,
    status: PostStatus = PostStatus.SCHEDULED,
    missing: tuple[str, ...] = (),
) -> PlanItem:
    caption = caption_for(pid) if text is None else text
    return PlanItem(pid, kind, when, accounts, status, products, images, caption, missing)


def rules_of(items: list[PlanItem], s: RuleSettings = DEFAULTS) -> list[RuleCode]:
    return [v.rule for v in check_plan(items, {1: s, 2: s}, SHANGHAI)]


def test_a_calm_week_breaks_no_rule() -> None:
    items = [
        post(1, at(23, 12)),
        post(2, at(24, 20), PostKind.NEW_ARRIVAL, products=(1,)),
        post(3, at(25, 12)),
        post(4, at(26, 20), PostKind.NEW_ARRIVAL, products=(2,)),
        post(5, at(27, 12)),
    ]
    assert check_plan(items, {}, SHANGHAI) == []


def test_four_posts_a_day_break_the_daily_limit_naming_all_four() -> None:
    items = [post(i, at(24, 9 + 3 * i)) for i in range(4)]
    (found,) = check_plan(items, {}, SHANGHAI)
    assert found.rule is RuleCode.MAX_PER_DAY and found.severity is Severity.HARD
    assert found.post_ids == (0, 1, 2, 3)
    assert found.params == {"day": "2026-11-24", "count": 4, "limit": 3}
    message, _advice = violation_text(found, "en")
    assert "4 posts" in message and "allows 3" in message
    assert "11月24日" in violation_text(found, "zh_CN")[0]


def test_the_day_is_the_sellers_local_day() -> None:
    # 23:30 UTC on the 23rd is 07:30 on the 24th in Shanghai: same local day as the others.
    items = [post(1, datetime(2026, 11, 23, 23, 30, tzinfo=UTC))]
    items += [post(i, at(24, 8 + 3 * i)) for i in range(2, 5)]
    assert RuleCode.MAX_PER_DAY in rules_of(items)


def test_posts_closer_than_the_gap_are_named_in_pairs() -> None:
    items = [post(1, at(24, 12)), post(2, at(24, 13, 30)), post(3, at(24, 20))]
    (found,) = check_plan(items, {}, SHANGHAI)
    assert found.rule is RuleCode.MIN_GAP and found.post_ids == (1, 2)
    assert (found.params["gap_minutes"], found.params["limit_minutes"]) == (90, 120)


def test_the_gap_refusal_names_the_other_post() -> None:
    first = replace(post(1, at(24, 12)), text="降温了，出门记得多穿一件。\n第二行")
    second = replace(post(2, at(24, 13, 30), PostKind.NEW_ARRIVAL), text="")
    (found,) = check_plan([first, second], {}, SHANGHAI)
    zh = violation_text(found, "zh_CN")[0]
    assert (
        zh
        == "12:00「降温了，出门记得多穿一件。」和 13:30「上新」只隔了 90 分钟，至少要隔 120 分钟。"
    )
    assert "12:00 (降温了，出门记得多穿一件。)" in violation_text(found)[0]


def test_a_post_at_midnight_is_in_the_quiet_hours() -> None:
    found = check_plan([post(1, at(24, 23, 30)), post(2, at(25, 6, 59))], {}, SHANGHAI)
    assert [v.rule for v in found] == [RuleCode.QUIET_HOURS, RuleCode.QUIET_HOURS]
    assert found[0].params == {"time": "23:30", "start": "23:00", "end": "07:00"}
    assert rules_of([post(1, at(25, 7))]) == []


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    lunch = replace(DEFAULTS, quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert rules_of([post(1, at(24, 13))], lunch) == [RuleCode.QUIET_HOURS]
    assert rules_of([post(1, at(24, 23, 30))], lunch) == []


def test_too_many_sales_posts_in_a_week() -> None:
    s = replace(DEFAULTS, max_sales_posts_per_week=2, sales_share_pct=100)
    items = [post(i, at(23 + i, 20), PostKind.PROMOTION, products=(i,)) for i in range(3)]
    assert rules_of(items, s) == [RuleCode.SALES_PER_WEEK]
    # The next Monday starts a new week.
    items[2] = post(2, at(30, 20), PostKind.PROMOTION, products=(2,))
    assert rules_of(items, s) == []


def test_sales_heavy_window_warns_softly_and_lifestyle_posts_fix_it() -> None:
    sales = [post(i, at(23 + i, 20), PostKind.NEW_ARRIVAL, products=(i,)) for i in range(6)]
    found = check_plan(sales, {}, SHANGHAI)
    assert [v.rule for v in found] == [RuleCode.SALES_MIX]
    assert found[0].severity is Severity.SOFT
    assert found[0].params["share_pct"] == 100 and found[0].params["target_pct"] == 40
    calm = sales + [post(10 + i, at(23 + i, 12)) for i in range(6)]
    calm += [post(20 + i, at(23 + i, 9)) for i in range(4)]
    assert check_plan(calm, {}, SHANGHAI) == []


def test_the_same_product_within_the_cooldown() -> None:
    items = [
        post(1, at(23, 20), PostKind.PROMOTION, products=(7,)),
        post(2, at(27, 20), PostKind.PROMOTION, products=(7,)),
        post(3, at(23, 12)),
        post(4, at(24, 12)),
        post(5, at(25, 12)),
    ]
    (found,) = check_plan(items, {}, SHANGHAI)
    assert found.rule is RuleCode.PRODUCT_COOLDOWN and found.severity is Severity.SOFT
    assert found.params == {"product_id": 7, "days": 4, "limit_days": 7}


def test_ten_pictures_are_refused() -> None:
    (found,) = check_plan([post(1, at(24, 12), images=10)], {}, SHANGHAI)
    assert found.rule is RuleCode.TOO_MANY_IMAGES and found.hard
    assert found.params == {"count": 10, "limit": 9}
    assert rules_of([post(1, at(24, 12), images=9)]) == []


def test_a_missing_picture_file_is_named() -> None:
    (found,) = check_plan([post(1, at(24, 12), missing=("coat.jpg",))], {}, SHANGHAI)
    assert found.rule is RuleCode.MISSING_IMAGE and found.hard
    assert "coat.jpg" in violation_text(found, "en")[0]


def test_long_text_folds_softly() -> None:
    text = "第一行是钩子\n" + "\n".join(f"第{i}行" for i in range(2, 9))
    (found,) = check_plan([post(1, at(24, 12), text=text)], {}, SHANGHAI)
    assert found.rule is RuleCode.TEXT_FOLDED and not found.hard
    assert found.params["lines"] == 8 and found.params["fold_lines"] == FOLD_LINES
    assert "first line" in violation_text(found, "en")[1]


def test_forbidden_text_refuses_scheduling_per_phrase() -> None:
    found = check_plan([post(1, at(24, 12), text="集赞30个送同款，转发抽奖！")], {}, SHANGHAI)
    assert {(v.rule, v.params["phrase"]) for v in found} == {
        (RuleCode.FORBIDDEN_TEXT, "集赞"),
        (RuleCode.FORBIDDEN_TEXT, "转发抽奖"),
    }
    assert all(v.hard for v in found)
    assert any("集赞" in violation_text(v, "zh_CN")[0] for v in found)


def test_an_override_with_a_reason_turns_forbidden_text_into_a_warning_naming_it() -> None:
    item = replace(post(1, at(24, 12), text="转发有奖，评论区见"), wording_override="线下活动")
    (found,) = check_plan([item], {}, SHANGHAI)
    assert found.rule is RuleCode.FORBIDDEN_TEXT and not found.hard
    assert "线下活动" in violation_text(found, "zh_CN")[1]


def test_inviting_likes_for_priority_is_a_warning_with_the_reason() -> None:
    (found,) = check_plan([post(1, at(24, 12), text="点赞的宝贝优先发货")], {}, SHANGHAI)
    assert found.rule is RuleCode.INVITED_LIKES and not found.hard
    assert "诱导点赞" in violation_text(found, "zh_CN")[0]


def test_a_caption_80_percent_alike_within_14_days_is_a_warning() -> None:
    first = "✨上新｜燕麦色羊毛开衫，软糯不扎，到手价 ¥199"
    again = "✨上新｜燕麦色羊毛开衫，软糯不扎，到手价 ¥189"
    items = [post(1, at(10, 12), text=first), post(2, at(20, 12), text=again)]
    (found,) = check_plan(items, {}, SHANGHAI)
    assert found.rule is RuleCode.NEAR_DUPLICATE and found.post_ids == (1, 2)
    assert found.params["similarity_pct"] >= 80 and found.params["days"] == 10
    later = [post(1, at(1, 12), text=first), post(2, at(20, 12), text=again)]
    assert check_plan(later, {}, SHANGHAI) == []  # 19 days apart
    other = [post(1, at(10, 12), text=first), post(2, at(12, 12), text="周末去爬山，山顶好冷")]
    assert check_plan(other, {}, SHANGHAI) == []


def test_a_post_without_account_time_or_content_cannot_go_out() -> None:
    found = check_plan([post(1, None, accounts=(), images=0, text=" ")], {}, SHANGHAI)
    assert {v.rule for v in found} == {RuleCode.NO_ACCOUNT, RuleCode.NO_TIME, RuleCode.EMPTY_POST}
    assert all(v.hard for v in found)


def test_skipped_posts_do_not_count() -> None:
    items = [post(1, at(24, 12)), post(2, at(24, 13), status=PostStatus.SKIPPED)]
    assert check_plan(items, {}, SHANGHAI) == []


def test_limits_are_per_account() -> None:
    items = [post(1, at(24, 12), accounts=(1,)), post(2, at(24, 13), accounts=(2,))]
    assert check_plan(items, {}, SHANGHAI) == []
    both = [*items, post(3, at(24, 12, 30), accounts=(1, 2))]
    found = check_plan(both, {}, SHANGHAI)
    assert sorted((v.account_id, v.post_ids) for v in found) == [(1, (1, 3)), (2, (2, 3))]


def test_per_account_settings_apply() -> None:
    relaxed = replace(DEFAULTS, min_gap_minutes=30)
    items = [post(1, at(24, 12)), post(2, at(24, 13))]
    assert check_plan(items, {1: relaxed}, SHANGHAI) == []
    assert rules_of(items) == [RuleCode.MIN_GAP]


def test_days_stay_local_across_the_dst_change() -> None:
    # Berlin leaves summer time on 25 Oct 2026: 20:00 is 18:00 UTC before, 19:00 UTC after.
    before = datetime(2026, 10, 24, 20, tzinfo=BERLIN)
    after = datetime(2026, 10, 26, 20, tzinfo=BERLIN)
    night = datetime(2026, 10, 25, 23, 30, tzinfo=BERLIN)
    items = [post(1, before), post(2, after), post(3, night)]
    found = check_plan(items, {}, BERLIN)
    assert [(v.rule, v.params.get("time")) for v in found] == [(RuleCode.QUIET_HOURS, "23:30")]


def test_the_mix_gauge_counts_this_local_week() -> None:
    items = [
        post(1, at(23, 12)),
        post(2, at(24, 20), PostKind.NEW_ARRIVAL),
        post(3, at(25, 12), accounts=(2,)),
        post(4, at(30, 12)),
        post(5, at(26, 12), status=PostStatus.SKIPPED),
    ]
    gauge = mix_gauge(items, 1, at(27, 9).date(), SHANGHAI)
    assert (gauge.sales, gauge.non_sales, gauge.sales_pct, gauge.target_sales_pct) == (1, 1, 50, 40)
    assert not gauge.over_target  # two posts say nothing yet


def test_fold_split_keeps_the_first_six_lines() -> None:
    text = "\n".join(f"第{i}行" for i in range(1, 10))
    shown, hidden = split_at_fold(text)
    assert shown.split("\n") == [f"第{i}行" for i in range(1, 7)]
    assert hidden.startswith("第7行")
    assert split_at_fold("短短一句") == ("短短一句", "")
    # One long paragraph wraps: 140 Chinese characters fill six lines.
    assert visual_lines("好" * 140) == 6 and visual_lines("好" * 141) == 7
    assert visual_lines("a" * 140) == 3  # Latin letters are narrower


# -- properties --------------------------------------------------------------------------------

START = datetime(2026, 11, 23, tzinfo=UTC)
kinds = st.sampled_from(list(PostKind))
items_strategy = st.lists(
    st.builds(
        lambda pid, minutes, kind, accounts, products, images, text: PlanItem(
            pid,
            kind,
            START + timedelta(minutes=minutes),
            accounts,
            PostStatus.SCHEDULED,
            products,
            images,
            text,
        ),
        st.integers(1, 10_000),
        st.integers(0, 14 * 24 * 60),
        kinds,
        st.sampled_from([(1,), (2,), (1, 2)]),
        st.lists(st.integers(1, 5), max_size=3).map(tuple),
        st.integers(0, 11),
        st.sampled_from(["", "新品到了", "集赞送", "a\nb\nc\nd\ne\nf\ng"]),
    ),
    max_size=25,
    unique_by=lambda item: item.post_id,
)


@settings(max_examples=150, deadline=None)
@given(items_strategy, st.randoms(use_true_random=False))
def test_checking_does_not_depend_on_order(items: list[PlanItem], rnd: object) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert check_plan(items, {}, SHANGHAI) == check_plan(shuffled, {}, SHANGHAI)


def _hard_keys(items: list[PlanItem]) -> set[tuple[RuleCode, int | None, tuple[int, ...]]]:
    return {
        (v.rule, v.account_id, v.post_ids) for v in hard_violations(check_plan(items, {}, SHANGHAI))
    }


@settings(max_examples=150, deadline=None)
@given(items_strategy, items_strategy)
def test_adding_posts_never_removes_a_hard_violation(
    items: list[PlanItem], extra: list[PlanItem]
) -> None:
    ids = {i.post_id for i in items}
    more = items + [e for e in extra if e.post_id not in ids]
    after = hard_violations(check_plan(more, {}, SHANGHAI))
    for before in hard_violations(check_plan(items, {}, SHANGHAI)):
        assert any(
            v.rule is before.rule
            and v.account_id == before.account_id
            and set(before.post_ids) <= set(v.post_ids)
            for v in after
        ), before


@settings(max_examples=150, deadline=None)
@given(items_strategy, st.integers(0, 14 * 24 * 60), kinds, st.sampled_from([1, 2]))
def test_the_ledger_admits_only_posts_that_break_no_hard_time_rule(
    items: list[PlanItem], minutes: int, kind: PostKind, account: int
) -> None:
    ledger = AccountLedger(DEFAULTS, SHANGHAI)
    clean = [replace(i, account_ids=(account,), image_count=1, text="x") for i in items]
    kept: list[PlanItem] = []
    for item in sorted(clean, key=lambda i: (i.at, i.post_id)):
        assert item.at is not None
        if ledger.blocking_rule(item.at, item.kind) is None:
            ledger.add(item.at, item.kind)
            kept.append(item)
    assert hard_violations(check_plan(kept, {}, SHANGHAI)) == []
    new = PlanItem(
        99_999, kind, START + timedelta(minutes=minutes), (account,), text="x", image_count=1
    )
    admitted = ledger.blocking_rule(new.at, kind) is None  # type: ignore[arg-type]
    broken = hard_violations(check_plan([*kept, new], {}, SHANGHAI))
    assert admitted == (broken == [])


def test_a_suggested_time_inside_quiet_hours_moves_to_their_end() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    quiet = RuleSettings(quiet_start=time(23, 0), quiet_end=time(7, 0))
    before_midnight = datetime(2026, 11, 22, 23, 30, tzinfo=zone)
    after_midnight = datetime(2026, 11, 23, 1, 0, tzinfo=zone)
    daytime = datetime(2026, 11, 23, 15, 0, tzinfo=zone)
    morning = datetime(2026, 11, 23, 7, 0, tzinfo=zone)
    assert after_quiet_hours(before_midnight, zone, quiet) == morning
    assert after_quiet_hours(after_midnight.astimezone(UTC), zone, quiet) == morning
    assert after_quiet_hours(daytime, zone, quiet) == daytime
