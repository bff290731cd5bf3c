"""Migration 0010: every product of every earlier schema gets one default variant.

Each stored fixture upgrades with today's stock moved onto its product's default variant
(no colour, no size), its order lines and first-N places pointing at it, and its free-text
sizes kept; downgrading to 0009 removes the variants again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from moments_desk.db.migrate import alembic_config, upgrade_to_head
from tests.db.test_allocation_unique import _engine_at
from tests.db.test_fixtures import fixture_files

pytestmark = pytest.mark.db


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_every_product_gets_a_default_variant_with_its_stock(
    fixture: Path, db_url: str, tmp_path: Path
) -> None:
    engine = _engine_at(fixture, db_url, tmp_path)
    with engine.connect() as conn:
        stock_before: dict[int, int] = dict(
            conn.execute(text("SELECT id, stock FROM product")).all()
        )
        lines_before = conn.execute(
            text("SELECT id, product_id, variant FROM order_item ORDER BY id")
        ).all()
        places_before = conn.execute(
            text("SELECT id, product_id, variant FROM allocation ORDER BY id")
        ).all()
    assert stock_before and lines_before and places_before

    upgrade_to_head(engine)

    with engine.connect() as conn:
        variants = conn.execute(
            text("SELECT id, product_id, color, size, extra, stock FROM product_variant")
        ).all()
        lines_after = conn.execute(
            text("SELECT id, product_id, variant, variant_id FROM order_item ORDER BY id")
        ).all()
        places_after = conn.execute(
            text("SELECT id, product_id, variant, variant_id FROM allocation ORDER BY id")
        ).all()
        stock_after: dict[int, int] = dict(
            conn.execute(text("SELECT id, stock FROM product")).all()
        )
    default = {product: vid for vid, product, *_ in variants}
    assert len(variants) == len(stock_before) == len(default)
    assert {(p, c, s, e, st) for _, p, c, s, e, st in variants} == {
        (p, "", "", "", max(0, st)) for p, st in stock_before.items()
    }
    assert stock_after == stock_before
    for (lid, pid, label), after in zip(lines_before, lines_after, strict=True):
        assert tuple(after) == (lid, pid, label, default.get(pid) if pid is not None else None)
    for (aid, pid, label), after in zip(places_before, places_after, strict=True):
        assert tuple(after) == (aid, pid, label, default[pid])

    from alembic import command

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0009")
    with engine.connect() as conn:
        assert "product_variant" not in inspect(conn).get_table_names()
        assert "variant_id" not in {c["name"] for c in inspect(conn).get_columns("order_item")}
        assert dict(conn.execute(text("SELECT id, stock FROM product")).all()) == stock_before
    engine.dispose()
