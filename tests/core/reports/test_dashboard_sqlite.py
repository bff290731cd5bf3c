"""The Overview's plain-SQL reader (the first paint of a SQLite shop) gives the ORM
dashboard's answer, figure for figure, on the demo shop and on the hand-built one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.reports.board import Dashboard
from moments_desk.core.reports.dashboard import load_dashboard
from moments_desk.core.reports.dashboard_sqlite import load_dashboard_sqlite
from moments_desk.core.shared.uow import read
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.migrate import upgrade_to_head
from tests.core.reports.shop import NOW, SHANGHAI
from tests.core.reports.test_dashboard import shop_ids  # noqa: F401  (the fixture)

BUILT = datetime(2026, 11, 22, 3, 10, tzinfo=UTC)


def fast(engine: Engine, now: datetime, zone: ZoneInfo, **options: int) -> Dashboard:
    raw = engine.raw_connection()
    try:
        return load_dashboard_sqlite(raw.driver_connection, now, zone, **options)  # type: ignore[arg-type]
    finally:
        raw.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("demo")
    engine = make_engine(f"sqlite:///{folder / 'shop.db'}")
    upgrade_to_head(engine)
    populate_demo(engine, now=BUILT, zone=SHANGHAI)
    return engine


@pytest.mark.parametrize(
    "now",
    [BUILT, BUILT + timedelta(hours=13), BUILT + timedelta(days=3), BUILT - timedelta(days=9)],
)
def test_the_demo_shop_reads_the_same_both_ways(demo: Engine, now: datetime) -> None:
    sessions = make_session_factory(demo)
    for zone in (SHANGHAI, ZoneInfo("America/New_York")):

        def orm_board(session: Session, zone: ZoneInfo = zone) -> Dashboard:
            return load_dashboard(session, now, zone, dormant_days=30)

        orm = read(sessions, orm_board)
        plain = fast(demo, now, zone, dormant_days=30)
        assert plain == orm
    board = fast(demo, now, SHANGHAI)
    assert board.customers > 0 and board.accounts > 0  # a shop with something to compare
    assert any(day.orders for day in board.days)


@pytest.mark.db
def test_the_hand_built_shop_reads_the_same_both_ways(
    engine: Engine,
    session_factory: sessionmaker[Session],
    shop_ids: dict[str, int],  # noqa: F811
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the plain-SQL reader is for SQLite shops")
    orm = read(session_factory, lambda s: load_dashboard(s, NOW, SHANGHAI))
    assert fast(engine, NOW, SHANGHAI) == orm
