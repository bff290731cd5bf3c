"""What a spreadsheet from outside may hold: how many rows, which characters.

A file to import is hostile until read: a million-row file would take gigabytes once its
cells are Python strings, so its rows are counted first, in bounded memory, and a file
over ``MAX_ROWS`` is refused before it is read whole. Control characters (NUL, ESC, the
rest of C0 and C1, DEL) have no business in a nickname, an address or a product name
and would be stored and exported as they are: every cell loses them, wherever they are in
the file, and the seller is told which rows were cleaned. Tab and line breaks stay: a
note or an address may hold them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg

# Rows a file may hold besides its header: a personal WeChat account has at most 10,000
# friends and a small shop's catalogue or order export is far below this. At this size
# an import stays under 300 MB of memory.
MAX_ROWS = 100_000
# Uncompressed size of the parts of an .xlsx (the XML openpyxl parses).
MAX_XLSX_XML = 512 * 1024 * 1024
_CHUNK = 1024 * 1024
# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TooBig(Exception):
    """The file holds more than the import takes; ``str()`` says so for the seller."""


def too_many_rows(name: str) -> Msg:
    return QT_TRANSLATE_NOOP(
        "Tabular",
        "{name}: the file has more than {limit} rows; split it into files of at most "
        "{limit} rows and import them one after the other",
    ).format(name=name, limit=f"{MAX_ROWS:,}")


def check_csv_rows(path: Path) -> None:
    """Raise TooBig when the CSV file at ``path`` holds more than ``MAX_ROWS`` rows after
    its header, reading it a megabyte at a time.

    Counting line ends is enough for nearly every file; only when there are more line
    ends than rows allowed (quoted cells may hold line breaks, blank lines do not count)
    are the rows themselves counted, still without keeping them.
    """
    newlines = returns = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
    if max(newlines, returns) <= MAX_ROWS:  # lines (the last maybe unended) ≤ header + rows
        return
    with path.open("rb") as raw:
        head = raw.read(8192)
        raw.seek(0)
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        # Only the delimiter matters here: a character cut at the end is replaced.
        delimiter = _delimiter(head.decode("utf-16" if utf16 else "utf-8", errors="replace"))
        # Latin-1 keeps every byte: in UTF-8 and GB18030 no byte of a multi-byte character
        # is a quote, a delimiter or a line end, so the rows are split where the real
        # decoding would split them.
        text = io.TextIOWrapper(raw, encoding="utf-16" if utf16 else "latin-1", newline="")
        try:
            filled = filter(_filled, csv.reader(text, delimiter=delimiter))
            # Stops at the first row over the limit: a million-row file is not read through.
            over = next(islice(filled, MAX_ROWS + 1, None), None) is not None
        except (csv.Error, UnicodeDecodeError):
            return  # the full read names the problem
        finally:
            text.detach()
    if over:
        raise TooBig(too_many_rows(path.name))


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") > sample.count(",") else ","


def _filled(row: list[str]) -> bool:
    return bool("".join(row).strip())


def check_xlsx_size(path: Path) -> None:
    """Raise TooBig when the workbook's parts expand past ``MAX_XLSX_XML`` (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl names the problem
    if expanded > MAX_XLSX_XML:
        raise TooBig(
            QT_TRANSLATE_NOOP(
                "Tabular", "{name}: the workbook unpacks to over {mb} MB; it is too big to import"
            ).format(name=path.name, mb=MAX_XLSX_XML // 1024 // 1024)
        )


def clean_controls(rows: list[list[str]]) -> list[int]:
    """Remove control characters from every cell, in place; the positions of the rows
    that held any."""
    cleaned = []
    for position, row in enumerate(rows):
        if CONTROLS.search("".join(row)):
            row[:] = [CONTROLS.sub("", cell) for cell in row]
            cleaned.append(position)
    return cleaned


def controls_removed(name: str, rows: Sequence[int]) -> Msg:
    """The warning for the rows (as numbered for the seller) whose control characters
    were removed: the first one and how many (a list of numbers reads badly in Chinese)."""
    if len(rows) > 1:
        return QT_TRANSLATE_NOOP(
            "Tabular",
            "{name}: {count} rows held control characters (such as NUL or ESC), the first "
            "in row {first}; they were removed",
        ).format(name=name, count=f"{len(rows):,}", first=rows[0])
    return QT_TRANSLATE_NOOP(
        "Tabular",
        "{name}: row {first} held control characters (such as NUL or ESC); they were removed",
    ).format(name=name, first=rows[0])
