"""Draws under a post as a seller runs them: who may win, who is shown, and a verification
that recomputes the winners independently of the draw itself."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.shared import uow
from moments_desk.core.tracking.draws import (
    DrawError,
    DrawPool,
    DrawResult,
    list_draws,
    pick_winners,
    run_draw,
    verify_draw,
)
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import Customer, Draw, InteractionKind, Post, PostKind, PostStatus
from tests.sentences import in_chinese, said
from tests.tracking_shop import NOW, TrackingShop, build_shop

pytestmark = pytest.mark.db
Sessions = sessionmaker[Session]
NAMES = ["小美", "阿花", "Lily李🌸", "曾小梅", "王 芳", "备注人"]
SHOWN = {"备注人": "杭州-陈姐"}  # the seller's remark is shown, not the WeChat nickname


@pytest.fixture
def shop(session_factory: Sessions) -> TrackingShop:
    return build_shop(session_factory)


def record(
    sessions: Sessions,
    shop: TrackingShop,
    names: list[str],
    kind: InteractionKind = InteractionKind.COMMENT,
    at: datetime = NOW,
) -> None:
    lines = [
        EntryLine(
            n, name, kind, "想要" if kind is InteractionKind.COMMENT else "", shop.customers[name]
        )
        for n, name in enumerate(names, 1)
    ]
    uow.write(sessions, lambda s: record_entries(s, shop.post_id, shop.account_id, lines, at))


def draw(sessions: Sessions, shop: TrackingShop, count: int, **options: object) -> DrawResult:
    options.setdefault("seed", "seed-1")
    at = options.pop("at", NOW)
    return uow.write(
        sessions,
        lambda s: run_draw(s, shop.post_id, count, at, **options),  # type: ignore[arg-type]
    )


def expected_winners(shop: TrackingShop, names: list[str], seed: str, count: int) -> list[str]:
    """The published rule, computed here on its own: sort the pool by id, sample with the seed."""
    by_id = {shop.customers[n]: n for n in names}
    pool = sorted(by_id)
    chosen = random.Random(seed).sample(pool, count)
    return [SHOWN.get(by_id[i], by_id[i]) for i in chosen]


def test_one_winner_is_a_draw(session_factory: Sessions, shop: TrackingShop) -> None:
    record(session_factory, shop, NAMES)
    result = draw(session_factory, shop, 1)
    assert [w.name for w in result.winners] == expected_winners(shop, NAMES, "seed-1", 1)
    assert (result.pool_size, result.excluded, result.exclude_days) == (6, 0, None)
    assert (result.post_id, result.pool, result.seed, result.at) == (
        shop.post_id,
        DrawPool.COMMENTERS,
        "seed-1",
        NOW,
    )
    # Without a seed the draw makes one: 16 random bytes, written as 32 hex digits.
    fresh = draw(session_factory, shop, 1, seed=None, at=NOW + timedelta(minutes=1))
    assert len(fresh.seed) == 32 and int(fresh.seed, 16) >= 0


@pytest.mark.parametrize("count", [0, -1])
def test_no_winners_is_refused(session_factory: Sessions, shop: TrackingShop, count: int) -> None:
    record(session_factory, shop, NAMES)
    with pytest.raises(DrawError) as refused:
        draw(session_factory, shop, count)
    assert said(refused.value) == f"Draw at least 1 winner, not {count}."
    assert in_chinese(refused.value)
    assert uow.read(session_factory, lambda s: s.scalars(select(Draw)).all()) == []


def test_winners_are_shown_by_the_sellers_remark_and_verified_independently(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES)
    result = draw(session_factory, shop, 6, seed="中奖")
    expected = expected_winners(shop, NAMES, "中奖", 6)
    assert [w.name for w in result.winners] == expected
    assert "杭州-陈姐" in expected and "微信昵称X" not in expected
    check = uow.read(session_factory, lambda s: verify_draw(s, result.draw_id))
    assert check.same and check.pool_size == 6
    assert [w.name for w in check.recorded] == expected
    assert [w.name for w in check.recomputed] == expected
    shown = uow.read(session_factory, lambda s: list_draws(s, shop.post_id))
    assert [[w.name for w in d.winners] for d in shown] == [expected]
    assert (shown[0].seed, shown[0].pool, shown[0].at) == ("中奖", DrawPool.COMMENTERS, NOW)


def test_the_pool_is_commenters_or_likers_up_to_the_moment_of_the_draw(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, ["小美", "阿花"], InteractionKind.COMMENT)
    record(session_factory, shop, ["曾小梅", "王 芳", "Lily李🌸"], InteractionKind.LIKE)
    record(
        session_factory, shop, ["备注人"], InteractionKind.COMMENT, at=NOW + timedelta(seconds=1)
    )
    commenters = draw(session_factory, shop, 2)
    assert {w.name for w in commenters.winners} == {"小美", "阿花"}
    likers = draw(session_factory, shop, 3, pool=DrawPool.LIKERS)
    assert {w.name for w in likers.winners} == {"曾小梅", "王 芳", "Lily李🌸"}
    # A comment written exactly at the moment of the draw counts; one a second later does not.
    later = draw(session_factory, shop, 3, at=NOW + timedelta(seconds=1))
    assert later.pool_size == 3
    with pytest.raises(DrawError) as refused:
        draw(session_factory, shop, 3)
    assert said(refused.value) == "Only 2 eligible friends for 3 winners."
    assert in_chinese(refused.value) == "只有 2 位朋友可以参加，抽不出 3 位中奖者。"


def test_recent_winners_are_left_out_for_the_days_asked(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES, at=NOW - timedelta(days=30))
    first = draw(session_factory, shop, 2, at=NOW - timedelta(days=7))
    first_ids = {w.customer_id for w in first.winners}
    # Exactly 7 days later the first winners are still left out…
    week = draw(session_factory, shop, 4, exclude_days=7)
    assert (week.excluded, week.pool_size, week.exclude_days) == (2, 4, 7)
    assert not first_ids & {w.customer_id for w in week.winners}
    # …but not by a 6-day rule, and never by 0 days
    assert draw(session_factory, shop, 1, exclude_days=6).excluded == 0
    none = draw(session_factory, shop, 6, exclude_days=0, at=NOW + timedelta(days=30))
    assert (none.excluded, none.exclude_days) == (0, None)
    with pytest.raises(DrawError) as refused:
        draw(session_factory, shop, 1, exclude_days=1, at=NOW + timedelta(days=30, hours=1))
    assert said(refused.value) == "Only 0 eligible friends for 1 winners (6 won within 1 days)."
    assert in_chinese(refused.value) == (
        "只有 0 位朋友可以参加，抽不出 1 位中奖者（6 位在 1 天内中过奖）。"
    )


def test_a_draw_at_the_same_moment_does_not_exclude_itself(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES)
    draw(session_factory, shop, 2, at=NOW + timedelta(hours=1))
    again = draw(session_factory, shop, 2, exclude_days=7, at=NOW + timedelta(hours=1))
    assert again.excluded == 0


def test_a_changed_pool_or_seed_fails_verification(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES)
    result = draw(session_factory, shop, 3, seed="abc")
    uow.write(session_factory, lambda s: s.execute(update(Draw).values(seed="abd")))
    check = uow.read(session_factory, lambda s: verify_draw(s, result.draw_id))
    assert not check.same
    assert [w.name for w in check.recorded] == expected_winners(shop, NAMES, "abc", 3)
    assert [w.name for w in check.recomputed] == expected_winners(shop, NAMES, "abd", 3)
    # Fewer friends than winners left: nothing can be recomputed
    keep = [shop.customers["小美"], shop.customers["阿花"]]
    uow.write(
        session_factory, lambda s: s.execute(delete(Customer).where(Customer.id.not_in(keep)))
    )
    check = uow.read(session_factory, lambda s: verify_draw(s, result.draw_id))
    assert (check.same, check.recomputed, check.pool_size) == (False, (), 2)
    assert all(w.name in ("小美", "阿花", "—") for w in check.recorded)


def test_draws_only_under_posted_posts(session_factory: Sessions, shop: TrackingShop) -> None:
    record(session_factory, shop, NAMES)
    uow.write(
        session_factory, lambda s: s.execute(update(Post).values(status=PostStatus.SCHEDULED))
    )
    with pytest.raises(DrawError) as refused:
        draw(session_factory, shop, 1)
    assert said(refused.value) == "Draws happen under posted posts only."
    uow.write(session_factory, lambda s: s.execute(delete(Post)))
    with pytest.raises(DrawError) as refused:
        draw(session_factory, shop, 1)
    assert said(refused.value) == "This post was deleted meanwhile."
    with pytest.raises(DrawError) as refused:
        uow.read(session_factory, lambda s: verify_draw(s, 12345))
    assert said(refused.value) == "This draw was deleted meanwhile."


def test_draws_are_listed_newest_first(session_factory: Sessions, shop: TrackingShop) -> None:
    record(session_factory, shop, NAMES, at=NOW - timedelta(days=30))
    older = draw(session_factory, shop, 1, at=NOW - timedelta(hours=2))
    newer = draw(session_factory, shop, 2, at=NOW - timedelta(hours=1), exclude_days=3)
    listed = uow.read(session_factory, lambda s: list_draws(s, shop.post_id))
    assert [d.draw_id for d in listed] == [newer.draw_id, older.draw_id]
    assert [len(d.winners) for d in listed] == [2, 1]
    assert listed[0].exclude_days == 3 and listed[0].winners == newer.winners


def test_the_same_seed_and_pool_always_give_the_same_winners() -> None:
    pool = list(range(1, 50))
    assert pick_winners(pool, "x", 5) == pick_winners(list(pool), "x", 5)
    assert pick_winners(pool, "x", 5) == random.Random("x").sample(pool, 5)
    assert pick_winners(pool, "x", 5) != pick_winners(pool, "y", 5)


def test_friends_from_another_post_are_not_in_the_pool(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, ["小美", "阿花"])
    with session_factory.begin() as s:
        other = Post(
            kind=PostKind.NEW_ARRIVAL, text="另一条", status=PostStatus.POSTED, posted_at=NOW
        )
        s.add(other)
        s.flush()
        other_id = other.id
    lines = [EntryLine(1, "曾小梅", InteractionKind.COMMENT, "想要", shop.customers["曾小梅"])]
    uow.write(session_factory, lambda s: record_entries(s, other_id, shop.account_id, lines, NOW))
    result = draw(session_factory, shop, 2)
    assert result.pool_size == 2
    assert {w.name for w in result.winners} == {"小美", "阿花"}


def test_verification_applies_the_same_exclusions_and_names_the_draw(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES, at=NOW - timedelta(days=30))
    draw(session_factory, shop, 3, at=NOW - timedelta(days=2))
    later = draw(session_factory, shop, 2, exclude_days=7)
    check = uow.read(session_factory, lambda s: verify_draw(s, later.draw_id))
    assert (check.draw_id, check.same, check.pool_size) == (later.draw_id, True, 3)


def test_draws_at_one_moment_list_the_latest_made_first(
    session_factory: Sessions, shop: TrackingShop
) -> None:
    record(session_factory, shop, NAMES, at=NOW - timedelta(days=30))
    late = draw(session_factory, shop, 1)
    early = draw(session_factory, shop, 1, at=NOW - timedelta(hours=3))  # recorded afterwards
    same_moment = draw(session_factory, shop, 1)
    listed = uow.read(session_factory, lambda s: list_draws(s, shop.post_id))
    assert [d.draw_id for d in listed] == [same_moment.draw_id, late.draw_id, early.draw_id]
    # The list does not recount pools: it reports the post and no pool figures.
    assert {(d.post_id, d.pool_size, d.excluded) for d in listed} == {(shop.post_id, 0, 0)}
