"""The demo's missed posts are placed where a seller could have posted them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.demo.demo_team import missed_times
from moments_desk.core.planning.post_views import plan_items
from moments_desk.core.planning.rules import (
    RuleSettings,
    check_plan,
    hard_violations,
    in_quiet_hours,
)
from moments_desk.core.planning.settings import load_all_rule_settings
from moments_desk.core.reports.dashboard import load_dashboard
from moments_desk.core.shared.uow import read
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Post, PostStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("hour", range(24))
def test_missed_times_are_past_awake_and_on_two_days(hour: int) -> None:
    now = datetime(2026, 11, 22, hour, 10, tzinfo=UTC)
    recent, earlier = missed_times(now, SHANGHAI)
    settings = RuleSettings()
    for moment in (recent, earlier):
        assert moment < now
        assert not in_quiet_hours(moment, SHANGHAI, settings)
    assert earlier.astimezone(SHANGHAI).date() < recent.astimezone(SHANGHAI).date()
    assert now - recent < timedelta(hours=20)  # "just missed", not days old


@pytest.mark.parametrize("hour", [0, 15, 22])  # 08:10, 23:10 and 06:10 in Shanghai
def test_the_demo_shop_breaks_no_hard_rule_and_next_is_ahead(tmp_path: Path, hour: int) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    upgrade_to_head(engine)
    now = datetime(2026, 11, 22, hour, 10, tzinfo=UTC)
    populate_demo(engine, now=now, zone=SHANGHAI)
    sessions = make_session_factory(engine)
    items = read(
        sessions, lambda s: plan_items(s, now - timedelta(days=3), now + timedelta(days=14))
    )
    violations = check_plan(items, read(sessions, load_all_rule_settings), SHANGHAI)
    assert hard_violations(violations) == []
    missed = read(
        sessions,
        lambda s: list(
            s.scalars(
                select(Post.scheduled_at).where(
                    Post.status == PostStatus.SCHEDULED, Post.scheduled_at < now
                )
            )
        ),
    )
    assert len(missed) == 2
    board = read(sessions, lambda s: load_dashboard(s, now, SHANGHAI))
    assert board.next_due_at is None or board.next_due_at > now
    engine.dispose()
