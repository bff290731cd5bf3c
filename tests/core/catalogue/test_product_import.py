"""Product import: every bad row named, nothing half-written, the round trip exact."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import product_import
from moments_desk.core.catalogue.product_export import export_products
from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    ImportCancelled,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.spreadsheets.tabular import TableError, guess_mapping, read_table
from moments_desk.db.models import Product, ProductImage, Tag

pytestmark = pytest.mark.db
HEADER = "货号,宝贝标题,类目,一口价,库存,上新日期,标签,卖点\n"


def csv_file(path: Path, body: str, encoding: str = "gb18030") -> Path:
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def plan_for(
    path: Path, session_factory: sessionmaker[Session], **kw: object
) -> product_import.ProductImportPlan:
    table = read_table(path)
    with session_factory() as s:
        return plan_product_import(table, guess_mapping(table.headers, PRODUCT_FIELDS), s, **kw)  # type: ignore[arg-type]


def count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(Product)) or 0)


def test_gbk_file_with_aliases_imports(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    path = csv_file(
        tmp_path / "taobao.csv",
        "QZ-1,奶白色连衣裙,连衣裙,¥259,5,2026年11月20日,新品、法式,显瘦\n"
        "ZZ-2,燕麦色开衫,针织衫,1299.00,0,2026/11/1,,\n",
    )
    table = read_table(path)
    assert table.encoding == "gb18030"
    plan = plan_for(path, session_factory)
    assert plan.ok and plan.to_create == 2
    result = apply_product_import(plan, engine, tmp_path / "media")
    assert result.created == 2
    with session_factory() as s:
        dress = s.scalars(select(Product).where(Product.code == "QZ-1")).one()
        assert dress.price == Decimal("259.00") and dress.stock == 5
        assert {t.name for t in dress.tags} == {"新品", "法式"}
        assert "nbs" in dress.search_initials


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ('QZ-1,裙,连衣裙,"12,5",1,,,\n', "price", "ambiguous"),
        ("QZ-1,裙,连衣裙,abc,1,,,\n", "price", "not a price"),
        ("QZ-1,裙,连衣裙,10,-3,,,\n", "stock", "whole number"),
        ("QZ-1,裙,连衣裙,10,1,2026-02-30,,\n", "new_arrival_date", "does not exist"),
        (",裙,连衣裙,10,1,,,\n", "code", "code"),
        ("QZ-1,,连衣裙,10,1,,,\n", "name", "name"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(
    tmp_path: Path, session_factory: sessionmaker[Session], row: str, field: str, words: str
) -> None:
    plan = plan_for(
        csv_file(tmp_path / "bad.csv", "OK-1,好裙子,连衣裙,99,1,,,\n" + row), session_factory
    )
    assert not plan.ok
    [error] = plan.errors
    assert (error.row, error.field) == (3, field)
    assert words in error.message
    with pytest.raises(ValueError, match="errors"):
        apply_product_import(plan, session_factory.kw["bind"], tmp_path / "media")
    assert count(session_factory) == 0


def test_duplicate_codes_name_both_rows(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    plan = plan_for(
        csv_file(tmp_path / "dup.csv", "A,一,c,1,1,,,\nB,二,c,1,1,,,\nA,三,c,1,1,,,\n"),
        session_factory,
    )
    assert [str(e) for e in plan.errors] == ["row 4: code: A is also used in row 2"]


def test_missing_required_columns_are_listed(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("名称,备注\n裙子,好看\n", encoding="utf-8")
    plan = plan_for(path, session_factory)
    assert "code" in str(plan.errors[0]) and "price" in str(plan.errors[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02PK\x03\x04garbage" * 50, "binary"),
        (b"name\n\x80abc\xff\n" * 5, "encoding"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(TableError, match=message):
        read_table(path)


def test_utf16_tab_separated_from_excel(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("货号\t名称\t售价\nQZ-9\t羊毛围巾\t89\n".encode("utf-16"))
    plan = plan_for(path, session_factory)
    assert plan.ok and plan.products[0].draft.name == "羊毛围巾"


def test_pictures_folder_matched_by_code(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    pictures = tmp_path / "pics"
    pictures.mkdir()
    for name, colour in (
        ("QZ-1.jpg", "red"),
        ("QZ-1_2.jpg", "blue"),
        ("QZ-1_10.jpg", "green"),
        ("OTHER.jpg", "white"),
    ):
        Image.new("RGB", (50, 50), colour).save(pictures / name)
    plan = plan_for(
        csv_file(tmp_path / "p.csv", "QZ-1,裙,连衣裙,99,1,,,\n"),
        session_factory,
        images_folder=pictures,
    )
    assert [p.name for p in plan.products[0].image_files] == [
        "QZ-1.jpg",
        "QZ-1_2.jpg",
        "QZ-1_10.jpg",
    ]
    apply_product_import(plan, engine, tmp_path / "media")
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ProductImage)) == 3


def test_failure_half_way_leaves_the_shop_unchanged(
    tmp_path: Path,
    engine: Engine,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = plan_for(
        csv_file(tmp_path / "p.csv", "A,一,c,1,1,,新品,\nB,二,c,1,1,,,\n"), session_factory
    )

    def explode(*_: object) -> tuple[str, str]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(product_import, "search_keys", explode)
    with pytest.raises(RuntimeError):
        apply_product_import(plan, engine, tmp_path / "media")
    assert count(session_factory) == 0
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Tag)) == 0


def test_cancel_leaves_the_shop_unchanged(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    plan = plan_for(csv_file(tmp_path / "p.csv", "A,一,c,1,1,,,\nB,二,c,1,1,,,\n"), session_factory)
    with pytest.raises(ImportCancelled):
        apply_product_import(plan, engine, tmp_path / "media", should_cancel=lambda: True)
    assert count(session_factory) == 0


def test_existing_codes_update_or_skip(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    first = csv_file(tmp_path / "a.csv", "A,一,c,1,1,,,\n")
    apply_product_import(plan_for(first, session_factory), engine, tmp_path / "media")
    second = csv_file(tmp_path / "b.csv", "A,一改,c,2,1,,,\n")
    assert plan_for(second, session_factory, on_existing="skip").skipped == 1
    plan = plan_for(second, session_factory)
    assert plan.to_update == 1
    apply_product_import(plan, engine, tmp_path / "media")
    with session_factory() as s:
        assert s.scalars(select(Product.name)).one() == "一改"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_round_trip(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], suffix: str
) -> None:
    source = csv_file(
        tmp_path / "a.csv", "QZ-1,奶白色连衣裙,连衣裙,259.50,5,2026-11-20,新品、法式,显瘦\n"
    )
    apply_product_import(plan_for(source, session_factory), engine, tmp_path / "media")
    target = tmp_path / f"export{suffix}"
    with session_factory() as s:
        assert export_products(s, target) == 1
    plan = plan_for(target, session_factory)
    assert plan.ok and plan.to_update == 1
    draft = plan.products[0].draft
    assert (draft.name, draft.price, draft.stock, set(draft.tags)) == (
        "奶白色连衣裙",
        Decimal("259.50"),
        5,
        {"新品", "法式"},
    )


def test_cli_import_dry_run_then_real(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    good = csv_file(tmp_path / "good.csv", "QZ-1,裙,连衣裙,99,1,,,\n")
    bad = csv_file(tmp_path / "bad.csv", "QZ-2,裙,连衣裙,12;5,1,,,\n")
    base = [sys.executable, "-m", "moments_desk", "import", "products"]
    data = ["--data-dir", str(tmp_path / "shop")]
    dry = subprocess.run(
        [*base, str(good), "--dry-run", *data], capture_output=True, text=True, env=env, check=False
    )
    assert (
        dry.returncode == 0 and "to create: 1" in dry.stdout and "nothing was written" in dry.stdout
    )
    failed = subprocess.run(
        [*base, str(bad), *data], capture_output=True, text=True, env=env, check=False
    )
    assert failed.returncode == 1 and "row 2: price" in failed.stderr
    real = subprocess.run(
        [*base, str(good), *data], capture_output=True, text=True, env=env, check=False
    )
    assert real.returncode == 0 and "created: 1" in real.stdout
