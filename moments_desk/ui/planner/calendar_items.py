"""What the week and month views draw: posts and cadence slots as plain values, and colours."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from moments_desk.core.planning.board import BoardData
from moments_desk.core.planning.rules import RuleViolation
from moments_desk.db.models import PostKind, PostStatus
from moments_desk.ui.kit import labels
from moments_desk.ui.planner.messages import violation_line

HARD = "hard"
SOFT = "soft"


@dataclass(frozen=True)
class CalendarPost:
    id: int
    when: datetime  # local wall-clock time in the seller's zone
    kind: PostKind
    status: PostStatus
    title: str
    image_count: int = 0
    severity: str | None = None  # HARD, SOFT or None
    warnings: tuple[str, ...] = ()

    @property
    def movable(self) -> bool:
        return self.status not in (PostStatus.POSTED, PostStatus.SKIPPED)


@dataclass(frozen=True)
class CalendarSlot:
    slot_id: int
    when: datetime  # local
    kind: PostKind
    label: str
    filled: bool


#: Fill and text colour per status: drafts pale, scheduled green, due orange, done grey.
STATUS_COLOURS: dict[PostStatus, tuple[str, str]] = {
    PostStatus.DRAFT: ("#F3F4F6", "#374151"),
    PostStatus.AWAITING_APPROVAL: ("#EDE9FE", "#5B21B6"),
    PostStatus.SCHEDULED: ("#E7F6EE", "#065F46"),
    PostStatus.DUE: ("#FFEDD5", "#9A3412"),
    PostStatus.POSTED: ("#E0E7FF", "#3730A3"),
    PostStatus.SKIPPED: ("#F9FAFB", "#9CA3AF"),
}
#: A thin bar on the left says the kind at a glance: sales warm, non-sales cool.
KIND_COLOURS: dict[PostKind, str] = {
    PostKind.NEW_ARRIVAL: "#07A35A",
    PostKind.PROMOTION: "#E11D48",
    PostKind.ACTIVITY: "#D97706",
    PostKind.LIFESTYLE: "#2563EB",
    PostKind.FEEDBACK: "#7C3AED",
}
SEVERITY_COLOURS = {HARD: QColor("#DC2626"), SOFT: QColor("#F59E0B")}


def status_colours(status: PostStatus) -> tuple[QColor, QColor]:
    fill, text = STATUS_COLOURS[status]
    return QColor(fill), QColor(text)


def severity(warnings: tuple[RuleViolation, ...]) -> str | None:
    if any(w.hard for w in warnings):
        return HARD
    return SOFT if warnings else None


def calendar_items(
    board: BoardData, zone: tzinfo, language: str, now: datetime
) -> tuple[list[CalendarPost], list[CalendarSlot]]:
    """Posts and slot occurrences in local time; empty slots already past are left out
    (nothing can go out there any more)."""
    posts = [
        CalendarPost(
            id=p.id,
            when=p.scheduled_at.astimezone(zone),
            kind=p.kind,
            status=p.status,
            title=(
                QCoreApplication.translate("Planner", "Product updated · ")
                if p.products_changed
                else ""
            )
            + _title(p.text),
            image_count=len(p.images),
            severity=severity(p.warnings),
            warnings=tuple(violation_line(w, language) for w in p.warnings),
        )
        for p in board.posts
        if p.scheduled_at is not None
    ]
    taken = {
        (p.slot_id, p.scheduled_at.astimezone(zone).date())
        for p in board.posts
        if p.slot_id and p.scheduled_at is not None
    }
    by_id = {s.id: s for s in board.slots}
    slots = [
        CalendarSlot(
            slot_id,
            at.astimezone(zone),
            by_id[slot_id].spec.kind,
            by_id[slot_id].spec.label,
            (slot_id, at.astimezone(zone).date()) in taken,
        )
        for slot_id, at in board.occurrences
        if at >= now or (slot_id, at.astimezone(zone).date()) in taken
    ]
    return posts, slots


def _marked(products_changed: bool) -> str:
    # An edited draft whose products changed since: 商品已更新, refreshed from the composer.
    return QCoreApplication.translate("Planner", "Product updated · ") if products_changed else ""


def _title(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        return QCoreApplication.translate("Planner", "(text to write)")
    return first.strip()[:40]


def status_legend() -> str:
    """The status colours as small chips, in the order a post goes through them."""
    chips = []
    for status, (fill, ink) in STATUS_COLOURS.items():
        name = html.escape(labels.post_status(status))
        chips.append(f'<span style="background:{fill}; color:{ink};">&nbsp;{name}&nbsp;</span>')
    return "&nbsp;".join(chips)
