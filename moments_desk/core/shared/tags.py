"""Tags shared by products and customers: one vocabulary, one way to attach them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from moments_desk.core.shared.batches import scalars_in
from moments_desk.db.models import Tag

MAX_TAG = 40

# What sellers put between tags in one cell: commas (both widths), 、, semicolons, slashes, spaces.
_TAG_SPLIT = re.compile(r"[,，、;；/\s]+")


def split_tags(text: str) -> list[str]:
    """The distinct tags of one cell, in order, each cut to the longest tag allowed."""
    seen: dict[str, None] = {}
    for part in _TAG_SPLIT.split(text.strip()):
        if part:
            seen.setdefault(part[:MAX_TAG], None)
    return list(seen)


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's own wildcards made literal (escape character: backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def tags_named(session: Session, names: Sequence[str]) -> list[Tag]:
    """The Tag rows for ``names`` in that order, creating the missing ones."""
    if not names:
        return []
    found = scalars_in(session, lambda chunk: select(Tag).where(Tag.name.in_(chunk)), names)
    existing = {t.name: t for t in found}
    for name in names:
        if name not in existing:
            existing[name] = Tag(name=name)
            session.add(existing[name])
    return [existing[n] for n in names]


def attach_tag(
    session: Session, link: Table, owner_column: str, ids: Sequence[int], name: str
) -> int:
    """Tag every owner in ``ids`` (products or customers) once; returns how many were new."""
    tag = tags_named(session, [name])[0]
    session.flush()
    owner = link.c[owner_column]
    have = set(
        scalars_in(
            session,
            lambda chunk: select(owner).where(link.c.tag_id == tag.id, owner.in_(chunk)),
            ids,
        )
    )
    rows = [{owner_column: i, "tag_id": tag.id} for i in ids if i not in have]
    if rows:
        session.execute(link.insert(), rows)
    return len(rows)
