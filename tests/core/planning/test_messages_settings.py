"""Messages in both languages for every code; per-account settings and the shop's zone."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.planning import labels, messages
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import plan_items
from moments_desk.core.planning.rules import (
    SEVERITY,
    RuleCode,
    RuleSettings,
    RuleViolation,
    check_plan,
    hard_violations,
)
from moments_desk.core.planning.settings import (
    load_all_rule_settings,
    load_rule_settings,
    save_rule_settings,
    set_shop_zone,
    shop_zone,
)
from moments_desk.core.planning.wording import ForbiddenReason
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import AccountRules
from tests.core.planning.conftest import PlanningShop
from tests.sentences import error_text, in_chinese, violation_text

#: Params documented for each rule code (RuleCode's docstring).
PARAMS: dict[RuleCode, dict[str, object]] = {
    RuleCode.MAX_PER_DAY: {"day": "2026-11-24", "count": 4, "limit": 3},
    RuleCode.MIN_GAP: {
        "gap_minutes": 30,
        "limit_minutes": 120,
        "first_time": "12:00",
        "second_time": "12:30",
        "first_hook": "降温了",
        "second_hook": "",
        "first_kind": "lifestyle",
        "second_kind": "new_arrival",
    },
    RuleCode.QUIET_HOURS: {"time": "23:30", "start": "23:00", "end": "07:00"},
    RuleCode.SALES_PER_WEEK: {"week_start": "2026-11-23", "count": 11, "limit": 10},
    RuleCode.SALES_MIX: {
        "sales": 5,
        "total": 7,
        "share_pct": 71,
        "target_pct": 40,
        "window_days": 7,
    },
    RuleCode.PRODUCT_COOLDOWN: {"product_id": 3, "days": 2, "limit_days": 7},
    RuleCode.TOO_MANY_IMAGES: {"count": 10, "limit": 9},
    RuleCode.TEXT_FOLDED: {"lines": 8, "fold_lines": 6},
    RuleCode.MISSING_IMAGE: {"files": "a.jpg", "count": 1},
    RuleCode.FORBIDDEN_TEXT: {"phrase": "集赞", "reason": "collect_likes"},
    RuleCode.INVITED_LIKES: {"phrase": "点赞的宝贝优先发货", "reason": "likes_for_priority"},
    RuleCode.NEAR_DUPLICATE: {"similarity_pct": 92, "days": 3, "other_hook": "上新｜开衫"},
    RuleCode.NO_ACCOUNT: {},
    RuleCode.NO_TIME: {},
    RuleCode.EMPTY_POST: {},
}


@pytest.mark.parametrize("code", list(RuleCode))
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_rule_renders_in_both_languages(code: RuleCode, language: str) -> None:
    v = RuleViolation(code, SEVERITY[code], (1,), 1, PARAMS[code])
    message, advice = violation_text(v, language)
    assert message and advice
    assert not re.search(r"\{\w+\}", message + advice), message  # every param filled
    other = violation_text(v, "en" if language == "zh_CN" else "zh_CN")
    assert (message, advice) != other
    if language == "zh_CN":
        assert re.search(r"[\u4e00-\u9fff]", advice)


def test_every_forbidden_reason_and_label_has_both_languages() -> None:
    assert set(messages.FORBIDDEN_REASONS) == {r.value for r in ForbiddenReason}
    assert in_chinese(labels.kind_label("new_arrival")) == "上新"
    assert in_chinese(labels.status_label("scheduled")) == "已排期"
    assert labels.empty_reason("min_gap") == "too close to another post"
    for reason in messages.FORBIDDEN_REASONS.values():
        assert in_chinese(reason)


def test_error_codes_render_with_their_params() -> None:
    text = error_text(
        "slot_too_close",
        {"first": "Tue 20:00", "second": "daily 21:00", "gap_minutes": 60, "limit_minutes": 120},
        "zh_CN",
    )
    assert text == "Tue 20:00 和 daily 21:00 只隔 60 分钟，本号两条朋友圈至少隔 120 分钟。"
    assert error_text("no_such_code", {}, "zh_CN") == "no_such_code"


def test_the_table_defaults_equal_the_engine_defaults() -> None:
    defaults = RuleSettings()
    for f in fields(RuleSettings):
        column = AccountRules.__table__.c[f.name]
        assert column.default is not None, f.name
        assert column.default.arg == getattr(defaults, f.name), f.name


@pytest.mark.db
def test_settings_per_account_round_trip_and_refuse_nonsense(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    relaxed = replace(RuleSettings(), max_posts_per_day=5, quiet_start=time(22, 0))
    write(shop.sessions, lambda s: save_rule_settings(s, shop.second, relaxed))
    assert read(shop.sessions, lambda s: load_rule_settings(s, shop.second)) == relaxed
    both = read(shop.sessions, load_all_rule_settings)
    assert both == {shop.main: RuleSettings(), shop.second: relaxed}
    with pytest.raises(PlanningError) as caught:
        write(
            shop.sessions,
            lambda s: save_rule_settings(s, shop.main, replace(relaxed, sales_share_pct=140)),
        )
    assert caught.value.field == "sales_share_pct"
    assert "0 到 100" in error_text(caught.value.code, caught.value.params, "zh_CN")


@pytest.mark.db
def test_the_shop_zone_is_saved_by_name(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    assert read(shop.sessions, shop_zone) == ZoneInfo("Asia/Shanghai")
    write(shop.sessions, lambda s: set_shop_zone(s, "Europe/Berlin"))
    assert read(shop.sessions, shop_zone) == ZoneInfo("Europe/Berlin")
    with pytest.raises(PlanningError) as caught:
        write(shop.sessions, lambda s: set_shop_zone(s, "Mars/Olympus"))
    assert caught.value.code == "unknown_zone"


@pytest.mark.db
@pytest.mark.parametrize("hour", [4, 16])  # noon in Shanghai, and half past midnight
def test_the_demo_shop_plans_four_weeks_without_breaking_hard_rules(db_url: str, hour: int) -> None:
    from moments_desk.db.engine import make_engine, make_session_factory
    from moments_desk.db.migrate import upgrade_to_head

    engine = make_engine(db_url)
    upgrade_to_head(engine)
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 22, hour, 30, tzinfo=UTC)
    populate_demo(engine, now=now, zone=zone)
    sessions = make_session_factory(engine)
    ahead = read(sessions, lambda s: plan_items(s, now, now + timedelta(days=15)))
    assert len(ahead) > 20  # two weeks are already planned
    outcome = write(sessions, lambda s: plan_weeks(s, 4, now, zone=zone))
    assert outcome.created and outcome.kept
    items = read(sessions, lambda s: plan_items(s, now, now + timedelta(weeks=5)))
    assert hard_violations(check_plan(items, read(sessions, load_all_rule_settings), zone)) == []
    engine.dispose()
