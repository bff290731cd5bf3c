"""Importing 5,000 products from a GBK CSV into a fresh shop: rows per second."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import Result
from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url
from moments_desk.db.migrate import upgrade_to_head


def run(count: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        lines = ["货号,宝贝标题,类目,一口价,库存,上新日期,标签,卖点"]
        for i in range(count):
            arrival = f"2026-11-{1 + i % 28:02d}"
            lines.append(
                f"QZ{i:05d},法式连衣裙{i},连衣裙,{99 + i % 300},{i % 50},{arrival},新品,显瘦"
            )
        source = folder / "products.csv"
        source.write_bytes("\n".join(lines).encode("gb18030"))
        engine = make_engine(sqlite_url(folder / "shop.sqlite3"))
        upgrade_to_head(engine)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        table = read_table(source)
        with sessions() as session:
            plan = plan_product_import(table, guess_mapping(table.headers, PRODUCT_FIELDS), session)
        plan_s = time.perf_counter() - started
        started = time.perf_counter()
        apply_product_import(plan, engine, folder / "media")
        apply_s = time.perf_counter() - started
        engine.dispose()
    return [
        Result(
            f"import {count:,} products: read+check",
            plan_s * 1000,
            note=f"{count / plan_s:,.0f} rows/s",
        ),
        Result(
            f"import {count:,} products: write",
            apply_s * 1000,
            note=f"{count / apply_s:,.0f} rows/s",
        ),
    ]
