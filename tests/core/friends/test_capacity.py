"""Splitting new friends over the accounts with room under WeChat's friend limit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customer_import import apply_customer_imports
from moments_desk.core.customers.customer_import_plan import CustomerImportPlan
from moments_desk.core.friends.capacity import Room, split_plan, split_shares
from moments_desk.core.spreadsheets.importing import ImportCancelled
from moments_desk.db.models import Customer, WeChatAccount

ROOMS = [Room(1, "主号", 4_990, 5_000), Room(2, "小号", 4_000, 5_000), Room(3, "三号", 0, 5_000)]


def test_the_chosen_account_fills_first_then_the_others_in_order() -> None:
    assert split_shares(ROOMS, 1, 20_000) is None  # 10 + 1,000 + 5,000 is not enough
    assert split_shares(ROOMS, 1, 3_000) == [(1, 10), (2, 1_000), (3, 1_990)]
    assert split_shares(ROOMS, 2, 500) == [(2, 500)]


def test_a_split_plan_keeps_updates_with_the_chosen_account_and_file_order() -> None:
    plan = CustomerImportPlan(
        account_id=1,
        errors=[],
        rows=[2, 3, 4, 5, 6],
        columns={"nickname": ["甲", "乙", "丙", "丁", "戊"]},
        existing_ids=[None, 77, None, None, None],
    )
    first, second = split_plan(plan, [(1, 1), (2, 3)])
    assert (first.account_id, first.rows, first.existing_ids) == (1, [2, 3], [None, 77])
    assert (second.account_id, second.rows, second.column("nickname")) == (
        2,
        [4, 5, 6],
        ["丙", "丁", "戊"],
    )


def test_a_split_import_is_one_transaction_a_cancel_in_the_second_share_writes_nothing(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    # Given two accounts and a file of five new friends split 2 + 3 between them
    with session_factory.begin() as s:
        first_account, second_account = WeChatAccount(label="主号"), WeChatAccount(label="小号")
        s.add_all([first_account, second_account])
        s.flush()
        ids = (first_account.id, second_account.id)
    plan = CustomerImportPlan(
        account_id=ids[0],
        errors=[],
        rows=[2, 3, 4, 5, 6],
        columns={
            "nickname": ["甲", "乙", "丙", "丁", "戊"],
            "wechat_id": ["wx_a", "wx_b", "wx_c", "wx_d", "wx_e"],
        },
        existing_ids=[None] * 5,
    )
    parts = split_plan(plan, [(ids[0], 2), (ids[1], 3)])
    seen: list[int] = []

    def cancel_in_the_second_share() -> bool:
        return len(seen) > 1  # the first share's progress has been reported

    # When the seller cancels while the second account's share is being written
    with pytest.raises(ImportCancelled):
        apply_customer_imports(
            parts,
            engine,
            progress=lambda done, _total: seen.append(done),
            should_cancel=cancel_in_the_second_share,
        )
    # Then neither account gained a friend: the first share was not kept
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
    # And without a cancel both shares land, each on its own account
    result = apply_customer_imports(parts, engine)
    assert result.created == 5
    with session_factory() as s:
        counts = dict(
            s.execute(select(Customer.account_id, func.count()).group_by(Customer.account_id)).all()
        )
    assert counts == {ids[0]: 2, ids[1]: 3}
