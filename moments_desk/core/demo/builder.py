"""What every part of the demo builder shares: the spec, batching inserts, progress, cancel."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert

from moments_desk.core.pictures.demo_art import DemoPictures

CHUNK = 5000
TAOBAO_ITEM = "https://item.taobao.com/item.htm?id="
WEEKDAYS_ZH = "一二三四五六日"


class DemoCancelled(Exception):
    """The seller cancelled; the transaction was rolled back and nothing was written."""


@dataclass(frozen=True)
class DemoSpec:
    accounts: int = 2
    products: int = 60
    customers: int = 400
    days: int = 30
    interactions: int = 2500
    orders: int = 300
    seed: int = 20261122

    @classmethod
    def at_scale(cls) -> DemoSpec:
        return cls(
            accounts=3,
            products=5000,
            customers=50_000,
            days=365,
            interactions=200_000,
            orders=50_000,
        )


class Builder:
    def __init__(
        self,
        conn: Connection,
        spec: DemoSpec,
        now: datetime,
        zone: tzinfo,
        progress: Callable[[int, int], None] | None,
        should_cancel: Callable[[], bool] | None,
        media_root: Path | None = None,
    ) -> None:
        self.conn = conn
        self.media_root = media_root
        self.categories: dict[int, str] = {}
        self.drawn: DemoPictures | None = None
        self.spec = spec
        self.now = now
        self.zone = zone
        self.rng = random.Random(spec.seed)
        self._progress = progress
        self._cancel = should_cancel
        self._done = 0
        pictures = spec.products // 20 + 1 if media_root is not None else 0
        self._total = 8 + pictures + (spec.customers + spec.interactions + spec.orders * 2) // CHUNK
        self.prices: dict[int, Decimal] = {}
        self.names: dict[int, str] = {}
        #: products sold in several sizes → (variant id, "黑色 M", stock) each
        self.sizes: dict[int, list[tuple[int, str, int]]] = {}
        self.customers_by_account: dict[int, list[int]] = {}
        self.customer_city: dict[int, str] = {}

    # -- plumbing ------------------------------------------------------------------------------

    def step(self) -> None:
        if self._cancel is not None and self._cancel():
            raise DemoCancelled
        self._done += 1
        if self._progress is not None:
            self._progress(min(self._done, self._total), self._total)

    def insert(self, table: Table | Any, rows: Iterable[dict[str, Any]]) -> int:
        batch: list[dict[str, Any]] = []
        count = 0
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                self.conn.execute(insert(table), batch)
                count += len(batch)
                batch = []
                self.step()
        if batch:
            self.conn.execute(insert(table), batch)
            count += len(batch)
        return count

    def local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)
