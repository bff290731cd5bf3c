"""``moments-desk plan``: auto-drafting from the command line, with the rule check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from moments_desk.cli.commands import _parser
from moments_desk.cli.plan import plan_command
from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.planning.settings import set_shop_zone
from moments_desk.core.shared.uow import write
from moments_desk.scheduling.clock import FakeClock
from moments_desk.startup import open_shop

NOW = datetime(2026, 11, 22, 4, tzinfo=UTC)


def _demo_shop(folder: Path) -> None:
    shop = open_shop(folder)
    try:
        populate_demo(shop.engine, now=NOW, zone=ZoneInfo("Asia/Shanghai"))
        write(shop.sessions, lambda s: set_shop_zone(s, "Asia/Shanghai"))
    finally:
        shop.close()


def test_plan_drafts_the_free_slots_and_prints_the_rule_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _demo_shop(tmp_path)
    args = _parser().parse_args(["plan", "--weeks", "4", "--data-dir", str(tmp_path), "--dry-run"])
    assert plan_command(args, FakeClock(NOW)) == 0
    out = capsys.readouterr().out
    assert "{weekday}" not in out and "{星期}" not in out and "☀️周二午间小分享：" not in out
    assert "rule check: 0 hard" in out
    assert "dry run: nothing was written" in out
    # A dry run wrote nothing, so the real run drafts the same slots.
    args = _parser().parse_args(["plan", "--data-dir", str(tmp_path), "--lang", "zh_CN"])
    assert plan_command(args, FakeClock(NOW)) == 0
    first = capsys.readouterr().out
    assert "drafts: 0" not in first and "上新" in first
    assert plan_command(args, FakeClock(NOW)) == 0
    assert "drafts: 0" in capsys.readouterr().out  # idempotent


def test_plan_refuses_a_silly_horizon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _demo_shop(tmp_path)
    args = _parser().parse_args(["plan", "--weeks", "80", "--data-dir", str(tmp_path)])
    assert plan_command(args, FakeClock(NOW)) == 1
    assert "1 and 53 weeks" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 posts on Tue 24 Nov; this account allows 3 a day."),
        ("zh_CN", "11月24日（周二） 发了 4 条，本号每天最多 3 条。"),
    ],
)
def test_the_command_line_words_rule_messages_in_the_language_asked(
    language: str, expected: str
) -> None:
    """`plan --lang zh_CN` prints the rule check with the window's catalogue."""
    from moments_desk.cli.text import render
    from moments_desk.core.planning.messages import violation_message
    from moments_desk.core.planning.rules import RuleCode, RuleViolation, Severity

    violation = RuleViolation(
        RuleCode.MAX_PER_DAY,
        Severity.HARD,
        (1, 2, 3, 4),
        1,
        {"day": "2026-11-24", "count": 4, "limit": 3},
    )
    message, advice = (render(m, language) for m in violation_message(violation))
    assert message == expected and advice
