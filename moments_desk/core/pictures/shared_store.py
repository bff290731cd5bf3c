"""Pictures a team shares: their bytes in the shared PostgreSQL database, fetched on demand.

A picture added on laptop A used to live only in A's media folder, so laptop B could not
schedule or publish the post. In a shared shop every stored picture is also uploaded as a
``shared_picture`` row keyed by its content hash (the media store's ``sha256``), its bytes
in ``shared_picture_chunk`` slices of ``CHUNK_BYTES``; a laptop missing a file fetches it
slice by slice into its own media folder, which is the local read cache (content-addressed,
so a cached file never goes stale). The download is checked against ``content_sha256``
before it is moved into place.

Why the database and not an object store: the team already runs one PostgreSQL server that
every laptop reaches with one URL and one password, backs up with ``pg_dump`` and secures
once; a MinIO/S3 server would be a second service to run, expose, back up and hold keys
for. Pictures are bounded (``MAX_SHARED_BYTES``) and a shop holds a few thousand of them,
well within what PostgreSQL's TOAST storage handles. See docs/team.md.

SQLite shops (one computer) do nothing here.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.media import MAX_FILE_BYTES, media_file_path
from moments_desk.db.models import MediaFile, SharedPicture, SharedPictureChunk

log = logging.getLogger(__name__)

#: One slice per row: small enough for a modest network message, large enough that a
#: phone photo (2-5 MB) takes a handful of round trips.
CHUNK_BYTES = 512 * 1024
#: The largest stored picture shared (the store accepts 60 MB originals; a re-encoded PNG
#: may grow a little). Larger files stay local and are reported missing elsewhere.
MAX_SHARED_BYTES = MAX_FILE_BYTES + 8 * 1024 * 1024


@dataclass(frozen=True)
class SyncReport:
    uploaded: int = 0
    fetched: int = 0
    #: media files neither here nor in the shared store (or too large to share)
    unavailable: int = 0


def is_shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def upload(session: Session, media: MediaFile, media_root: Path) -> bool:
    """Put one stored picture into the shared store (once). False when its file is not here
    or too large to share. Two laptops uploading the same picture at once: the second one's
    transaction fails on the key (``IntegrityError``), and the picture is there anyway."""
    if session.get(SharedPicture, media.sha256) is not None:
        return True
    path = media_file_path(media_root, media.rel_path)
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size > MAX_SHARED_BYTES:
        log.warning("picture %s (%d bytes) is too large to share", media.rel_path, size)
        return False
    header = SharedPicture(sha256=media.sha256, content_sha256="", size_bytes=size, chunk_count=0)
    session.add(header)
    session.flush()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            digest.update(block)
            chunk = SharedPictureChunk(sha256=media.sha256, seq=header.chunk_count, data=block)
            session.add(chunk)
            session.flush()
            session.expunge(chunk)  # one slice in memory at a time
            header.chunk_count += 1
    header.content_sha256 = digest.hexdigest()
    session.flush()
    return True


def fetch(session: Session, media: MediaFile, media_root: Path) -> bool:
    """Bring one picture into this laptop's media folder from the shared store. True when
    the file is here afterwards."""
    target = media_file_path(media_root, media.rel_path)
    if target.is_file():
        return True
    shared = session.get(SharedPicture, media.sha256)
    if shared is None or shared.size_bytes > MAX_SHARED_BYTES:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as handle:
            for seq in range(shared.chunk_count):
                block = session.scalar(
                    select(SharedPictureChunk.data).where(
                        SharedPictureChunk.sha256 == media.sha256, SharedPictureChunk.seq == seq
                    )
                )
                if block is None:
                    raise ValueError(f"{media.rel_path}: slice {seq} is missing")
                digest.update(block)
                handle.write(block)
        if digest.hexdigest() != shared.content_sha256:
            raise ValueError(f"{media.rel_path}: the shared copy does not match its hash")
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True


def ensure_local(session: Session, media_ids: Iterable[int], media_root: Path) -> int:
    """Fetch the given pictures that are missing here (a post about to be shown, checked or
    published). Returns how many were fetched."""
    if not is_shared(session):
        return 0
    ids = set(media_ids)
    if not ids:
        return 0
    fetched = 0
    for media in session.scalars(select(MediaFile).where(MediaFile.id.in_(ids))):
        if media_file_path(media_root, media.rel_path).is_file():
            continue
        with contextlib.suppress(ValueError):
            fetched += fetch(session, media, media_root)
    return fetched


def sync(sessions: sessionmaker[Session], media_root: Path) -> SyncReport:
    """Upload every picture this laptop has that the team lacks, fetch every one it lacks;
    one transaction per picture, so a shop's first team start (which uploads all its
    existing pictures) never holds gigabytes in one transaction."""
    with sessions() as session:
        if not is_shared(session):
            return SyncReport()
        have = set(session.scalars(select(SharedPicture.sha256)))
        media = session.scalars(select(MediaFile).order_by(MediaFile.id)).all()
    uploaded = fetched = unavailable = 0
    for item in media:
        local = media_file_path(media_root, item.rel_path).is_file()
        try:
            if item.sha256 in have:
                if not local:
                    with sessions() as session:
                        fetched += fetch(session, item, media_root)
            elif local:
                with sessions.begin() as session:
                    uploaded += upload(session, item, media_root)
            else:
                unavailable += 1
        except (ValueError, IntegrityError) as error:  # a bad copy; a laptop uploading too
            log.warning("shared picture %s: %s", item.rel_path, error)
    return SyncReport(uploaded, fetched, unavailable)
