"""Importing a Taobao order export (订单报表): buyers become customers, with their orders.

Taobao has renamed columns over the years, so columns are matched by aliases. Re-importing
the same file adds nothing: orders are keyed by their Taobao order number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Engine, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.variant_rows import parse_sale_props
from moments_desk.core.customers.addresses import parse_address
from moments_desk.core.customers.customer_import import (
    CUSTOMER_COLUMNS,
    add_addresses,
    chunks,
    customer_tuple,
    new_customer_ids,
)
from moments_desk.core.customers.customers import CustomerError, clean_phone
from moments_desk.core.orders.taobao_buyers import customer_lookup, search_texts_again
from moments_desk.core.orders.taobao_rows import (
    BOUGHT,
    REQUIRED,
    TAOBAO_FIELDS,
    PlannedBuyer,
    PlannedOrder,
    TaobaoImportPlan,
    TaobaoImportResult,
    money,
    taobao_status,
    taobao_time,
)
from moments_desk.core.orders.taobao_variants import count_variant, variants_for_lines
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.money import PriceError
from moments_desk.core.shared.text import clean_text
from moments_desk.core.spreadsheets.importing import RowError, Ticker, bulk_insert, gc_paused
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.db.models import (
    Customer,
    CustomerSource,
    CustomerStage,
    Order,
    OrderItem,
    OrderSource,
    Product,
    WeChatAccount,
)

__all__ = [
    "REQUIRED",
    "TAOBAO_FIELDS",
    "TaobaoImportPlan",
    "TaobaoImportResult",
    "apply_taobao_import",
    "plan_taobao_import",
    "taobao_status",
]


def plan_taobao_import(
    table: Table, mapping: dict[str, int], session: Session, account_id: int
) -> TaobaoImportPlan:
    """Check every order row without writing.

    Buyers match existing customers by phone, else by name (收货人姓名 against a remark
    or nickname) when exactly one customer has it; otherwise they become new customers
    of ``account_id``. Orders already imported (same order number) are left alone.
    """
    with gc_paused():
        plan = _plan_taobao_import(table, mapping, session, account_id)
    plan.warnings[:0] = table.warnings
    return plan


def _plan_taobao_import(
    table: Table, mapping: dict[str, int], session: Session, account_id: int
) -> TaobaoImportPlan:
    if session.get(WeChatAccount, account_id) is None:
        return TaobaoImportPlan(
            account_id,
            [],
            [],
            [RowError(1, None, QT_TRANSLATE_NOOP("TaobaoImport", "no such WeChat account"))],
        )
    missing = [f for f in REQUIRED if f not in mapping]
    if "recipient" not in mapping and "buyer" not in mapping:
        missing.append("recipient")
    if missing:
        names = ", ".join(TAOBAO_FIELDS[f][0] for f in missing)
        return TaobaoImportPlan(
            account_id,
            [],
            [],
            [
                RowError(
                    1,
                    None,
                    QT_TRANSLATE_NOOP("TaobaoImport", "the file has no column {names}").format(
                        names=names
                    ),
                )
            ],
        )
    by_phone, by_name = customer_lookup(session)
    errors: list[RowError] = []
    warnings: list[str] = []
    orders: list[PlannedOrder] = []
    buyers: dict[str, PlannedBuyer] = {}
    buyer_index: dict[str, int] = {}
    seen: dict[str, int] = {}
    sizes_seen: dict[str, set[tuple[str, str, str]]] = {}
    numbers: list[str] = []
    masked = 0

    for number, cells in zip(table.row_numbers, table.rows, strict=True):

        def get(name: str, cells: list[str] = cells) -> str:
            index = mapping.get(name)
            return cells[index].strip() if index is not None else ""

        found: list[RowError] = []
        order_no = re.sub(r"\s+", "", get("order_no"))
        if not order_no:
            found.append(
                RowError(
                    number,
                    "order_no",
                    QT_TRANSLATE_NOOP("TaobaoImport", "the order number is empty"),
                )
            )
        elif not re.fullmatch(r"[0-9A-Za-z\-]{1,40}", order_no):
            found.append(
                RowError(
                    number,
                    "order_no",
                    QT_TRANSLATE_NOOP("TaobaoImport", "{order_no} is not an order number").format(
                        order_no=order_no
                    ),
                )
            )
        elif order_no in seen:
            warnings.append(
                QT_TRANSLATE_NOOP(
                    "TaobaoImport", "row {row}: order {order_no} is also in row {first}"
                ).format(row=number, order_no=order_no, first=seen[order_no])
            )
            continue
        status = taobao_status(get("status"))
        if status is None:
            found.append(
                RowError(
                    number,
                    "status",
                    QT_TRANSLATE_NOOP("TaobaoImport", "{value} is not a Taobao status").format(
                        value=get("status")
                    ),
                )
            )
        paid = shipping = None
        try:
            paid = money(get("paid"))
        except PriceError as error:
            found.append(RowError(number, "paid", message_of(error)))
        try:
            shipping = money(get("shipping"), allow_empty=True) or Decimal("0")
        except PriceError as error:
            found.append(RowError(number, "shipping", message_of(error)))
        created = None
        try:
            created = taobao_time(get("created"))
        except ValueError as error:
            found.append(RowError(number, "created", message_of(error)))
        times: dict[str, datetime | None] = {}
        for name in ("paid_at", "shipped_at", "completed_at"):
            times[name] = None
            # Exports write an empty cell or 0000-00-00 for what has not happened yet.
            if get(name) and not get(name).startswith("0000"):
                try:
                    times[name] = taobao_time(get(name))
                except ValueError as error:
                    found.append(RowError(number, name, message_of(error)))
        quantity_text = get("quantity") or "1"
        quantity = int(quantity_text) if re.fullmatch(r"\d{1,6}", quantity_text) else 0
        if quantity < 1:
            found.append(
                RowError(
                    number,
                    "quantity",
                    QT_TRANSLATE_NOOP("TaobaoImport", "{quantity_text} is not a quantity").format(
                        quantity_text=quantity_text
                    ),
                )
            )
        phone = ""
        raw_phone = get("phone")
        if "*" in raw_phone:
            masked += 1  # newer exports hide the middle digits: useless for matching
        elif raw_phone:
            try:
                phone = clean_phone(raw_phone)
            except CustomerError as error:
                found.append(RowError(number, "phone", message_of(error)))
        recipient = clean_text(get("recipient"), 100)
        buyer = clean_text(get("buyer"), 100)
        if not (recipient or buyer or phone):
            found.append(
                RowError(
                    number,
                    "recipient",
                    QT_TRANSLATE_NOOP("TaobaoImport", "the order names no buyer"),
                )
            )
        address = parse_address(get("address")) if get("address") else None
        if address is not None and len(address.one_line()) > 400:
            found.append(
                RowError(
                    number,
                    "address",
                    QT_TRANSLATE_NOOP("TaobaoImport", "the address is over 400 characters"),
                )
            )
        try:
            variant = parse_sale_props(get("sale_props")) if get("sale_props") else None
            count_variant(sizes_seen, get("merchant_code"), variant)
        except ValueError as error:
            found.append(RowError(number, "sale_props", message_of(error)))
        if found:
            errors.extend(found)
            continue
        assert status is not None and paid is not None and created is not None
        assert shipping is not None
        seen[order_no] = number
        numbers.append(order_no)
        key = f"phone:{phone}" if phone else f"name:{recipient or buyer}"
        if key not in buyers:
            existing = by_phone.get(phone) if phone else None
            if existing is None:
                named = by_name.get(recipient, []) or by_name.get(buyer, [])
                existing = named[0] if len(set(named)) == 1 else None
            buyer_index[key] = len(buyers)
            buyers[key] = PlannedBuyer(key, recipient, buyer, phone, existing, number)
        orders.append(
            PlannedOrder(
                number,
                order_no,
                status,
                paid,
                shipping,
                quantity,
                clean_text(get("title"), 200),
                get("merchant_code"),
                created,
                times["paid_at"],
                times["shipped_at"],
                times["completed_at"],
                recipient,
                buyer,
                phone,
                address,
                get("notes"),
                buyer_index[key],
                variant if variant is not None and variant.label else None,
            )
        )
    if masked:
        warnings.append(
            QT_TRANSLATE_NOOP(
                "TaobaoImport",
                "{count} phone numbers are masked (138****8000) and were not used to match buyers",
            ).format(count=masked)
        )
    done: set[str] = set()
    for chunk in chunks(numbers):
        done.update(session.scalars(select(Order.external_no).where(Order.external_no.in_(chunk))))
    fresh = [o for o in orders if o.order_no not in done]
    used = sorted({o.buyer_index for o in fresh})
    buyer_list = list(buyers.values())
    kept = [buyer_list[i] for i in used]
    renumber = {old: new for new, old in enumerate(used)}
    for order in fresh:
        order.buyer_index = renumber[order.buyer_index]
    return TaobaoImportPlan(account_id, fresh, kept, errors, warnings, len(orders) - len(fresh))


def apply_taobao_import(
    plan: TaobaoImportPlan,
    engine: Engine,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> TaobaoImportResult:
    """Write customers, addresses and orders in one transaction; all or nothing."""
    with gc_paused():
        return _apply_taobao_import(
            plan, engine, now=now, progress=progress, should_cancel=should_cancel
        )


def _apply_taobao_import(
    plan: TaobaoImportPlan,
    engine: Engine,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> TaobaoImportResult:
    if not plan.ok:
        raise ValueError(QT_TRANSLATE_NOOP("TaobaoImport", "the import has errors; fix them first"))
    moment = now or datetime.now(UTC)
    creates = [b for b in plan.buyers if b.existing_id is None]
    tick = Ticker(len(plan.orders) + len(creates) + 1, progress, should_cancel)
    bought = {o.buyer_index for o in plan.orders if o.status in BOUGHT}
    with engine.begin() as conn:
        before = conn.scalar(select(func.coalesce(func.max(Customer.id), 0))) or 0
        rows = []
        for index, buyer in enumerate(plan.buyers):
            if buyer.existing_id is not None:
                continue
            values: dict[str, Any] = {"source": CustomerSource.TAOBAO}
            if buyer.recipient:
                values["remark"] = buyer.recipient
            if buyer.buyer:
                values["nickname"] = buyer.buyer
            if buyer.phone:
                values["phone"] = buyer.phone
            if index in bought:
                values["stage"] = CustomerStage.CUSTOMER
            rows.append(customer_tuple(plan.account_id, values, moment))
        bulk_insert(conn, Customer.__table__, CUSTOMER_COLUMNS, rows, tick=tick)  # type: ignore[arg-type]
        new_ids = new_customer_ids(conn, plan.account_id, before, moment)
        if len(new_ids) != len(creates):
            raise RuntimeError(
                QT_TRANSLATE_NOOP(
                    "TaobaoImport", "another program added customers at the same moment; try again"
                )
            )
        for buyer, new_id in zip(creates, new_ids, strict=True):
            buyer.customer_id = new_id
        for buyer in plan.buyers:
            if buyer.existing_id is not None:
                buyer.customer_id = buyer.existing_id
        known = [b.customer_id for i, b in enumerate(plan.buyers) if b.existing_id and i in bought]
        for chunk in chunks(known):
            # Buying makes a prospect a customer, unless the seller set the stage herself.
            conn.execute(
                update(Customer)
                .where(
                    Customer.id.in_(chunk),
                    Customer.stage == CustomerStage.PROSPECT,
                    Customer.stage_set_by_hand.is_(False),
                )
                .values(stage=CustomerStage.CUSTOMER, updated_at=moment)
            )
        phones = {b.customer_id: b.phone for b in plan.buyers if b.existing_id and b.phone}
        if phones:
            # One row per parameter set: a CASE over the phones would bind two per buyer.
            conn.execute(
                update(Customer)
                .where(
                    Customer.id == bindparam("customer_id"),
                    or_(Customer.phone.is_(None), Customer.phone == ""),
                )
                .values(phone=bindparam("new_phone")),
                [{"customer_id": i, "new_phone": p} for i, p in phones.items()],
            )
        for chunk in chunks(list(phones)):
            search_texts_again(conn, chunk)  # she is found by her new phone too
        addresses = add_addresses(
            conn,
            [
                (
                    plan.buyers[o.buyer_index].customer_id,
                    o.address,
                    o.recipient or o.buyer,
                    o.phone,
                )
                for o in plan.orders
                if o.address is not None
            ],
        )
        codes = sorted({o.merchant_code for o in plan.orders if o.merchant_code})
        products: dict[str, int] = {}
        for chunk in chunks(codes):
            query = select(Product.code, Product.id).where(Product.code.in_(chunk))
            products.update((code, product_id) for code, product_id in conn.execute(query))
        order_columns = (
            "customer_id",
            "account_id",
            "external_no",
            "source",
            "status",
            "discount",
            "shipping_fee",
            "total",
            "recipient",
            "phone",
            "address",
            "courier",
            "tracking_no",
            "notes",
            "stock_taken",
            "paid_at",
            "shipped_at",
            "completed_at",
            "created_at",
            "updated_at",
        )
        bulk_insert(
            conn,
            Order.__table__,  # type: ignore[arg-type]
            order_columns,
            (
                (
                    plan.buyers[o.buyer_index].customer_id,
                    plan.account_id,
                    o.order_no,
                    OrderSource.TAOBAO,
                    o.status,
                    Decimal("0"),
                    o.shipping,
                    o.paid,
                    o.recipient or o.buyer,
                    o.phone,
                    o.address.one_line() if o.address else "",
                    "",
                    "",
                    o.notes,
                    False,  # past orders: the stock was already taken on Taobao
                    o.paid_at,
                    o.shipped_at,
                    o.completed_at,
                    o.created,
                    moment,
                )
                for o in plan.orders
            ),
            tick=tick,
        )
        order_ids: dict[str | None, int] = {}
        for chunk in chunks([o.order_no for o in plan.orders]):
            by_number = select(Order.external_no, Order.id).where(Order.external_no.in_(chunk))
            order_ids.update((number, order_id) for number, order_id in conn.execute(by_number))
        skus = variants_for_lines(
            conn, [(products.get(o.merchant_code), o.variant) for o in plan.orders]
        )
        bulk_insert(
            conn,
            OrderItem.__table__,  # type: ignore[arg-type]
            (
                "order_id",
                "product_id",
                "product_name",
                "variant",
                "variant_id",
                "quantity",
                "unit_price",
            ),
            (
                (
                    order_ids[o.order_no],
                    products.get(o.merchant_code),
                    o.title or o.order_no,
                    sku[1],
                    sku[0],
                    o.quantity,
                    (max(o.paid - o.shipping, Decimal("0")) / o.quantity).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    ),
                )
                for o, sku in zip(plan.orders, skus, strict=True)
            ),
        )
        from moments_desk.core.stages.ladder import apply_ladder

        # Her Taobao orders count on the stage ladder like any other (a repeat buyer: fan).
        apply_ladder(conn, [b.customer_id for b in plan.buyers if b.customer_id is not None])
        tick()
    return TaobaoImportResult(
        len(plan.orders),
        len(creates),
        len(plan.buyers) - len(creates),
        addresses,
        plan.already_imported,
    )
