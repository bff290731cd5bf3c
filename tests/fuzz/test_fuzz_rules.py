"""Hypothesis against the anti-spam rule engine and the pasted likes/comments parser."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.planning.rules import PlanItem, RuleSettings, check_plan
from moments_desk.core.tracking.matching import parse_pasted
from moments_desk.db.models import PostKind, PostStatus
from tests.sentences import violation_text

FAST = settings(max_examples=40, deadline=None)
SLOW = settings(max_examples=1500, deadline=None)
START = datetime(2026, 3, 1, tzinfo=UTC)
texts = st.text(max_size=400) | st.sampled_from(
    ["集赞送好礼，转发抽红包", "￥AbCd1234￥ 淘口令", "👗" * 300, "\u200b\n" * 50, ""]
)


@st.composite
def plan_items(draw: st.DrawFn, post_id: int) -> PlanItem:
    at = draw(
        st.none()
        | st.integers(0, 60 * 24 * 60).map(lambda minutes: START + timedelta(minutes=minutes))
    )
    return PlanItem(
        post_id=post_id,
        kind=draw(st.sampled_from(list(PostKind))),
        at=at,
        account_ids=tuple(draw(st.lists(st.integers(1, 3), max_size=3))),
        status=draw(st.sampled_from(list(PostStatus))),
        product_ids=tuple(draw(st.lists(st.integers(1, 6), max_size=4))),
        image_count=draw(st.integers(0, 12)),
        text=draw(texts),
        missing_images=tuple(draw(st.lists(st.text(max_size=12), max_size=2))),
    )


@st.composite
def plans(draw: st.DrawFn) -> list[PlanItem]:
    count = draw(st.integers(0, 25))
    return [draw(plan_items(n + 1)) for n in range(count)]


rule_settings = st.builds(
    RuleSettings,
    max_posts_per_day=st.integers(0, 10),
    min_gap_minutes=st.integers(0, 24 * 60),
    quiet_start=st.times().map(lambda t: time(t.hour, t.minute)),
    quiet_end=st.times().map(lambda t: time(t.hour, t.minute)),
    max_sales_posts_per_week=st.integers(0, 30),
    sales_share_pct=st.integers(0, 100),
    mix_window_days=st.integers(1, 31),
    product_cooldown_days=st.integers(0, 60),
    fold_chars=st.integers(1, 400),
)
zones = st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/London")])


def check_rules(
    items: list[PlanItem], limits: RuleSettings, zone: tzinfo, order: list[int]
) -> None:
    found = check_plan(items, {1: limits}, zone, default=limits)
    shuffled = [items[i] for i in order] if len(order) == len(items) else items
    assert check_plan(shuffled, {1: limits}, zone, default=limits) == found
    known = {item.post_id for item in items}
    for violation in found:
        assert set(violation.post_ids) <= known
        for language in ("en", "zh_CN"):
            message, _advice = violation_text(violation, language)
            assert message.strip(), violation


@FAST
@given(items=plans(), limits=rule_settings, zone=zones, data=st.data())
def test_rule_engine_never_crashes(
    items: list[PlanItem], limits: RuleSettings, zone: tzinfo, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(list(range(len(items)))))
    check_rules(items, limits, zone, order)


@pytest.mark.slow
@SLOW
@given(items=plans(), limits=rule_settings, zone=zones, data=st.data())
def test_rule_engine_many(
    items: list[PlanItem], limits: RuleSettings, zone: tzinfo, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(list(range(len(items)))))
    check_rules(items, limits, zone, order)


pasted = st.lists(
    st.text(max_size=80)
    | st.sampled_from(
        ["张三，李四、王五", "小美：好看！多少钱", "回复 小美: 有M码吗", "长" * 5000]
    ),
    max_size=40,
).map("\n".join)


@FAST
@given(text=pasted)
def test_pasted_likes_and_comments_never_crash(text: str) -> None:
    parsed = parse_pasted(text)
    for group in (parsed.likes, parsed.comments):
        assert all(p.name.strip() and p.line >= 1 for p in group)
        assert len({p.name for p in group}) == len(group), "a name is kept once per kind"
