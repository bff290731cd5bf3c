"""Another laptop's writes, read from the change log the database keeps (``db.change_log``).

``start`` takes a watermark; ``since`` returns what other processes committed after it as
the same ``ChangeSet`` a local write produces, and the next watermark. Nothing the app
writes locally moves the watermark, so a reconcile between two polls swallows nothing, and
no timestamp is compared, so a row dated in the future hides nothing.

PostgreSQL: transaction ids are handed out at a transaction's first write but commits land
in any order, so "ids above the last one seen" would skip a slow transaction. The watermark
is instead the oldest transaction still running at the previous look (``xmin``): every row
from a transaction that committed since then has ``tx >= xmin``; rows already reported are
remembered (``seen``) until the watermark passes them.

SQLite (one writer at a time, the command line on the same file) keeps the older per-kind
aggregates of ``changes.fingerprint``: there is no server to keep a log with triggers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from moments_desk.core.shared.changes import (
    ChangeSet,
    Fingerprint,
    Kind,
    fingerprint,
    kinds_changed,
)
from moments_desk.db.models import ChangeLogEntry

#: The change-log kind a restore writes: every laptop reloads everything and says why.
RESTORED = "restore"
#: Rows older than this are pruned; a laptop asleep longer re-reads everything on wake.
KEEP = timedelta(days=2)

_KINDS = {kind.value: kind for kind in Kind}


@dataclass(frozen=True)
class Watermark:
    #: PostgreSQL: the oldest transaction running at the last look
    xmin: int = 0
    #: (id, tx) of rows already reported whose transaction is not below ``xmin``
    seen: frozenset[tuple[int, int]] = frozenset()
    #: SQLite: the per-kind aggregates
    marker: Fingerprint | None = None


@dataclass(frozen=True)
class News:
    changes: ChangeSet
    #: somebody restored a backup over the shared shop
    restored: bool = False


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _xmin(session: Session) -> int:
    return int(
        session.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) or 0
    )


def _rows_from(session: Session, xmin: int) -> list[tuple[int, int, str]]:
    query = select(ChangeLogEntry.id, ChangeLogEntry.tx, ChangeLogEntry.kind).where(
        ChangeLogEntry.tx >= xmin,
        ChangeLogEntry.origin != func.current_setting("application_name"),
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def start(session: Session) -> Watermark:
    """Where this process starts listening: everything before now is already on screen."""
    if not _is_postgres(session):
        return Watermark(marker=fingerprint(session))
    xmin = _xmin(session)
    return Watermark(xmin, frozenset((i, tx) for i, tx, _k in _rows_from(session, xmin)))


def since(session: Session, mark: Watermark) -> tuple[News, Watermark]:
    """What others committed after ``mark``, and the watermark to ask from next time."""
    if not _is_postgres(session):
        after = fingerprint(session)
        before = mark.marker if mark.marker is not None else after
        return News(kinds_changed(before, after)), Watermark(marker=after)
    # The snapshot's xmin first: any transaction the read below cannot see yet is at least
    # this new, so the next look still finds it.
    xmin = _xmin(session)
    rows = _rows_from(session, mark.xmin)
    fresh = [(i, tx, kind) for i, tx, kind in rows if (i, tx) not in mark.seen]
    kinds = frozenset(_KINDS[kind] for _i, _tx, kind in fresh if kind in _KINDS)
    restored = any(kind == RESTORED for _i, _tx, kind in fresh)
    changes = ChangeSet.everything() if restored else ChangeSet(kinds)
    seen = frozenset((i, tx) for i, tx, _kind in rows if tx >= xmin)
    return News(changes, restored), Watermark(xmin, seen)


def prune(session: Session) -> int:
    """Forget change-log rows older than ``KEEP`` (by the server's clock)."""
    if not _is_postgres(session):
        return 0
    cutoff = func.now() - text(f"interval '{int(KEEP.total_seconds())} seconds'")
    result = session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
