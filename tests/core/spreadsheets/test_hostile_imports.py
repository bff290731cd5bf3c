"""Hostile files to import: control characters deep in a big file, a file over the row
limit, and pictures the dry run must refuse as the real run does."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.customers.customer_import import apply_customer_import
from moments_desk.core.customers.customer_import_plan import CUSTOMER_FIELDS, plan_customer_import
from moments_desk.core.orders.taobao_import import (
    TAOBAO_FIELDS,
    apply_taobao_import,
    plan_taobao_import,
)
from moments_desk.core.shared.messages import Msg, message_of
from moments_desk.core.spreadsheets import bounds, tabular
from moments_desk.core.spreadsheets.bounds import CONTROLS, MAX_ROWS
from moments_desk.core.spreadsheets.tabular import TableError, guess_mapping, read_table
from moments_desk.db.models import Customer, Order, Product, WeChatAccount
from tests.images import hostile_images

pytestmark = pytest.mark.db
DEEP = 3000  # rows: the dirty one sits far past the first 4 KB a sniff looks at


@pytest.fixture
def account(session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as s:
        main = WeChatAccount(label="主号")
        s.add(main)
        s.flush()
        return main.id


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


# --- control characters ---------------------------------------------------------------------


def test_customer_file_control_characters_are_removed_deep_in_the_file(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    rows = [[f"wxid_{i:05d}", f"小美{i}", "杭州", "老客"] for i in range(DEEP)]
    rows[2500] = ["wxid_\x00evil", "小\x1b[31m红\x07", "杭\x7f州", "老\x0b客"]
    rows[2900][3] = "多行\n备注\t保留"  # tab and line break inside a cell stay
    path = _write(tmp_path / "c.csv", ["微信号", "昵称", "城市", "笔记"], rows, "gb18030")
    table = read_table(path)
    assert table.cleaned_rows == [2502]  # the header is row 1
    with session_factory() as s:
        plan = plan_customer_import(
            table, guess_mapping(table.headers, CUSTOMER_FIELDS), s, account
        )
    assert plan.ok, plan.errors
    assert any("row 2502" in w and "control characters" in w for w in plan.warnings)
    apply_customer_import(plan, engine)
    with session_factory() as s:
        evil = s.scalars(select(Customer).where(Customer.wechat_id == "wxid_evil")).one()
        assert (evil.nickname, evil.city, evil.notes) == ("小[31m红", "杭州", "老客")
        kept = s.scalars(select(Customer).where(Customer.wechat_id == "wxid_02900")).one()
        assert kept.notes == "多行\n备注\t保留"
        for row in s.execute(
            select(Customer.wechat_id, Customer.nickname, Customer.city, Customer.notes)
        ):
            assert not any(CONTROLS.search(value) for value in row)


def test_the_warning_names_the_first_row_and_how_many() -> None:
    assert bounds.controls_removed("f.csv", [2502]) == (
        "f.csv: row 2502 held control characters (such as NUL or ESC); they were removed"
    )
    assert bounds.controls_removed("f.csv", [3, 9, 1200]) == (
        "f.csv: 3 rows held control characters (such as NUL or ESC), the first in row 3; "
        "they were removed"
    )


def test_product_and_taobao_files_lose_control_characters_too(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    products = [[f"QZ{i:05d}", f"连衣裙{i}", "99", "1"] for i in range(DEEP)]
    products[2800] = ["QZ\x00X", "法式\x1b连衣裙", "99", "1"]
    path = _write(tmp_path / "p.csv", ["货号", "宝贝标题", "一口价", "库存"], products, "utf-8")
    table = read_table(path)
    with session_factory() as s:
        plan = plan_product_import(table, guess_mapping(table.headers, PRODUCT_FIELDS), s)
    assert plan.ok and any("row 2802" in w for w in plan.warnings)
    apply_product_import(plan, engine, tmp_path / "media")
    header = [
        "订单编号",
        "订单状态",
        "买家实付金额",
        "收货人姓名",
        "收货地址",
        "买家会员名",
        "订单创建时间",
    ]
    orders = [
        [
            f"35150{i:07d}",
            "交易成功",
            "99.00",
            f"买家{i}",
            "浙江省 杭州市 西湖区 文三路 1 号",
            f"tb{i}",
            "2026-10-03 20:15:33",
        ]
        for i in range(DEEP)
    ]
    orders[2999][3] = "王\x00丽\x1f"
    path = _write(tmp_path / "t.csv", header, orders, "gbk")
    table = read_table(path)
    with session_factory() as s:
        taobao = plan_taobao_import(table, guess_mapping(table.headers, TAOBAO_FIELDS), s, account)
    assert taobao.ok and any("row 3001" in w for w in taobao.warnings)
    apply_taobao_import(taobao, engine)
    with session_factory() as s:
        assert s.scalar(select(Product.name).where(Product.code == "QZX")) == "法式连衣裙"
        assert s.scalar(select(func.count()).where(Order.recipient == "王丽")) == 1
        assert s.scalar(select(func.count()).where(Customer.remark == "王丽")) == 1


@pytest.mark.parametrize(
    ("written", "readable"), [("_x001B_", True), ("\x1b", False)], ids=["escaped", "raw"]
)
def test_xlsx_cells_lose_control_characters(tmp_path: Path, written: str, readable: bool) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["微信号", "昵称"])
    for i in range(50):
        sheet.append([f"wx{i}", f"小美{i}"])
    path = tmp_path / "c.xlsx"
    book.save(path)
    # openpyxl refuses to write a control character; Excel escapes one as _x001B_ and
    # another program may put it raw into the XML: write it into the shared strings.
    import zipfile

    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    part = next(n for n in parts if "小美42".encode() in parts[n])
    parts[part] = parts[part].replace("小美42".encode(), f"小美{written}42".encode())
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    if not readable:  # XML forbids it: refused with a sentence, not a traceback
        with pytest.raises(TableError, match=r"c\.xlsx: not a readable Excel file"):
            read_table(path)
        return
    table = read_table(path)
    assert all(not CONTROLS.search(c) for row in table.rows for c in row)
    assert table.rows[42][0] == "wx42"  # Excel's escape read as text or as ESC, never stored


_FILES = (
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
            min_size=2,
            max_size=2,
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)


def _no_control_character_survives(rows: list[list[str]], encoding: str) -> None:
    """Whatever cells a file holds, no cell read has a control character, and a file
    that held one says which rows lost theirs."""
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        try:
            path = _write(Path(work) / "f.csv", ["名", "值"], rows, encoding)
        except UnicodeEncodeError:
            return
        try:
            table = read_table(path)
        except TableError as error:
            assert str(error).startswith("f.csv: ")
            return
    for row in table.rows:
        for cell in row:
            assert not CONTROLS.search(cell)
    if any(CONTROLS.search(c) for row in rows for c in row) and table.rows:
        assert table.cleaned_rows  # and the seller is told


@settings(derandomize=True, max_examples=40, deadline=None)
@given(*_FILES)
def test_no_control_character_survives_reading(rows: list[list[str]], encoding: str) -> None:
    _no_control_character_survives(rows, encoding)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(*_FILES)
def test_no_control_character_survives_reading_wide(rows: list[list[str]], encoding: str) -> None:
    _no_control_character_survives(rows, encoding)


# --- the row limit --------------------------------------------------------------------------


def test_a_file_over_the_row_limit_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    lines = ["微信号,昵称", *(f"wx{i},小美" for i in range(MAX_ROWS + 1))]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(TableError, match=r"huge\.csv: the file has more than 100,000 rows") as got:
        read_table(path)
    assert isinstance(message_of(got.value), Msg)  # shown in the interface language
    path.write_text("\n".join(lines[:-1]), encoding="utf-8")  # exactly the limit: read
    assert len(read_table(path).rows) == MAX_ROWS


def test_line_breaks_inside_cells_and_blank_lines_do_not_count_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_ROWS", 20)
    rows = [[f"wx{i}", "第一行\n第二行\n第三行"] for i in range(20)]
    path = _write(tmp_path / "notes.csv", ["微信号", "笔记"], rows, "gb18030")
    path.write_bytes(path.read_bytes() + b"\r\n" * 30)
    assert len(read_table(path).rows) == 20
    rows.append(["wx20", "一"])
    path = _write(tmp_path / "notes.csv", ["微信号", "笔记"], rows, "gb18030")
    with pytest.raises(TableError, match="more than 20 rows"):
        read_table(path)


def test_an_xlsx_over_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    monkeypatch.setattr(bounds, "MAX_ROWS", 30)
    monkeypatch.setattr(tabular, "MAX_ROWS", 30)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["微信号"])
    for i in range(30):
        sheet.append([f"wx{i}"])
    sheet.cell(row=5000, column=1).number_format = "0"  # formatting far down, no value
    path = tmp_path / "c.xlsx"
    book.save(path)
    assert len(read_table(path).rows) == 30
    sheet.append(["wx30"])
    book.save(path)
    with pytest.raises(TableError, match="more than 30 rows"):
        read_table(path)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "moments_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def test_cli_refuses_a_million_row_file_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "friends.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("微信号,昵称\n")
        out.writelines(f"wx{i},小美{i}\n" for i in range(1_000_000))
    done = run_cli("import", "customers", str(path), "--dry-run", "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 1
    assert "friends.csv: the file has more than 100,000 rows" in done.stderr
    assert "Traceback" not in done.stderr


# --- pictures -------------------------------------------------------------------------------


def _products_with_pictures(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A product file and a pictures folder: one good picture, the rest bad or unsupported."""
    made = hostile_images(tmp_path / "hostile")
    folder = tmp_path / "pictures"
    folder.mkdir()
    Image.new("RGB", (60, 40), "teal").save(folder / "OK-1.jpg")
    bad = {"BAD-1": "truncated.jpg", "BAD-2": "bomb.png", "BAD-3": "text-named.jpg"}
    for code, name in bad.items():
        (folder / f"{code}{Path(name).suffix}").write_bytes(made[name].read_bytes())
    (folder / "LOGO.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "SCAN-1.tif").write_bytes(made["scan.tif"].read_bytes())
    (folder / "Thumbs.db").write_bytes(b"\x00")
    lines = ["货号,宝贝标题,一口价", "OK-1,好裙子,99", *(f"{c},坏图{c},99" for c in bad)]
    path = folder / "p.csv"  # the list itself among the pictures: no warning about it
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, folder, bad


def test_the_plan_refuses_the_pictures_the_real_run_refuses(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path, folder, _ = _products_with_pictures(tmp_path)
    table = read_table(path)
    with session_factory() as s:
        plan = plan_product_import(
            table, guess_mapping(table.headers, PRODUCT_FIELDS), s, images_folder=folder
        )
    assert [(e.row, e.field) for e in plan.errors] == [(3, "images"), (4, "images"), (5, "images")]
    assert "BAD-1.jpg: the picture is damaged or incomplete" in str(plan.errors[0])
    assert "BAD-2.png: the picture is too large to open safely" in str(plan.errors[1])
    assert "BAD-3.jpg: this file is not a picture" in str(plan.errors[2])
    assert sorted(w.split(":")[0] for w in plan.warnings) == ["LOGO.svg", "SCAN-1.tif"]


def test_cli_dry_run_predicts_the_real_run(tmp_path: Path) -> None:
    path, folder, _ = _products_with_pictures(tmp_path)
    data = ["--data-dir", str(tmp_path / "shop"), "--images-folder", str(folder)]
    dry = run_cli("import", "products", str(path), "--dry-run", *data)
    real = run_cli("import", "products", str(path), *data)
    for done in (dry, real):
        assert done.returncode == 1, done.stdout + done.stderr
        assert "row 3: images: BAD-1.jpg: the picture is damaged or incomplete" in done.stderr
        assert "warning: LOGO.svg: not a picture the shop takes" in done.stdout
        assert "warning: SCAN-1.tif" in done.stdout and "Thumbs.db" not in done.stdout
        assert "nothing was written" in done.stderr
    assert not (tmp_path / "shop" / "media").exists() or not any(
        (tmp_path / "shop" / "media").rglob("*.jpg")
    )
    (folder / "BAD-1.jpg").unlink()
    (folder / "BAD-2.png").unlink()
    (folder / "BAD-3.jpg").unlink()
    dry = run_cli("import", "products", str(path), "--dry-run", *data)
    assert dry.returncode == 0 and "warning: LOGO.svg" in dry.stdout
    real = run_cli("import", "products", str(path), *data)
    assert real.returncode == 0 and "created: 4  updated: 0  pictures: 1" in real.stdout
