"""Products files with one row per variant: rows sharing a 编码 with 颜色/尺码 columns, or a
Taobao 销售属性 cell, make one product with its variants; importing again adds nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.product_export import export_products
from moments_desk.core.catalogue.product_import import (
    PRODUCT_FIELDS,
    ProductImportPlan,
    apply_product_import,
    plan_product_import,
)
from moments_desk.core.catalogue.variant_rows import parse_sale_props
from moments_desk.core.catalogue.variants import list_variants
from moments_desk.core.spreadsheets.tabular import guess_mapping, read_table
from moments_desk.db.models import Product, ProductVariant

pytestmark = pytest.mark.db


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("gb18030"))
    return path


def plan_for(
    path: Path, sessions: sessionmaker[Session], on_existing: str = "update"
) -> ProductImportPlan:
    table = read_table(path)
    with sessions() as s:
        return plan_product_import(
            table, guess_mapping(table.headers, PRODUCT_FIELDS), s, on_existing=on_existing
        )


def cells(sessions: sessionmaker[Session], code: str) -> dict[str, tuple[int, Decimal | None]]:
    with sessions() as s:
        pid = s.scalar(select(Product.id).where(Product.code == code))
        assert pid is not None
        return {v.label: (v.stock, v.price) for v in list_variants(s, pid)}


COLUMNS = (
    "货号,宝贝标题,一口价,库存,颜色,尺码\n"
    "KS-01,燕麦色开衫,199,3,燕麦色,S\n"
    "KS-01,燕麦色开衫,199,2,燕麦色,M\n"
    "KS-01,燕麦色开衫,209,1,黑色,M\n"
    "BAG,帆布包,59,8,,\n"
)
TAOBAO = (
    "商家编码,宝贝标题,一口价,数量,销售属性\n"
    "T-9,基础T恤,59,4,颜色分类:白色;尺码:M\n"
    "T-9,基础T恤,59,0,颜色分类：白色；尺码：XL\n"
    "T-9,基础T恤,59,6,颜色分类:黑色;尺码:M;款式:长袖\n"
)


def test_rows_sharing_a_code_make_one_product_with_its_variants(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    plan = plan_for(write(tmp_path / "p.csv", COLUMNS), session_factory)
    assert plan.ok and plan.to_create == 2
    apply_product_import(plan, engine, tmp_path / "media")
    assert cells(session_factory, "KS-01") == {
        "燕麦色 S": (3, None),
        "燕麦色 M": (2, None),
        "黑色 M": (1, Decimal("209")),
    }
    assert cells(session_factory, "BAG") == {"": (8, None)}
    with session_factory() as s:
        stock = dict(s.execute(select(Product.code, Product.stock)).all())
    assert stock == {"KS-01": 6, "BAG": 8}


def test_a_taobao_sale_attribute_cell_is_read(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    plan = plan_for(write(tmp_path / "t.csv", TAOBAO), session_factory)
    assert plan.ok, plan.errors
    apply_product_import(plan, engine, tmp_path / "media")
    assert cells(session_factory, "T-9") == {
        "白色 M": (4, None),
        "白色 XL": (0, None),
        "黑色 M 长袖": (6, None),
    }


@pytest.mark.parametrize("text", [COLUMNS, TAOBAO], ids=["columns", "taobao"])
def test_importing_the_same_file_again_with_update_adds_nothing(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], text: str
) -> None:
    path = write(tmp_path / "p.csv", text)
    apply_product_import(plan_for(path, session_factory), engine, tmp_path / "media")
    with session_factory() as s:
        before = s.execute(
            select(ProductVariant.id, ProductVariant.stock).order_by(ProductVariant.id)
        ).all()
    plan = plan_for(path, session_factory, on_existing="update")
    assert plan.ok and plan.to_create == 0
    apply_product_import(plan, engine, tmp_path / "media")
    with session_factory() as s:
        after = s.execute(
            select(ProductVariant.id, ProductVariant.stock).order_by(ProductVariant.id)
        ).all()
        products = s.scalar(select(func.count()).select_from(Product))
    assert after == before and products == (2 if text is COLUMNS else 1)


def test_export_writes_one_row_per_variant_and_imports_back_unchanged(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    apply_product_import(
        plan_for(write(tmp_path / "p.csv", COLUMNS), session_factory), engine, tmp_path / "m"
    )
    target = tmp_path / "export.xlsx"
    with session_factory() as s:
        assert export_products(s, target) == 4
    plan = plan_for(target, session_factory)
    assert plan.ok and plan.to_update == 2 and plan.to_create == 0
    knit = next(p for p in plan.products if p.draft.code == "KS-01").draft
    assert knit.variants is not None
    assert [(v.color, v.size, v.stock, v.price) for v in knit.variants] == [
        ("燕麦色", "S", 3, None),
        ("燕麦色", "M", 2, None),
        ("黑色", "M", 1, Decimal("209.00")),
    ]


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("KS-01,燕麦色开衫,199,1,燕麦色,S\n", "燕麦色 S is already in an earlier row"),
        ("KS-01,燕麦色开衫,199,1,,\n", "KS-01 is also used in row 2"),
        ("KS-01,燕麦色开衫,199,1,燕麦色," + "大" * 41 + "\n", "longer than 40"),
    ],
)
def test_bad_variant_rows_are_named_and_nothing_is_written(
    tmp_path: Path, session_factory: sessionmaker[Session], engine: Engine, row: str, words: str
) -> None:
    path = write(tmp_path / "bad.csv", COLUMNS + row)
    plan = plan_for(path, session_factory)
    assert not plan.ok
    assert [e.row for e in plan.errors] == [6]
    assert words in str(plan.errors[0].message)
    with pytest.raises(ValueError):
        apply_product_import(plan, engine, tmp_path / "media")
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ProductVariant)) == 0


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("颜色分类黑色", "name:value"),
        (";".join(f"k{i}:v" for i in range(9)), "more than 8"),
        ("颜色分类:" + "黑" * 41, "longer than 40"),
    ],
)
def test_unreadable_sale_attributes_say_why(cell: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_sale_props(cell)


def test_a_row_without_sizes_for_a_product_with_sizes_keeps_its_stock_per_size(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    apply_product_import(
        plan_for(write(tmp_path / "p.csv", COLUMNS), session_factory), engine, tmp_path / "m"
    )
    plain = write(tmp_path / "old.csv", "货号,宝贝标题,一口价,库存\nKS-01,燕麦色开衫,199,50\n")
    plan = plan_for(plain, session_factory)
    assert plan.warnings == ["row 2: KS-01 has sizes or colours; its stock stays as set per size"]
    apply_product_import(plan, engine, tmp_path / "m")
    assert cells(session_factory, "KS-01")["燕麦色 S"] == (3, None)
    with session_factory() as s:
        assert s.scalar(select(Product.stock).where(Product.code == "KS-01")) == 6
