"""Team mode: a 9-picture post fetched cold by a second laptop from the shared database,
against reading the same nine files from the local disk (the read cache afterwards).

Needs a PostgreSQL server: MOMENTS_DESK_BENCH_PG (else MOMENTS_DESK_TEST_PG), an admin URL
that may create and drop a scratch database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.common import Result, median_ms
from moments_desk.core.pictures import shared_store
from moments_desk.core.pictures.media import register_media, store_image
from moments_desk.core.planning.publishing import load_job
from moments_desk.core.shared import uow
from moments_desk.db.engine import make_engine, make_session_factory, normalise_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Post, PostImage, PostKind, PostStatus


def _admin_url() -> str:
    url = os.environ.get("MOMENTS_DESK_BENCH_PG") or os.environ.get("MOMENTS_DESK_TEST_PG")
    if not url:
        raise SystemExit("shared_pictures: set MOMENTS_DESK_BENCH_PG to a PostgreSQL URL")
    return normalise_url(url)


def run(repeat: int) -> list[Result]:
    admin_url = make_url(_admin_url())
    name = f"md_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    folder = Path(tempfile.mkdtemp(prefix="md-bench-pictures-"))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    laptop_a, laptop_b = make_engine(url), make_engine(url)
    try:
        upgrade_to_head(laptop_a)
        a_sessions, b_sessions = make_session_factory(laptop_a), make_session_factory(laptop_b)
        a_media = folder / "a" / "media"
        sources = []
        for index in range(9):
            path = folder / f"photo-{index}.jpg"
            noise = Image.effect_noise((2400, 1800), 30 + index).convert("RGB")
            noise.save(path, "JPEG", quality=85)  # about a phone photo's size
            sources.append(path)

        def post(s: Session) -> int:
            row = Post(text="九宫格上新", kind=PostKind.NEW_ARRIVAL, status=PostStatus.DRAFT)
            s.add(row)
            s.flush()
            for i, path in enumerate(sources):
                media = register_media(s, store_image(path, a_media))
                s.add(PostImage(post_id=row.id, media_id=media.id, position=i))
            return row.id

        post_id = uow.write(a_sessions, post)
        total = sum(p.stat().st_size for p in a_media.rglob("*.jpg"))
        upload_ms = median_ms(lambda: shared_store.sync(a_sessions, a_media), 1)

        cold_roots: list[Path] = []

        def cold() -> None:
            root = folder / f"b-{len(cold_roots)}" / "media"
            cold_roots.append(root)
            job = uow.read(b_sessions, lambda s: load_job(s, post_id, root))
            assert all(p.is_file() for p in job.images)

        cold_ms = median_ms(cold, repeat)
        warm_root = cold_roots[-1]
        warm_ms = median_ms(
            lambda: uow.read(b_sessions, lambda s: load_job(s, post_id, warm_root)), repeat
        )

        def local_read() -> None:
            for path in a_media.rglob("*.jpg"):
                path.read_bytes()

        disk_ms = median_ms(local_read, repeat)
        megabytes = total / 2**20
        return [
            Result(
                "9-picture post: upload by laptop A (first team start)",
                upload_ms,
                note=f"{megabytes:.1f} MB",
            ),
            Result(
                "9-picture post: cold fetch by laptop B",
                cold_ms,
                "read the 9 files from local disk",
                disk_ms,
                note=f"{megabytes / (cold_ms / 1000):.0f} MB/s",
            ),
            Result(
                "9-picture post: laptop B again (read cache)",
                warm_ms,
                "read the 9 files from local disk",
                disk_ms,
            ),
        ]
    finally:
        laptop_a.dispose()
        laptop_b.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
