"""The demo shop comes with drawn product photos on its products and posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import func, select

from moments_desk.core.demo.demo import populate_demo
from moments_desk.core.pictures.demo_art import colour_of, product_picture
from moments_desk.core.pictures.media import media_file_path
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import (
    MediaFile,
    Post,
    PostImage,
    Product,
    ProductImage,
    WeChatAccount,
)


def test_every_product_and_post_of_the_demo_has_a_picture(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'shop.db'}")
    upgrade_to_head(engine)
    media = tmp_path / "media"
    populate_demo(
        engine,
        now=datetime(2026, 11, 22, 4, tzinfo=UTC),
        zone=ZoneInfo("Asia/Shanghai"),
        media_root=media,
    )
    with make_session_factory(engine)() as s:
        products = s.scalar(select(func.count(Product.id)))
        pictured = s.scalar(select(func.count(func.distinct(ProductImage.product_id))))
        assert products == pictured == 60
        posts = s.scalar(select(func.count(Post.id)))
        with_pictures = s.scalar(select(func.count(func.distinct(PostImage.post_id))))
        assert posts == with_pictures  # lifestyle, missed and awaiting-approval ones included
        assert not s.scalar(
            select(func.count()).select_from(
                select(PostImage.post_id)
                .group_by(PostImage.post_id)
                .having(func.count() > 9)
                .subquery()
            )
        )
        files = s.scalars(select(MediaFile)).all()
        avatars = set(s.scalars(select(WeChatAccount.avatar_path)))
        assert len(avatars) == 1 and avatars <= {f.rel_path for f in files}  # the preview's
    sizes = set()
    for f in files:
        with Image.open(media_file_path(media, f.rel_path)) as picture:
            sizes.add(picture.size)
    assert sizes == {(600, 800)}  # 3:4, as a phone takes them
    assert sum(f.size_bytes for f in files) < 10 * 1024 * 1024
    engine.dispose()


def test_the_garment_is_drawn_in_the_colour_its_name_says() -> None:
    picture = product_picture("雾霾蓝法式连衣裙", "连衣裙")
    middle = picture.getpixel((300, 420))  # the skirt
    assert isinstance(middle, tuple)
    blue = colour_of("雾霾蓝")
    assert all(abs(a - b) < 40 for a, b in zip(middle, blue, strict=True))
    assert picture.getpixel((20, 20)) != middle  # a backdrop around it
