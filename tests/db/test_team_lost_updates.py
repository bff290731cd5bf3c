"""Team mode: two laptops editing the same post, customer or product never silently
overwrite each other (issue 25), and a save writes only what the person changed (issue 26).

Each "laptop" is its own session on the shared database; the stale copy is the form as it
was opened. The ``version`` columns catch a write that lands between another save's read
and its write.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductConflictError, ProductDraft
from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerConflictError, CustomerDraft
from moments_desk.core.orders.orders import take_stock
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import PostDraft
from moments_desk.core.planning.posts import create_post, update_post
from moments_desk.core.shared import uow
from moments_desk.db.models import Customer, Post, PostKind, Product, WeChatAccount
from tests.sentences import error_text

pytestmark = pytest.mark.db


@pytest.fixture
def shop(session_factory: sessionmaker[Session]) -> dict[str, int]:
    def build(s: Session) -> dict[str, int]:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        product = cat.create_product(
            s, ProductDraft(code="QZ01", name="雾霾蓝连衣裙", price=Decimal("259"), stock=5)
        )
        customer = cu.create_customer(
            s, CustomerDraft(account_id=account.id, nickname="小美", remark="杭州小美")
        )
        post = create_post(
            s, PostDraft(kind=PostKind.NEW_ARRIVAL, text="上新啦", account_ids=[account.id])
        )
        return {"account": account.id, "product": product, "customer": customer, "post": post}

    return uow.write(session_factory, build)


def _product(sessions: sessionmaker[Session], product_id: int) -> ProductDraft:
    return uow.read(sessions, lambda s: cat.get_product(s, product_id).draft)


def test_product_saves_keep_what_the_other_laptop_saved_and_never_put_stock_back(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    pid = shop["product"]
    opened_on_a = _product(session_factory, pid)
    # Laptop B renames the product and sells a piece while A's editor is open.
    renamed = ProductDraft(**{**vars(_product(session_factory, pid)), "name": "雾霾蓝长裙"})
    uow.write(session_factory, lambda s: cat.update_product(s, pid, renamed))
    uow.write(session_factory, lambda s: take_stock(s, pid, 1, "QZ01"))
    # A changes only the price and saves its stale form (stock 5 still in it).
    mine = ProductDraft(**{**vars(opened_on_a), "price": Decimal("239")})
    uow.write(session_factory, lambda s: cat.update_product(s, pid, mine, opened_on_a))
    now = _product(session_factory, pid)
    assert (now.name, now.price, now.stock) == ("雾霾蓝长裙", Decimal("239.00"), 4)
    # A stock typed in the form moves stock by the difference typed: 4 + (7 - 5).
    more = ProductDraft(**{**vars(opened_on_a), "stock": 7})
    uow.write(session_factory, lambda s: cat.update_product(s, pid, more, opened_on_a))
    assert _product(session_factory, pid).stock == 6


def test_the_same_product_field_saved_on_both_laptops_is_refused_with_both_versions(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    pid = shop["product"]
    opened = _product(session_factory, pid)
    theirs = ProductDraft(**{**vars(opened), "selling_points": "垂感好，不起球"})
    uow.write(session_factory, lambda s: cat.update_product(s, pid, theirs, opened))
    mine = ProductDraft(**{**vars(opened), "selling_points": "显瘦百搭", "notes": "补货中"})
    with pytest.raises(ProductConflictError) as refused:
        uow.write(session_factory, lambda s: cat.update_product(s, pid, mine, opened))
    message = str(refused.value)
    assert "Selling points" in message and "垂感好，不起球" in message and "显瘦百搭" in message
    assert refused.value.conflict.mine == mine  # the seller's text, to keep in the form
    stored = _product(session_factory, pid)
    assert (stored.selling_points, stored.notes) == ("垂感好，不起球", "")  # nothing written
    # Saving again against the version now stored keeps hers.
    base = refused.value.conflict.theirs
    uow.write(session_factory, lambda s: cat.update_product(s, pid, mine, base))
    assert _product(session_factory, pid).selling_points == "显瘦百搭"


def test_a_customer_remark_saved_here_keeps_the_notes_written_there(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    cid = shop["customer"]
    opened, _ = uow.read(session_factory, lambda s: cu.get_customer(s, cid))
    there = CustomerDraft(**{**vars(opened), "notes": "喜欢蓝色，M 码"})
    uow.write(session_factory, lambda s: cu.update_customer(s, cid, there, opened))
    here = CustomerDraft(**{**vars(opened), "remark": "杭州-小美"})
    uow.write(session_factory, lambda s: cu.update_customer(s, cid, here, opened))
    stored, _ = uow.read(session_factory, lambda s: cu.get_customer(s, cid))
    assert (stored.remark, stored.notes) == ("杭州-小美", "喜欢蓝色，M 码")
    clash = CustomerDraft(**{**vars(opened), "notes": "老客户"})
    with pytest.raises(CustomerConflictError) as refused:
        uow.write(session_factory, lambda s: cu.update_customer(s, cid, clash, opened))
    assert "喜欢蓝色，M 码" in str(refused.value) and "老客户" in str(refused.value)


def test_a_post_text_changed_on_both_laptops_is_refused_in_the_sellers_language(
    session_factory: sessionmaker[Session], shop: dict[str, int]
) -> None:
    post_id = shop["post"]
    opened = PostDraft(kind=PostKind.NEW_ARRIVAL, text="上新啦", account_ids=[shop["account"]])
    theirs = PostDraft(**{**vars(opened), "text": "上新啦！今晚八点"})
    uow.write(session_factory, lambda s: update_post(s, post_id, theirs, base=opened))
    mine = PostDraft(**{**vars(opened), "text": "新品到店"})
    with pytest.raises(PlanningError) as refused:
        uow.write(session_factory, lambda s: update_post(s, post_id, mine, base=opened))
    assert refused.value.code == "edit_conflict"
    zh = error_text(refused.value.code, refused.value.params, "zh_CN")
    assert "文案" in zh and "上新啦！今晚八点" in zh and "新品到店" in zh
    text = uow.read(
        session_factory, lambda s: s.scalar(select(Post.text).where(Post.id == post_id))
    )
    assert text == "上新啦！今晚八点"


@pytest.mark.parametrize("model", [Product, Customer, Post])
def test_a_write_between_another_saves_read_and_write_is_caught_by_the_version(
    session_factory: sessionmaker[Session], shop: dict[str, int], model: Any
) -> None:
    row_id = shop[{Product: "product", Customer: "customer", Post: "post"}[model]]
    laptop_a = session_factory()
    try:
        laptop_a.begin()
        row = laptop_a.get_one(model, row_id)
        # Laptop B saves the same row through its own connection meanwhile.
        with session_factory.begin() as laptop_b:
            other = laptop_b.get_one(model, row_id)
            other.updated_at = other.updated_at.replace(year=2027)
        row.updated_at = row.updated_at.replace(year=2028)
        with pytest.raises(StaleDataError):
            laptop_a.flush()
    finally:
        laptop_a.rollback()
        laptop_a.close()
    assert uow.read(session_factory, lambda s: s.get_one(model, row_id).updated_at.year) == 2027


def test_rows_of_an_upgraded_shop_start_at_version_1_and_save_as_before(
    db_url: str, tmp_path: Path
) -> None:
    from moments_desk.db.engine import make_session_factory
    from moments_desk.db.migrate import upgrade_to_head
    from tests.db.test_team_reminders_once import _shop_at_0009

    engine = _shop_at_0009(db_url, tmp_path)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    pid = uow.read(sessions, lambda s: s.scalars(select(Product.id).order_by(Product.id)).first())
    assert pid is not None
    assert uow.read(sessions, lambda s: s.get_one(Product, pid).version) == 1
    opened = _product(sessions, pid)
    mine = ProductDraft(**{**vars(opened), "notes": "升级后第一次保存", "taobao_url": ""})
    uow.write(sessions, lambda s: cat.update_product(s, pid, mine, opened))
    saved = uow.read(sessions, lambda s: s.get_one(Product, pid))
    assert (saved.notes, saved.version, saved.stock) == ("升级后第一次保存", 2, opened.stock)
    engine.dispose()
