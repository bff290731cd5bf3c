"""Profiles with PINs, lock-out, approval races and the audit log."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.shared import uow
from moments_desk.core.team import approval, audit, users
from moments_desk.core.team.approval import ApprovalError
from moments_desk.core.team.audit import AuditFilter
from moments_desk.core.team.permissions import NotAllowedError
from moments_desk.core.team.users import UserError
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import PostStatus, UserRole
from moments_desk.scheduling.clock import FakeClock
from tests.core.team_helpers import add_post, post_status

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def team(sessions: sessionmaker[Session]) -> tuple[int, int]:
    def work(s: Session) -> tuple[int, int]:
        owner = users.ensure_owner(s).id
        assistant = users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)
        return owner, assistant

    return uow.write(sessions, work)


def attempt(
    sessions: sessionmaker[Session], user_id: int, pin: str, clock: FakeClock
) -> users.SignIn:
    return uow.write(sessions, lambda s: users.sign_in(s, user_id, pin, clock.now()))


def test_first_owner_is_implicit_and_needs_no_sign_in(
    session_factory: sessionmaker[Session],
) -> None:
    owner = uow.write(session_factory, users.ensure_owner)
    assert owner.role == UserRole.OWNER and not owner.has_secret
    assert uow.write(session_factory, users.ensure_owner).id == owner.id
    assert not uow.read(session_factory, users.needs_sign_in)
    team(session_factory)
    assert uow.read(session_factory, users.needs_sign_in)


def test_pin_is_hashed_with_argon2(session_factory: sessionmaker[Session]) -> None:
    from moments_desk.db.models import User

    _, assistant = team(session_factory)
    stored = uow.read(session_factory, lambda s: s.get(User, assistant).password_hash)  # type: ignore[union-attr]
    assert stored is not None and stored.startswith("$argon2") and "2468" not in stored
    assert attempt(session_factory, assistant, "2468", FakeClock(NOW)).ok


def test_five_wrong_pins_lock_with_a_growing_delay(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    _, assistant = team(session_factory)
    left = [attempt(session_factory, assistant, "0000", clock).attempts_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    fifth = attempt(session_factory, assistant, "0000", clock)
    assert not fifth.ok and fifth.locked_until == NOW + timedelta(seconds=30)
    # While locked even the right PIN is refused, and it does not count as a try.
    assert attempt(session_factory, assistant, "2468", clock).locked_until == fifth.locked_until
    clock.advance(timedelta(seconds=31))
    sixth = attempt(session_factory, assistant, "1111", clock)
    assert sixth.locked_until == clock.now() + timedelta(seconds=60)
    clock.advance(timedelta(seconds=61))
    seventh = attempt(session_factory, assistant, "1111", clock)
    assert seventh.locked_until == clock.now() + timedelta(seconds=120)
    clock.advance(timedelta(seconds=121))
    assert attempt(session_factory, assistant, "2468", clock).ok
    assert attempt(session_factory, assistant, "0000", clock).attempts_left == 4
    actions = uow.read(
        session_factory,
        lambda s: [
            r.action
            for r in audit.audit_rows(
                s, audit.search_audit(s, AuditFilter(user_id=assistant))
            ).values()
        ],
    )
    assert actions.count("locked") == 3 and actions.count("sign_in") == 1


def test_profile_rules(session_factory: sessionmaker[Session]) -> None:
    owner, assistant = team(session_factory)
    with pytest.raises(UserError) as taken:
        uow.write(
            session_factory, lambda s: users.create_user(s, "小林", UserRole.OWNER, None, owner)
        )
    assert taken.value.code == "name_taken"
    with pytest.raises(UserError) as short:
        uow.write(
            session_factory, lambda s: users.create_user(s, "阿珍", UserRole.ASSISTANT, "12", owner)
        )
    assert short.value.code == "pin_too_short"
    # An assistant cannot deactivate anyone, the last owner least of all (issue 25).
    with pytest.raises(NotAllowedError):
        uow.write(session_factory, lambda s: users.deactivate_user(s, owner, assistant))
    uow.write(session_factory, lambda s: users.deactivate_user(s, assistant, owner))
    assert [u.name for u in uow.read(session_factory, users.list_users)] == ["店主"]


def test_assistant_posts_wait_for_approval_only_when_the_owner_asks(
    session_factory: sessionmaker[Session],
) -> None:
    owner, assistant = team(session_factory)

    def status(author: int) -> PostStatus:
        return uow.read(session_factory, lambda s: approval.status_when_scheduled(s, author))

    assert status(assistant) == PostStatus.SCHEDULED
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    assert status(assistant) == PostStatus.AWAITING_APPROVAL
    assert status(owner) == PostStatus.SCHEDULED


def test_approve_and_return_with_comment(session_factory: sessionmaker[Session]) -> None:
    owner, assistant = team(session_factory)
    first = add_post(session_factory, NOW, status=PostStatus.AWAITING_APPROVAL, author_id=assistant)
    second = add_post(
        session_factory, NOW, status=PostStatus.AWAITING_APPROVAL, author_id=assistant
    )
    with pytest.raises(ApprovalError) as not_owner:
        uow.write(session_factory, lambda s: approval.approve(s, first, assistant, NOW))
    assert not_owner.value.code == "not_owner"
    uow.write(session_factory, lambda s: approval.approve(s, first, owner, NOW))
    assert post_status(session_factory, first) == PostStatus.SCHEDULED
    with pytest.raises(ApprovalError) as empty:
        uow.write(
            session_factory, lambda s: approval.return_with_comment(s, second, owner, " ", NOW)
        )
    assert empty.value.code == "comment_missing"
    uow.write(
        session_factory,
        lambda s: approval.return_with_comment(s, second, owner, "第一句太长，改短一点", NOW),
    )
    assert post_status(session_factory, second) == PostStatus.DRAFT
    assert uow.read(session_factory, approval.awaiting_approval) == []
    actions = uow.read(
        session_factory,
        lambda s: sorted(
            r.action
            for r in audit.audit_rows(s, audit.search_audit(s, AuditFilter(user_id=owner))).values()
        ),
    )
    assert "approve" in actions and "return" in actions


def test_two_owners_approving_at_once_exactly_one_wins(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    owner, assistant = team(sessions)
    second_owner = uow.write(
        sessions, lambda s: users.create_user(s, "老板娘", UserRole.OWNER, "1357", owner)
    )
    post_id = add_post(sessions, NOW, status=PostStatus.AWAITING_APPROVAL, author_id=assistant)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(who: int) -> None:
        own = make_session_factory(engine)
        barrier.wait()
        try:
            uow.write(own, lambda s: approval.approve(s, post_id, who, NOW))
            outcomes.append("won")
        except ApprovalError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=decide, args=(w,)) for w in (owner, second_owner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_decided", "won"]
    approvals = uow.read(sessions, lambda s: audit.count_audit(s, AuditFilter(action="approve")))
    assert approvals == 1


def test_audit_filters_by_user_action_and_date(session_factory: sessionmaker[Session]) -> None:
    def work(s: Session) -> None:
        audit.record(s, None, "create", "post", 1, "a", at=NOW - timedelta(days=2))
        audit.record(s, None, "post", "post", 1, "b", at=NOW)
        audit.record(s, None, "skip", "post", 2, "c", at=NOW + timedelta(hours=1))

    uow.write(session_factory, work)

    def ids(wanted: AuditFilter) -> list[str]:
        return uow.read(
            session_factory,
            lambda s: [audit.audit_rows(s, [i])[i].summary for i in audit.search_audit(s, wanted)],
        )

    assert ids(AuditFilter()) == ["c", "b", "a"]
    assert ids(AuditFilter(action="post")) == ["b"]
    assert ids(AuditFilter(since=NOW - timedelta(hours=1))) == ["c", "b"]
    assert ids(AuditFilter(until=NOW)) == ["a"]
