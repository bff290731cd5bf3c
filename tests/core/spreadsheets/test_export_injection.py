"""Every export a seller opens in Excel or WPS, fed what buyers and files can hold.

Imports store a formula-looking nickname, address or product name verbatim; every CSV and
XLSX export writes it as text with a leading quote, and no XLSX cell is ever a formula.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.product_export import export_products
from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS, plan_customer_import
from moments_desk.core.customers.privacy import export_customer
from moments_desk.core.orders.packing import packing_slips, write_packing_csv
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.models import (
    Customer,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    WeChatAccount,
)
from tests.core.spreadsheets.checks import HOSTILE, assert_csv_safe, assert_xlsx_safe

pytestmark = pytest.mark.db

NICKNAME = '=HYPERLINK("http://127.0.0.1/x","点我")'
ADDRESS = "+cmd|' /C calc'!A0"


def write_source(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def hostile_products(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    source = write_source(
        tmp_path / "products.csv",
        [
            ["编码", "名称", "分类", "售价", "库存", "卖点", "备注"],
            ["QZ-1", HOSTILE[0], HOSTILE[2], "259.50", "5", HOSTILE[3], HOSTILE[1]],
            ["QZ-2", "奶白色连衣裙", "连衣裙", "99", "0", "显瘦", "-5"],
        ],
    )
    table = read_table(source)
    with session_factory() as s:
        plan = plan_product_import(table, guess_mapping(table.headers, PRODUCT_FIELDS), s)
    assert plan.ok, plan.errors
    apply_product_import(plan, engine, tmp_path / "media")


def test_product_import_stores_formula_text_verbatim(
    hostile_products: None, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as s:
        product = s.scalars(select(Product).where(Product.code == "QZ-1")).one()
        stored = (product.name, product.category, product.selling_points, product.notes)
    assert stored == (HOSTILE[0], HOSTILE[2], HOSTILE[3], HOSTILE[1])


def test_product_csv_export_quotes_every_formula(
    hostile_products: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    target = tmp_path / "export.csv"
    with session_factory() as s:
        assert export_products(s, target) == 2
    rows = assert_csv_safe(target)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["名称"], first["分类"], first["备注"]) == (
        "'" + HOSTILE[0],
        "'" + HOSTILE[2],
        "'" + HOSTILE[1],
    )
    second = dict(zip(rows[0], rows[2], strict=True))
    assert (second["售价"], second["备注"]) == ("99.00", "-5")  # a number stays a number


def test_product_xlsx_export_has_no_formula(
    hostile_products: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    target = tmp_path / "export.xlsx"
    with session_factory() as s:
        assert export_products(s, target) == 2
    values = assert_xlsx_safe(target)
    assert values[1][1] == "'" + HOSTILE[0]
    assert (values[1][2], values[1][11]) == ("'" + HOSTILE[2], "'" + HOSTILE[1])
    assert values[2][11] == "-5"


@pytest.fixture
def imported_customer(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> int:
    with session_factory.begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        account_id = account.id
    source = write_source(
        tmp_path / "friends.csv",
        [["微信号", "昵称", "地址"], ["wx_attacker", NICKNAME, "浙江省杭州市西湖区 " + ADDRESS]],
    )
    table = read_table(source)
    with session_factory() as s:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), s, account_id
        )
    assert not plan.errors, plan.errors
    apply_customer_import(plan, engine)
    with session_factory() as s:
        return s.scalars(select(Customer.id).where(Customer.wechat_id == "wx_attacker")).one()


def test_customer_import_stores_a_formula_nickname_verbatim(
    imported_customer: int, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as s:
        assert s.get(Customer, imported_customer).nickname == NICKNAME  # type: ignore[union-attr]


@pytest.fixture
def hostile_order(imported_customer: int, session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as s:
        order = Order(
            customer_id=imported_customer,
            status=OrderStatus.PAID,
            total=Decimal("-5"),
            recipient=HOSTILE[3],
            phone="-1",
            address=ADDRESS,
            notes=HOSTILE[4],
            created_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        )
        s.add(order)
        s.flush()
        s.add(
            OrderItem(
                order_id=order.id,
                product_name=HOSTILE[0],
                variant=HOSTILE[5],
                quantity=2,
                unit_price=Decimal(1),
            )
        )
        s.add(
            Interaction(
                customer_id=imported_customer,
                kind=InteractionKind.COMMENT,
                content=NICKNAME,
                occurred_at=datetime(2026, 11, 19, 12, tzinfo=UTC),
            )
        )
        return order.id


def test_packing_list_csv_quotes_every_formula(
    hostile_order: int, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory() as s:
        slips = packing_slips(s, [hostile_order])
    target = tmp_path / "packing.csv"
    write_packing_csv(slips, target)
    rows = assert_csv_safe(target)
    assert rows[1][1:5] == ["'" + NICKNAME, "'" + HOSTILE[3], "-1", "'" + ADDRESS]
    assert rows[1][5:10] == ["'" + HOSTILE[0], "'" + HOSTILE[5], "2", "-5.00", "'" + HOSTILE[4]]


def test_privacy_export_csv_quotes_every_formula(
    hostile_order: int,
    imported_customer: int,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    with session_factory() as s:
        files = export_customer(s, imported_customer, tmp_path / "pipl")
    timeline = next(f for f in files if f.suffix == ".csv")
    rows = assert_csv_safe(timeline)
    assert ["'" + NICKNAME, "'" + HOSTILE[4]] == [row[2] for row in rows[1:]]
    assert rows[2][4] == "-5.00"
    # The JSON copy is not a spreadsheet: it keeps her data exactly as stored.
    json_file = next(f for f in files if f.suffix == ".json")
    assert NICKNAME.replace('"', '\\"') in json_file.read_text(encoding="utf-8")
