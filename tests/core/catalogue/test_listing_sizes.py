"""The products list shows each size's stock, read for a whole window at once (issue 22)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue import listing as pl
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.catalogue.variants import VariantDraft, save_variants


def test_rows_carry_the_stock_of_each_size_in_one_query(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        ids = []
        for n in range(30):
            pid = cat.create_product(
                s, ProductDraft(code=f"KS-{n:02}", name=f"开衫{n}", price=Decimal("199"))
            )
            save_variants(
                s,
                pid,
                [VariantDraft("", "S", 2), VariantDraft("", "M", 0), VariantDraft("", "L", 5)],
            )
            ids.append(pid)
        bag = cat.create_product(s, ProductDraft(code="BAG", name="托特包", stock=3))
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    with session_factory() as s:
        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            rows = pl.load_product_rows(s, [*ids, bag])
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert rows[ids[0]].sizes == "S 2 · M 0 · L 5"
    assert rows[ids[-1]].sizes == "S 2 · M 0 · L 5"
    assert rows[bag].sizes == ""  # one version: nothing to break down
    assert sum("product_variant" in sql for sql in statements) == 1
