"""The seller's WeChat accounts: each shows Moments to at most 5,000 friends."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.text import clean_text
from moments_desk.db.models import AccountRules, Customer, WeChatAccount

#: Share of the friend limit from which the app warns.
NEAR_LIMIT = 0.9


class AccountError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AccountSummary:
    id: int
    label: str
    nickname: str
    wechat_id: str
    friends: int
    friend_limit: int
    #: the avatar's media path (the Moments preview shows it), None without one
    avatar_path: str | None = None

    @property
    def near_limit(self) -> bool:
        return self.friends >= self.friend_limit * NEAR_LIMIT


def account_labels(session: Session) -> list[str]:
    """The seller's names for her active accounts, in the order they were added."""
    return list(
        session.scalars(
            select(WeChatAccount.label).where(~WeChatAccount.archived).order_by(WeChatAccount.id)
        )
    )


def list_accounts(session: Session) -> list[AccountSummary]:
    friends = {
        account_id: count
        for account_id, count in session.execute(
            select(Customer.account_id, func.count()).group_by(Customer.account_id)
        )
    }
    return [
        AccountSummary(
            a.id,
            a.label,
            a.nickname,
            a.wechat_id or "",
            friends.get(a.id, 0),
            a.friend_limit,
            a.avatar_path,
        )
        for a in session.scalars(
            select(WeChatAccount).where(~WeChatAccount.archived).order_by(WeChatAccount.id)
        )
    ]


def save_account(
    session: Session, account_id: int | None, label: str, nickname: str, wechat_id: str
) -> int:
    """Create (``account_id`` None) or update an account; its anti-spam rules start at the
    defaults from the client's documents."""
    label = clean_text(label, 60)
    wechat_id = clean_text(wechat_id, 60)
    if not label:
        raise AccountError(
            QT_TRANSLATE_NOOP("Accounts", "Give the account a name, e.g. 主号."), "label"
        )
    if wechat_id:
        clash = session.scalar(
            select(WeChatAccount.id).where(
                WeChatAccount.wechat_id == wechat_id, WeChatAccount.id != (account_id or 0)
            )
        )
        if clash is not None:
            raise AccountError(
                QT_TRANSLATE_NOOP(
                    "Accounts", "The WeChat ID {wechat_id} is already one of your accounts."
                ).format(wechat_id=wechat_id),
                "wechat_id",
            )
    if account_id is None:
        account = WeChatAccount(label=label)
        account.rules = AccountRules()
        session.add(account)
    else:
        found = session.get(WeChatAccount, account_id)
        if found is None:
            raise AccountError(QT_TRANSLATE_NOOP("Accounts", "This account was removed meanwhile."))
        account = found
    account.label = label
    account.nickname = clean_text(nickname, 60)
    account.wechat_id = wechat_id or None
    session.flush()
    return account.id
