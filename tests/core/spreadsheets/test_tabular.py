from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from moments_desk.core.spreadsheets import tabular
from moments_desk.core.spreadsheets.tabular import Table, TableError, read_table

_CELLS = st.lists(
    st.sampled_from(["张三", "a", " ", "\u3000", "\u200b", "'138", "=1", "\t", "", "长" * 20_001]),
    max_size=3,
).map("".join)
_ROWS = st.lists(st.lists(_CELLS, min_size=1, max_size=4), min_size=1, max_size=6)


def _read(path: Path) -> Table | str:
    try:
        return read_table(path)
    except TableError as error:
        return str(error)


def _careful(path: Path) -> Table | str:
    """The same file read with the whole-file shortcuts off."""
    read_csv = tabular._read_csv

    def without_plain_text(p: Path) -> tuple[list[list[str]], str, None]:
        rows, encoding, _ = read_csv(p)
        return rows, encoding, None

    with mock.patch.object(tabular, "_read_csv", without_plain_text):
        return _read(path)


@settings(max_examples=150, deadline=None)
@given(_ROWS, st.sampled_from([",", ";", "\t"]), st.sampled_from(["\r\n", "\n", "\r"]))
@example(rows=[[""]], delimiter=",", line_end="\r")  # an old Mac file: tidy either way
def test_a_plain_file_reads_as_the_careful_path_reads_it(
    rows: list[list[str]], delimiter: str, line_end: str
) -> None:
    """Files without quotes are checked on their whole text (tidy, longest cell): the
    table must be exactly what checking cell by cell gives."""
    text = line_end.join(delimiter.join(row) for row in [["微信号", "昵称"], *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "friends.csv"
        path.write_bytes(text.encode("gb18030"))
        assert _read(path) == _careful(path)


def test_a_tidy_file_is_read_as_tidy_and_an_untidy_one_is_cleaned(tmp_path: Path) -> None:
    tidy = tmp_path / "tidy.csv"
    tidy.write_bytes("微信号,昵称\r\nw1,张三\r\n".encode("gb18030"))
    assert read_table(tidy).tidy
    untidy = tmp_path / "untidy.csv"
    untidy.write_bytes("微信号,昵称\r\nw1, 张三\u200b\r\n".encode("gb18030"))
    table = read_table(untidy)
    assert not table.tidy and table.rows == [["w1", "张三\u200b"]]
