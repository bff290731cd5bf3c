"""Posted per account in one transaction, skip with a reason, pictures numbered 1–9."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.planning import publishing
from moments_desk.core.planning.publishing import PublishError
from moments_desk.core.shared import uow
from moments_desk.core.team import audit
from moments_desk.db.models import Post, PostAccount, PostImage, PostStatus
from tests.core.team_helpers import add_post, post_status
from tests.images import pixel

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def accounts_of(sessions: sessionmaker[Session], post_id: int) -> dict[int, datetime | None]:
    return uow.read(
        sessions,
        lambda s: {
            account_id: posted_at
            for account_id, posted_at in s.execute(
                select(PostAccount.account_id, PostAccount.posted_at).where(
                    PostAccount.post_id == post_id
                )
            )
        },
    )


def test_a_post_on_two_accounts_is_posted_per_account(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    post_id = add_post(session_factory, NOW, status=PostStatus.DUE, accounts=["主号", "小号"])
    job = uow.read(session_factory, lambda s: publishing.load_job(s, post_id, tmp_path))
    assert [a.label for a in job.accounts] == ["主号", "小号"]
    first, second = (a.account_id for a in job.accounts)
    done = uow.write(
        session_factory, lambda s: publishing.mark_posted(s, post_id, first, None, NOW)
    )
    assert not done and post_status(session_factory, post_id) == PostStatus.DUE
    with pytest.raises(PublishError) as twice:
        uow.write(session_factory, lambda s: publishing.mark_posted(s, post_id, first, None, NOW))
    assert twice.value.code == "closed"
    later = NOW + timedelta(minutes=7)
    assert uow.write(
        session_factory, lambda s: publishing.mark_posted(s, post_id, second, None, later)
    )
    assert accounts_of(session_factory, post_id) == {first: NOW, second: later}
    posted = uow.read(session_factory, lambda s: s.get(Post, post_id).posted_at)  # type: ignore[union-attr]
    assert posted == later and post_status(session_factory, post_id) == PostStatus.POSTED


def test_killed_between_posted_and_commit_leaves_no_half_record(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    post_id = add_post(session_factory, NOW, status=PostStatus.DUE, accounts=["主号"])
    (account,) = accounts_of(session_factory, post_id)

    def crash(*_: object, **__: object) -> None:
        raise SystemExit("power cut")

    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(SystemExit):
        uow.write(session_factory, lambda s: publishing.mark_posted(s, post_id, account, None, NOW))
    monkeypatch.undo()
    assert accounts_of(session_factory, post_id) == {account: None}
    assert post_status(session_factory, post_id) == PostStatus.DUE
    # Nothing was lost: posting again after the restart works.
    assert uow.write(
        session_factory, lambda s: publishing.mark_posted(s, post_id, account, None, NOW)
    )


def test_skip_needs_a_reason_and_closes_the_post(session_factory: sessionmaker[Session]) -> None:
    post_id = add_post(session_factory, NOW, status=PostStatus.DUE)
    with pytest.raises(PublishError) as empty:
        uow.write(session_factory, lambda s: publishing.skip_post(s, post_id, "  ", None, NOW))
    assert empty.value.code == "reason_missing"
    uow.write(session_factory, lambda s: publishing.skip_post(s, post_id, "到货晚了", None, NOW))
    assert post_status(session_factory, post_id) == PostStatus.SKIPPED
    with pytest.raises(PublishError) as closed:
        uow.write(session_factory, lambda s: publishing.mark_posted(s, post_id, None, None, NOW))
    assert closed.value.code == "closed"


def test_reschedule_refuses_the_past(session_factory: sessionmaker[Session]) -> None:
    post_id = add_post(session_factory, NOW, status=PostStatus.DUE)
    with pytest.raises(PublishError) as past:
        uow.write(
            session_factory,
            lambda s: publishing.reschedule_post(s, post_id, NOW - timedelta(hours=1), None, NOW),
        )
    assert past.value.code == "in_past"


def test_pictures_are_exported_in_order_numbered_from_one(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    media = tmp_path / "media"
    post_id = add_post(session_factory, NOW, status=PostStatus.DUE)
    sources = []
    for index, colour in enumerate(["red", "green", "blue"]):
        path = tmp_path / f"src{index}.jpg"
        Image.new("RGB", (1600, 900 + index), colour).save(path)
        sources.append(path)

    def attach(s: Session) -> None:
        # Stored in reverse so the posting order must come from the position, not the id.
        for position, path in reversed(list(enumerate(sources))):
            media_row = register_media(s, store_image(path, media))
            s.add(PostImage(post_id=post_id, media_id=media_row.id, position=position))

    uow.write(session_factory, attach)
    job = uow.read(session_factory, lambda s: publishing.load_job(s, post_id, media))
    out = tmp_path / "out"
    (out).mkdir()
    (out / f"post{post_id}-9.jpg").write_bytes(b"stale")
    files = publishing.export_images(job, out, ExportSettings(long_side=1080))
    assert [f.name for f in files] == [f"post{post_id}-{i}.jpg" for i in (1, 2, 3)]
    assert sorted(p.name for p in out.iterdir()) == [f.name for f in files]
    with Image.open(files[0]) as first, Image.open(files[2]) as third:
        assert first.size == (1080, 608)
        assert pixel(first, (10, 10))[0] > 200  # red first
        assert pixel(third, (10, 10))[2] > 200  # blue last
