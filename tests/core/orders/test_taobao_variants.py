"""Taobao order exports with 销售属性: each line records the size and colour bought, and a
variant the shop did not have yet is created (with no stock: the piece left on Taobao)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.catalogue.variants import VariantDraft, list_variants
from moments_desk.core.orders.packing import packing_slips
from moments_desk.core.orders.taobao_import import apply_taobao_import
from moments_desk.db.models import OrderItem, ProductVariant
from tests.core.orders.test_taobao_import import account, export_file, plan_for

pytestmark = pytest.mark.db
_ = account

HEADER = "订单编号,订单状态,买家实付金额,收货人姓名,宝贝标题,订单创建时间,商家编码,销售属性"
ROWS = [
    "351600000001,交易成功,199.00,王丽,燕麦色开衫,2026-10-03 20:15:33,KS-01,颜色分类:燕麦色;尺码:M",
    "351600000002,交易成功,199.00,张三,燕麦色开衫,2026-10-04 20:15:33,KS-01,"
    "颜色分类：黑色；尺码：XL",
    "351600000003,交易成功,59.00,李四,帆布包,2026-10-05 20:15:33,BAG,",
]


def test_sale_attributes_map_to_variants_created_when_missing(
    tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session], account: int
) -> None:
    with session_factory.begin() as s:
        knit = cat.create_product(
            s,
            ProductDraft(
                code="KS-01",
                name="燕麦色开衫",
                price=Decimal("199"),
                variants=[VariantDraft("燕麦色", "M", 3), VariantDraft("燕麦色", "L", 1)],
            ),
        )
        cat.create_product(s, ProductDraft(code="BAG", name="帆布包", stock=4))
    path = export_file(tmp_path / "tb.csv", HEADER, ROWS)
    plan = plan_for(path, session_factory, account)
    assert plan.ok, plan.errors
    apply_taobao_import(plan, engine)
    with session_factory() as s:
        stock = {v.label: v.stock for v in list_variants(s, knit)}
        lines = s.execute(
            select(OrderItem.product_name, OrderItem.variant, OrderItem.variant_id).order_by(
                OrderItem.id
            )
        ).all()
        assert all(variant_id is not None for *_, variant_id in lines)
        labels = [(name, variant) for name, variant, _ in lines]
        slips = packing_slips(s, [1, 2, 3])
        packing = [line.variant for slip in slips for line in slip.lines]
    # Past orders: no stock is taken again; the new size is there with none.
    assert stock == {"燕麦色 M": 3, "燕麦色 L": 1, "黑色 XL": 0}
    assert labels == [("燕麦色开衫", "燕麦色 M"), ("燕麦色开衫", "黑色 XL"), ("帆布包", "")]
    assert sorted(packing) == ["", "燕麦色 M", "黑色 XL"]
    # Importing the same file again adds neither orders nor variants.
    plan = plan_for(path, session_factory, account)
    assert plan.already_imported == 3
    apply_taobao_import(plan, engine)
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ProductVariant)) == 4


def test_an_unreadable_sale_attribute_names_the_row_and_writes_nothing(
    tmp_path: Path, session_factory: sessionmaker[Session], account: int
) -> None:
    bad = [*ROWS[:1], ROWS[1].replace("颜色分类：黑色；尺码：XL", "黑色XL")]
    plan = plan_for(export_file(tmp_path / "tb.csv", HEADER, bad), session_factory, account)
    assert [(e.row, e.field) for e in plan.errors] == [(3, "sale_props")]
    assert "name:value" in str(plan.errors[0].message)


def test_a_file_naming_too_many_sizes_of_one_product_is_refused(
    tmp_path: Path, session_factory: sessionmaker[Session], account: int
) -> None:
    rows = [
        f"3517{n:08d},交易成功,59.00,王丽,T恤,2026-10-03 20:15:33,T-1,颜色分类:色{n};尺码:M"
        for n in range(201)
    ]
    plan = plan_for(export_file(tmp_path / "tb.csv", HEADER, rows), session_factory, account)
    assert [(e.row, e.field) for e in plan.errors] == [(202, "sale_props")]
    assert "more than 200 sizes and colours" in str(plan.errors[0].message)
