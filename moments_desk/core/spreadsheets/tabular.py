"""Reading the spreadsheets sellers have: CSV in UTF-8 or GBK, Excel "Unicode text", XLSX."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg, message_of
from moments_desk.core.spreadsheets.bounds import (
    CONTROLS,
    MAX_ROWS,
    TooBig,
    check_csv_rows,
    check_xlsx_size,
    clean_controls,
    controls_removed,
    too_many_rows,
)
from moments_desk.core.spreadsheets.importing import gc_paused

MAX_CELL = 20_000
MAX_BYTES = 100 * 1024 * 1024
_HEADER_NOISE = re.compile(r"[\s\u3000\ufeff]+")


class TableError(Exception):
    """The file cannot be read as a table; ``str()`` names the file and the problem."""


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[list[str]]
    #: the row number a seller sees in Excel for rows[i] (the header is row 1)
    row_numbers: list[int]
    encoding: str | None
    #: Every cell printable, without whitespace at either end (checked once on the file).
    tidy: bool = False
    # Rows (as numbered for the seller) whose control characters were removed.
    cleaned_rows: list[int] = dataclasses.field(default_factory=list)

    @property
    def warnings(self) -> list[Msg]:
        """What the seller should know about the file itself, before its rows."""
        return [controls_removed(self.path.name, self.cleaned_rows)] if self.cleaned_rows else []


def clean_cell(value: str) -> str:
    """Strip the wrappers exports add: Excel's ="123" and a leading apostrophe."""
    value = value.strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    if value.startswith("'"):
        value = value[1:]
    return value.strip()


def normalise_header(header: str) -> str:
    return _HEADER_NOISE.sub("", header).strip().lower()


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise TableError(
            QT_TRANSLATE_NOOP(
                "Tabular", "{name}: this is not a text spreadsheet (binary data)"
            ).format(name=path.name)
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableError(
        QT_TRANSLATE_NOOP(
            "Tabular", "{name}: the text encoding is neither UTF-8 nor GBK; save it as UTF-8"
        ).format(name=path.name)
    )


class _PlainText:
    """A CSV file's text whose cells are exactly its pieces between delimiters and line
    breaks (nothing quoted or escaped): whole-file checks run on it at C speed."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        self.delimiter = delimiter
        # Split on the usual line end only; a stray \r or \n (an old Mac file, a line
        # end mixed in) leaves a line longer, which only makes ``longest_line`` cautious.
        self.lines = text.split("\r\n") if "\r\n" in text else text.split("\n")

    def tidy(self) -> bool:
        """``_tidy`` of the cells, without listing them."""
        cells = "".join(self.lines)
        if "\r" in cells or "\n" in cells:
            # The csv reader ends a row at any \r or \n outside quotes (and a plain file
            # has no quotes), so none is inside a cell: leave them out as it does.
            cells = cells.replace("\r", "").replace("\n", "")
        if self.delimiter == "\t":
            cells = cells.replace("\t", "")
        if not cells.isprintable():
            return False
        text = self.text
        if " " not in text:
            return True
        edges = (" " + self.delimiter, self.delimiter + " ", " \r", " \n", "\r ", "\n ")
        return not (text[:1] == " " or text[-1:] == " " or any(e in text for e in edges))

    def longest_line(self) -> int:
        """No cell is longer than its line."""
        return max(map(len, self.lines))


def _read_csv(path: Path) -> tuple[list[list[str]], str, _PlainText | None]:
    try:
        check_csv_rows(path)
    except TooBig as error:
        raise TableError(message_of(error)) from None
    data = path.read_bytes()
    if not data or data.isspace():  # (strip() would copy a big file)
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: the file is empty").format(name=path.name)
        )
    text, encoding = _decode(path, data)
    del data  # the text alone from here on: a big file is not held twice
    dialect = _sniff(text[:8192])
    plain = (
        _PlainText(text, dialect.delimiter)
        if (dialect.quotechar is None or dialect.quotechar not in text)
        and dialect.escapechar is None
        and not dialect.skipinitialspace
        and dialect.delimiter in ",;\t"
        else None
    )
    try:
        return list(csv.reader(io.StringIO(text), dialect)), encoding, plain
    except csv.Error as error:
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: not a readable CSV file ({error})").format(
                name=path.name, error=error
            )
        ) from error


def _sniff(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: not a readable Excel file ({error})").format(
                name=path.name, error=error
            )
        ) from error
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        filled = 0
        blank: list[str] = []  # shared by every empty row: a sheet formatted down to row
        # 1,048,576 yields a million of them, and only their count matters (row numbers)
        for values in sheet.iter_rows(values_only=True):
            if all(v is None or v == "" for v in values):
                rows.append(blank)
                continue
            filled += 1
            if filled > MAX_ROWS + 1:
                raise TableError(too_many_rows(path.name))
            rows.append([_cell_text(v) for v in values])
        return rows
    except TableError:
        raise
    except Exception as error:  # the sheet's XML is parsed as the rows are read
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: not a readable Excel file ({error})").format(
                name=path.name, error=error
            )
        ) from error
    finally:
        book.close()


def read_table(path: Path) -> Table:
    with gc_paused():
        return _read_table(path)


def _read_table(path: Path) -> Table:
    if not path.exists():
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: the file does not exist").format(name=path.name)
        )
    if path.stat().st_size > MAX_BYTES:
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: the file is larger than {mb} MB").format(
                name=path.name, mb=MAX_BYTES // 1024 // 1024
            )
        )
    suffix = path.suffix.lower()
    encoding: str | None = None
    if suffix == ".xls":
        raise TableError(
            QT_TRANSLATE_NOOP(
                "Tabular", "{name}: old Excel (.xls) files: open it in Excel and save as .xlsx"
            ).format(name=path.name)
        )
    plain: _PlainText | None = None
    if suffix in (".xlsx", ".xlsm"):
        try:
            check_xlsx_size(path)
        except TooBig as error:
            raise TableError(message_of(error)) from None
        raw = _read_xlsx(path)
    else:
        raw, encoding, plain = _read_csv(path)
    # Checked once on the whole file: a tidy one skips the per-cell strip (see _tidy).
    if plain is not None:
        text, tidy = plain.text, plain.tidy()
    else:
        flat = list(chain.from_iterable(raw))
        text = "".join(flat)
        tidy = _tidy(flat, text)
    cleaned: list[int] = []
    if not tidy and CONTROLS.search(text):  # a tidy file is printable: it holds none
        cleaned = [position + 1 for position in clean_controls(raw)]  # Excel's row numbers
        plain, flat = None, list(chain.from_iterable(raw))
        text = "".join(flat)
        tidy = _tidy(flat, text)
    # Row numbers are counted before blank rows are dropped: they must match Excel's.
    numbers: list[int] | range
    if tidy and all(map(any, raw)):  # no blank row: Excel's numbers are the positions
        numbers, kept = range(1, len(raw) + 1), raw
    else:
        numbered = [
            (n, row)
            for n, row in enumerate(raw, start=1)
            if (any(row) if tidy else "".join(row).strip())
        ]
        numbers, kept = [n for n, _ in numbered], [row for _, row in numbered]
    if not kept:
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: the file has no rows").format(name=path.name)
        )
    headers = [_HEADER_NOISE.sub("", h).strip() for h in kept[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise TableError(
            QT_TRANSLATE_NOOP("Tabular", "{name}: the first row has no column names").format(
                name=path.name
            )
        )
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            raise TableError(
                QT_TRANSLATE_NOOP(
                    "Tabular", "{name}: column {index} has no name in the first row"
                ).format(name=path.name, index=index + 1)
            )
        if header in seen:
            raise TableError(
                QT_TRANSLATE_NOOP(
                    "Tabular", "{name}: the column name {header} appears twice"
                ).format(name=path.name, header=header)
            )
        seen[header] = index
    width = len(headers)
    numbers, body = list(numbers[1:]), kept[1:]
    if tidy and body and set(map(len, body)) == {width}:
        rows = body  # the usual file: every row as wide as the header
    elif tidy:
        rows = [row if len(row) == width else _fit(row, width) for row in body]
    else:
        rows = [[c.strip() for c in _fit(row, width)] for row in body]
    if "'" in text or '="' in text:  # Excel wrappers somewhere: clean the rows that have them
        rows = [
            [clean_cell(c) for c in row] if ("'" in (j := "\x00".join(row)) or '="' in j) else row
            for row in rows
        ]
    short_lines = plain is not None and plain.longest_line() <= MAX_CELL
    if rows and not short_lines and max(map(len, chain.from_iterable(rows))) > MAX_CELL:
        number = next(
            n for n, row in zip(numbers, rows, strict=True) if max(map(len, row)) > MAX_CELL
        )
        raise TableError(
            QT_TRANSLATE_NOOP(
                "Tabular", "{name}: row {number} has a cell over {MAX_CELL} characters"
            ).format(name=path.name, number=number, MAX_CELL=MAX_CELL)
        )
    return Table(path, headers, rows, numbers, encoding, tidy, cleaned)


def _fit(row: list[str], width: int) -> list[str]:
    """The row cut or padded to the header's width."""
    cells = row[:width]
    return cells + [""] * (width - len(cells))


def _tidy(cells: list[str], text: str) -> bool:
    """Whether no cell has whitespace at either end, tested at C speed on the whole file.

    Every whitespace character but the ASCII space is unprintable (tab, line breaks,
    U+3000, no-break space), so in a printable file only ASCII spaces next to a cell's
    edge need looking for.
    """
    if not text.isprintable():  # the cells joined
        return False
    if " " not in text:
        return True
    joined = "\x00".join(cells)
    return not (joined[:1] == " " or joined[-1:] == " " or " \x00" in joined or "\x00 " in joined)


def guess_mapping(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field → column index, matching header names to known aliases (Chinese or English)."""
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, names in aliases.items():
        for name in names:
            key = normalise_header(name)
            if key in normalised and normalised.index(key) not in mapping.values():
                mapping[field] = normalised.index(key)
                break
    return mapping


def mapping_signature(headers: list[str]) -> str:
    """A stable key for a file layout, so a chosen column mapping can be remembered."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
