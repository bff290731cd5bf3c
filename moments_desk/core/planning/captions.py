"""Choosing a sales caption: rotate the variants, never repeat one on an account within 14
days, and prefer one that is not a near-duplicate of a recent caption of the same kind."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.similarity import (
    NEAR_DUPLICATE_DAYS,
    NEAR_DUPLICATE_PCT,
    similarity_pct,
)
from moments_desk.core.planning.templates import (
    TemplateContext,
    TemplateProduct,
    render_template,
)
from moments_desk.db.models import PostKind

_WINDOW = timedelta(days=NEAR_DUPLICATE_DAYS)
_TICK = timedelta(microseconds=1)


def templates_for(
    kind: PostKind, slot_template: str, returning: bool
) -> tuple[list[str], list[str]]:
    """(the variants a slot rotates, the built-in ones to fall back on when they would all
    repeat a recent caption). A product already shown is never "上新" again."""
    own = copy_bank.variants(slot_template)
    builtin = list(copy_bank.BY_KIND.get(kind, ()))
    if returning and kind is PostKind.NEW_ARRIVAL:
        own = [t for t in own if "上新" not in t]
        builtin = list(copy_bank.RETURN)
    return (own or builtin), builtin


@dataclass
class CaptionBook:
    """One account's recent captions (time, kind, text) and whose turn each rotation is at."""

    #: (time, kind, text), kept sorted by time so a window is two bisections.
    recent: list[tuple[datetime, str, str]] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)

    def add(self, at: datetime, kind: PostKind, text: str) -> None:
        if text.strip():
            insort(self.recent, (at, kind.value, text.strip()))

    def fresh_at(self, at: datetime, kind: PostKind) -> Callable[[str], bool]:
        """Whether a caption at ``at`` is neither the same as nor a near-duplicate of one of
        this kind around it (a caption made outside the rotation, e.g. a 买家秀 quote)."""
        near = self._around(at)
        value = kind.value

        def fresh(text: str) -> bool:
            return all(
                other != text.strip()
                and (k != value or similarity_pct(text, other) < NEAR_DUPLICATE_PCT)
                for _, k, other in near
            )

        return fresh

    def _around(self, at: datetime) -> list[tuple[datetime, str, str]]:
        low = bisect_left(self.recent, (at - _WINDOW + _TICK,))
        high = bisect_left(self.recent, (at + _WINDOW,))
        return self.recent[low:high]

    def choose(
        self,
        turn: str,
        kind: PostKind,
        choice: tuple[Sequence[str], Sequence[str]],
        products: Sequence[TemplateProduct],
        shop: str,
        day: date,
        at: datetime,
    ) -> str | None:
        """The caption for this post, or None when every variant would repeat one.

        Raises ``TemplateError`` when a template is broken."""
        own, builtin = choice
        other = bool(builtin) and list(builtin) != list(own)
        text = self._choose(turn, kind, own, products, shop, day, at, strict=other)
        if text is None and other:
            text = self._choose(
                "builtin:" + turn, kind, builtin, products, shop, day, at, strict=False
            )
        return text

    def _choose(
        self,
        turn: str,
        kind: PostKind,
        templates: Sequence[str],
        products: Sequence[TemplateProduct],
        shop: str,
        day: date,
        at: datetime,
        *,
        strict: bool,
    ) -> str | None:
        if not templates:
            return None
        near = self._around(at)
        same = {text for _, _, text in near}
        value = kind.value  # an enum's .value is a descriptor call: once, not per caption
        alike = [text for _, k, text in near if k == value]
        start = self.turns.get(turn, 0)
        context = TemplateContext(list(products), shop, day)
        best: tuple[int, str] | None = None
        for step in range(len(templates)):
            text = render_template(templates[(start + step) % len(templates)], context)
            if not text or text in same:
                continue
            worst = max((similarity_pct(text, other) for other in alike), default=0)
            if worst < NEAR_DUPLICATE_PCT:
                self.turns[turn] = start + step + 1
                return text
            if best is None or worst < best[0]:
                best = (worst, text)
        self.turns[turn] = start + 1
        # Strict: only a caption that is not a near-duplicate (the built-ins may do better).
        return None if strict or best is None else best[1]
