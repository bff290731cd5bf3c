"""The demo shop sells its clothes in sizes (issue 22): a seller trying it sees variants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from moments_desk.core.catalogue.variants import variants_of
from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.demo.demo_sizes import demo_variants
from moments_desk.core.shared.uow import read
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Allocation, OrderItem, Product


def test_a_cardigan_comes_in_two_colours_by_three_sizes_with_uneven_stock() -> None:
    found = demo_variants(7, "针织衫", "燕麦色", 17)
    assert {(v.color, v.size) for v in found} == {
        (c, s) for c in ("燕麦色", "黑色") for s in ("S", "M", "L")
    }
    assert sum(v.stock for v in found) == 17
    assert len({v.stock for v in found}) > 1
    assert [(v.size, v.stock) for v in demo_variants(3, "配饰", "黑色", 4)] == [("均码", 4)]
    assert [(v.size, v.stock) for v in demo_variants(3, "包包", "黑色", 4)] == [("", 4)]
    assert all(v.stock == 0 for v in demo_variants(9, "连衣裙", "黑色", 0))


def test_the_demo_shop_has_sizes_adding_up_to_each_products_stock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    upgrade_to_head(engine)
    populate_demo(engine, now=datetime(2026, 11, 22, 2, tzinfo=UTC), zone=ZoneInfo("Asia/Shanghai"))
    sessions = make_session_factory(engine)

    def check(s):  # type: ignore[no-untyped-def]
        products = {p.id: p for p in s.scalars(select(Product))}
        skus = variants_of(s, products)
        for pid, product in products.items():
            assert sum(v.stock for v in skus[pid]) == product.stock, product.name
        dresses = [pid for pid, p in products.items() if p.category == "连衣裙"]
        assert dresses and all([v.size for v in skus[pid]] == ["S", "M", "L"] for pid in dresses)
        knits = [pid for pid, p in products.items() if p.category == "针织衫"]
        assert knits and all(len({v.color for v in skus[pid]}) == 2 for pid in knits)
        # Order lines of sized products name their size; 前 N 名 places name one too.
        sized = {pid for pid, found in skus.items() if len(found) > 1}
        lines = s.scalars(select(OrderItem).where(OrderItem.product_id.in_(sized))).all()
        assert lines and all(line.variant and line.variant_id for line in lines)
        ids = {v.id: v for found in skus.values() for v in found}
        assert all(ids[line.variant_id].product_id == line.product_id for line in lines)
        assert s.scalar(select(func.count()).select_from(Allocation)) is not None

    read(sessions, check)
