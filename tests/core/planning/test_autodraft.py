"""Auto-drafting: sensible drafts, idempotent, never touching what a person wrote."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moments_desk.core.planning.autodraft import Candidate, propose_drafts
from moments_desk.core.planning.cadence import Occurrence, SlotSpec, occurrences, save_slot
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.planning.post_views import get_post, list_posts, plan_items
from moments_desk.core.planning.posts import delete_post, update_post
from moments_desk.core.planning.rules import (
    MAX_IMAGES,
    PlanItem,
    RuleSettings,
    check_plan,
    hard_violations,
)
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import PostKind, PostStatus
from tests.core.planning.conftest import SHANGHAI, PlanningShop

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)  # Sunday 18:00 in Shanghai
NA_TEMPLATE = "✨周{weekday}上新｜{name}\n{selling_points}\n到手价 {price}"


def cadence(shop: PlanningShop, *, lifestyle_template: str = "☀️午间小分享") -> dict[str, int]:
    slots = {
        "tue": SlotSpec(
            shop.main, 1, time(20), PostKind.NEW_ARRIVAL, "周二上新", None, None, NA_TEMPLATE
        ),
        "thu": SlotSpec(
            shop.main, 3, time(20), PostKind.NEW_ARRIVAL, "周四上新", None, None, NA_TEMPLATE
        ),
        "noon": SlotSpec(
            shop.main, None, time(12), PostKind.LIFESTYLE, "午间生活", template=lifestyle_template
        ),
    }
    return {k: _save(shop, v) for k, v in slots.items()}


def _save(shop: PlanningShop, spec: SlotSpec) -> int:
    return write(shop.sessions, lambda s: save_slot(s, None, spec))


def plan(shop: PlanningShop, weeks: int = 4):  # type: ignore[no-untyped-def]
    return write(shop.sessions, lambda s: plan_weeks(s, weeks, NOW))


def posts(shop: PlanningShop):  # type: ignore[no-untyped-def]
    return read(
        shop.sessions,
        lambda s: list_posts(s, NOW, NOW + timedelta(weeks=6), shop.media_root, SHANGHAI),
    )


@pytest.mark.db
def test_plan_four_weeks_of_new_arrivals_and_lifestyle(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    ids = cadence(shop)
    outcome = plan(shop)
    views = posts(shop)
    assert len(views) == len(outcome.created)
    noon = [v for v in views if v.slot_id == ids["noon"]]
    arrivals = [v for v in views if v.slot_id in (ids["tue"], ids["thu"])]
    assert len(noon) == 28  # Mon 23 Nov … Sun 20 Dec, every day at 12:00
    # A bare header is no post: the days are filled from the library, none twice.
    assert all(v.text != "☀️午间小分享" and len(v.text) > 15 and not v.products for v in noon)
    assert len({v.text for v in noon}) == 28
    assert all(v.local_time(SHANGHAI).time() == time(12) for v in noon)
    first = arrivals[0]
    assert first.local_time(SHANGHAI) == datetime(2026, 11, 24, 20, tzinfo=SHANGHAI)
    # One product per post, the newest first; headline, price and pictures are its own.
    assert [p.name for p in first.products] == ["法式碎花连衣裙"]
    assert first.text.startswith("✨周二上新｜法式碎花连衣裙\n")
    assert "¥129" in first.text
    # Each product is 上新 once; when it comes back its copy says so differently.
    new_named = [v.products[0].name for v in arrivals if "上新" in v.text]
    assert len(new_named) == len(set(new_named))
    assert len({v.text for v in arrivals}) == len(arrivals)
    assert 0 < len(first.images) <= MAX_IMAGES
    named = {p.name for v in arrivals for p in v.products}
    assert not named & {"羊绒大衣", "旧款卫衣"}
    christmas = [v for v in arrivals if any(p.name == "圣诞毛衣" for p in v.products)]
    assert all(v.local_time(SHANGHAI).date() >= date(2026, 12, 20) for v in christmas)
    assert all(v.status is PostStatus.DRAFT and v.auto_drafted for v in views)
    assert not any(v.has_hard_warning for v in views)
    # Five products fill eight slots without showing one twice within the 7-day cooldown.
    assert outcome.empty == () and all(v.products for v in arrivals)
    assert not any(w.rule.value == "product_cooldown" for v in views for w in v.warnings)


@pytest.mark.db
def test_replanning_is_idempotent_and_leaves_edits_alone(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    cadence(shop)
    first = plan(shop)
    again = plan(shop)
    assert again.created == () and again.kept == len(first.created)
    edited_id, deleted_id = first.created[0], first.created[1]
    edited = read(shop.sessions, lambda s: get_post(s, edited_id, shop.media_root, SHANGHAI))
    draft = edited.to_draft()
    draft.text = "我自己写的文案"
    write(shop.sessions, lambda s: update_post(s, edited_id, draft))
    write(shop.sessions, lambda s: delete_post(s, deleted_id))
    third = plan(shop)
    assert len(third.created) == 1  # only the deleted occurrence is filled again
    kept = read(shop.sessions, lambda s: get_post(s, edited_id, shop.media_root, SHANGHAI))
    assert kept.text == "我自己写的文案" and kept.edited_by_person


@pytest.mark.db
def test_the_plan_breaks_no_hard_rule_with_existing_posts(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    cadence(shop)
    # A busy daily pick at 21:00 would be too close to the 20:00 new arrivals.
    daily = SlotSpec(
        shop.main, None, time(22, 30), PostKind.PROMOTION, "#每日一荐#", template="{name}"
    )
    write(shop.sessions, lambda s: save_slot(s, None, daily))
    outcome = plan(shop, 2)
    assert outcome.created
    items = read(shop.sessions, lambda s: plan_items(s, NOW, NOW + timedelta(weeks=3)))
    assert hard_violations(check_plan(items, {}, SHANGHAI)) == []


@pytest.mark.db
def test_a_slot_category_limits_the_products(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    spec = SlotSpec(shop.main, 4, time(20), PostKind.PROMOTION, "周五裤子", category="裤子")
    write(shop.sessions, lambda s: save_slot(s, None, spec))
    plan(shop, 2)
    assert {p.name for v in posts(shop) for p in v.products} == {"直筒牛仔裤"}


@pytest.mark.db
def test_a_lifestyle_slot_without_template_is_filled_from_the_library(
    planning_shop: PlanningShop,
) -> None:
    shop = planning_shop
    cadence(shop, lifestyle_template="")
    plan(shop, 1)
    noon = [v for v in posts(shop) if v.kind is PostKind.LIFESTYLE]
    assert noon and all(v.text and not v.has_hard_warning for v in noon)


@pytest.mark.db
def test_planning_across_the_dst_change_keeps_local_times(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    cadence(shop)
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 10, 18, 10, tzinfo=UTC)
    outcome = write(shop.sessions, lambda s: plan_weeks(s, 2, start, zone=berlin))
    items = read(shop.sessions, lambda s: plan_items(s, start, start + timedelta(weeks=3)))
    local_times = {i.at.astimezone(berlin).time() for i in items if i.at}
    assert local_times == {time(12), time(20)}
    assert len(outcome.created) == len(items)


# -- the pure core -----------------------------------------------------------------------------

START = datetime(2026, 11, 23, tzinfo=UTC)


def _slots(draw_slots: list[tuple[int | None, int, int, PostKind]]) -> dict[int, SlotSpec]:
    return {
        n + 1: SlotSpec(1, weekday, time(hour, minute), kind, template="{name}{price}")
        for n, (weekday, hour, minute, kind) in enumerate(draw_slots)
    }


slot_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 6)),
        st.integers(0, 23),
        st.sampled_from([0, 30]),
        st.sampled_from(list(PostKind)),
    ),
    max_size=6,
)
candidate_strategy = st.lists(
    st.builds(
        Candidate,
        product_id=st.integers(1, 40),
        name=st.sampled_from(["连衣裙", "开衫", "🧥大衣"]),
        stock=st.integers(0, 3),
        on_sale=st.booleans(),
        new_arrival=st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2026, 12, 31))),
        image_ids=st.lists(st.integers(1, 100), max_size=12, unique=True).map(tuple),
    ),
    max_size=20,
    unique_by=lambda c: c.product_id,
)
existing_strategy = st.lists(
    st.builds(
        lambda pid, minutes, kind: PlanItem(
            -pid, kind, START + timedelta(minutes=minutes), (1,), PostStatus.SCHEDULED, (), 1, "x"
        ),
        st.integers(1, 1000),
        st.integers(0, 21 * 24 * 60),
        st.sampled_from(list(PostKind)),
    ),
    max_size=10,
    unique_by=lambda item: item.post_id,
)


@settings(max_examples=120, deadline=None)
@given(slot_strategy, candidate_strategy, existing_strategy, st.integers(0, 3))
def test_auto_drafts_never_break_a_hard_rule(
    raw_slots: list[tuple[int | None, int, int, PostKind]],
    candidates: list[Candidate],
    existing: list[PlanItem],
    cooldown: int,
) -> None:
    slots = _slots(raw_slots)
    rules = {1: replace(RuleSettings(), product_cooldown_days=cooldown)}
    planned = occurrences(slots.items(), START, START + timedelta(weeks=3), SHANGHAI)
    proposals, empty, kept = propose_drafts(planned, slots, candidates, existing, rules, SHANGHAI)
    assert len(proposals) + len(empty) + kept == len(planned)
    drafted = [
        PlanItem(
            10_000 + n,
            p.kind,
            p.at,
            (p.account_id,),
            PostStatus.DRAFT,
            p.product_ids,
            len(p.image_ids),
            p.text or "x",
        )
        for n, p in enumerate(proposals)
    ]
    before = {(v.rule, v.post_ids) for v in hard_violations(check_plan(existing, rules, SHANGHAI))}
    after = hard_violations(check_plan([*existing, *drafted], rules, SHANGHAI))
    assert [v for v in after if any(pid >= 10_000 for pid in v.post_ids)] == []
    assert {(v.rule, v.post_ids) for v in after} == before
    by_id = {c.product_id: c for c in candidates}
    for p in proposals:
        assert len(p.image_ids) <= MAX_IMAGES
        for pid in p.product_ids:
            c = by_id[pid]
            assert c.on_sale and c.stock > 0
            assert c.new_arrival is None or c.new_arrival <= p.at.astimezone(SHANGHAI).date()


def test_replanning_the_same_occurrences_proposes_nothing_new() -> None:
    slots = _slots([(1, 20, 0, PostKind.NEW_ARRIVAL), (None, 12, 0, PostKind.LIFESTYLE)])
    planned = occurrences(slots.items(), START, START + timedelta(weeks=2), SHANGHAI)
    goods = [Candidate(i, f"商品{i}", image_ids=(i,)) for i in range(1, 20)]
    proposals, _, _ = propose_drafts(planned, slots, goods, [], {}, SHANGHAI)
    occupied = {(p.slot_id, p.at.astimezone(SHANGHAI).date()) for p in proposals}
    again, empty, kept = propose_drafts(planned, slots, goods, [], {}, SHANGHAI, occupied=occupied)
    assert again == [] and empty == [] and kept == len(planned)


def test_occurrence_without_slot_products_is_reported() -> None:
    slots = _slots([(1, 20, 0, PostKind.NEW_ARRIVAL)])
    planned = [Occurrence(1, 1, datetime(2026, 11, 24, 12, tzinfo=UTC))]
    proposals, empty, _ = propose_drafts(planned, slots, [], [], {}, SHANGHAI)
    assert proposals == [] and [e.reason for e in empty] == ["no_product"]


@pytest.mark.db
def test_untouched_drafts_of_a_sold_out_product_are_drafted_again(
    planning_shop: PlanningShop,
) -> None:
    from moments_desk.core.catalogue.catalogue import adjust_stock

    shop = planning_shop
    ids = cadence(shop)
    first = plan(shop, 1)
    tuesday = next(v for v in posts(shop) if v.slot_id == ids["tue"] and v.id in first.created)
    assert "法式碎花连衣裙" in [p.name for p in tuesday.products]
    write(shop.sessions, lambda s: adjust_stock(s, [shop.products["NEW1"]], -5))
    again = plan(shop, 1)
    assert tuesday.id in again.replaced and len(again.created) >= 1
    names = {p.name for v in posts(shop) for p in v.products}
    assert "法式碎花连衣裙" not in names


@pytest.mark.db
def test_templates_render_from_stored_products_and_slots_list_their_occurrences(
    planning_shop: PlanningShop,
) -> None:
    from moments_desk.core.planning.cadence import list_occurrences
    from moments_desk.core.planning.templates import render_for_products

    shop = planning_shop
    text = read(
        shop.sessions,
        lambda s: render_for_products(
            s,
            "{shop}：{name} {price}",
            [shop.products["OLD1"], shop.products["NEW1"]],
            shop.main,
            date(2026, 11, 24),
        ),
    )
    assert text == "棉袄小铺🌸：直筒牛仔裤、法式碎花连衣裙 直筒牛仔裤 ¥131 / 法式碎花连衣裙 ¥129"
    ids = cadence(shop)
    week = read(
        shop.sessions,
        lambda s: list_occurrences(s, NOW, NOW + timedelta(days=7), SHANGHAI, shop.main),
    )
    assert [o.slot_id for o in week].count(ids["noon"]) == 7
    assert [o.slot_id for o in week].count(ids["tue"]) == 1


def test_a_slot_tag_limits_the_products() -> None:
    spec = SlotSpec(1, 1, time(20), PostKind.PROMOTION, tag_id=7, template="{name}")
    goods = [
        Candidate(1, "连衣裙", tag_ids=frozenset({7})),
        Candidate(2, "开衫"),
        Candidate(3, "大衣", tag_ids=frozenset({7}), stock=0),
    ]
    planned = occurrences([(1, spec)], START, START + timedelta(weeks=3), SHANGHAI)
    proposals, empty, _ = propose_drafts(planned, {1: spec}, goods, [], {}, SHANGHAI)
    assert [p.product_ids for p in proposals] == [(1,), (1,), (1,)]  # weekly: cooldown kept
    assert empty == []
