from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.team.accounts import AccountError, list_accounts, save_account
from moments_desk.db.models import AccountRules

pytestmark = pytest.mark.db


def test_accounts_count_friends_against_the_limit(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        main = save_account(s, None, "主号", "小棉袄的衣橱", "mianao")
        save_account(s, None, "小号", "", "")
        for i in range(3):
            create_customer(s, CustomerDraft(account_id=main, nickname=f"好友{i}"))
    with session_factory() as s:
        rows = list_accounts(s)
        assert s.get(AccountRules, main) is not None  # default anti-spam rules come along
    assert [(r.label, r.friends, r.friend_limit) for r in rows] == [
        ("主号", 3, 5000),
        ("小号", 0, 5000),
    ]
    assert not rows[0].near_limit


def test_account_rules(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        first = save_account(s, None, "主号", "", "mianao")
    with pytest.raises(AccountError) as raised, session_factory.begin() as s:
        save_account(s, None, "另一个", "", "mianao")
    assert raised.value.field == "wechat_id"
    with pytest.raises(AccountError, match="name"), session_factory.begin() as s:
        save_account(s, None, "  ", "", "")
    with session_factory.begin() as s:
        save_account(s, first, "大号", "新昵称", "mianao")
    with session_factory() as s:
        assert list_accounts(s)[0].label == "大号"
