"""What every spreadsheet import shares: row errors, cancelling, progress and bulk inserts."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building hundreds of thousands of small objects.

    Rows, cells and plans hold no reference cycles, but the collector still walks the
    growing heap again and again: at 50,000 rows that doubled the time of an import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ImportCancelled(Exception):
    """Cancelled by the seller; nothing was written."""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f": {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class Ticker:
    """Reports progress and raises ImportCancelled when the seller cancels."""

    def __init__(
        self,
        total: int,
        progress: Callable[[int, int], None] | None,
        should_cancel: Callable[[], bool] | None,
    ) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._progress = progress
        self._should_cancel = should_cancel

    def __call__(self, step: int = 1) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise ImportCancelled
        self.done = min(self.done + step, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)


def bulk_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    chunk: int = 5000,
    tick: Callable[[int], None] | None = None,
) -> None:
    """INSERT many rows as plain tuples through the driver's executemany.

    A Core ``insert(table)`` with a list of dicts converts every dict and runs every bind
    processor per value (2× raw executemany at 50k rows). Here the statement is compiled
    once and each typed column's processor runs once per *distinct* value (timestamps are
    the same for a whole import, enums take a handful of values).
    """
    dialect = conn.dialect
    compiled = table.insert().compile(
        dialect=dialect, column_keys=list(columns), for_executemany=True
    )
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type._cached_bind_processor(dialect) for name in columns
    ]
    typed: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (i, p, {}) for i, p in enumerate(processors) if p is not None
    ]
    names = list(compiled.positiontup or []) if compiled.positional else list(columns)

    def convert(row: Sequence[Any]) -> Any:
        if typed:
            values = list(row)
            for index, processor, memo in typed:
                value = values[index]
                try:
                    values[index] = memo[value]
                except KeyError:
                    memo[value] = values[index] = processor(value)
                except TypeError:  # unhashable values are processed every time
                    values[index] = processor(value)
            row = values
        if compiled.positional:
            if names != list(columns):
                by_name = dict(zip(columns, row, strict=True))
                return tuple(by_name[n] for n in names)
            return tuple(row)
        return dict(zip(columns, row, strict=True))

    batch: list[Any] = []
    for row in rows:
        batch.append(convert(row))
        if len(batch) >= chunk:
            conn.exec_driver_sql(compiled.string, batch)
            if tick is not None:
                tick(len(batch))
            batch = []
    if batch:
        conn.exec_driver_sql(compiled.string, batch)
        if tick is not None:
            tick(len(batch))
