"""Taobao order exports (订单报表): GBK, renamed columns, Excel wrappers, idempotent re-import."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.orders.taobao_import import (
    TAOBAO_FIELDS,
    TaobaoImportPlan,
    apply_taobao_import,
    plan_taobao_import,
    taobao_status,
)
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    CustomerSource,
    CustomerStage,
    Order,
    OrderItem,
    OrderSource,
    OrderStatus,
    Product,
    WeChatAccount,
)

pytestmark = pytest.mark.db

#: The 2018-era header (买家实际支付金额), with the trailing spaces Taobao leaves.
OLD_HEADER = (
    "订单编号 ,买家会员名 ,买家实际支付金额 ,买家应付邮费 ,订单状态 ,收货人姓名 ,收货地址 ,"
    "联系手机 ,宝贝标题 ,宝贝总数量 ,订单创建时间 ,订单付款时间 ,订单备注 ,商家编码 "
)
#: A newer export: 买家实付金额, other names, columns in another order.
NEW_HEADER = (
    "订单编号,订单状态,买家实付金额,收货人姓名,联系手机,收货地址,宝贝标题,订单创建时间,买家会员名"
)

OLD_ROWS = [
    '="351500000001",tb_lily,199.00,0.00,"买家已付款，等待卖家发货",王丽,'
    '"浙江省 杭州市 西湖区 文三路 1 号(310012)",\'13800138000,法式连衣裙,1,'
    "2026-10-03 20:15:33,2026-10-03 20:16:00,,QZ-1",
    '="351500000002",tb_lily,99.00,10.00,交易成功,王丽,'
    '"浙江省 杭州市 西湖区 文三路 1 号(310012)",\'13800138000,针织开衫,2,'
    "2026-09-01 10:00:00,2026-09-01 10:01:00,要快,",
    '="351500000003",tb_zs,59.00,0.00,交易关闭,张三,"上海 上海市 浦东新区 世纪大道 100 号(200120)",'
    "'13900139000,羊毛围巾,1,2026-08-01 10:00:00,,,",
    '="351500000004",tb_ls,59.00,0.00,等待买家付款,李四,"北京 北京市 朝阳区 建国路 1 号(100000)",'
    "'13700137000,羊毛围巾,1,2026-08-02 10:00:00,,,",
    '="351500000005",tb_ww,89.00,0.00,"卖家已发货，等待买家确认",王五,'
    '"广东省 深圳市 南山区 科技园 1 栋(518000)",\'13600136000,开衫,1,2026-08-03 10:00:00,,,',
]


def export_file(path: Path, header: str, rows: list[str]) -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("gbk"))
    return path


@pytest.fixture
def account(session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as s:
        main = WeChatAccount(label="主号")
        s.add(main)
        s.flush()
        return main.id


def plan_for(path: Path, factory: sessionmaker[Session], account_id: int) -> TaobaoImportPlan:
    table = read_table(path)
    with factory() as s:
        return plan_taobao_import(table, guess_mapping(table.headers, TAOBAO_FIELDS), s, account_id)


def counts(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) or 0 for m in (Customer, Order, OrderItem)
        )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("买家已付款，等待卖家发货", OrderStatus.PAID),
        ("等待卖家发货", OrderStatus.PAID),
        ("交易成功", OrderStatus.COMPLETED),
        ("交易关闭", OrderStatus.CANCELLED),
        ("等待买家付款", OrderStatus.AWAITING_PAYMENT),
        ("卖家已发货，等待买家确认", OrderStatus.SHIPPED),
        ("卖家已发货", OrderStatus.SHIPPED),
        ("交易关闭（退款成功）", OrderStatus.REFUNDED),
        ("已取消了", None),
    ],
)
def test_status_words(text: str, status: OrderStatus | None) -> None:
    assert taobao_status(text) == status


def test_old_export_creates_customers_addresses_and_orders(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    with session_factory.begin() as s:
        s.add(Product(code="QZ-1", name="法式连衣裙", price=Decimal("199")))
    path = export_file(tmp_path / "ExportOrderList.csv", OLD_HEADER, OLD_ROWS)
    table = read_table(path)
    assert table.encoding == "gb18030" and table.headers[0] == "订单编号"
    plan = plan_for(path, session_factory, account)
    assert plan.ok, plan.errors
    assert (len(plan.orders), plan.new_customers, plan.known_customers) == (5, 4, 0)
    result = apply_taobao_import(plan, engine)
    assert (result.orders, result.customers_created, result.addresses) == (5, 4, 4)
    with session_factory() as s:
        lily = s.scalars(select(Customer).where(Customer.phone == "13800138000")).one()
        assert (lily.remark, lily.nickname, lily.source) == (
            "王丽",
            "tb_lily",
            CustomerSource.TAOBAO,
        )
        assert lily.stage is CustomerStage.FAN  # two paid orders: a repeat buyer (the ladder)
        [address] = lily.addresses
        assert (address.province, address.city, address.district, address.detail) == (
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路 1 号",
        )
        assert address.postcode == "310012" and address.recipient == "王丽"
        orders = {o.external_no: o for o in s.scalars(select(Order))}
        first = orders["351500000001"]
        assert first.customer_id == lily.id and first.source is OrderSource.TAOBAO
        assert first.status is OrderStatus.PAID and first.total == Decimal("199.00")
        # 20:15 in Beijing is 12:15 UTC
        assert first.created_at == datetime(2026, 10, 3, 12, 15, 33, tzinfo=UTC)
        assert first.paid_at == datetime(2026, 10, 3, 12, 16, tzinfo=UTC)
        assert not first.stock_taken
        [item] = first.items
        assert item.product_id is not None and item.product_name == "法式连衣裙"
        second = orders["351500000002"]
        assert second.status is OrderStatus.COMPLETED and second.notes == "要快"
        assert second.shipping_fee == Decimal("10.00")
        assert [(i.quantity, i.unit_price) for i in second.items] == [(2, Decimal("44.50"))]
        assert orders["351500000003"].status is OrderStatus.CANCELLED
        assert orders["351500000004"].status is OrderStatus.AWAITING_PAYMENT
        assert orders["351500000005"].status is OrderStatus.SHIPPED
        assert orders["351500000002"].completed_at is None  # this export has no such column
        zhang = s.scalars(select(Customer).where(Customer.remark == "张三")).one()
        assert zhang.stage is CustomerStage.PROSPECT  # a closed order is not a purchase


def test_reimporting_the_same_file_adds_nothing(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    path = export_file(tmp_path / "o.csv", OLD_HEADER, OLD_ROWS)
    apply_taobao_import(plan_for(path, session_factory, account), engine)
    before = counts(session_factory)
    with session_factory() as s:
        addresses = s.scalar(select(func.count()).select_from(CustomerAddress))
    again = plan_for(path, session_factory, account)
    assert again.ok and (len(again.orders), again.already_imported) == (0, 5)
    result = apply_taobao_import(again, engine)
    assert result.orders == 0 and result.already_imported == 5
    assert counts(session_factory) == before
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CustomerAddress)) == addresses


def test_newer_export_matches_existing_customers_by_phone_then_name(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    with session_factory.begin() as s:
        by_phone = create_customer(
            s, CustomerDraft(account_id=account, nickname="小美", phone="13800138000")
        )
        by_name = create_customer(s, CustomerDraft(account_id=account, remark="张三"))
        create_customer(s, CustomerDraft(account_id=account, remark="李四"))
        create_customer(s, CustomerDraft(account_id=account, nickname="李四"))
    rows = [
        '="3515100",交易成功,120.50,王丽,\'13800138000,"浙江省 杭州市 西湖区 文三路 1 号(310012)",'
        "连衣裙,2026/10/01 09:00,tb_lily",
        '="3515101",交易成功,80,张三,,"上海 上海市 浦东新区 世纪大道 100 号(200120)",'
        "围巾,2026/10/02 09:00,",
        # two customers are called 李四: matching by name would be a guess, so a new one
        '="3515102",交易成功,80,李四,,"北京 北京市 朝阳区 建国路 1 号(100000)",'
        "围巾,2026/10/02 09:00,",
    ]
    path = export_file(tmp_path / "new.csv", NEW_HEADER, rows)
    plan = plan_for(path, session_factory, account)
    assert plan.ok, plan.errors
    assert (plan.new_customers, plan.known_customers) == (1, 2)
    apply_taobao_import(plan, engine)
    with session_factory() as s:
        orders = {o.external_no: o for o in s.scalars(select(Order))}
        assert orders["3515100"].customer_id == by_phone
        assert orders["3515100"].total == Decimal("120.50")
        assert orders["3515101"].customer_id == by_name
        zhang = s.get(Customer, by_name)
        assert zhang is not None and zhang.stage is CustomerStage.CUSTOMER
        assert [a.city for a in zhang.addresses] == ["上海市"]
        assert (
            s.scalar(select(func.count()).select_from(Customer).where(Customer.remark == "李四"))
            == 2
        )


def test_a_phone_learnt_from_an_export_is_searchable(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    """A known customer without a phone takes the export's: searching by it finds her."""
    from moments_desk.core.customers.customers import CustomerQuery, search_customer_ids

    with session_factory.begin() as s:
        wang = create_customer(s, CustomerDraft(account_id=account, remark="王五"))
    row = (
        '="3515200",交易成功,99,王五,\'13900139000,"浙江省 杭州市 西湖区 文三路 2 号(310012)",'
        "围巾,2026/10/05 09:00,"
    )
    plan = plan_for(export_file(tmp_path / "p.csv", NEW_HEADER, [row]), session_factory, account)
    assert plan.ok and plan.known_customers == 1
    apply_taobao_import(plan, engine)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    with session_factory() as s:
        assert search_customer_ids(s, CustomerQuery(text="13900139000"), now) == [wang]


def test_bad_rows_are_named_and_nothing_is_written(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    rows = [
        *OLD_ROWS[:2],
        '="351500000009",tb_x,12;5,0,交易成功,某某,"浙江省 杭州市 西湖区 a(310012)",'
        "'13800138001,裙,1,2026-10-03 20:15:33,,,",
        '="351500000010",tb_y,10,0,已经很好,某某,"浙江省 杭州市 西湖区 a(310012)",'
        "'138001380012,裙,1,2026-13-03 20:15:33,,,",
    ]
    path = export_file(tmp_path / "o.csv", OLD_HEADER, rows)
    plan = plan_for(path, session_factory, account)
    messages = [str(e) for e in plan.errors]
    assert messages[0].startswith("row 4: paid: 12;5")
    assert any(m.startswith("row 5: status: 已经很好") for m in messages)
    assert any(m.startswith("row 5: created: 2026-13-03") for m in messages)
    assert any(m.startswith("row 5: phone:") for m in messages)
    with pytest.raises(ValueError):
        apply_taobao_import(plan, engine)
    assert counts(session_factory) == (0, 0, 0)


def test_masked_phones_and_repeated_orders_are_warned_about(
    tmp_path: Path, session_factory: sessionmaker[Session], account: int
) -> None:
    rows = [
        '="3515200",交易成功,10,某某,138****8000,"浙江省 杭州市 西湖区 a(310012)",'
        "裙,2026-10-01 09:00:00,tb",
        '="3515200",交易成功,10,某某,138****8000,"浙江省 杭州市 西湖区 a(310012)",'
        "裙,2026-10-01 09:00:00,tb",
    ]
    plan = plan_for(export_file(tmp_path / "o.csv", NEW_HEADER, rows), session_factory, account)
    assert plan.ok and len(plan.orders) == 1
    assert "row 3: order 3515200 is also in row 2" in plan.warnings
    assert any("masked" in w for w in plan.warnings)


def test_missing_columns_are_named(
    tmp_path: Path, session_factory: sessionmaker[Session], account: int
) -> None:
    path = export_file(tmp_path / "o.csv", "订单编号,收货人姓名", ['="1",王丽'])
    [error] = plan_for(path, session_factory, account).errors
    assert "订单状态" in error.message and "买家实际支付金额" in error.message


def test_cli_taobao_orders(tmp_path: Path) -> None:
    from moments_desk.startup import open_shop

    shop = open_shop(tmp_path / "shop")
    with shop.sessions.begin() as s:
        s.add(WeChatAccount(label="主号"))
    shop.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    path = export_file(tmp_path / "o.csv", OLD_HEADER, OLD_ROWS)
    bad = export_file(tmp_path / "bad.csv", OLD_HEADER, [OLD_ROWS[0].replace("199.00", "abc")])
    base = [sys.executable, "-m", "moments_desk", "import", "taobao-orders"]
    data = ["--data-dir", str(tmp_path / "shop")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args, *data], capture_output=True, text=True, env=env, check=False
        )

    dry = run(str(path), "--dry-run")
    assert dry.returncode == 0 and "orders to add: 5" in dry.stdout and "dry run" in dry.stdout
    failed = run(str(bad))
    assert failed.returncode == 1 and "row 2: paid: abc" in failed.stderr
    real = run(str(path), "--account", "主号")
    assert (
        real.returncode == 0
        and "orders: 5" in real.stdout
        and "customers created: 4" in real.stdout
    )
    again = run(str(path))
    assert (
        again.returncode == 0
        and "already imported: 5" in again.stdout
        and "orders: 0" in again.stdout
    )


def test_shipping_and_completion_times_when_the_export_has_them(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    header = (
        "订单编号,订单状态,买家实付金额,收货人姓名,订单创建时间,订单付款时间,发货时间,确认收货时间"
    )
    rows = [
        '="3515300",交易成功,99,王丽,2026-10-01 09:00:00,2026-10-01 09:01:00,'
        "2026-10-02 10:00:00,2026-10-05 18:30:00",
        '="3515301",等待买家付款,99,王丽,2026-10-03 09:00:00,0000-00-00 00:00:00,,',
    ]
    plan = plan_for(export_file(tmp_path / "o.csv", header, rows), session_factory, account)
    assert plan.ok, plan.errors
    apply_taobao_import(plan, engine)
    with session_factory() as s:
        done, unpaid = (
            s.scalars(select(Order).where(Order.external_no == n)).one()
            for n in ("3515300", "3515301")
        )
        assert done.shipped_at == datetime(2026, 10, 2, 2, 0, tzinfo=UTC)
        assert done.completed_at == datetime(2026, 10, 5, 10, 30, tzinfo=UTC)
        assert unpaid.paid_at is None and unpaid.completed_at is None
