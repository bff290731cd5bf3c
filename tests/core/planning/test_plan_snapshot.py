"""The plan for a fixed shop stays exactly what it was: 26 weeks of the demo shop planned
by ``plan_weeks`` give the same drafts (time, kind, caption, accounts, products, pictures)
as recorded in ``data/plan_snapshot.json`` before planning was made faster.

When a change is *meant* to plan differently, regenerate the file with
``python -m tests.core.planning.test_plan_snapshot`` and review the difference."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moments_desk.core.planning.drafting import plan_weeks
from moments_desk.core.shared.uow import read, write
from moments_desk.db.engine import make_session_factory
from moments_desk.db.models import (
    MediaFile,
    Post,
    PostAccount,
    PostImage,
    PostProduct,
    Product,
)

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 2, tzinfo=UTC)
WEEKS = 26
SNAPSHOT = Path(__file__).parent / "data" / "plan_snapshot.json"


def plan_snapshot(engine: Engine) -> list[list[Any]]:
    """Plan the demo shop and read back what was written, by stable names (product codes,
    picture digests, slot ids), ordered by time and slot."""
    from moments_desk.core.demo.demo import populate_demo

    populate_demo(engine, now=NOW, zone=ZONE)
    sessions = make_session_factory(engine)
    outcome = write(sessions, lambda s: plan_weeks(s, WEEKS, NOW, zone=ZONE))
    created = set(outcome.created)

    def load(session: Session) -> list[list[Any]]:
        accounts: dict[int, list[int]] = {}
        for post_id, account_id in session.execute(
            select(PostAccount.post_id, PostAccount.account_id)
        ):
            accounts.setdefault(post_id, []).append(account_id)
        products: dict[int, list[tuple[int, str]]] = {}
        for post_id, position, code in session.execute(
            select(PostProduct.post_id, PostProduct.position, Product.code).join(
                Product, Product.id == PostProduct.product_id
            )
        ):
            products.setdefault(post_id, []).append((position, code))
        pictures: dict[int, list[tuple[int, str]]] = {}
        for post_id, position, digest in session.execute(
            select(PostImage.post_id, PostImage.position, MediaFile.sha256).join(
                MediaFile, MediaFile.id == PostImage.media_id
            )
        ):
            pictures.setdefault(post_id, []).append((position, digest))
        rows = []
        for post in session.scalars(select(Post).where(Post.id.in_(created))):
            at = post.scheduled_at
            rows.append(
                [
                    at.astimezone(UTC).isoformat() if at else None,
                    post.slot_id,
                    post.kind.value,
                    post.status.value,
                    post.text,
                    sorted(accounts.get(post.id, [])),
                    [code for _, code in sorted(products.get(post.id, []))],
                    [digest for _, digest in sorted(pictures.get(post.id, []))],
                ]
            )
        return sorted(rows, key=lambda r: (r[0] or "", r[1] or 0))

    return read(sessions, load)


@pytest.mark.db
def test_planning_the_demo_shop_gives_the_recorded_plan(engine: Engine) -> None:
    got = plan_snapshot(engine)
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert len(got) == len(want)
    for mine, recorded in zip(got, want, strict=True):
        assert mine == recorded


if __name__ == "__main__":  # regenerate: python -m tests.core.planning.test_plan_snapshot
    from moments_desk.db.engine import make_engine
    from moments_desk.db.migrate import upgrade_to_head

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    eng = make_engine(f"sqlite:///{folder / 'snapshot.db'}")
    upgrade_to_head(eng)
    SNAPSHOT.parent.mkdir(exist_ok=True)
    lines = [json.dumps(row, ensure_ascii=False) for row in plan_snapshot(eng)]
    SNAPSHOT.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
