"""What the crash child does, and how the parent checks it survived a SIGKILL.

Each ``Operation`` has two halves:

- ``run(world, k, tick)`` in the child: one unit of work (one transaction, one backup...)
  numbered ``k``; it calls ``tick()`` often so the parent can kill it mid-way, and returns a
  JSON-able record that the child writes (and fsyncs) to the journal only after the work
  committed.
- ``verify(world, journal, k_all)`` in the parent, after the kill: the database must show
  every journalled record, and any unit that did not finish must have left nothing behind.

Adding an importer (say, customers from Taobao) takes one function per half and one line in
``OPERATIONS``: build a file with rows whose keys carry ``k``, plan and apply it in ``run``,
and in ``verify`` assert each ``k`` has all of its rows or none.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import Engine, func, select, text

from moments_desk.core.safety.archive import create_archive, inspect_archive
from moments_desk.core.safety.backup import AUTO
from moments_desk.core.safety.integrity import check_sqlite_file
from moments_desk.core.safety.snapshots import snapshot

Tick = Callable[[], None]
Record = dict[str, Any]
IMPORT_ROWS = 40


@dataclass
class World:
    engine: Engine
    data_dir: Path

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"


@dataclass(frozen=True)
class Operation:
    run: Callable[[World, int, Tick], Record]
    verify: Callable[[World, list[Record], set[int]], None]


def _count(world: World, sql: str, **params: object) -> int:
    with world.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


# ---- product import ---------------------------------------------------------------------


def run_product_import(world: World, k: int, tick: Tick) -> Record:
    from moments_desk.core.catalogue.product_import import (
        PRODUCT_FIELDS,
        apply_product_import,
        plan_product_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

    work = world.data_dir / "incoming" / str(k)
    (work / "images").mkdir(parents=True, exist_ok=True)
    rows = ["货号,宝贝标题,一口价,库存,标签"]
    rng = random.Random(k)
    for n in range(IMPORT_ROWS):
        rows.append(f"IMP{k}-{n:03d},导入商品{k}-{n},{rng.randint(10, 999)}.00,{n},批次{k}")
    for n in range(0, IMPORT_ROWS, 8):
        colour = (rng.randrange(256), rng.randrange(256), k % 256)
        Image.new("RGB", (32, 24), colour).save(work / "images" / f"IMP{k}-{n:03d}.jpg")
    (work / "products.csv").write_text("\n".join(rows), encoding="gb18030")
    table = read_table(work / "products.csv")
    with world.engine.connect() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            plan = plan_product_import(
                table,
                guess_mapping(table.headers, PRODUCT_FIELDS),
                session,
                images_folder=work / "images",
            )
    assert plan.ok, plan.errors
    apply_product_import(plan, world.engine, world.media, progress=lambda _d, _t: tick())
    return {"op": "import", "k": k, "rows": IMPORT_ROWS}


def verify_product_import(world: World, journal: list[Record], started: set[int]) -> None:
    done = {r["k"] for r in journal}
    for k in started | done:
        products = _count(world, "SELECT count(*) FROM product WHERE code LIKE :p", p=f"IMP{k}-%")
        images = _count(
            world,
            "SELECT count(*) FROM product_image pi JOIN product p ON p.id = pi.product_id "
            "WHERE p.code LIKE :p",
            p=f"IMP{k}-%",
        )
        assert products in (0, IMPORT_ROWS), f"import {k} is half-written: {products} rows"
        assert images in (0, IMPORT_ROWS // 8), f"import {k}: {images} pictures linked"
        assert (products == 0) == (images == 0), f"import {k}: rows and pictures disagree"
        if k in done:
            assert products == IMPORT_ROWS, f"import {k} was committed but is gone"


# ---- customer import --------------------------------------------------------------------


def _first_account(world: World) -> int:
    with world.engine.connect() as conn:
        return int(conn.execute(text("SELECT min(id) FROM wechat_account")).scalar_one())


def run_customer_import(world: World, k: int, tick: Tick) -> Record:
    from sqlalchemy.orm import Session

    from moments_desk.core.customers.customer_import import apply_customer_import
    from moments_desk.core.customers.customer_import_plan import (
        CUSTOMER_FIELDS,
        plan_customer_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

    work = world.data_dir / "incoming" / str(k)
    work.mkdir(parents=True, exist_ok=True)
    rows = ["微信号,昵称,备注,手机,生日,标签,收货地址"]
    for n in range(IMPORT_ROWS):
        address = f"浙江省 杭州市 西湖区 文三路 {n} 号" if n % 4 == 0 else ""
        rows.append(f"CIMP{k}-{n:03d},好友{n},曾小{n},,农历三月初五,好友批次{k},{address}")
    (work / "customers.csv").write_text("\n".join(rows), encoding="gb18030")
    table = read_table(work / "customers.csv")
    with Session(world.engine) as session:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), session, _first_account(world)
        )
    assert plan.ok, plan.errors
    apply_customer_import(plan, world.engine, progress=lambda _d, _t: tick())
    return {"op": "customers", "k": k, "rows": IMPORT_ROWS}


def verify_customer_import(world: World, journal: list[Record], started: set[int]) -> None:
    done = {r["k"] for r in journal}
    for k in started | done:
        people = _count(
            world, "SELECT count(*) FROM customer WHERE wechat_id LIKE :p", p=f"CIMP{k}-%"
        )
        tagged = _count(
            world,
            "SELECT count(*) FROM customer_tag ct JOIN tag t ON t.id = ct.tag_id WHERE t.name = :n",
            n=f"好友批次{k}",
        )
        addresses = _count(
            world,
            "SELECT count(*) FROM customer_address a JOIN customer c ON c.id = a.customer_id "
            "WHERE c.wechat_id LIKE :p",
            p=f"CIMP{k}-%",
        )
        assert people in (0, IMPORT_ROWS), f"customer import {k} is half-written: {people} rows"
        assert tagged == people, f"customer import {k}: {tagged} tags for {people} customers"
        assert addresses == people // 4, f"customer import {k}: {addresses} addresses"
        if k in done:
            assert people == IMPORT_ROWS, f"customer import {k} was committed but is gone"


# ---- Taobao order import -----------------------------------------------------------------


def run_taobao_import(world: World, k: int, tick: Tick) -> Record:
    from sqlalchemy.orm import Session

    from moments_desk.core.orders.taobao_import import (
        TAOBAO_FIELDS,
        apply_taobao_import,
        plan_taobao_import,
    )
    from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table

    work = world.data_dir / "incoming" / str(k)
    work.mkdir(parents=True, exist_ok=True)
    rows = ["订单编号,买家会员名,买家实付金额,订单状态,收货人姓名,收货地址,宝贝标题,订单创建时间"]
    for n in range(IMPORT_ROWS):
        # Two orders per buyer, so new customers, their addresses and orders all interleave.
        rows.append(
            f"TB{k}-{n:03d},tbk{k}_{n // 2},{n + 10}.00,交易成功,淘宝买家{k}-{n // 2},"
            f"上海 上海市 浦东新区 世纪大道 {n} 号,羊毛围巾,2026-08-01 10:{n % 60:02d}:00"
        )
    (work / "orders.csv").write_text("\n".join(rows), encoding="gb18030")
    table = read_table(work / "orders.csv")
    with Session(world.engine) as session:
        plan = plan_taobao_import(
            table, guess_mapping(table.headers, TAOBAO_FIELDS), session, _first_account(world)
        )
    assert plan.ok, plan.errors
    apply_taobao_import(plan, world.engine, progress=lambda _d, _t: tick())
    return {"op": "taobao", "k": k, "rows": IMPORT_ROWS}


def verify_taobao_import(world: World, journal: list[Record], started: set[int]) -> None:
    done = {r["k"] for r in journal}
    for k in started | done:
        orders = _count(
            world, "SELECT count(*) FROM sales_order WHERE external_no LIKE :p", p=f"TB{k}-%"
        )
        items = _count(
            world,
            "SELECT count(*) FROM order_item oi JOIN sales_order o ON o.id = oi.order_id "
            "WHERE o.external_no LIKE :p",
            p=f"TB{k}-%",
        )
        buyers = _count(
            world, "SELECT count(*) FROM customer WHERE nickname LIKE :p", p=f"tbk{k}_%"
        )
        assert orders in (0, IMPORT_ROWS), f"Taobao import {k} is half-written: {orders} orders"
        assert items == orders, f"Taobao import {k}: {items} items for {orders} orders"
        assert buyers == orders // 2, f"Taobao import {k}: {buyers} buyers for {orders} orders"
        if k in done:
            assert orders == IMPORT_ROWS, f"Taobao import {k} was committed but is gone"


# ---- bulk edits ------------------------------------------------------------------------


def run_bulk_edit(world: World, k: int, tick: Tick) -> Record:
    from sqlalchemy.orm import sessionmaker

    from moments_desk.core.catalogue import catalogue
    from moments_desk.core.customers import customers
    from moments_desk.core.shared import uow

    sessions = sessionmaker(world.engine)
    tick()

    def edit(session: Any) -> tuple[int, int]:
        product_ids = list(session.scalars(select(text("id")).select_from(text("product"))))
        customer_ids = list(session.scalars(select(text("id")).select_from(text("customer"))))
        tick()
        tagged = catalogue.add_tag(session, product_ids, f"批量{k}")
        catalogue.adjust_stock(session, product_ids, 1)
        tick()
        customers.add_tag(session, customer_ids, f"批量{k}")
        tick()
        return tagged, len(customer_ids)

    products, people = uow.write(sessions, edit)
    return {"op": "bulk", "k": k, "products": products, "customers": people}


def verify_bulk_edit(world: World, journal: list[Record], started: set[int]) -> None:
    for record in journal:
        name = f"批量{record['k']}"
        on_products = _count(
            world,
            "SELECT count(*) FROM product_tag pt JOIN tag t ON t.id = pt.tag_id WHERE t.name = :n",
            n=name,
        )
        on_customers = _count(
            world,
            "SELECT count(*) FROM customer_tag ct JOIN tag t ON t.id = ct.tag_id WHERE t.name = :n",
            n=name,
        )
        assert on_products >= record["products"], f"bulk edit {record['k']} lost"
        assert on_customers == record["customers"], f"bulk edit {record['k']} lost on customers"


# ---- orders -------------------------------------------------------------------------------


def run_order(world: World, k: int, tick: Tick) -> Record:
    """An order through the orders service, as the order editor creates it."""
    from sqlalchemy.orm import sessionmaker

    from moments_desk.core.orders.orders import ItemDraft, OrderDraft, create_order
    from moments_desk.db.models import Customer, Product

    sessions = sessionmaker(world.engine)
    tick()
    with sessions.begin() as session:
        customer = session.scalars(select(Customer.id).order_by(func.random()).limit(1)).first()
        products = session.scalars(select(Product).order_by(func.random()).limit(3)).all()
        items = []
        for product in products:
            items.append(ItemDraft(product.id, product.name, 1, product.price))
            tick()
        create_order(
            session,
            OrderDraft(customer_id=customer, items=items, notes=f"CRASH-{k}"),
            datetime.now(UTC),
        )
        tick()
    return {"op": "order", "k": k, "items": len(items)}


def verify_order(world: World, journal: list[Record], started: set[int]) -> None:
    for record in journal:
        items = _count(
            world,
            "SELECT count(*) FROM order_item oi JOIN sales_order o ON o.id = oi.order_id "
            "WHERE o.notes = :no",
            no=f"CRASH-{record['k']}",
        )
        assert items == record["items"], f"order CRASH-{record['k']} lost ({items} items)"
    orphans = _count(
        world,
        "SELECT count(*) FROM sales_order o WHERE o.notes LIKE 'CRASH-%' AND NOT EXISTS "
        "(SELECT 1 FROM order_item oi WHERE oi.order_id = o.id)",
    )
    assert orphans == 0, "an order was committed without its items"


# ---- backups ------------------------------------------------------------------------------


def run_backup(world: World, k: int, tick: Tick) -> Record:
    if k % 2:
        target = world.data_dir / "archives" / f"backup-{k}.zip"
        target.parent.mkdir(exist_ok=True)
        create_archive(world.engine, world.media, target, progress=lambda _d, _t: tick())
        return {"op": "backup", "k": k, "path": str(target)}
    snap = snapshot(world.engine, world.backups, AUTO, label=str(k), progress=lambda _d, _t: tick())
    return {"op": "backup", "k": k, "path": str(snap.path)}


def verify_backup(world: World, journal: list[Record], started: set[int]) -> None:
    for record in journal:
        path = Path(record["path"])
        info = inspect_archive(path)  # raises if unreadable
        assert info.manifest.counts, f"{path.name} has no counts"
        if path.suffix == ".sqlite3":
            assert check_sqlite_file(path, full=True).ok, f"{path.name} is damaged"
    # A backup cut short leaves only a hidden temporary file, never a half archive.
    for folder in (world.backups, world.data_dir / "archives"):
        for path in folder.glob("*") if folder.is_dir() else []:
            if path.suffix in (".zip", ".sqlite3") and not path.name.startswith("."):
                inspect_archive(path)


OPERATIONS: dict[str, Operation] = {
    "import": Operation(run_product_import, verify_product_import),
    "customers": Operation(run_customer_import, verify_customer_import),
    "taobao": Operation(run_taobao_import, verify_taobao_import),
    "bulk": Operation(run_bulk_edit, verify_bulk_edit),
    "order": Operation(run_order, verify_order),
    "backup": Operation(run_backup, verify_backup),
}
