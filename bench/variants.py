"""Sizes and colours at scale: the 商品 page at 5,000 products × 8 variants (first paint and
a search keystroke, against the same page before the variants were added), and 200 orders
for variants made from one pasted set of comments (against 200 orders of one product
sold in one version)."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bench.common import Result
from bench.dataset import NOW
from bench.pages import _Counter, _counters, _keystrokes, _wait
from moments_desk.core.catalogue.variants import VariantDraft, save_variants
from moments_desk.core.orders import allocation as al
from moments_desk.core.orders.comment_allocation import allocate_order_comments
from moments_desk.core.orders.orders import StockPolicy
from moments_desk.core.shared import uow
from moments_desk.core.tracking.tracking import EntryLine, record_entries
from moments_desk.db.models import (
    Customer,
    InteractionKind,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    ProductVariant,
    WeChatAccount,
)
from moments_desk.scheduling.clock import FakeClock, local_zone
from moments_desk.startup import Shop, open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.products.page import ProductsPage

COLORS = ("燕麦色", "黑色")
SIZES = ("S", "M", "L", "XL")
QUERIES = ["连", "连衣裙", "lyq", "QZ25", "新品", "nbs", "燕麦色", "wt"]


def _page_figures(app: QApplication, shop: Shop) -> tuple[float, float, int]:
    ctx = AppContext(shop, FakeClock(NOW), local_zone(), DbExecutor(), "zh_CN")
    paints = []
    page = None
    for _ in range(4):
        page = ProductsPage(ctx)
        _counters[id(page)] = _Counter(page)
        page.resize(1280, 800)
        started = time.perf_counter()
        page.show()
        _wait(app, page)
        page.table.viewport().repaint()
        paints.append((time.perf_counter() - started) * 1000)
        page.hide()
        ctx.executor.wait()
        page.thumbnails.wait()
        app.processEvents()
    assert page is not None
    page.show()
    keystroke = _keystrokes(app, page, QUERIES)
    rows = page.model.rowCount()
    page.hide()
    ctx.executor.wait()
    return statistics.median(paints[1:]), keystroke, rows


def _eight_variants(shop: Shop) -> int:
    """Every product ends with 8 variants: a default one becomes 燕麦色 S, and cells of the
    燕麦色/黑色 × S–XL grid join what it has (the demo's clothes already come in sizes)."""
    grid = [(c, z) for c in COLORS for z in SIZES]
    with shop.sessions.begin() as s:
        s.execute(
            update(ProductVariant)
            .where(ProductVariant.color == "", ProductVariant.size == "")
            .values(color=COLORS[0], size=SIZES[0])
        )
        have: dict[int, set[tuple[str, str]]] = {}
        for pid, color, size in s.execute(
            select(ProductVariant.product_id, ProductVariant.color, ProductVariant.size)
        ):
            have.setdefault(pid, set()).add((color, size))
        rows = []
        for pid, cells in have.items():
            missing = [cell for cell in grid if cell not in cells][: max(0, 8 - len(cells))]
            rows += [
                {"product_id": pid, "color": c, "size": z, "stock": 5, "position": len(cells) + n}
                for n, (c, z) in enumerate(missing)
            ]
        for start in range(0, len(rows), 5000):
            s.execute(insert(ProductVariant), rows[start : start + 5000])
        return sum(len(cells) for cells in have.values()) + len(rows)


def _orders_from_paste(shop: Shop, variants: bool) -> tuple[float, int]:
    """200 friends comment under one post; allocating and making their orders, timed."""
    with shop.sessions.begin() as s:
        account = WeChatAccount(label=f"bench-{'v' if variants else 'p'}")
        s.add(account)
        s.flush()
        s.execute(
            insert(Customer),
            [
                {
                    "account_id": account.id,
                    "nickname": f"买家{n:03d}",
                    "search_text": f"买家{n:03d}",
                }
                for n in range(200)
            ],
        )
        ids = list(s.scalars(select(Customer.id).where(Customer.account_id == account.id)))
        product = Product(code=f"BENCH-{'V' if variants else 'P'}", name="燕麦色开衫", stock=300)
        s.add(product)
        post = Post(kind=PostKind.NEW_ARRIVAL, text="上新", status=PostStatus.POSTED)
        s.add(post)
        s.flush()
        s.add(PostAccount(post_id=post.id, account_id=account.id, posted_at=NOW))
        s.add(PostProduct(post_id=post.id, product_id=product.id, position=0))
        if variants:
            grid = [VariantDraft(c, z, 40) for c in COLORS for z in SIZES]
            save_variants(s, product.id, grid)
        post_id, account_id, product_id = post.id, account.id, product.id
    words = [f"{c}{z}" for c in COLORS for z in SIZES] if variants else ["+1"]
    lines = [
        EntryLine(n, f"买家{n:03d}", InteractionKind.COMMENT, words[n % len(words)], cid)
        for n, cid in enumerate(ids)
    ]
    uow.write(shop.sessions, lambda s: record_entries(s, post_id, account_id, lines, NOW))

    def work(s: Session) -> int:
        if variants:
            allocate_order_comments(s, post_id, product_id)
        else:
            al.allocate_first_n(s, post_id, product_id, include_comments=True)
        return len(
            al.create_orders_from_allocations(s, post_id, NOW, policy=StockPolicy.ON_CREATION)
        )

    started = time.perf_counter()
    made = uow.write(shop.sessions, work)
    return (time.perf_counter() - started) * 1000, made


def run(shop_folder: Path) -> list[Result]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp(prefix="md-bench-variants-"))
    try:
        shutil.copytree(shop_folder, work / "shop")
        shop = open_shop(work / "shop")
        plain_paint, plain_key, products = _page_figures(app, shop)
        count = _eight_variants(shop)
        paint, key, _ = _page_figures(app, shop)
        results = [
            Result(
                f"products page first paint ({products:,} × 8 variants)",
                paint,
                "the same page, one variant each",
                plain_paint,
                note=f"{count:,} variants; median of 3 fresh pages",
            ),
            Result(
                "products search keystroke (× 8 variants)",
                key,
                "the same page, one variant each",
                plain_key,
                note="median",
            ),
        ]
        plain_orders, _ = _orders_from_paste(shop, variants=False)
        took, made = _orders_from_paste(shop, variants=True)
        results.append(
            Result(
                "200 orders for variants from one paste (allocate + create)",
                took,
                "200 orders of a product in one version",
                plain_orders,
                note=f"{made} orders",
            )
        )
        shop.close()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
