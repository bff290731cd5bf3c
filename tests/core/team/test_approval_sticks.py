"""An owner's approval covers what she saw: later changes by an assistant need it again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.planning.post_views import PostDraft, get_post
from moments_desk.core.planning.posts import move_post, update_post
from moments_desk.core.shared import uow
from moments_desk.core.team import approval, audit
from moments_desk.core.team.audit import AuditFilter
from moments_desk.db.models import PostStatus
from tests.core.team.test_team import team
from tests.core.team_helpers import add_post, post_status

pytestmark = pytest.mark.db

SHANGHAI_NOON = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, no quiet hours


def _draft(sessions: sessionmaker[Session], post_id: int, media: Path) -> PostDraft:
    from zoneinfo import ZoneInfo

    return uow.read(
        sessions, lambda s: get_post(s, post_id, media, ZoneInfo("Asia/Shanghai")).to_draft()
    )


def _save(sessions: sessionmaker[Session], post_id: int, draft: PostDraft, by: int) -> None:
    uow.write(sessions, lambda s: update_post(s, post_id, draft, user_id=by))


def _approved_post(sessions: sessionmaker[Session], author: int, owner: int) -> int:
    post_id = add_post(
        sessions,
        SHANGHAI_NOON,
        "周二上新：雾霾蓝连衣裙",
        PostStatus.AWAITING_APPROVAL,
        ["主号"],
        author,
    )
    uow.write(sessions, lambda s: approval.approve(s, post_id, owner, SHANGHAI_NOON))
    return post_id


def _resubmits(sessions: sessionmaker[Session]) -> int:
    return uow.read(sessions, lambda s: audit.count_audit(s, AuditFilter(action="resubmit")))


def test_an_assistant_rewriting_her_approved_post_sends_it_back(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    owner, assistant = team(session_factory)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    post_id = _approved_post(session_factory, assistant, owner)
    assert post_status(session_factory, post_id) is PostStatus.SCHEDULED
    draft = _draft(session_factory, post_id, tmp_path)
    _save(
        session_factory,
        post_id,
        dataclasses.replace(draft, text="加微信领红包，转发集赞送礼"),
        assistant,
    )
    assert post_status(session_factory, post_id) is PostStatus.AWAITING_APPROVAL
    assert uow.read(session_factory, approval.awaiting_approval) == [post_id]
    assert _resubmits(session_factory) == 1


def test_an_assistant_editing_the_owners_scheduled_post_needs_approval(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    owner, assistant = team(session_factory)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    post_id = add_post(
        session_factory, SHANGHAI_NOON, "店主的上新", PostStatus.SCHEDULED, ["主号"], owner
    )
    draft = _draft(session_factory, post_id, tmp_path)
    _save(session_factory, post_id, dataclasses.replace(draft, text="小林改的"), assistant)
    assert post_status(session_factory, post_id) is PostStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("part", ["time", "audience", "pictures"])
def test_time_audience_and_pictures_count_as_changes_too(
    session_factory: sessionmaker[Session], tmp_path: Path, part: str
) -> None:
    from moments_desk.db.models import AudienceMode, MediaFile, Tag

    owner, assistant = team(session_factory)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    post_id = _approved_post(session_factory, assistant, owner)
    draft = _draft(session_factory, post_id, tmp_path)
    if part == "time":
        changed = dataclasses.replace(draft, scheduled_at=SHANGHAI_NOON + timedelta(hours=2))
    elif part == "audience":

        def tag(s: Session) -> int:
            row = Tag(name="老客")
            s.add(row)
            s.flush()
            return row.id

        tag_id = uow.write(session_factory, tag)
        changed = dataclasses.replace(
            draft, audience_mode=AudienceMode.VISIBLE_TO, audience_tag_ids=[tag_id]
        )
    else:

        def picture(s: Session) -> int:
            row = MediaFile(
                sha256="a" * 64,
                rel_path="aa/a.jpg",
                width=10,
                height=10,
                format="JPEG",
                size_bytes=1,
            )
            s.add(row)
            s.flush()
            return row.id

        changed = dataclasses.replace(draft, image_media_ids=[uow.write(session_factory, picture)])
    _save(session_factory, post_id, changed, assistant)
    assert post_status(session_factory, post_id) is PostStatus.AWAITING_APPROVAL


def test_what_does_not_send_a_post_back(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """The owner's own edits, an assistant's save that changed nothing reviewed, and a shop
    without the approval policy keep the post scheduled."""
    from zoneinfo import ZoneInfo

    owner, assistant = team(session_factory)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    post_id = _approved_post(session_factory, assistant, owner)
    draft = _draft(session_factory, post_id, tmp_path)
    _save(session_factory, post_id, dataclasses.replace(draft, text="店主自己改的"), owner)
    _save(session_factory, post_id, _draft(session_factory, post_id, tmp_path), assistant)
    assert post_status(session_factory, post_id) is PostStatus.SCHEDULED
    uow.write(session_factory, lambda s: approval.set_approval_required(s, False, owner))
    _save(session_factory, post_id, dataclasses.replace(draft, text="不需要审批了"), assistant)
    assert post_status(session_factory, post_id) is PostStatus.SCHEDULED
    assert _resubmits(session_factory) == 0
    # Dragging to another time in the planner is a change of time as well.
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    uow.write(
        session_factory,
        lambda s: move_post(
            s,
            post_id,
            SHANGHAI_NOON + timedelta(days=1),
            tmp_path,
            ZoneInfo("Asia/Shanghai"),
            user_id=assistant,
        ),
    )
    assert post_status(session_factory, post_id) is PostStatus.AWAITING_APPROVAL


def test_an_assistant_rescheduling_a_missed_post_needs_approval(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.planning.publishing import reschedule_post

    owner, assistant = team(session_factory)
    uow.write(session_factory, lambda s: approval.set_approval_required(s, True, owner))
    post_id = add_post(
        session_factory, SHANGHAI_NOON, "错过的上新", PostStatus.DUE, ["主号"], owner
    )
    later = SHANGHAI_NOON + timedelta(days=1)
    uow.write(
        session_factory, lambda s: reschedule_post(s, post_id, later, assistant, SHANGHAI_NOON)
    )
    assert post_status(session_factory, post_id) is PostStatus.AWAITING_APPROVAL
