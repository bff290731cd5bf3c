"""Migration 0007: a friend holds at most one place per product, size and post.

Every stored fixture of an earlier schema gets repeated places (as re-running allocation
could add before 0007); upgrading keeps each friend's earliest place and nothing else,
and afterwards the database itself refuses a second place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from moments_desk.core.safety.archive import copy_rows, rows_from_sqlite
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import alembic_config, head_revision, upgrade_to_head
from moments_desk.db.models import Allocation
from tests.db.test_fixtures import fixture_files

pytestmark = pytest.mark.db
PLACE = ("post_id", "product_id", "customer_id", "variant")


def _engine_at(fixture: Path, db_url: str, tmp_path: Path) -> Engine:
    """The fixture's shop at the fixture's revision, on the backend under test."""
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    if db_url.startswith("sqlite"):
        return make_engine(sqlite_url(copy))
    from alembic import command

    source = make_engine(sqlite_url(copy))
    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), fixture.stem.removeprefix("rev_"))
        copy_rows(rows_from_sqlite(source), conn, lambda _d, _t: None)
    source.dispose()
    return engine


def _places(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(f"SELECT id, {', '.join(PLACE)}, status FROM allocation ORDER BY id")
            )
        ]


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_upgrading_keeps_each_friends_earliest_place_only(
    fixture: Path, db_url: str, tmp_path: Path
) -> None:
    engine = _engine_at(fixture, db_url, tmp_path)
    originals = _places(engine)
    assert len(originals) >= 2
    # Given a shop where allocating twice queued every friend again (later ids, waiting),
    # and the first friend a third time.
    with engine.begin() as conn:
        top = max(int(str(r[0])) for r in originals)
        repeats = [(top + n + 1, *row[1:5], "waitlisted") for n, row in enumerate(originals)]
        repeats.append((top + len(originals) + 1, *originals[0][1:5], "released"))
        for row in repeats:
            conn.execute(
                text(
                    "INSERT INTO allocation (id, post_id, product_id, customer_id, variant,"
                    " rank, quantity, status) VALUES (:id, :post, :product, :customer,"
                    " :variant, 99, 1, :status)"
                ),
                dict(
                    zip(
                        ("id", "post", "product", "customer", "variant", "status"), row, strict=True
                    )
                ),
            )
    # When the app upgrades it
    upgrade_to_head(engine)
    # Then every friend keeps her first place, as it was, and only that one.
    assert _places(engine) == originals
    engine.dispose()


def test_a_second_place_for_the_same_friend_is_refused_by_the_database(engine: Engine) -> None:
    assert head_revision() >= "0007"
    _shop(engine)
    row = {
        "post_id": 1,
        "product_id": 1,
        "customer_id": 1,
        "variant": "M",
        "rank": 1,
        "quantity": 1,
        "status": "allocated",
    }
    with engine.begin() as conn:
        conn.execute(insert(Allocation), [row, {**row, "variant": "S", "rank": 2}])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Allocation), [{**row, "rank": 3, "status": "waitlisted"}])
    with engine.connect() as conn:
        assert conn.scalars(select(Allocation.variant).order_by(Allocation.id)).all() == ["M", "S"]


def _shop(engine: Engine) -> None:
    from decimal import Decimal

    from moments_desk.db.engine import make_session_factory
    from moments_desk.db.models import (
        Customer,
        Post,
        PostKind,
        PostStatus,
        Product,
        WeChatAccount,
    )

    with make_session_factory(engine).begin() as s:
        s.add(WeChatAccount(id=1, label="主号"))
        s.flush()
        s.add(Customer(id=1, account_id=1, nickname="小美", search_text="小美"))
        s.add(Product(id=1, code="QZ01", name="连衣裙", price=Decimal("259"), stock=3))
        s.add(Post(id=1, kind=PostKind.NEW_ARRIVAL, text="上新", status=PostStatus.POSTED))
