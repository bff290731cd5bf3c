"""Post performance against figures worked out by hand (see shop.build_post_shop)."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.reports import posts as pr
from moments_desk.core.reports.period import ReportFilter
from moments_desk.db.models import CadenceSlot, Post, PostKind
from tests.core.reports.shop import NOW, SHANGHAI, build_post_shop

pytestmark = pytest.mark.db
WHOLE = ReportFilter(date(2026, 11, 10), date(2026, 11, 22), SHANGHAI)


@pytest.fixture
def ids(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        return build_post_shop(s)


def figures(row: pr.PostPerformance) -> tuple[int, ...]:
    return (row.likes, row.comments, row.inquiries, row.orders, row.revenue_fen, row.reach)


def test_each_post_counts_its_likes_orders_and_reach(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        rows = {r.post_id: r for r in pr.post_performance(s, WHOLE)}
    assert set(rows) == {ids["p1"], ids["p2"], ids["p3"]}  # the draft is not a posted post
    p1, p2, p3 = rows[ids["p1"]], rows[ids["p2"]], rows[ids["p3"]]
    # p1: likes c1 c2 c5, comment c1, inquiry c5 (c2's note does not count); orders ¥100 + ¥200
    # (c2's cancelled order does not count); friends of both accounts: 4 + 2.
    assert figures(p1) == (3, 1, 1, 2, 30_000, 6)
    assert p1.conversion_reach == pytest.approx(2 / 6)
    assert p1.conversion_interactions == pytest.approx(2 / 5)
    # p2: visible to the vip tag only (c1, c2).
    assert figures(p2) == (1, 0, 0, 0, 0, 2)
    assert p2.conversion_reach == 0.0
    # p3: hidden from vip: the four friends of A minus c1 and c2.
    assert figures(p3) == (1, 0, 1, 1, 5_000, 2)
    assert p3.conversion_reach == pytest.approx(0.5)
    assert p3.conversion_interactions == pytest.approx(0.5)
    assert p1.first_line == "new_arrival"


def test_sorting_happens_in_sql_for_every_column(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    def order(sort: pr.PostSort, descending: bool = True) -> list[int]:
        with session_factory() as s:
            return [r.post_id for r in pr.post_performance(s, WHOLE, sort, descending)]

    p1, p2, p3 = ids["p1"], ids["p2"], ids["p3"]
    assert order(pr.PostSort.POSTED_AT) == [p3, p2, p1]
    assert order(pr.PostSort.POSTED_AT, descending=False) == [p1, p2, p3]
    assert order(pr.PostSort.ORDERS) == [p1, p3, p2]
    assert order(pr.PostSort.REVENUE, descending=False) == [p2, p3, p1]
    assert order(pr.PostSort.REACH) == [p1, p3, p2]  # ties (2, 2) newest first
    assert order(pr.PostSort.CONVERSION_REACH) == [p3, p1, p2]
    assert order(pr.PostSort.CONVERSION_REACH, descending=False) == [p2, p1, p3]
    assert order(pr.PostSort.CONVERSION_INTERACTIONS) == [p3, p1, p2]
    assert order(pr.PostSort.LIKES) == [p1, p3, p2]


def test_account_filter_counts_only_that_accounts_friends(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        on_a = {
            r.post_id: r
            for r in pr.post_performance(
                s, WHOLE.__class__(WHOLE.start, WHOLE.end, SHANGHAI, ids["a"])
            )
        }
        on_b = {
            r.post_id: r
            for r in pr.post_performance(
                s, ReportFilter(WHOLE.start, WHOLE.end, SHANGHAI, ids["b"])
            )
        }
    assert set(on_a) == {ids["p1"], ids["p2"], ids["p3"]}
    # On A, p1 has the likes of c1 and c2, c1's comment, c1's ¥100 order, and A's 4 friends.
    assert figures(on_a[ids["p1"]]) == (2, 1, 0, 1, 10_000, 4)
    assert set(on_b) == {ids["p1"]}
    assert figures(on_b[ids["p1"]]) == (1, 0, 1, 1, 20_000, 2)


def test_range_uses_local_dates_even_near_midnight(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    # p3 went out at 00:10 on Wednesday 18th in Shanghai, still Tuesday 17th in UTC.
    with session_factory() as s:
        tuesday = pr.post_performance(
            s, ReportFilter(date(2026, 11, 17), date(2026, 11, 17), SHANGHAI)
        )
        wednesday = pr.post_performance(
            s, ReportFilter(date(2026, 11, 18), date(2026, 11, 18), SHANGHAI)
        )
    assert [r.post_id for r in tuesday] == [ids["p2"]]
    assert [r.post_id for r in wednesday] == [ids["p3"]]


def test_groups_by_kind_and_category(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        rows = pr.post_performance(s, WHOLE)
        categories = pr.by_category(s, WHOLE)
    kinds = {g.key: g for g in pr.by_kind(rows)}
    assert [g.key for g in pr.by_kind(rows)] == ["new_arrival", "promotion", "lifestyle"]
    assert (kinds["new_arrival"].posts, kinds["new_arrival"].interactions) == (1, 5)
    assert (kinds["new_arrival"].orders, kinds["new_arrival"].revenue_fen) == (2, 30_000)
    assert (kinds["promotion"].orders, kinds["promotion"].revenue_fen) == (1, 5_000)
    assert kinds["lifestyle"].orders_per_post == 0.0
    # Category revenue is the items' price × quantity: dress 1×100 + 2×100, scarf 1×50.
    assert [(g.key, g.posts, g.orders, g.revenue_fen) for g in categories] == [
        ("连衣裙", 1, 2, 30_000),
        ("配饰", 1, 1, 5_000),
    ]


def test_heatmap_buckets_in_the_sellers_zone(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        rows = pr.post_performance(s, WHOLE)
    cells = pr.heatmap(rows, SHANGHAI)
    assert len(cells) == 7 * 24
    busy = {(c.weekday, c.hour): (c.posts, c.interactions, c.orders) for c in cells if c.posts}
    # Mon 20:00, Tue 23:50 → Tue 23, Wed 00:10 → Wed 0 (in UTC it would be Tue 16).
    assert busy == {(0, 20): (1, 5, 2), (1, 23): (1, 1, 0), (2, 0): (1, 2, 1)}
    in_utc = {(c.weekday, c.hour) for c in pr.heatmap(rows, UTC) if c.posts}
    assert (1, 16) in in_utc and (2, 0) not in in_utc
    # No slot has two posts, so single posts decide: most orders per post first.
    assert [(c.weekday, c.hour) for c in pr.best_slots(cells)] == [(0, 20), (2, 0), (1, 23)]
    assert pr.best_slots(cells, min_posts=1, count=1)[0].orders_per_post == 2.0


def test_cadence_counts_planned_slots_up_to_now(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        monday = CadenceSlot(
            account_id=ids["a"],
            weekday=0,
            time_of_day=time(20),
            kind=PostKind.NEW_ARRIVAL,
            label="周一上新",
            created_at=NOW - timedelta(days=30),
        )
        daily = CadenceSlot(
            account_id=ids["a"],
            weekday=None,
            time_of_day=time(12),
            kind=PostKind.LIFESTYLE,
            label="午间",
            created_at=NOW - timedelta(days=30),
        )
        off = CadenceSlot(
            account_id=ids["a"],
            weekday=2,
            time_of_day=time(9),
            kind=PostKind.FEEDBACK,
            active=False,
        )
        # The same Monday slot on B: p1 went out on B too, so it keeps B's slot as well.
        monday_b = CadenceSlot(
            account_id=ids["b"],
            weekday=0,
            time_of_day=time(20),
            kind=PostKind.NEW_ARRIVAL,
            label="B 周一上新",
            created_at=NOW - timedelta(days=30),
        )
        s.add_all([monday, daily, off, monday_b])
        s.flush()
        s.execute(update(Post).where(Post.id == ids["p1"]).values(slot_id=monday.id))
    with session_factory() as s:
        found = {c.label: c for c in pr.cadence(s, WHOLE, NOW)}
    assert set(found) == {"周一上新", "午间", "B 周一上新"}  # the inactive one is not planned
    assert (found["B 周一上新"].planned, found["B 周一上新"].kept) == (1, 1)
    # Mondays 10–22 Nov: the 16th only, kept by p1.
    assert (found["周一上新"].planned, found["周一上新"].kept, found["周一上新"].missed) == (
        1,
        1,
        0,
    )
    # Daily 12:00 from Tue 10th: 12 days; Sunday 22nd's noon is still ahead at 10:00.
    assert (found["午间"].planned, found["午间"].kept, found["午间"].missed) == (12, 0, 12)


def test_cadence_counts_a_slot_from_its_creation_not_from_the_range_start(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    """A new shop on day one: its slots were made this morning, nothing is missed yet."""
    with session_factory.begin() as s:
        s.add(
            CadenceSlot(
                account_id=ids["a"],
                weekday=None,
                time_of_day=time(12),
                kind=PostKind.LIFESTYLE,
                label="午间",
                created_at=NOW - timedelta(hours=3),  # Sunday 07:00 in Shanghai
            )
        )
        s.add(
            CadenceSlot(
                account_id=ids["a"],
                weekday=None,
                time_of_day=time(8),
                kind=PostKind.LIFESTYLE,
                label="早安",
                created_at=NOW - timedelta(hours=3),
            )
        )
    with session_factory() as s:
        found = {c.label: c for c in pr.cadence(s, WHOLE, NOW)}
    assert (found["午间"].planned, found["午间"].missed) == (0, 0)  # 12:00 is still ahead
    assert (found["早安"].planned, found["早安"].missed) == (1, 1)  # today's 08:00 passed
