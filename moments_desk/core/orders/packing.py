"""Packing lists for parcels: CSV for a spreadsheet or a courier's import, HTML for paper."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.shared.batches import rows_in, scalars_in
from moments_desk.core.shared.money import format_price
from moments_desk.core.spreadsheets.safe_cells import SafeCsvWriter
from moments_desk.db.models import Customer, Order, OrderItem


@dataclass(frozen=True)
class PackingLine:
    product: str
    variant: str
    quantity: int


@dataclass(frozen=True)
class PackingSlip:
    order_id: int
    customer: str
    recipient: str
    phone: str
    address: str
    lines: tuple[PackingLine, ...]
    total: Decimal
    notes: str


def packing_slips(session: Session, ids: Sequence[int]) -> list[PackingSlip]:
    query = select(Order, Customer.remark, Customer.nickname).outerjoin(
        Customer, Customer.id == Order.customer_id
    )
    orders = sorted(
        rows_in(session, lambda chunk: query.where(Order.id.in_(chunk)), ids),
        key=lambda row: row[0].id,
    )
    lines: dict[int, list[PackingLine]] = {}
    for item in scalars_in(
        session,
        lambda chunk: select(OrderItem).where(OrderItem.order_id.in_(chunk)).order_by(OrderItem.id),
        ids,
    ):
        lines.setdefault(item.order_id, []).append(
            PackingLine(item.product_name, item.variant, item.quantity)
        )
    return [
        PackingSlip(
            order.id,
            remark or nickname or "",
            order.recipient or remark or nickname or "",
            order.phone,
            order.address,
            tuple(lines.get(order.id, [])),
            order.total,
            order.notes,
        )
        for order, remark, nickname in orders
    ]


CSV_HEADERS = ("订单号", "客户", "收件人", "电话", "地址", "商品", "规格", "数量", "金额", "备注")


def write_packing_csv(slips: Sequence[PackingSlip], path: Path) -> None:
    """One row per item; UTF-8 with BOM so Excel on Chinese Windows opens it correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(CSV_HEADERS)
        for slip in slips:
            for number, line in enumerate(slip.lines or (PackingLine("", "", 0),)):
                writer.writerow(
                    (
                        slip.order_id,
                        slip.customer,
                        slip.recipient,
                        slip.phone,
                        slip.address,
                        line.product,
                        line.variant,
                        line.quantity,
                        str(slip.total) if number == 0 else "",
                        slip.notes if number == 0 else "",
                    )
                )


def packing_html(slips: Sequence[PackingSlip], title: str, labels: dict[str, str]) -> str:
    """A printable page: one block per parcel, checkboxes to tick while packing."""
    esc = html.escape
    parts = [
        "<html><head><meta charset='utf-8'><style>"
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;font-size:10pt}"
        "h1{font-size:14pt} .slip{border:1px solid #999;padding:6px;margin:0 0 8px 0}"
        "table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;"
        "padding:2px 4px;text-align:left}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for slip in slips:
        parts.append("<div class='slip'>")
        parts.append(
            f"<p><b>#{slip.order_id}</b> · {esc(slip.customer)} · {esc(format_price(slip.total))}"
            f"<br/>{esc(labels['recipient'])}: {esc(slip.recipient)} {esc(slip.phone)}"
            f"<br/>{esc(labels['address'])}: {esc(slip.address)}</p>"
        )
        parts.append(
            f"<table><tr><th>☐</th><th>{esc(labels['product'])}</th>"
            f"<th>{esc(labels['variant'])}</th><th>{esc(labels['quantity'])}</th></tr>"
        )
        for line in slip.lines:
            parts.append(
                f"<tr><td>☐</td><td>{esc(line.product)}</td><td>{esc(line.variant)}</td>"
                f"<td>{line.quantity}</td></tr>"
            )
        parts.append("</table>")
        if slip.notes:
            parts.append(f"<p>{esc(labels['notes'])}: {esc(slip.notes)}</p>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)
