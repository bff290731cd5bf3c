"""Customer rules: search incl. pinyin, filters, validation, merge, privacy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customers import CustomerDraft, CustomerError, CustomerQuery
from moments_desk.core.customers.merge import merge_customers
from moments_desk.core.customers.privacy import export_customer, forget_customer
from moments_desk.core.tracking.timeline import EntryKind, add_note, load_timeline
from moments_desk.db.models import (
    Customer,
    CustomerStage,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderStatus,
    WeChatAccount,
)

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # Sunday


@pytest.fixture
def people(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        main, alt = WeChatAccount(label="主号"), WeChatAccount(label="小号")
        s.add_all([main, alt])
        s.flush()

        def add(key: str, **kw: object) -> tuple[str, int]:
            return key, cu.create_customer(s, CustomerDraft(account_id=main.id, **kw))  # type: ignore[arg-type]

        ids = dict(
            [
                add(
                    "zhang",
                    nickname="张三",
                    phone="138 0013 8000",
                    wechat_id="wx_zs",
                    tags=["回头客"],
                    birthday=Birthday(11, 25),
                ),
                add("zeng", nickname="曾小梅", remark="杭州-曾姐", city="杭州"),
                add("lily", nickname="Lily李🌸", birthday=Birthday(10, 5, lunar=True)),
                add("shan", nickname="单丽", stage=CustomerStage.IRON_FAN),
            ]
        )
        ids["other"] = cu.create_customer(s, CustomerDraft(account_id=alt.id, nickname="张三丰"))
        ids["main"], ids["alt"] = main.id, alt.id
        s.add(
            Interaction(
                customer_id=ids["zhang"],
                kind=InteractionKind.LIKE,
                occurred_at=NOW - timedelta(days=2),
            )
        )
        s.add(
            Order(
                customer_id=ids["zeng"],
                status=OrderStatus.AWAITING_PAYMENT,
                total=Decimal(99),
                created_at=NOW - timedelta(days=40),
            )
        )
    return ids


def find(factory: sessionmaker[Session], **kw: object) -> set[int]:
    with factory() as s:
        return set(cu.search_customer_ids(s, CustomerQuery(**kw), NOW))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("zs", {"zhang", "other"}),
        ("zhangsan", {"zhang", "other"}),
        ("zxm", {"zeng"}),  # 曾 read as zeng, not ceng
        ("zengxiaomei", {"zeng"}),
        ("sl", {"shan"}),  # 单 read as shan
        ("曾姐", {"zeng"}),  # remark
        ("wx_zs", {"zhang"}),  # WeChat ID; _ is literal
        ("0013", {"zhang"}),  # phone digits
        ("lily", {"lily"}),
    ],
)
def test_search_as_you_type(
    session_factory: sessionmaker[Session], people: dict[str, int], text: str, keys: set[str]
) -> None:
    assert find(session_factory, text=text) == {people[k] for k in keys}


def test_filters(session_factory: sessionmaker[Session], people: dict[str, int]) -> None:
    main = people["main"]
    assert people["other"] not in find(session_factory, account_id=main)
    assert find(session_factory, tag="回头客") == {people["zhang"]}
    assert find(session_factory, stage=CustomerStage.IRON_FAN) == {people["shan"]}
    assert find(session_factory, has_unpaid_order=True) == {people["zeng"]}
    # Zhang liked 2 days ago; Zeng's order is 40 days old.
    dormant = find(session_factory, dormant_days=30)
    assert people["zhang"] not in dormant and people["zeng"] in dormant


def test_birthday_this_week_includes_lunar(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    week = find(session_factory, birthday_within_days=7)
    assert people["zhang"] in week  # 25 Nov
    # Lunar 10/5 in 2026 falls on 13 Nov: not in the coming week.
    assert people["lily"] not in week


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nickname": "\u200b "}, "nickname"),
        ({"nickname": "a", "phone": "1380013800012"}, "phone"),
        ({"nickname": "a", "phone": "abc"}, "phone"),
        ({"nickname": "a", "birthday": Birthday(2, 30)}, "birthday"),
        ({"nickname": "a", "wechat_id": "wx_zs"}, "wechat_id"),
    ],
)
def test_bad_input_is_refused_with_the_field(
    session_factory: sessionmaker[Session],
    people: dict[str, int],
    change: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(CustomerError) as raised, session_factory.begin() as s:
        cu.create_customer(s, CustomerDraft(account_id=people["main"], **change))  # type: ignore[arg-type]
    assert raised.value.field == field


def test_text_is_stored_verbatim(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    notes = "x" * 10_000
    sql = "Robert'); DROP TABLE customer;--"
    with session_factory.begin() as s:
        cid = cu.create_customer(
            s, CustomerDraft(account_id=people["main"], nickname=sql + "\u200b😀", notes=notes)
        )
    with session_factory() as s:
        draft, _ = cu.get_customer(s, cid)
    assert draft.nickname == sql + "😀"  # only the zero-width space is dropped
    assert draft.notes == notes


def test_phone_is_normalised(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    with session_factory() as s:
        draft, _ = cu.get_customer(s, people["zhang"])
    assert draft.phone == "13800138000"


def test_timeline_newest_first_with_notes_and_orders(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        add_note(s, people["zeng"], "问了羊毛大衣的尺码", NOW - timedelta(days=1))
        order = s.scalars(select(Order).where(Order.customer_id == people["zeng"])).one()
        s.add(
            OrderItem(
                order_id=order.id, product_name="羊毛大衣", quantity=1, unit_price=Decimal(99)
            )
        )
    with session_factory() as s:
        timeline = load_timeline(s, people["zeng"])
    assert [e.kind for e in timeline.entries] == [EntryKind.NOTE, EntryKind.ORDER]
    assert timeline.entries[1].text == "羊毛大衣"
    assert timeline.days_since_contact(NOW) == 1


def test_merge_keeps_the_whole_timeline(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        dup = cu.create_customer(
            s,
            CustomerDraft(
                account_id=people["main"], nickname="小梅", phone="13900001111", tags=["新客"]
            ),
        )
        s.add(
            Interaction(
                customer_id=dup, kind=InteractionKind.COMMENT, content="好看", occurred_at=NOW
            )
        )
    with session_factory.begin() as s:
        merge_customers(s, people["zeng"], dup)
    with session_factory() as s:
        timeline = load_timeline(s, people["zeng"])
        draft, _ = cu.get_customer(s, people["zeng"])
        assert s.get(Customer, dup) is None
    assert {e.kind for e in timeline.entries} == {EntryKind.COMMENT, EntryKind.ORDER}
    assert draft.phone == "13900001111" and draft.remark == "杭州-曾姐"
    assert draft.tags == ["新客"]


def test_move_to_account_refuses_a_clash(
    session_factory: sessionmaker[Session], people: dict[str, int]
) -> None:
    with session_factory.begin() as s:
        cu.create_customer(
            s, CustomerDraft(account_id=people["alt"], nickname="x", wechat_id="wx_zs")
        )
    with pytest.raises(CustomerError, match="wx_zs"), session_factory.begin() as s:
        cu.move_to_account(s, [people["zhang"]], people["alt"])


def test_export_and_forget(
    session_factory: sessionmaker[Session], people: dict[str, int], tmp_path: Path
) -> None:
    with session_factory() as s:
        files = export_customer(s, people["zeng"], tmp_path)
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["customer"]["nickname"] == "曾小梅"
    assert data["orders"][0]["total"] == "99.00"
    with session_factory.begin() as s:
        outcome = forget_customer(s, people["zeng"], keep_order_totals=True)
    assert outcome.orders_anonymised == 1
    assert people["zeng"] not in find(session_factory, text="zxm")
    with session_factory() as s:
        order = s.scalars(select(Order)).one()
        assert order.customer_id is None and order.total == Decimal("99.00")
        assert s.scalar(select(func.count()).select_from(Customer)) == 4


def test_stage_suggestion() -> None:
    assert cu.suggest_stage(0, 10, 0) is CustomerStage.PROSPECT
    assert cu.suggest_stage(1, 0, 0) is CustomerStage.CUSTOMER
    assert cu.suggest_stage(2, 0, 0) is CustomerStage.FAN
    assert cu.suggest_stage(3, 0, 1) is CustomerStage.IRON_FAN
