"""The benchmark shop: the demo builder at scale, through the app's own bulk path."""

from __future__ import annotations

import dataclasses
import shutil
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

from moments_desk.core.demo.builder import DemoSpec
from moments_desk.core.demo.demo import populate_demo
from moments_desk.db.engine import DB_FILENAME, make_engine, sqlite_url
from moments_desk.db.migrate import HEAD_REVISION, upgrade_to_head

ROOT = Path(__file__).resolve().parent / ".data"
#: Fixed so the cached dataset is identical between runs.
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def spec(quick: bool, customers: int | None = None, years: int | None = None) -> DemoSpec:
    """The quick or the full shop; ``customers`` sets how many friends it has (200,000 for
    the scale goals of issue 18), the rest of the shop staying as it is. ``years`` makes a
    shop that has traded that long at the same pace: days, orders and interactions scale
    with it (the 3-year shop of the report goals in issue 18)."""
    if quick:
        chosen = DemoSpec(
            accounts=2, products=500, customers=5000, interactions=20_000, orders=5000, days=90
        )
    else:
        chosen = DemoSpec.at_scale()
    if customers is not None:
        chosen = dataclasses.replace(chosen, customers=customers)
    if years is not None:
        per_day = 1 / chosen.days
        chosen = dataclasses.replace(
            chosen,
            days=365 * years,
            orders=round(chosen.orders * 365 * years * per_day),
            interactions=round(chosen.interactions * 365 * years * per_day),
        )
    return chosen


def shop_folder(
    quick: bool, customers: int | None = None, years: int | None = None
) -> tuple[Path, float | None]:
    """The dataset's data folder, built once per spec (seconds taken, or None if cached)."""
    chosen = spec(quick, customers, years)
    # repr of a frozen dataclass is stable across runs, unlike hash() of a str.
    folder = ROOT / f"shop-{zlib.crc32(repr((chosen, NOW, HEAD_REVISION)).encode()):08x}"
    marker = folder / ".complete"
    if marker.exists():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine = make_engine(sqlite_url(folder / DB_FILENAME))
    upgrade_to_head(engine)
    started = time.perf_counter()
    counts = populate_demo(engine, chosen, now=NOW)
    took = time.perf_counter() - started
    engine.dispose()
    marker.write_text(repr(counts), encoding="utf-8")
    return folder, took
