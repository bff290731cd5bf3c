"""Customer import: every bad row named, nothing half-written, odd text kept verbatim."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import (
    CUSTOMER_FIELDS,
    CustomerImportPlan,
    plan_customer_import,
)
from moments_desk.core.spreadsheets.importing import ImportCancelled
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    CustomerSource,
    CustomerStage,
    Gender,
    Relationship,
    Tag,
    WeChatAccount,
    customer_tag,
)

pytestmark = pytest.mark.db
HEADER = "微信号,昵称,备注,标签,手机,地址,生日,性别,城市,关系,来源,笔记\n"


@pytest.fixture
def accounts(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    with session_factory.begin() as s:
        main, alt = WeChatAccount(label="主号"), WeChatAccount(label="小号")
        s.add_all([main, alt])
        s.flush()
        return main.id, alt.id


def csv_file(path: Path, body: str, encoding: str = "gbk") -> Path:
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def plan_for(
    path: Path,
    factory: sessionmaker[Session],
    account_id: int,
    on_existing: str = "update",
) -> CustomerImportPlan:
    table = read_table(path)
    with factory() as s:
        return plan_customer_import(
            table,
            guess_mapping(table.headers, CUSTOMER_FIELDS),
            s,
            account_id,
            on_existing=on_existing,
        )


def count(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(Customer)) or 0


def test_gbk_file_imports_every_field(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    path = csv_file(
        tmp_path / "c.csv",
        "lily_88,小美,王丽,铁粉;宝妈,'138 0013 8000,"
        '"浙江省 杭州市 西湖区 文三路 1 号(310012)",农历三月初五,女,杭州,朋友,淘宝,爱穿裙子\n'
        "wx_zs,张三,,,,,1990-02-28,男,上海,客户,转介绍,\n"
        "wx_ls,李四,,,,,农历2023年闰二月初一,,,,,\n",
    )
    table = read_table(path)
    assert table.encoding == "gb18030"
    plan = plan_for(path, session_factory, accounts[0])
    assert plan.ok and plan.to_create == 3
    result = apply_customer_import(plan, engine)
    assert (result.created, result.updated, result.addresses) == (3, 0, 1)
    with session_factory() as s:
        birthdays = s.execute(
            select(
                Customer.birthday_year,
                Customer.birthday_month,
                Customer.birthday_day,
                Customer.birthday_lunar,
                Customer.birthday_leap_month,
            ).order_by(Customer.id)
        ).all()
        assert [tuple(b) for b in birthdays] == [
            (None, 3, 5, True, False),
            (1990, 2, 28, False, False),
            (2023, 2, 1, True, True),
        ]
    with session_factory() as s:
        lily = s.scalars(select(Customer).where(Customer.wechat_id == "lily_88")).one()
        assert (lily.nickname, lily.remark, lily.phone, lily.city) == (
            "小美",
            "王丽",
            "13800138000",
            "杭州",
        )
        assert (lily.gender, lily.relationship_kind, lily.source) == (
            Gender.FEMALE,
            Relationship.FRIEND,
            CustomerSource.TAOBAO,
        )
        assert (lily.birthday_lunar, lily.birthday_month, lily.birthday_day) == (True, 3, 5)
        assert lily.birthday_year is None
        assert sorted(t.name for t in lily.tags) == ["宝妈", "铁粉"]
        [address] = lily.addresses
        assert (address.province, address.city, address.district, address.detail) == (
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路 1 号",
        )
        assert address.postcode == "310012" and address.is_default
        # the list's search finds her by pinyin of remark and nickname
        assert "wl" in lily.search_text and "xiaomei" in lily.search_text
        zhang = s.scalars(select(Customer).where(Customer.wechat_id == "wx_zs")).one()
        assert (zhang.birthday_year, zhang.birthday_month, zhang.birthday_day) == (1990, 2, 28)
        assert zhang.source is CustomerSource.REFERRAL


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("a1,小美,,,,,2月30日,,,,,", "birthday", "2/30 does not exist"),
        ("a1,小美,,,,,农历闰十二月初一,,,,,", "birthday", "no leap month 12"),
        ("a1,小美,,,,,农历2023年闰三月初一,,,,,", "birthday", "no leap month 3"),
        ("a1,小美,,,,,下个月,,,,,", "birthday", "is not a date"),
        ("a1,小美,,,138001380001,,,,,,,", "phone", "12 digits"),
        ("a1,小美,,,,,,不详,,,,", "gender", "不详 is not one of"),
        ("a1,小美,,,,,,,,路人,,", "relationship", "路人"),
        ("a1,小美,,,,,,,,,抖音,", "source", "抖音"),
        (",,,,13800138000,,,,,,,", None, "needs a WeChat ID, a nickname or a remark"),
        ("a1," + "长" * 101 + ",,,,,,,,,,", "nickname", "101 characters"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
    row: str,
    field: str | None,
    words: str,
) -> None:
    path = csv_file(tmp_path / "c.csv", "ok1,好客户,,,,,,,,,,\n" + row + "\n")
    plan = plan_for(path, session_factory, accounts[0])
    assert not plan.ok
    [error] = plan.errors
    assert error.row == 3 and error.field == field and words in error.message
    assert "row 3" in str(error)
    with pytest.raises(ValueError, match="errors"):
        apply_customer_import(plan, engine)
    assert count(session_factory) == 0


def test_duplicate_wechat_ids_in_the_file_name_both_rows(
    tmp_path: Path, session_factory: sessionmaker[Session], accounts: tuple[int, int]
) -> None:
    path = csv_file(
        tmp_path / "c.csv", "Lily88,小美,,,,,,,,,,\nx2,阿花,,,,,,,,,,\nlily88,美美,,,,,,,,,,\n"
    )
    plan = plan_for(path, session_factory, accounts[0])
    assert [str(e) for e in plan.errors] == ["row 4: wechat_id: lily88 is also in row 2"]


def test_existing_customers_update_skip_or_error(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    first = csv_file(tmp_path / "a.csv", "lily88,小美,王丽,新客,13800138000,,,女,杭州,,,第一次\n")
    apply_customer_import(plan_for(first, session_factory, accounts[0]), engine)
    second = csv_file(
        tmp_path / "b.csv", "LILY88,,,老客,,,3月5日,,苏州,,,\nnew1,新朋友,,,,,,,,,,\n"
    )

    skip = plan_for(second, session_factory, accounts[0], "skip")
    assert (skip.to_create, skip.to_update, skip.skipped) == (1, 0, 1)
    error = plan_for(second, session_factory, accounts[0], "error")
    assert [str(e) for e in error.errors] == [
        "row 2: wechat_id: LILY88 is already a customer of this account"
    ]
    # another account is another friend list: the same WeChat ID is a new customer there
    elsewhere = plan_for(second, session_factory, accounts[1], "error")
    assert elsewhere.ok and elsewhere.to_create == 2

    update = plan_for(second, session_factory, accounts[0], "update")
    result = apply_customer_import(update, engine)
    assert (result.created, result.updated) == (1, 1)
    with session_factory() as s:
        lily = s.scalars(select(Customer).where(Customer.wechat_id == "lily88")).one()
        # what the file leaves empty is kept; what it fills in changes; tags are added
        assert (lily.nickname, lily.remark, lily.phone, lily.notes) == (
            "小美",
            "王丽",
            "13800138000",
            "第一次",
        )
        assert lily.city == "苏州" and (lily.birthday_month, lily.birthday_day) == (3, 5)
        assert sorted(t.name for t in lily.tags) == ["新客", "老客"]
        assert "suzhou" not in lily.search_text and "xiaomei" in lily.search_text


def test_rows_without_wechat_id_match_by_phone(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    path = csv_file(tmp_path / "a.csv", ",小美,,,13800138000,,,,,,,\n")
    apply_customer_import(plan_for(path, session_factory, accounts[0]), engine)
    again = plan_for(path, session_factory, accounts[0])
    assert (again.to_create, again.to_update) == (0, 1)


def test_odd_text_is_stored_verbatim(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    sql = "Robert'); DROP TABLE customer;--"
    note = "她喜欢法式连衣裙。" * 1111 + "好"  # 10,000 characters
    assert len(note) == 10_000
    body = f'w1,"🌸小\u200b美\u200d🌸","{sql}",,,,,,,,,"{note}"\n'
    path = csv_file(tmp_path / "c.csv", body, encoding="utf-8")
    plan = plan_for(path, session_factory, accounts[0])
    assert plan.ok, plan.errors
    apply_customer_import(plan, engine)
    with session_factory() as s:
        customer = s.scalars(select(Customer)).one()
        # zero-width characters are invisible copy-paste noise: removed; emoji kept
        assert customer.nickname == "🌸小美🌸"
        assert customer.remark == sql
        assert customer.notes == note
    assert count(session_factory) == 1


def test_xlsx_with_dates_as_cells(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["微信号", "昵称", "生日", "手机"])
    sheet.append(["wx1", "阿花", datetime(1992, 7, 9), 13900001111])
    path = tmp_path / "c.xlsx"
    book.save(path)
    plan = plan_for(path, session_factory, accounts[0])
    assert plan.ok, plan.errors
    apply_customer_import(plan, engine)
    with session_factory() as s:
        c = s.scalars(select(Customer)).one()
        assert (c.birthday_year, c.birthday_month, c.birthday_day, c.phone) == (
            1992,
            7,
            9,
            "13900001111",
        )


def test_no_identity_column_is_refused(
    tmp_path: Path, session_factory: sessionmaker[Session], accounts: tuple[int, int]
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("手机,城市\n13800138000,杭州\n", encoding="utf-8")
    plan = plan_for(path, session_factory, accounts[0])
    assert [str(e) for e in plan.errors] == ["row 1: choose a column for 微信号, 昵称 or 备注"]


def test_cancel_and_failure_leave_the_shop_unchanged(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    body = "".join(f"w{i},客户{i},,标签{i % 3},,,,,,,,\n" for i in range(12_000))
    path = csv_file(tmp_path / "c.csv", body)
    plan = plan_for(path, session_factory, accounts[0])
    calls: list[int] = []

    def cancel_later() -> bool:
        calls.append(1)
        return len(calls) > 2  # after the first chunk of rows went in

    with pytest.raises(ImportCancelled):
        apply_customer_import(plan, engine, should_cancel=cancel_later)
    assert count(session_factory) == 0
    assert indexes_exist(engine)  # dropped for the bulk insert, restored by the rollback

    # a clash found only by the database (another program added lily meanwhile) rolls back
    with session_factory.begin() as s:
        s.add(Customer(account_id=accounts[0], wechat_id="w11999", nickname="抢先"))
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError
        apply_customer_import(plan, engine)
    assert count(session_factory) == 1 and indexes_exist(engine)


def indexes_exist(engine: Engine) -> bool:
    """Every index of the customer and customer-tag tables is there (a big import drops
    and rebuilds them)."""
    for table in (Customer.__table__, customer_tag):
        found = {i["name"] for i in inspect(engine).get_indexes(table.name)}  # type: ignore[attr-defined]
        if not {str(i.name) for i in table.indexes} <= found:  # type: ignore[attr-defined]
            return False
    return True


@pytest.mark.parametrize("already", [0, 7000], ids=["empty shop", "bigger shop"])
def test_big_import_keeps_the_indexes(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
    already: int,
) -> None:
    old = "".join(f"old{i},老客{i},,,,,,,,,,\n" for i in range(already))
    if already:
        apply_customer_import(
            plan_for(csv_file(tmp_path / "old.csv", old), session_factory, accounts[0]), engine
        )
    body = "".join(f"w{i},客户{i},,标签{i % 3},1{i:010d},,3月5日,,,,,\n" for i in range(6000))
    apply_customer_import(
        plan_for(csv_file(tmp_path / "c.csv", body), session_factory, accounts[0]), engine
    )
    assert count(session_factory) == already + 6000 and indexes_exist(engine)
    with session_factory() as s:
        hits = s.scalars(select(Customer.wechat_id).where(Customer.search_text.like("%w5999%")))
        assert list(hits) == ["w5999"]
        by_phone = s.scalars(select(Customer.wechat_id).where(Customer.phone == "10000005999"))
        assert list(by_phone) == ["w5999"]
        march_5 = select(func.count()).where(
            Customer.birthday_month == 3, Customer.birthday_day == 5
        )
        assert s.scalar(march_5) == 6000
        tagged = (
            select(func.count())
            .select_from(customer_tag.join(Tag, Tag.id == customer_tag.c.tag_id))
            .where(Tag.name == "标签2")
        )
        assert s.scalar(tagged) == 2000


def test_progress_reaches_the_end(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    path = csv_file(tmp_path / "c.csv", "".join(f"w{i},客户{i},,,,,,,,,,\n" for i in range(50)))
    seen: list[tuple[int, int]] = []
    apply_customer_import(
        plan_for(path, session_factory, accounts[0]),
        engine,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen and seen[-1][0] == seen[-1][1]


def test_stage_from_the_file_counts_as_set_by_hand(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    accounts: tuple[int, int],
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("昵称,阶段\n阿花,铁粉\n", encoding="utf-8")
    apply_customer_import(plan_for(path, session_factory, accounts[0]), engine)
    with session_factory() as s:
        c = s.scalars(select(Customer)).one()
        assert c.stage is CustomerStage.IRON_FAN and c.stage_set_by_hand
        assert s.scalar(select(func.count()).select_from(CustomerAddress)) == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "moments_desk", "import", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_cli_customers(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "shop")]
    good = csv_file(tmp_path / "good.csv", "lily88,小美,,,,,,,,,,\nwx2,阿花,,,,,,,,,,\n")
    bad = csv_file(tmp_path / "bad.csv", "w3,甲,,,,,2月30日,,,,,\nw4,乙,,,138001380001,,,,,,,\n")
    none = run_cli("customers", str(good), *data)
    assert none.returncode == 1 and "no WeChat account yet" in none.stderr

    from moments_desk.startup import open_shop

    shop = open_shop(tmp_path / "shop")
    with shop.sessions.begin() as s:
        s.add_all([WeChatAccount(label="主号"), WeChatAccount(label="小号", wechat_id="xh_2")])
    shop.close()
    which = run_cli("customers", str(good), *data)
    assert which.returncode == 1 and "--account (主号, 小号)" in which.stderr
    dry = run_cli("customers", str(good), "--dry-run", "--account", "主号", *data)
    assert dry.returncode == 0, dry.stderr
    assert "to create: 2" in dry.stdout and "nothing was written" in dry.stdout
    failed = run_cli("customers", str(bad), "--account", "主号", *data)
    assert failed.returncode == 1
    assert "row 2: birthday: 2/30 does not exist" in failed.stderr
    assert "row 3: phone:" in failed.stderr and "nothing was written" in failed.stderr
    real = run_cli("customers", str(good), "--account", "xh_2", *data)
    assert real.returncode == 0 and "created: 2" in real.stdout
    again = run_cli("customers", str(good), "--account", "小号", "--on-existing", "error", *data)
    assert again.returncode == 1 and "row 2: wechat_id: lily88 is already" in again.stderr


def test_row_numbers_count_blank_lines_like_excel(
    tmp_path: Path, session_factory: sessionmaker[Session], accounts: tuple[int, int]
) -> None:
    path = csv_file(
        tmp_path / "c.csv", "ok1,好客户,,,,,,,,,,\n,,,,,,,,,,,\n\nw2,小美,,,,,2月30日,,,,,\n"
    )
    [error] = plan_for(path, session_factory, accounts[0]).errors
    assert error.row == 5
