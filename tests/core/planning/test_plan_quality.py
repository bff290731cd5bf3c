"""Drafts a seller would post: 8 weeks planned on a fresh wizard-default shop (2, 10 and 200
products) and on the demo shop break no hard rule, hold no empty or header-only post, repeat
no caption within 14 days on one account, show only the named products' pictures, and keep
the sales share within the target band."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moments_desk.core.library.starters import STARTERS
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.cadence_presets import Preset, preset_slots
from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.planning.fold import visual_lines
from moments_desk.core.planning.rule_types import FOLD_LINES, MIX_TOLERANCE_PCT
from moments_desk.core.planning.rules import check_plan, hard_violations
from moments_desk.core.planning.settings import load_all_rule_settings
from moments_desk.core.planning.templates import (
    DEFAULT_TEMPLATES,
    TemplateContext,
    TemplateProduct,
    render_template,
)
from moments_desk.core.setup.first_run import AccountSetup, FirstRunPlan, apply_first_run
from moments_desk.core.shared.uow import read, write
from moments_desk.core.shared.wording import forbidden_text
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import (
    MediaFile,
    Post,
    PostImage,
    PostProduct,
    PostStatus,
    Product,
    ProductImage,
)

pytestmark = pytest.mark.db
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 2, tzinfo=UTC)
WEEKS = 8
NAMES = ("开衫", "连衣裙", "牛仔裤", "大衣", "卫衣", "衬衫", "半裙", "毛衣", "风衣", "T恤")
COLOURS = ("燕麦色", "雾霾蓝", "奶白", "焦糖", "黑色", "酒红", "墨绿", "浅灰", "驼色", "藕粉")
SAMPLE = [TemplateProduct("燕麦色羊毛开衫", Decimal("199"), selling_points="软糯不扎")]


def test_every_builtin_template_and_starter_passes_every_check() -> None:
    texts = [
        *(
            render_template(t, TemplateContext(SAMPLE, "小店", date(2026, 11, 24)))
            for t in [
                *copy_bank.all_builtin(),
                *DEFAULT_TEMPLATES.values(),
            ]
        ),
        *(s.text for s in STARTERS),
    ]
    for text in texts:
        assert forbidden_text(text) == [], text
        assert visual_lines(text) <= FOLD_LINES, text
    for preset in Preset:
        for language in ("zh_CN", "en"):
            for slot in preset_slots(preset, language):
                assert forbidden_text(slot.template) == []


def _shop(engine: Engine, products: int, media_root: Path) -> None:
    sessions = make_session_factory(engine)
    plan = FirstRunPlan(
        "小棉袄的衣橱",
        (AccountSetup("主号", "小棉袄"), AccountSetup("小号", "小棉袄2")),
        preset_default(),
    )
    write(sessions, lambda s: apply_first_run(s, plan, media_root))

    def add(session: Session) -> None:
        for n in range(products):
            name = f"{COLOURS[n % 10]}{NAMES[(n // 10) % 10]}{n // 100 or ''}"
            product = Product(
                code=f"P{n:04d}",
                name=name,
                price=Decimal(99 + n),
                stock=1 + n % 7,
                selling_points=f"{name}，第{n + 1}款的卖点",
                new_arrival_date=date(2026, 11, 20) - timedelta(days=n),
            )
            for position in range(2):
                digest = f"{n:05d}{position}".rjust(64, "0")
                media = MediaFile(
                    sha256=digest,
                    rel_path=f"{digest[:2]}/{digest}.jpg",
                    width=800,
                    height=800,
                    format="JPEG",
                    size_bytes=1000,
                )
                product.images.append(ProductImage(media=media, position=position))
            session.add(product)
        session.flush()

    write(sessions, add)


def preset_default() -> Preset:
    return Preset.TUE_THU_NEW_DAILY_LIFE  # the wizard's default


def _assert_sensible(engine: Engine, created: set[int]) -> None:
    sessions = make_session_factory(engine)
    end = NOW + timedelta(weeks=WEEKS + 1)

    def load(session: Session) -> list[tuple[Post, list[int], set[int], set[int], set[int]]]:
        posts = session.scalars(
            select(Post).where(
                Post.scheduled_at >= NOW - timedelta(days=15), Post.scheduled_at < end
            )
        ).all()
        out = []
        for post in posts:
            products = {p.product_id for p in post.products}
            owned = set(
                session.scalars(
                    select(ProductImage.media_id).where(ProductImage.product_id.in_(products))
                )
            )
            images = {i.media_id for i in post.images}
            out.append((post, [a.account_id for a in post.accounts], products, owned, images))
        return out

    rows = read(sessions, load)
    names = dict(read(sessions, lambda s: s.execute(select(Product.id, Product.name)).all()))
    drafted = [r for r in rows if r[0].id in created]
    assert drafted
    by_account: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for post, accounts, _products, _owned, _images in rows:
        if post.status is PostStatus.SKIPPED or post.scheduled_at is None:
            continue
        for account in accounts:
            by_account[account].append((post.scheduled_at, post.text.strip()))
    for post, _, products, owned, images in drafted:
        text = post.text.strip()
        assert text and not copy_bank.is_header_only(text), text
        assert not copy_bank.is_to_write(text), text
        assert images <= owned, text  # pictures belong to the named products
        for pid in products:
            assert names[pid] in text
    for account, pairs in by_account.items():
        pairs.sort()
        for n, (at, text) in enumerate(pairs):
            for other_at, other in pairs[n + 1 :]:
                if other_at - at >= timedelta(days=14):
                    break
                assert not (text and text == other), (account, text)
    from moments_desk.core.planning.post_views import plan_items

    items = read(sessions, lambda s: plan_items(s, NOW, end))
    settings = read(sessions, load_all_rule_settings)
    found = check_plan(items, settings, ZONE)
    assert [v for v in hard_violations(found) if set(v.post_ids) & created] == []
    assert [v for v in found if v.rule.value == "sales_mix" and set(v.post_ids) & created] == []
    # Not even a near-duplicate (≥ 80 % alike within 14 days) among the drafts.
    assert [
        v for v in found if v.rule.value == "near_duplicate" and set(v.post_ids) & created
    ] == []
    weekly: dict[tuple[int, date], list[bool]] = defaultdict(list)
    for item in items:
        if item.post_id in created and item.at is not None:
            day = item.at.astimezone(ZONE).date()
            for account in item.account_ids:
                weekly[(account, day - timedelta(days=day.weekday()))].append(item.kind.is_sales)
    for marks in weekly.values():
        if len(marks) >= 6:
            assert 100 * sum(marks) <= (40 + MIX_TOLERANCE_PCT) * len(marks)


@pytest.mark.parametrize("products", [2, 10, 200])
def test_eight_weeks_on_a_fresh_wizard_shop(engine: Engine, tmp_path: Path, products: int) -> None:
    _shop(engine, products, tmp_path / "media")
    sessions = make_session_factory(engine)
    outcome = write(sessions, lambda s: plan_weeks(s, WEEKS, NOW, zone=ZONE))
    _assert_sensible(engine, set(outcome.created))
    sales = read(
        sessions,
        lambda s: s.scalars(
            select(PostProduct.post_id).where(PostProduct.post_id.in_(outcome.created))
        ).all(),
    )
    # Both Tuesday and Thursday are filled while there are products to show.
    per_account_weeks = 2 * (WEEKS + 1)
    if products >= 2:
        assert len(set(sales)) >= 2 * per_account_weeks - 4
    pictures = read(
        sessions,
        lambda s: s.scalar(
            select(PostImage.post_id).where(PostImage.post_id.in_(outcome.created)).limit(1)
        ),
    )
    assert pictures is not None


def test_eight_weeks_on_the_demo_shop(engine: Engine) -> None:
    from moments_desk.core.demo.demo import populate_demo

    populate_demo(engine, now=NOW, zone=ZONE)
    sessions = make_session_factory(engine)
    outcome = write(sessions, lambda s: plan_weeks(s, WEEKS, NOW, zone=ZONE))
    assert outcome.created
    _assert_sensible(engine, set(outcome.created))
