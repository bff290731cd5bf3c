"""The seller's library entries in the database: list, save, delete, and the no-repeat
setting. Every write runs inside the caller's transaction (``uow.write``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.library.picking import DEFAULT_NO_REPEAT_WEEKS, LibraryItem
from moments_desk.core.library.starters import SEASONS, EntryKind
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.shared.wording import forbidden_text
from moments_desk.db.models import ContentEntry, ContentEntryImage, MediaFile

NO_REPEAT_KEY = "library.no_repeat_weeks"


class LibraryError(ValueError):
    """Bad input for a library entry; ``zh`` is the same sentence in Chinese."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.zh = code, zh

    def text(self, language: str) -> str:
        return self.zh if language.lower().startswith("zh") else str(self)


MAX_TEXT = 2000


@dataclass(frozen=True)
class EntryDraft:
    kind: str
    text: str
    tags: str = ""
    season: str = ""
    image_media_ids: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class EntryView:
    id: int
    kind: str
    text: str
    tags: str
    season: str
    image_media_ids: tuple[int, ...]
    last_used_at: datetime | None


def _check(draft: EntryDraft) -> None:
    kinds = {k.value for k in EntryKind}
    if draft.kind not in kinds:
        raise LibraryError(
            "bad_kind", f"“{draft.kind}” is not a library kind.", f"“{draft.kind}”不是素材类别。"
        )
    if not draft.text.strip() and not draft.image_media_ids:
        raise LibraryError(
            "empty", "A library entry needs text or pictures.", "素材至少要有文字或图片。"
        )
    if len(draft.text) > MAX_TEXT:
        raise LibraryError(
            "too_long",
            f"Keep an entry under {MAX_TEXT} characters.",
            f"素材文字请少于 {MAX_TEXT} 字。",
        )
    if draft.season and draft.season not in SEASONS:
        raise LibraryError(
            "bad_season", f"“{draft.season}” is not a season.", f"“{draft.season}”不是季节。"
        )
    hard = [w.phrase for w in forbidden_text(draft.text) if w.hard]
    if hard:
        raise LibraryError(
            "forbidden",
            f"The text uses wording WeChat forbids: {', '.join(hard)}.",
            f"文字里有微信禁止的用语：{'、'.join(hard)}。",
        )
    if len(draft.image_media_ids) > 9:
        raise LibraryError(
            "too_many_images", "At most 9 pictures per entry.", "每条素材最多 9 张图。"
        )


def list_entries(session: Session) -> list[EntryView]:
    rows = session.scalars(
        select(ContentEntry)
        .options(selectinload(ContentEntry.images))
        .where(~ContentEntry.archived)
        .order_by(ContentEntry.kind, ContentEntry.id)
    )
    return [
        EntryView(
            e.id,
            e.kind,
            e.text,
            e.tags,
            e.season,
            tuple(i.media_id for i in e.images),
            e.last_used_at,
        )
        for e in rows
    ]


def save_entry(session: Session, entry_id: int | None, draft: EntryDraft) -> int:
    """Create (``entry_id`` None) or change an entry; refuses bad input, writing nothing."""
    _check(draft)
    media = set(draft.image_media_ids)
    if media:
        found = set(session.scalars(select(MediaFile.id).where(MediaFile.id.in_(media))))
        if found != media:
            raise LibraryError("image_gone", "A picture was removed meanwhile.", "有图片已被删除。")
    if entry_id is None:
        entry = ContentEntry(kind=draft.kind, last_used_at=None, archived=False)
        session.add(entry)
    else:
        got = session.get(ContentEntry, entry_id)
        if got is None or got.archived:
            raise LibraryError(
                "gone", "This library entry was removed meanwhile.", "这条素材已被删除。"
            )
        entry = got
    entry.kind = draft.kind
    entry.text = draft.text.strip()
    entry.tags = " ".join(draft.tags.split())[:200]
    entry.season = draft.season
    entry.images = [
        ContentEntryImage(media_id=m, position=n) for n, m in enumerate(draft.image_media_ids)
    ]
    session.flush()
    return entry.id


def delete_entry(session: Session, entry_id: int) -> None:
    """Archive: posts drafted from it keep their text; the planner stops using it."""
    entry = session.get(ContentEntry, entry_id)
    if entry is not None:
        entry.archived = True
        session.flush()


def no_repeat_weeks(session: Session) -> int:
    value = get_setting(session, NO_REPEAT_KEY, DEFAULT_NO_REPEAT_WEEKS)
    try:
        return max(1, min(52, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_NO_REPEAT_WEEKS


def set_no_repeat_weeks(session: Session, weeks: int) -> None:
    if not 1 <= weeks <= 52:
        raise LibraryError(
            "out_of_range",
            f"No-repeat weeks must be between 1 and 52 (got {weeks}).",
            f"不重复周数必须在 1 到 52 之间（现在是 {weeks}）。",
        )
    set_setting(session, NO_REPEAT_KEY, weeks)


def library_items(session: Session) -> list[LibraryItem]:
    """The seller's entries as the planner sees them."""
    return [
        LibraryItem(
            f"entry:{e.id}", e.kind, e.text, e.season, None, e.image_media_ids, entry_id=e.id
        )
        for e in list_entries(session)
    ]


def mark_used(session: Session, used: dict[int, datetime]) -> None:
    for entry_id, at in used.items():
        session.execute(
            update(ContentEntry).where(ContentEntry.id == entry_id).values(last_used_at=at)
        )
