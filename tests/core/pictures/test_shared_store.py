"""A shared shop's pictures reach every laptop through the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures import shared_store
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.planning.publishing import load_job
from moments_desk.core.shared import uow
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import MediaFile, Post, PostImage, PostKind, PostStatus, SharedPicture

pytestmark = pytest.mark.db


@pytest.fixture
def pg(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("pictures are shared through the team's PostgreSQL database")
    return engine


@pytest.fixture
def laptop_b(pg: Engine) -> Iterator[sessionmaker[Session]]:
    other = make_engine(pg.url.render_as_string(hide_password=False))
    yield make_session_factory(other)
    other.dispose()


def _photo(folder: Path, index: int, size: tuple[int, int] = (400, 300)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"图{index}.jpg"
    Image.effect_noise(size, 40 + index).convert("RGB").save(path, "JPEG", quality=90)
    return path


def _post_with_pictures(
    sessions: sessionmaker[Session], media_root: Path, sources: Path, count: int
) -> int:
    def work(s: Session) -> int:
        post = Post(text="九宫格上新", kind=PostKind.NEW_ARRIVAL, status=PostStatus.DRAFT)
        s.add(post)
        s.flush()
        for i in range(count):
            media = register_media(s, store_image(_photo(sources, i), media_root))
            s.add(PostImage(post_id=post.id, media_id=media.id, position=i))
        return post.id

    return uow.write(sessions, work)


def test_a_nine_picture_post_reaches_the_second_laptop(
    pg: Engine, laptop_b: sessionmaker[Session], tmp_path: Path
) -> None:
    a_media, b_media = tmp_path / "a" / "media", tmp_path / "b" / "media"
    sessions = make_session_factory(pg)
    post_id = _post_with_pictures(sessions, a_media, tmp_path / "src", 9)
    # Laptop B before A shared anything: the pictures are missing there.
    job = uow.read(laptop_b, lambda s: load_job(s, post_id, b_media))
    assert not any(path.is_file() for path in job.images)
    # A's first team start uploads the shop's existing pictures.
    report = shared_store.sync(sessions, a_media)
    assert (report.uploaded, report.fetched) == (9, 0)
    assert shared_store.sync(sessions, a_media).uploaded == 0  # once
    # B opens the post to publish it: the nine pictures are fetched, in order, identical.
    job = uow.read(laptop_b, lambda s: load_job(s, post_id, b_media))
    assert len(job.images) == 9 and all(path.is_file() for path in job.images)
    for path in job.images:
        original = a_media / path.relative_to(b_media)
        assert path.read_bytes() == original.read_bytes()


def test_a_large_picture_travels_in_slices_and_a_bad_copy_is_refused(
    pg: Engine, laptop_b: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_store, "CHUNK_BYTES", 16 * 1024)
    a_media, b_media = tmp_path / "a" / "media", tmp_path / "b" / "media"
    sessions = make_session_factory(pg)
    _post_with_pictures(sessions, a_media, tmp_path / "src", 1)
    shared_store.sync(sessions, a_media)
    shared = uow.read(sessions, lambda s: s.scalars(SharedPicture.__table__.select()).all())
    assert len(shared) == 1
    size = uow.read(sessions, lambda s: s.get(SharedPicture, shared[0]))
    assert size is not None and size.chunk_count > 1  # streamed, not one big message
    uow.write(
        sessions,
        lambda s: s.execute(update(SharedPicture).values(content_sha256="0" * 64)),
    )
    report = shared_store.sync(laptop_b, b_media)
    assert report.fetched == 0
    media = uow.read(laptop_b, lambda s: s.scalars(MediaFile.__table__.select()).all())
    assert media and not list(b_media.rglob("*.jpg")), "a copy that fails its hash never lands"
    assert not list(b_media.rglob("*.part"))


def test_sqlite_shops_share_nothing(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite case")
    sessions = make_session_factory(engine)
    _post_with_pictures(sessions, tmp_path / "media", tmp_path / "src", 1)
    assert shared_store.sync(sessions, tmp_path / "media") == shared_store.SyncReport()
