"""Importing 5,000 products from a GBK CSV into a fresh shop: rows per second. Peak memory
of a customer import of a 1,000,000-row file (refused: over the row limit) and of one at
the limit (imported), each in its own process."""

from __future__ import annotations

import subprocess
import sys
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


_RSS_SCRIPT = """
import sys
from pathlib import Path
from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS, plan_customer_import
from moments_desk.core.spreadsheets.tabular import TableError, guess_mapping, read_table
from moments_desk.db.engine import make_engine, make_session_factory, sqlite_url

engine = make_engine(sqlite_url(Path(sys.argv[2])))
try:
    table = read_table(Path(sys.argv[1]))
    with make_session_factory(engine)() as session:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), session, 1
        )
    assert plan.ok, plan.errors[:3]
    outcome = f"imported {apply_customer_import(plan, engine).created:,}"
except TableError as error:
    outcome = f"refused: {error}"
engine.dispose()
status = Path("/proc/self/status").read_text()
peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
print(peak_kb, outcome)
"""


def _peak_rss(folder: Path, rows: int) -> tuple[float, float, str]:
    """Write a ``rows``-row friend list, import it in a child process: its own peak
    (VmHWM, MB), the seconds it took and what it said."""
    from bench.customers import _fresh_db, write_file

    source = folder / f"friends-{rows}.csv"
    write_file(source, rows)
    db = folder / f"shop-{rows}.sqlite3"
    _fresh_db(db)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(source), str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    seconds = time.perf_counter() - started
    peak_kb, outcome = done.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(peak_kb) / 1024, seconds, outcome


def memory_run(quick: bool) -> list[Result]:
    """Peak RSS of a customer import of a file far over the row limit and of one at it."""
    from moments_desk.core.spreadsheets.bounds import MAX_ROWS

    huge = 150_000 if quick else 1_000_000
    at_limit = 5_000 if quick else MAX_ROWS
    results = []
    with tempfile.TemporaryDirectory() as name:
        for rows in (huge, at_limit):
            peak_mb, seconds, outcome = _peak_rss(Path(name), rows)
            results.append(
                Result(
                    f"peak RSS, customer import of {rows:,} rows",
                    seconds * 1000,
                    note=f"{peak_mb:,.0f} MB (child process VmHWM; goal ≤ 600 MB); "
                    f"{outcome.split(';')[0]}",
                )
            )
    return results
