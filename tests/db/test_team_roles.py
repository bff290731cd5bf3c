"""Team mode: what an assistant may not do is refused by the use-cases themselves, with the
acting profile, and the refusal stays in the audit log (issue 25).

The UI hides these buttons from assistants; these tests call the core directly, as a
modified or scripted client holding the same database would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.customers.privacy import export_customer, forget_customer
from moments_desk.core.planning.rules import RuleSettings
from moments_desk.core.planning.settings import load_rule_settings, save_rule_settings
from moments_desk.core.safety.restore import restore_archive
from moments_desk.core.shared import uow
from moments_desk.core.team import approval, users
from moments_desk.core.team.permissions import NotAllowedError
from moments_desk.db.models import AuditEntry, Customer, PostStatus, User, UserRole, WeChatAccount
from tests.core.team_helpers import add_post, post_status

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture
def team(session_factory: sessionmaker[Session]) -> dict[str, int]:
    def build(s: Session) -> dict[str, int]:
        owner = users.create_user(s, "店主", UserRole.OWNER, "1357", None)
        assistant = users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        customer = cu.create_customer(s, CustomerDraft(account_id=account.id, nickname="小美"))
        return {"owner": owner, "assistant": assistant, "account": account.id, "customer": customer}

    ids = uow.write(session_factory, build)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, ids["owner"]))
    return ids


def _refusals(sessions: sessionmaker[Session], by: int) -> list[tuple[str, str | None, str]]:
    return uow.read(
        sessions,
        lambda s: [
            (e.entity_type, e.summary, e.action)
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.user_id == by, AuditEntry.action == "refused")
                .order_by(AuditEntry.id)
            )
        ],
    )


def test_an_assistant_cannot_approve_her_own_post_and_the_attempt_is_recorded(
    session_factory: sessionmaker[Session], team: dict[str, int]
) -> None:
    me = team["assistant"]
    post = add_post(
        session_factory, NOW + timedelta(days=1), status=PostStatus.AWAITING_APPROVAL, author_id=me
    )
    with pytest.raises(approval.ApprovalError) as refused:
        uow.write(session_factory, lambda s: approval.approve(s, post, me, NOW))
    assert refused.value.code == "not_owner"
    assert post_status(session_factory, post) is PostStatus.AWAITING_APPROVAL
    assert _refusals(session_factory, me) == [("post", "approve_post", "refused")]
    uow.write(session_factory, lambda s: approval.approve(s, post, team["owner"], NOW))
    assert post_status(session_factory, post) is PostStatus.SCHEDULED


def test_an_assistant_changes_her_own_pin_but_no_one_elses_and_not_her_role(
    session_factory: sessionmaker[Session], team: dict[str, int]
) -> None:
    me, owner = team["assistant"], team["owner"]
    before = uow.read(session_factory, lambda s: s.get_one(User, owner).password_hash)
    with pytest.raises(NotAllowedError) as refused:
        uow.write(
            session_factory,
            lambda s: users.update_user(s, owner, "店主", UserRole.OWNER, "0000", me),
        )
    assert "another profile" in str(refused.value)
    assert uow.read(session_factory, lambda s: s.get_one(User, owner).password_hash) == before
    with pytest.raises(NotAllowedError):
        uow.write(
            session_factory, lambda s: users.update_user(s, me, "小林", UserRole.OWNER, None, me)
        )
    with pytest.raises(NotAllowedError):
        uow.write(
            session_factory, lambda s: users.create_user(s, "小王", UserRole.OWNER, "9999", me)
        )
    # Her own PIN is hers to change.
    uow.write(
        session_factory, lambda s: users.update_user(s, me, "小林", UserRole.ASSISTANT, "8642", me)
    )
    assert uow.read(session_factory, lambda s: users.sign_in(s, me, "8642", NOW)).ok
    assert [r[1] for r in _refusals(session_factory, me)] == ["manage_profiles"] * 3


def test_an_assistant_cannot_delete_or_export_customers(
    session_factory: sessionmaker[Session], team: dict[str, int], tmp_path: Path
) -> None:
    me, customer = team["assistant"], team["customer"]
    with pytest.raises(NotAllowedError):
        uow.write(
            session_factory,
            lambda s: forget_customer(s, customer, keep_order_totals=True, by=me),
        )
    with pytest.raises(NotAllowedError):
        uow.read(session_factory, lambda s: export_customer(s, customer, tmp_path / "out", me))
    assert uow.read(session_factory, lambda s: s.get(Customer, customer)) is not None
    assert not (tmp_path / "out").exists()
    assert [r[:2] for r in _refusals(session_factory, me)] == [
        ("customer", "delete_customer"),
        ("customer", "export_customer"),
    ]
    uow.write(
        session_factory,
        lambda s: forget_customer(s, customer, keep_order_totals=True, by=team["owner"]),
    )
    assert uow.read(session_factory, lambda s: s.get(Customer, customer)) is None


def test_an_assistant_cannot_change_rules_or_restore_a_backup(
    session_factory: sessionmaker[Session], team: dict[str, int], tmp_path: Path
) -> None:
    me, account = team["assistant"], team["account"]
    looser = RuleSettings(max_posts_per_day=9)
    with pytest.raises(NotAllowedError):
        uow.write(session_factory, lambda s: save_rule_settings(s, account, looser, me))
    with pytest.raises(NotAllowedError):
        uow.write(session_factory, lambda s: approval.set_approval_required(s, False, me))
    assert (
        uow.read(session_factory, lambda s: load_rule_settings(s, account)).max_posts_per_day == 3
    )
    assert uow.read(session_factory, approval.approval_required)
    engine = session_factory.kw["bind"]
    with pytest.raises(NotAllowedError) as refused:
        restore_archive(tmp_path / "any.zip", engine, tmp_path / "media", tmp_path / "b", by=me)
    assert "Only an owner can restore a backup" in str(refused.value)
    assert [r[1] for r in _refusals(session_factory, me)] == [
        "change_rules",
        "change_rules",
        "restore_backup",
    ]
