"""Tracking at scale: match 200 pasted names against 50,000 customers, record 200
interactions in one transaction, and the Orders page's first paint at 50,000 orders."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from bench.common import Result
from bench.dataset import NOW
from moments_desk.core.shared import uow
from moments_desk.core.tracking.matching import (
    MatchStatus,
    clear_index_cache,
    match_pasted,
    parse_pasted,
)
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import Customer, InteractionKind, Order, Post, PostAccount, PostStatus
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.orders.page import OrdersPage


def _pasted(names: list[str], rng: random.Random) -> str:
    """200 names as a seller pastes them: 150 exact, 30 slightly off, 20 strangers."""
    chosen = rng.sample(names, 180)
    exact = chosen[:150]
    off = [n[:-1] + "呀" if len(n) > 1 else n + "呀" for n in chosen[150:180]]
    strangers = [f"路人{rng.randrange(10**6)}🌿" for _ in range(20)]
    return "，".join(exact + off + strangers)


def run(shop_folder: Path, repeat: int) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp(prefix="md-bench-tracking-"))
    try:
        shutil.copytree(shop_folder, work / "shop")
        shop = open_shop(work / "shop")
        sessions = shop.sessions
        results: list[Result] = []
        rng = random.Random(7)
        names = uow.read(sessions, lambda s: [n for n in s.scalars(select(Customer.nickname)) if n])
        text = _pasted(names, rng)

        pasted = parse_pasted(text).likes
        cold, warm, plain = [], [], []
        statuses: dict[MatchStatus, int] = {}
        searched = 0
        for _ in range(repeat):
            started = time.perf_counter()
            uow.read(
                sessions,
                lambda s: s.execute(
                    select(Customer.id, Customer.nickname, Customer.remark, Customer.search_text)
                ).all(),
            )
            plain.append((time.perf_counter() - started) * 1000)
            clear_index_cache()
            started = time.perf_counter()
            uow.read(sessions, lambda s: match_pasted(s, None, pasted))
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            matches, searched = uow.read(sessions, lambda s: match_pasted(s, None, pasted))
            warm.append((time.perf_counter() - started) * 1000)
            statuses = {}
            for match in matches:
                statuses[match.status] = statuses.get(match.status, 0) + 1
        results.append(
            Result(
                f"match 200 pasted names against {searched:,} customers (first paste)",
                statistics.median(cold),
                "SELECT the same columns, raw",
                statistics.median(plain),
                note=", ".join(f"{k.value} {v}" for k, v in sorted(statuses.items())),
            )
        )
        results.append(
            Result(
                "match 200 pasted names, next paste (index cached)",
                statistics.median(warm),
                "SELECT the same columns, raw",
                statistics.median(plain),
            )
        )

        def setup(s: object) -> tuple[int, int, list[int]]:
            from sqlalchemy.orm import Session

            assert isinstance(s, Session)
            post_id, account_id = s.execute(
                select(Post.id, PostAccount.account_id)
                .join(PostAccount, PostAccount.post_id == Post.id)
                .where(Post.status == PostStatus.POSTED)
                .order_by(Post.posted_at.desc())
                .limit(1)
            ).one()
            ids = list(
                s.scalars(select(Customer.id).where(Customer.account_id == account_id).limit(400))
            )
            return post_id, account_id, ids

        post_id, account_id, ids = uow.read(sessions, setup)
        lines = [
            EntryLine(n, f"#{cid}", InteractionKind.COMMENT, "好看！多少钱", cid)
            for n, cid in enumerate(ids[200:400], 1)
        ]
        started = time.perf_counter()
        outcome = uow.write(sessions, lambda s: record_entries(s, post_id, account_id, lines, NOW))
        took = (time.perf_counter() - started) * 1000
        results.append(
            Result(
                "record 200 interactions (one transaction)",
                took,
                note=f"{outcome.recorded} recorded",
            )
        )

        orders_total = uow.read(sessions, lambda s: s.scalar(select(func.count(Order.id))))
        ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
        paints = []
        for _ in range(max(1, repeat)):
            page = OrdersPage(ctx)
            page.resize(1280, 800)
            shown: list[int] = []
            page.results_shown.connect(shown.append)
            started = time.perf_counter()
            page.show()
            while not shown:
                app.processEvents()
            page.table.viewport().repaint()
            paints.append((time.perf_counter() - started) * 1000)
            page.hide()
            page.deleteLater()
            app.processEvents()
        results.append(
            Result(f"orders page first paint ({orders_total:,} orders)", statistics.median(paints))
        )
        ctx.executor.wait()
        shop.close()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
