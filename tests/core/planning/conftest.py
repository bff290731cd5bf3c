"""A small shop for the planning storage tests: two accounts, products with pictures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue.catalogue import ProductDraft, create_product
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.planning.settings import set_shop_zone
from moments_desk.core.shared.uow import write
from moments_desk.core.team.accounts import save_account
from moments_desk.db.models import ProductStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class PlanningShop:
    sessions: sessionmaker[Session]
    media_root: Path
    main: int
    second: int
    products: dict[str, int]
    pictures: list[int]


def picture(folder: Path, n: int) -> Path:
    path = folder / f"pic{n}.jpg"
    Image.new("RGB", (40, 30), (n * 20 % 255, 120, 200)).save(path, "JPEG")
    return path


@pytest.fixture
def planning_shop(session_factory: sessionmaker[Session], tmp_path: Path) -> PlanningShop:
    media_root = tmp_path / "media"
    sources = tmp_path / "sources"
    sources.mkdir()

    def build(session: Session) -> PlanningShop:
        set_shop_zone(session, "Asia/Shanghai")
        main = save_account(session, None, "主号", "棉袄小铺🌸", "mianao")
        second = save_account(session, None, "小号", "棉袄小铺·小号", "mianao_2")
        pictures = [
            register_media(session, store_image(picture(sources, n), media_root)).id
            for n in range(12)
        ]
        products: dict[str, int] = {}
        specs = [
            ("NEW1", "法式碎花连衣裙", "连衣裙", 5, ProductStatus.ON_SALE, date(2026, 11, 20)),
            ("NEW2", "燕麦色开衫", "开衫", 3, ProductStatus.ON_SALE, date(2026, 11, 18)),
            ("OLD1", "直筒牛仔裤", "裤子", 8, ProductStatus.ON_SALE, None),
            ("OLD2", "白色衬衫", "衬衫", 2, ProductStatus.ON_SALE, None),
            ("NOSTOCK", "羊绒大衣", "外套", 0, ProductStatus.ON_SALE, date(2026, 11, 21)),
            ("OFF", "旧款卫衣", "卫衣", 9, ProductStatus.OFF_SHELF, date(2026, 11, 21)),
            ("LATER", "圣诞毛衣", "毛衣", 9, ProductStatus.ON_SALE, date(2026, 12, 20)),
        ]
        for i, (code, name, category, stock, status, arrival) in enumerate(specs):
            products[code] = create_product(
                session,
                ProductDraft(
                    code=code,
                    name=name,
                    category=category,
                    price=Decimal("129") + i,
                    stock=stock,
                    status=status,
                    new_arrival_date=arrival,
                    selling_points=f"{name}的卖点",
                    image_media_ids=pictures[i : i + 4],
                ),
            )
        return PlanningShop(session_factory, media_root, main, second, products, pictures)

    return write(session_factory, build)
