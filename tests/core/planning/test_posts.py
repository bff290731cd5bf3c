"""The post service: drafts, the status flow, refusals with messages, the preview's data."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.planning import publishing
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import get_post, list_posts, week_mix
from moments_desk.core.planning.posts import (
    PostDraft,
    RuleRefusal,
    create_post,
    delete_post,
    move_post,
    product_picture_ids,
    schedule_post,
    unschedule_post,
    update_post,
)
from moments_desk.core.planning.reminders import claim_post_due
from moments_desk.core.planning.rules import RuleCode
from moments_desk.core.shared.uow import read, write
from moments_desk.core.team.approval import set_approval_required
from moments_desk.db.models import (
    AudienceMode,
    AuditEntry,
    MediaFile,
    PostKind,
    PostStatus,
    Tag,
    User,
    UserRole,
)
from tests.core.planning.conftest import SHANGHAI, PlanningShop
from tests.core.planning.test_rules import caption_for
from tests.sentences import violation_text

pytestmark = pytest.mark.db


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


_COUNTER = itertools.count(1)


def new_post(shop: PlanningShop, when: datetime | None, **kw: object) -> int:
    draft = PostDraft(
        kind=kw.pop("kind", PostKind.LIFESTYLE),  # type: ignore[arg-type]
        text=str(kw.pop("text", None) or caption_for(next(_COUNTER))),
        account_ids=list(kw.pop("accounts", [shop.main])),  # type: ignore[call-overload]
        image_media_ids=list(kw.pop("images", shop.pictures[:2])),  # type: ignore[call-overload]
        scheduled_at=when,
        **kw,  # type: ignore[arg-type]
    )
    return write(shop.sessions, lambda s: create_post(s, draft))


def schedule(shop: PlanningShop, post_id: int) -> None:
    write(shop.sessions, lambda s: schedule_post(s, post_id, shop.media_root, SHANGHAI))


def view(shop: PlanningShop, post_id: int):  # type: ignore[no-untyped-def]
    return read(shop.sessions, lambda s: get_post(s, post_id, shop.media_root, SHANGHAI))


def test_a_draft_round_trips_with_everything_the_preview_needs(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    tag = write(shop.sessions, lambda s: _tag(s, "老客户"))
    post_id = new_post(
        shop,
        local(24, 20),
        kind=PostKind.NEW_ARRIVAL,
        text="✨周二上新｜法式碎花连衣裙\n显瘦",
        images=list(reversed(shop.pictures[:3])),
        product_ids=[shop.products["NEW1"]],
        audience_mode=AudienceMode.VISIBLE_TO,
        audience_tag_ids=[tag],
    )
    v = view(shop, post_id)
    assert v.status is PostStatus.DRAFT and v.edited_by_person and not v.auto_drafted
    assert v.text.startswith("✨周二上新")
    assert [i.media_id for i in v.images] == list(reversed(shop.pictures[:3]))
    assert all(p.is_file() for p in v.image_paths)
    assert v.account_nickname == "棉袄小铺🌸"
    assert [p.name for p in v.products] == ["法式碎花连衣裙"]
    assert [t.name for t in v.audience_tags] == ["老客户"]
    assert v.local_time(SHANGHAI) == local(24, 20)
    assert v.to_draft().image_media_ids == list(reversed(shop.pictures[:3]))


def _tag(session, name: str) -> int:  # type: ignore[no-untyped-def]
    tag = Tag(name=name)
    session.add(tag)
    session.flush()
    return tag.id


def test_partial_audience_needs_a_tag(planning_shop: PlanningShop) -> None:
    with pytest.raises(PlanningError) as caught:
        new_post(planning_shop, None, audience_mode=AudienceMode.HIDDEN_FROM)
    assert caught.value.code == "audience_without_tags"


def test_the_status_flow(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12))
    schedule(shop, post_id)
    assert view(shop, post_id).status is PostStatus.SCHEDULED
    due = local(24, 12, 1).astimezone(UTC)
    assert write(shop.sessions, lambda s: claim_post_due(s, post_id, "laptop", due))
    assert view(shop, post_id).status is PostStatus.DUE
    posted = local(24, 12, 5).astimezone(UTC)
    write(shop.sessions, lambda s: publishing.mark_posted(s, post_id, None, None, posted))
    v = view(shop, post_id)
    assert v.status is PostStatus.POSTED and v.posted_at == local(24, 12, 5)
    with pytest.raises(PlanningError) as caught:
        write(shop.sessions, lambda s: update_post(s, post_id, v.to_draft()))
    assert caught.value.code == "not_editable"
    with pytest.raises(PlanningError):
        write(shop.sessions, lambda s: delete_post(s, post_id))


def test_skipping_keeps_the_reason_and_drafts_can_be_deleted(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12))
    schedule(shop, post_id)
    skipped = local(24, 13).astimezone(UTC)
    write(shop.sessions, lambda s: publishing.skip_post(s, post_id, "带娃去医院", None, skipped))
    assert view(shop, post_id).skip_reason == "带娃去医院"
    other = new_post(shop, local(25, 12))
    write(shop.sessions, lambda s: delete_post(s, other))
    with pytest.raises(PlanningError) as caught:
        view(shop, other)
    assert caught.value.code == "post_gone"


def test_scheduling_a_post_with_ten_pictures_is_refused_and_nothing_is_lost(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12), images=shop.pictures[:10])
    with pytest.raises(RuleRefusal) as caught:
        schedule(shop, post_id)
    (violation,) = caught.value.violations
    assert violation.rule is RuleCode.TOO_MANY_IMAGES
    assert "10 pictures" in str(caught.value)
    assert "10 张" in violation_text(violation, "zh_CN")[0]
    v = view(shop, post_id)
    assert v.status is PostStatus.DRAFT and len(v.images) == 10


def test_a_picture_deleted_from_disk_blocks_scheduling_by_name(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12), images=shop.pictures[:2])
    rel = read(shop.sessions, lambda s: s.get(MediaFile, shop.pictures[1]).rel_path)  # type: ignore[union-attr]
    media_file_path(shop.media_root, rel).unlink()
    v = view(shop, post_id)
    assert [i.exists for i in v.images] == [True, False]
    assert [w.rule for w in v.warnings] == [RuleCode.MISSING_IMAGE]
    with pytest.raises(RuleRefusal) as caught:
        schedule(shop, post_id)
    assert "pic1.jpg" in str(caught.value)


def test_scheduling_refuses_a_post_too_close_to_a_scheduled_one(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    first = new_post(shop, local(24, 12))
    schedule(shop, first)
    second = new_post(shop, local(24, 13))
    with pytest.raises(RuleRefusal) as caught:
        schedule(shop, second)
    assert caught.value.violations[0].rule is RuleCode.MIN_GAP
    # Another account has its own limits.
    third = new_post(shop, local(24, 13), accounts=[shop.second])
    schedule(shop, third)


def test_drafts_do_not_block_scheduling_but_show_warnings(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    draft = new_post(shop, local(24, 12))
    other = new_post(shop, local(24, 12, 30))
    assert [w.rule for w in view(shop, other).warnings] == [RuleCode.MIN_GAP]
    schedule(shop, other)  # the first is only a draft
    with pytest.raises(RuleRefusal):
        schedule(shop, draft)


def test_moving_a_post_rechecks_the_rules(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    first = new_post(shop, local(24, 12))
    schedule(shop, first)
    second = new_post(shop, local(24, 20))
    schedule(shop, second)

    def move(when: datetime) -> object:
        return write(
            shop.sessions,
            lambda s: move_post(s, second, when, shop.media_root, SHANGHAI),
        )

    with pytest.raises(RuleRefusal) as caught:
        move(local(24, 13))
    assert caught.value.violations[0].rule is RuleCode.MIN_GAP
    with pytest.raises(RuleRefusal) as caught:
        move(local(24, 23, 30))
    assert caught.value.violations[0].rule is RuleCode.QUIET_HOURS
    assert view(shop, second).local_time(SHANGHAI) == local(24, 20)  # unchanged
    assert move(local(25, 9)) == []
    assert view(shop, second).local_time(SHANGHAI) == local(25, 9)


def test_an_assistants_post_waits_for_approval_when_the_owner_asks(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop

    def team(s: Session) -> tuple[int, int]:
        owner = User(name="店主", role=UserRole.OWNER)
        helper = User(name="小林", role=UserRole.ASSISTANT)
        s.add_all([owner, helper])
        s.flush()
        return owner.id, helper.id

    owner, helper = write(shop.sessions, team)
    by_owner = new_post(shop, local(24, 12), author_id=owner)
    by_helper = new_post(shop, local(25, 12), author_id=helper)
    schedule(shop, by_helper)
    assert view(shop, by_helper).status is PostStatus.SCHEDULED  # approval not asked for yet
    write(shop.sessions, lambda s: unschedule_post(s, by_helper))
    write(shop.sessions, lambda s: set_approval_required(s, True, owner))
    schedule(shop, by_owner)
    schedule(shop, by_helper)
    assert view(shop, by_owner).status is PostStatus.SCHEDULED
    assert view(shop, by_helper).status is PostStatus.AWAITING_APPROVAL
    actions = read(
        shop.sessions,
        lambda s: list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == by_helper))
        ),
    )
    assert actions == ["create", "schedule", "change", "submit"]
    write(shop.sessions, lambda s: unschedule_post(s, by_helper))
    assert view(shop, by_helper).status is PostStatus.DRAFT
    # The owner scheduling the assistant's post herself needs nobody's approval.
    write(
        shop.sessions,
        lambda s: schedule_post(s, by_helper, shop.media_root, SHANGHAI, user_id=owner),
    )
    assert view(shop, by_helper).status is PostStatus.SCHEDULED


def test_the_week_list_and_the_mix_gauge(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    ids = [
        new_post(shop, local(23, 12)),
        new_post(shop, local(24, 20), kind=PostKind.NEW_ARRIVAL),
        new_post(shop, local(25, 12), accounts=[shop.second]),
        new_post(shop, local(30, 12)),
    ]
    start = local(23, 0).astimezone(UTC)
    week = read(
        shop.sessions,
        lambda s: list_posts(s, start, start + timedelta(days=7), shop.media_root, SHANGHAI),
    )
    assert [v.id for v in week] == ids[:3]
    mine = read(
        shop.sessions,
        lambda s: list_posts(
            s, start, start + timedelta(days=7), shop.media_root, SHANGHAI, shop.second
        ),
    )
    assert [v.id for v in mine] == [ids[2]]
    gauge = read(
        shop.sessions,
        lambda s: week_mix(s, shop.main, local(26, 9), SHANGHAI, shop.media_root),
    )
    assert (gauge.sales, gauge.non_sales, gauge.target_sales_pct) == (1, 1, 40)


def test_product_pictures_take_turns(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    ids = read(
        shop.sessions,
        lambda s: product_picture_ids(s, [shop.products["NEW1"], shop.products["NEW2"]], 5),
    )
    # NEW1 has pictures 0–3, NEW2 1–4: covers first, then turn by turn, no repeats.
    assert ids == shop.pictures[0:5]


def test_a_post_needs_its_time_zone(planning_shop: PlanningShop) -> None:
    with pytest.raises(PlanningError) as caught:
        new_post(planning_shop, datetime(2026, 11, 24, 12))
    assert caught.value.code == "naive_time"


def test_deleting_a_slot_keeps_its_posts(planning_shop: PlanningShop) -> None:
    from moments_desk.core.planning.cadence import SlotSpec, delete_slot, save_slot
    from moments_desk.db.models import Post

    shop = planning_shop
    spec = SlotSpec(shop.main, 1, local(24, 20).time(), PostKind.NEW_ARRIVAL, "周二上新")
    slot_id = write(shop.sessions, lambda s: save_slot(s, None, spec))
    post_id = new_post(shop, local(24, 20), slot_id=slot_id)
    write(shop.sessions, lambda s: delete_slot(s, slot_id))
    stored = read(shop.sessions, lambda s: s.scalar(select(Post.slot_id).where(Post.id == post_id)))
    assert stored is None


def test_editing_a_scheduled_post_into_breaking_a_rule_sends_it_back_to_draft(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12))
    schedule(shop, post_id)
    draft = view(shop, post_id).to_draft()
    draft.text = "改过的文案"
    status = write(
        shop.sessions,
        lambda s: update_post(s, post_id, draft, media_root=shop.media_root, zone=SHANGHAI),
    )
    assert status is PostStatus.SCHEDULED
    draft.image_media_ids = shop.pictures[:10]
    status = write(
        shop.sessions,
        lambda s: update_post(s, post_id, draft, media_root=shop.media_root, zone=SHANGHAI),
    )
    v = view(shop, post_id)
    assert status is PostStatus.DRAFT and v.status is PostStatus.DRAFT
    assert len(v.images) == 10 and v.text == "改过的文案"  # nothing lost
    assert [w.rule for w in v.warnings] == [RuleCode.TOO_MANY_IMAGES]


def test_forbidden_wording_is_scheduled_only_with_an_audited_reason(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    post_id = new_post(shop, local(24, 12), text="集赞30个送同款，转发抽奖！")
    with pytest.raises(RuleRefusal) as caught:
        schedule(shop, post_id)
    assert {v.rule for v in caught.value.violations} == {RuleCode.FORBIDDEN_TEXT}
    assert view(shop, post_id).status is PostStatus.DRAFT
    write(
        shop.sessions,
        lambda s: schedule_post(
            s, post_id, shop.media_root, SHANGHAI, wording_override="店庆线下活动，老客户群"
        ),
    )
    shown = view(shop, post_id)
    assert shown.status is PostStatus.SCHEDULED
    assert shown.wording_override == "店庆线下活动，老客户群"
    assert all(not w.hard for w in shown.warnings)
    summaries = read(
        shop.sessions,
        lambda s: list(
            s.scalars(
                select(AuditEntry.summary).where(
                    AuditEntry.entity_id == post_id, AuditEntry.action == "override"
                )
            )
        ),
    )
    assert summaries == ["wording: 店庆线下活动，老客户群"]


def test_a_to_write_draft_cannot_be_scheduled(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    post_id = new_post(
        shop, local(24, 12), text="【待写】这条留给你自己写，可以试试：\n1. 聊聊穿搭"
    )
    with pytest.raises(PlanningError) as caught:
        schedule(shop, post_id)
    assert caught.value.code == "to_write"
    assert view(shop, post_id).status is PostStatus.DRAFT
