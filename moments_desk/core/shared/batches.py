"""Statements whose parameters come from a list as long as the data, run in batches.

SQLite refuses a statement that binds more host parameters than its limit: 999 before
3.32 and 32,766 since, which is what the python.org builds for Windows and macOS ship
(Debian raises it to 250,000, so the problem hides on Linux). ``column.in_(values)``
binds one parameter per value, so an ``IN (…)`` over a file's 40,000 product codes or a
selection of 50,000 customers runs a batch of values at a time instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol, TypeVar

from sqlalchemy import CursorResult, Executable, Result

T = TypeVar("T")

#: Values bound in one ``IN (…)``: under the oldest limit (999) with room to spare for
#: the statement's other parameters, and for two such lists in one statement.
IN_BATCH = 400


class _Executes(Protocol):
    """A Connection or a Session."""

    def execute(self, statement: Executable, /) -> Result[Any]: ...


def batched(values: Iterable[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """``values`` in order, ``size`` at a time (``itertools.batched`` from Python 3.12)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(values)
    while batch := list(islice(items, size)):
        yield batch


def rows_in(
    executor: _Executes,
    statement: Callable[[list[T]], Executable],
    values: Iterable[T],
    size: int = IN_BATCH,
) -> Iterator[Any]:
    """The rows of ``statement(batch)`` for each batch of ``values``.

    Rows come batch by batch: a caller that needs one order over all of them sorts them.
    """
    for batch in batched(values, size):
        yield from executor.execute(statement(batch))


def scalars_in(
    executor: _Executes,
    statement: Callable[[list[T]], Executable],
    values: Iterable[T],
    size: int = IN_BATCH,
) -> Iterator[Any]:
    """The first column of ``statement(batch)``'s rows, for each batch of ``values``."""
    for batch in batched(values, size):
        yield from executor.execute(statement(batch)).scalars()


def execute_in(
    executor: _Executes,
    statement: Callable[[list[T]], Executable],
    values: Iterable[T],
    size: int = IN_BATCH,
) -> int:
    """Run an UPDATE or DELETE ``statement(batch)`` for each batch; the rows it matched."""
    total = 0
    for batch in batched(values, size):
        result = executor.execute(statement(batch))
        if isinstance(result, CursorResult) and result.rowcount > 0:
            total += result.rowcount
    return total
