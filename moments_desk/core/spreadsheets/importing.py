"""What every spreadsheet import shares: row errors, cancelling, progress and bulk inserts."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, literal_column


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building hundreds of thousands of small objects.

    Rows, cells and plans hold no reference cycles, but the collector still walks the
    growing heap again and again: at 50,000 rows that doubled the time of an import.

    On the way out, what was built is moved to the oldest generation in one step.
    Otherwise it would all still be young, and the first collection after the pause
    would walk every row: 10 to 160 ms after each phase of a 50,000-row import.
    The oldest generation is still collected in full now and then, so a cycle made
    meanwhile is freed later, not leaked.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # everything tracked → the permanent generation; young count reset
            gc.unfreeze()  # … → the oldest generation
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
    """INSERT rows (tuples in the order of ``columns``); see ``bulk_insert_columns``."""
    rows = list(rows)
    if rows:
        values = dict(zip(columns, zip(*rows, strict=True), strict=True))
        bulk_insert_columns(conn, table, values, chunk, tick)


def bulk_insert_columns(
    conn: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    chunk: int = 5000,
    tick: Callable[[int], None] | None = None,
) -> None:
    """INSERT rows given as columns (name → one value per row) through the driver's
    executemany.

    A Core ``insert(table)`` with a list of dicts converts every dict and runs every bind
    processor per value (2× raw executemany at 50k rows). Here the statement is compiled
    once, each typed column's processor runs once per *distinct* value (timestamps are
    the same for a whole import, enums take a handful of values), a column with the same
    value on every row is written into the statement instead of bound on each row (a
    file leaves most fields empty: 16% of a 50,000-row insert), and the rows are zipped
    together from the columns that vary.
    """
    count = len(next(iter(columns.values()), ()))
    if not count:
        return
    dialect = conn.dialect
    varying: dict[str, Sequence[Any]] = {}
    constants: dict[str, str] = {}
    for name, values in columns.items():
        if len(values) != count:
            raise ValueError(f"column {name} has {len(values)} values, not {count}")
        processor = table.c[name].type._cached_bind_processor(dialect)
        if _same_throughout(values):
            first = values[0] if processor is None else processor(values[0])
            literal = _sql_literal(first)
            if literal is not None and (varying or len(constants) < len(columns) - 1):
                constants[name] = literal
                continue
            values = values if processor is None else [first] * count
        elif processor is not None:
            try:
                memo = {value: processor(value) for value in set(values)}
            except TypeError:  # unhashable values are processed one by one
                values = list(map(processor, values))
            else:
                values = list(map(memo.__getitem__, values))
        varying[name] = values  # at least one column is bound: one row per parameter set
    statement = table.insert().values({n: literal_column(v) for n, v in constants.items()})
    compiled = statement.compile(dialect=dialect, column_keys=list(varying), for_executemany=True)
    if compiled.positional:
        order = list(compiled.positiontup or varying)
        rows: Iterator[Any] = zip(*(varying[n] for n in order), strict=True)
    else:
        names = list(varying)
        rows = (dict(zip(names, row, strict=True)) for row in zip(*varying.values(), strict=True))
    while batch := list(islice(rows, chunk)):
        conn.exec_driver_sql(compiled.string, batch)
        if tick is not None:
            tick(len(batch))


def _same_throughout(values: Sequence[Any]) -> bool:
    """Whether every value equals the first; most columns that vary differ early or late."""
    first = values[0]
    return (
        values[-1] == first
        and values[len(values) // 2] == first
        and values.count(first) == len(values)
    )


def _sql_literal(value: Any) -> str | None:
    """``value`` (as the driver would receive it) written as SQL, or None to bind it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and not any(c in value for c in "\x00%\\"):
        # "%" would read as a placeholder to drivers with the "format" parameter style, and
        # a backslash as an escape to a server without standard_conforming_strings.
        return "'" + value.replace("'", "''") + "'"
    return None  # dates, decimals, bytes: the driver knows how to send them
