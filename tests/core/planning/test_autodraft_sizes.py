"""Auto-drafted 上新 copy names the sizes still in stock (issue 22)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from moments_desk.core.catalogue.variants import VariantDraft, save_variants
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.cadence import SlotSpec, save_slot
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.planning.post_views import list_posts
from moments_desk.core.shared.uow import read, write
from moments_desk.db.models import PostKind
from tests.core.planning.conftest import SHANGHAI, PlanningShop

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def test_a_new_arrival_caption_lists_the_sizes_left(planning_shop: PlanningShop) -> None:
    shop = planning_shop
    dress = shop.products["NEW1"]
    write(
        shop.sessions,
        lambda s: save_variants(
            s, dress, [VariantDraft("", "S", 2), VariantDraft("", "M", 0), VariantDraft("", "L", 5)]
        ),
    )
    template = "上新｜{商品名}\n{现货}\n尺码 {尺码}，颜色 {颜色}"
    spec = SlotSpec(shop.main, 1, time(20), PostKind.NEW_ARRIVAL, "周二上新", None, None, template)
    write(shop.sessions, lambda s: save_slot(s, None, spec))
    write(shop.sessions, lambda s: plan_weeks(s, 1, NOW))
    views = read(
        shop.sessions,
        lambda s: list_posts(s, NOW, NOW + timedelta(weeks=2), shop.media_root, SHANGHAI),
    )
    first = next(v for v in views if [p.name for p in v.products] == ["法式碎花连衣裙"])
    lines = first.text.splitlines()
    assert "现货：S L" in lines  # M is sold out
    assert "尺码 S L，颜色" in lines


def test_a_built_in_new_arrival_template_shows_what_is_in_stock() -> None:
    assert any("{现货}" in text for text in copy_bank.NEW_ARRIVAL)
