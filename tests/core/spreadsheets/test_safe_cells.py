"""The one gate of every export: text never becomes a formula, numbers stay numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moments_desk.core.orders.packing import PackingLine, PackingSlip, write_packing_csv
from moments_desk.core.reports.export import write_csv, write_xlsx
from moments_desk.core.reports.table import Column, ReportTable
from moments_desk.core.spreadsheets.safe_cells import safe_text, safe_value, xlsx_value
from tests.core.spreadsheets.checks import (
    DANGEROUS,
    HOSTILE,
    assert_csv_safe,
    assert_xlsx_safe,
    csv_cells,
    is_number,
)

PROPERTY = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Arbitrary text, with a dangerous first character (or a control before one) most of the time.
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.builds(
    lambda lead, rest: lead + rest,
    st.sampled_from([*DANGEROUS, "\x00=", "\x1b+", " -", "\n@", "'="]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["张三", "'=already quoted", "a=b", "QZ-01", "", " x", "点我=HYPERLINK"]
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_text(text) == text


@pytest.mark.parametrize("text", ["-5", "+5", "-12.50", "-3.0%", "-1e3", "-.5"])
def test_numeric_text_stays_a_number(text: str) -> None:
    assert safe_text(text) == text


def test_controls_in_front_do_not_hide_a_formula() -> None:
    assert safe_text("\x00=1+1") == "'\x00=1+1"
    assert safe_text("\n-cmd") == "'\n-cmd"
    # XLSX cannot hold the NUL: it goes, and the formula start it hid is quoted.
    assert xlsx_value("\x00=1+1") == "'=1+1"


def test_numbers_stay_numbers() -> None:
    assert safe_value(-5) == -5
    assert safe_value(Decimal("-12.50")) == Decimal("-12.50")
    assert xlsx_value(Decimal("-12.50")) == -12.5
    assert safe_value(None) == ""
    assert safe_value(True) == "True"


@PROPERTY
@given(text=texts)
def test_no_text_comes_out_as_a_formula(text: str) -> None:
    for out in (safe_text(text), xlsx_value(text)):
        assert isinstance(out, str)
        assert not out.startswith(DANGEROUS) or is_number(out)
    # CSV loses nothing: at most a quote is added in front.
    assert safe_text(text) in (text, "'" + text)


def _report(texts_: list[str], amount: Decimal) -> ReportTable:
    return ReportTable(
        name="customers",
        title="Customers",
        columns=(Column("name", "Name", "text"), Column("spent", "Spent", "money")),
        rows=tuple((t, -amount) for t in texts_),
    )


@PROPERTY
@given(names=st.lists(texts, min_size=1, max_size=5), amount=st.decimals(0, 10_000, places=2))
def test_report_exports_hold_no_formula(
    names: list[str], amount: Decimal, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("report")
    table = _report(names, amount)
    write_csv(table, folder / "r.csv")
    rows = assert_csv_safe(folder / "r.csv")
    assert [row[1] for row in rows[1:]] == [f"{-amount:.2f}"] * len(names)
    write_xlsx([(table, None, "客户")], folder / "r.xlsx")
    values = assert_xlsx_safe(folder / "r.xlsx")
    assert [row[1] for row in values[1:]] == [float(-amount)] * len(names)


@PROPERTY
@given(cells=st.lists(texts, min_size=7, max_size=7))
def test_packing_list_csv_holds_no_formula(
    cells: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("packing") / "p.csv"
    customer, recipient, phone, address, product, variant, notes = cells
    slip = PackingSlip(
        7,
        customer,
        recipient,
        phone,
        address,
        (PackingLine(product, variant, 2),),
        Decimal(9),
        notes,
    )
    write_packing_csv([slip], path)
    rows = assert_csv_safe(path)
    assert rows[1][0] == "7" and rows[1][7] == "2"


def test_report_csv_keeps_negative_money_numeric(tmp_path: Path) -> None:
    write_csv(_report(list(HOSTILE), Decimal("5")), tmp_path / "r.csv")
    rows = csv_cells(tmp_path / "r.csv")
    assert [row[0] for row in rows[1:]] == ["'" + t for t in HOSTILE]
    assert {row[1] for row in rows[1:]} == {"-5.00"}


def test_every_spreadsheet_writer_goes_through_the_gate() -> None:
    """A new CSV or XLSX export cannot bypass safe_cells without this test noticing."""
    package = Path(__file__).resolve().parents[3] / "moments_desk"
    gate = package / "core" / "spreadsheets" / "safe_cells.py"
    bypasses = []
    for path in package.rglob("*.py"):
        if path == gate:
            continue
        text = path.read_text(encoding="utf-8")
        if "csv.writer(" in text or "csv.DictWriter(" in text or ".to_csv(" in text:
            bypasses.append(f"{path.name}: raw CSV writer")
        if "Workbook(" in text and "xlsx_row" not in text:
            bypasses.append(f"{path.name}: XLSX written without xlsx_row")
    assert bypasses == []
