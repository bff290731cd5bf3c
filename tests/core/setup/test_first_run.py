"""Presets and the one-transaction shop setup behind the first-run wizard."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.export_settings import load_export_settings
from moments_desk.core.planning.cadence_presets import (
    CustomCadence,
    Preset,
    RuleDefaults,
    preset_slots,
    sales_slots_per_week,
)
from moments_desk.core.setup.first_run import (
    AccountSetup,
    FirstRunError,
    FirstRunPlan,
    apply_first_run,
    first_run_needed,
    load_existing,
    shop_name,
)
from moments_desk.core.shared import uow
from moments_desk.db.models import AccountRules, CadenceSlot, MediaFile, PostKind, WeChatAccount
from tests.sentences import in_chinese

pytestmark = pytest.mark.db


def test_presets_stand_for_the_promised_weeks() -> None:
    tue_thu = preset_slots(Preset.TUE_THU_NEW_DAILY_LIFE, "zh_CN")
    assert [(s.weekday, s.time_of_day, s.kind, s.label) for s in tue_thu] == [
        (1, time(20, 0), PostKind.NEW_ARRIVAL, "周二上新"),
        (3, time(20, 0), PostKind.NEW_ARRIVAL, "周四上新"),
        (None, time(12, 0), PostKind.LIFESTYLE, "生活分享"),
    ]
    (pick,) = preset_slots(Preset.DAILY_PICK, "zh_CN")
    assert (pick.weekday, pick.time_of_day, pick.label) == (None, time(21, 0), "#每日一荐#")
    assert pick.template == ""  # the planner rotates its built-in copy
    assert preset_slots(Preset.NONE) == []
    custom = preset_slots(
        Preset.CUSTOM, "en", CustomCadence((5, 0, 5), time(19, 30), daily_share_time=None)
    )
    assert [(s.weekday, s.label) for s in custom] == [
        (0, "Mon new arrivals"),
        (5, "Sat new arrivals"),
    ]
    # Every preset stays within the default cap of sales posts per week.
    for preset in Preset:
        assert sales_slots_per_week(preset_slots(preset)) <= RuleDefaults().max_sales_posts_per_week


def _avatar(tmp_path: Path) -> Path:
    path = tmp_path / "avatar.png"
    Image.new("RGB", (200, 200), "#07A35A").save(path)
    return path


def test_setup_writes_shop_accounts_avatar_rules_and_rhythm(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    assert uow.read(session_factory, first_run_needed)
    plan = FirstRunPlan(
        shop_name="  小棉袄的衣橱 ",
        accounts=(
            AccountSetup("主号", "小棉袄", "mianao", _avatar(tmp_path)),
            AccountSetup("小号", "小棉袄2"),
        ),
        preset=Preset.TUE_THU_NEW_DAILY_LIFE,
    )
    media = tmp_path / "media"
    result = uow.write(session_factory, lambda s: apply_first_run(s, plan, media))
    assert len(result.account_ids) == 2 and len(result.slot_ids) == 6
    with session_factory() as s:
        assert shop_name(s) == "小棉袄的衣橱"
        assert load_export_settings(s).watermark_text == "小棉袄的衣橱"
        main = s.get(WeChatAccount, result.account_ids[0])
        assert main is not None and main.nickname == "小棉袄" and main.avatar_path
        assert (media / main.avatar_path).is_file()
        assert s.scalar(select(MediaFile.rel_path)) == main.avatar_path
        rules = s.get(AccountRules, main.id)
        assert rules is not None
        assert (rules.max_posts_per_day, rules.min_gap_minutes) == (3, 120)
        assert (rules.quiet_start, rules.quiet_end) == (time(23, 0), time(7, 0))
        assert (rules.max_sales_posts_per_week, rules.sales_share_pct) == (10, 40)
        assert rules.product_cooldown_days == 7
        per_account = {
            a: n
            for a, n in s.execute(
                select(CadenceSlot.account_id, func.count()).group_by(CadenceSlot.account_id)
            )
        }
        assert per_account == {result.account_ids[0]: 3, result.account_ids[1]: 3}
        assert not first_run_needed(s)


def test_a_bad_avatar_names_the_account_and_writes_nothing(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    bad = tmp_path / "avatar.jpg"
    bad.write_bytes(b"not a picture at all")
    plan = FirstRunPlan(
        "店", (AccountSetup("主号"), AccountSetup("小号", avatar=bad)), Preset.DAILY_PICK
    )
    with pytest.raises(FirstRunError, match=r"Account 2 \(小号\).*avatar.jpg"):
        uow.write(session_factory, lambda s: apply_first_run(s, plan, tmp_path / "media"))
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WeChatAccount)) == 0
        assert s.scalar(select(func.count()).select_from(CadenceSlot)) == 0
        assert shop_name(s) == ""


def test_running_again_gives_the_rhythm_only_to_accounts_without_one(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    first = FirstRunPlan("店", (AccountSetup("主号"),), Preset.DAILY_PICK)
    uow.write(session_factory, lambda s: apply_first_run(s, first, tmp_path))
    existing = uow.read(session_factory, load_existing)
    assert existing.accounts == ("主号",) and not existing.is_empty
    again = FirstRunPlan("店", (AccountSetup("小号"),), Preset.TUE_THU_NEW_DAILY_LIFE)
    result = uow.write(session_factory, lambda s: apply_first_run(s, again, tmp_path))
    assert len(result.slot_ids) == 3
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CadenceSlot)) == 4


def test_missing_name_or_accounts_is_refused(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with pytest.raises(FirstRunError, match="name"):
        uow.write(
            session_factory,
            lambda s: apply_first_run(
                s, FirstRunPlan(" ", (AccountSetup("主号"),), Preset.NONE), tmp_path
            ),
        )
    with pytest.raises(FirstRunError, match="at least one"):
        uow.write(
            session_factory,
            lambda s: apply_first_run(s, FirstRunPlan("店", (), Preset.NONE), tmp_path),
        )


def test_a_custom_time_in_the_quiet_hours_is_refused_in_the_sellers_language(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    plan = FirstRunPlan(
        "店",
        (AccountSetup("主号"),),
        Preset.CUSTOM,
        language="zh_CN",
        custom=CustomCadence((1,), time(23, 30), daily_share_time=None),
    )
    with pytest.raises(FirstRunError, match="23:30") as refused:
        uow.write(session_factory, lambda s: apply_first_run(s, plan, tmp_path))
    # The refusal is a catalogue message: the seller's Chinese interface shows it in Chinese.
    assert "免打扰" in in_chinese(refused.value)
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WeChatAccount)) == 0
