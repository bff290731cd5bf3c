"""Saving a form another laptop may have saved meanwhile: write only what this person changed.

A form hands in the record as it was when it opened (``base``) and as the person left it
(``mine``); the database holds what is there now (``theirs``). Only the fields the person
changed are written over ``theirs``, so a remark saved here keeps the notes another laptop
wrote a minute ago. When the same field was changed on both sides to different values the
save is refused with both values (``EditConflict``), and the form keeps the person's text:
saving again with ``theirs`` as the new base keeps hers.

The rows' ``version`` columns (SQLAlchemy ``version_id_col``) close the last gap: a row
written by someone else between this transaction's read and its write fails the UPDATE
(``StaleDataError``) instead of being overwritten, and ``stale_row`` says so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from moments_desk.core.shared.batches import execute_in
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg
from moments_desk.db.models import Customer, Order, Post, Product

D = TypeVar("D")
SHOWN_CHARS = 40


@dataclass(frozen=True)
class EditConflict(Generic[D]):
    """Fields changed both here and elsewhere since the form opened, and both versions."""

    fields: tuple[str, ...]
    mine: D
    theirs: D

    def rebased(self, base: D | None) -> D:
        """What to save against next: the other side's values where both changed (so saving
        again keeps the person's), the form's first reading elsewhere — not all of
        ``theirs``, which would make every field the other laptop changed and the form
        still shows the old value of look like the person's change back."""
        if base is None:
            return self.theirs
        return replace(base, **{f: getattr(self.theirs, f) for f in self.fields})  # type: ignore[type-var]

    def message(self, labels: Mapping[str, Msg]) -> Msg:
        """One sentence naming the first field with both values (and how many more)."""
        name = self.fields[0]
        more = (
            QT_TRANSLATE_NOOP("Editing", " (and {count} more fields)").format(
                count=len(self.fields) - 1
            )
            if len(self.fields) > 1
            else ""
        )
        return QT_TRANSLATE_NOOP(
            "Editing",
            "{field} was changed on another computer while you were editing: saved there "
            "“{theirs}”, yours “{mine}”{more}. Your changes are still in the form: save "
            "again to keep yours, or reopen it to take theirs.",
        ).format(
            field=labels.get(name, name),
            theirs=shown(getattr(self.theirs, name)),
            mine=shown(getattr(self.mine, name)),
            more=more,
        )


def shown(value: Any) -> str:
    """A field's value as the conflict sentence shows it: short, lists joined."""
    if value is None:
        text = "—"
    elif isinstance(value, list | tuple):
        text = "、".join(shown(v) for v in value) or "—"
    elif isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date | Decimal):
        text = str(value)
    else:
        text = str(getattr(value, "value", value)).replace("\n", " ")
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def changed_fields(base: Any, mine: Any, skip: Collection[str] = ()) -> set[str]:
    return {
        f.name
        for f in fields(base)
        if f.name not in skip and getattr(base, f.name) != getattr(mine, f.name)
    }


def merge_edit(base: D, mine: D, theirs: D, skip: Collection[str] = ()) -> D:
    """``theirs`` with the fields this person changed (``mine`` against ``base``) applied.

    Raises ``EditConflictError`` when a field changed here was also changed elsewhere to a
    different value. Fields in ``skip`` always stay as ``theirs`` has them.
    """
    by_me = changed_fields(base, mine, skip)
    by_them = changed_fields(base, theirs, skip)
    clash = sorted(f for f in by_me & by_them if getattr(mine, f) != getattr(theirs, f))
    if clash:
        raise EditConflictError(EditConflict(tuple(clash), mine, theirs))
    return replace(theirs, **{name: getattr(mine, name) for name in by_me})  # type: ignore[type-var]


class EditConflictError(ValueError):
    """Raised by ``merge_edit``; each area turns it into its own error with its labels."""

    def __init__(self, conflict: EditConflict[Any]) -> None:
        super().__init__(f"edit conflict on {', '.join(conflict.fields)}")
        self.conflict = conflict


def stale_row() -> Msg:
    return QT_TRANSLATE_NOOP(
        "Editing",
        "Another computer saved this at the same moment. Your changes are still in the "
        "form: save again.",
    )


def bump_versions(
    session: Session, model: type[Customer | Order | Post | Product], ids: Collection[int]
) -> int:
    """Count a bulk change (tags added or removed: rows elsewhere) as a change of each row, so
    a save racing it is refused (``stale_row``) instead of writing over it unseen."""
    return execute_in(
        session,
        lambda chunk: update(model).where(model.id.in_(chunk)).values(version=model.version + 1),
        sorted(set(ids)),
    )
