"""What the composer asks of core: a draft checked against the plan, saving it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from moments_desk.core.planning.composing import check_against_plan, save_draft
from moments_desk.core.planning.post_views import get_post
from moments_desk.core.planning.posts import PostDraft
from moments_desk.core.planning.rules import PlanItem, RuleCode
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import PostKind, PostStatus
from tests.core.planning.conftest import SHANGHAI, PlanningShop
from tests.core.planning.test_posts import local, new_post, schedule

pytestmark = pytest.mark.db


def unsaved(shop: PlanningShop, hour: int, minute: int = 0) -> PlanItem:
    return PlanItem(
        post_id=0,
        kind=PostKind.LIFESTYLE,
        at=local(24, hour, minute),
        account_ids=(shop.main,),
        status=PostStatus.SCHEDULED,
        product_ids=(),
        image_count=2,
        text="周末去看了银杏，黄得正好",
    )


def test_an_unsaved_draft_too_close_to_a_scheduled_post_is_told_so(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    schedule(shop, new_post(shop, local(24, 12)))
    near = read(
        shop.sessions,
        lambda s: check_against_plan(s, unsaved(shop, 12, 30), shop.media_root, SHANGHAI),
    )
    assert [v.rule for v in near.violations] == [RuleCode.MIN_GAP]
    assert set(near.settings) == {shop.main, shop.second}  # every account's limits
    far = read(
        shop.sessions, lambda s: check_against_plan(s, unsaved(shop, 20), shop.media_root, SHANGHAI)
    )
    assert far.violations == []


def test_a_saved_post_is_not_checked_against_itself(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12))
    schedule(shop, post_id)
    item = replace(unsaved(shop, 12, 10), post_id=post_id)
    check = read(shop.sessions, lambda s: check_against_plan(s, item, shop.media_root, SHANGHAI))
    assert check.violations == []


def test_a_draft_without_a_time_breaks_no_time_rule(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    item = replace(unsaved(shop, 12), at=None)
    check = read(shop.sessions, lambda s: check_against_plan(s, item, shop.media_root, SHANGHAI))
    assert check.violations == [] and shop.main in check.settings


def test_saving_creates_a_post_then_changes_the_same_one(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    draft = PostDraft(
        kind=PostKind.LIFESTYLE,
        text="第一稿",
        account_ids=[shop.main],
        image_media_ids=shop.pictures[:1],
        scheduled_at=local(25, 9),
    )
    post_id = write(shop.sessions, lambda s: save_draft(s, None, draft, None))
    changed = replace(draft, text="第二稿")
    assert write(shop.sessions, lambda s: save_draft(s, post_id, changed, None)) == post_id
    saved = read(shop.sessions, lambda s: get_post(s, post_id, shop.media_root, SHANGHAI))
    assert saved.text == "第二稿" and saved.status is PostStatus.DRAFT
