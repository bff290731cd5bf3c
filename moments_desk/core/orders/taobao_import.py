"""Importing a Taobao order export (订单报表): buyers become customers, with their orders.

Taobao has renamed columns over the years, so columns are matched by aliases. Re-importing
the same file adds nothing: orders are keyed by their Taobao order number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from moments_desk.core.customers.addresses import ParsedAddress, parse_address
from moments_desk.core.customers.customer_import import (
    CUSTOMER_COLUMNS,
    add_addresses,
    chunks,
    customer_tuple,
    new_customer_ids,
)
from moments_desk.core.customers.customers import CustomerError, clean_phone
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.core.shared.pinyin import customer_search_texts
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
    OrderStatus,
    Product,
    WeChatAccount,
)

#: Taobao shows times in Beijing time, whatever the seller's computer says.
TAOBAO_ZONE = ZoneInfo("Asia/Shanghai")

TAOBAO_FIELDS: dict[str, tuple[str, ...]] = {
    "order_no": ("订单编号", "订单号", "主订单编号"),
    "buyer": ("买家会员名", "买家昵称", "买家会员ID", "买家账号"),
    "paid": ("买家实际支付金额", "买家实付金额", "实付款", "实际支付金额", "买家应付货款"),
    "shipping": ("买家应付邮费", "邮费", "运费"),
    "status": ("订单状态", "交易状态"),
    "recipient": ("收货人姓名", "收货人", "收件人"),
    "address": ("收货地址", "收货人地址"),
    "phone": ("联系手机", "手机", "收货人手机", "联系电话"),
    "title": ("宝贝标题", "商品标题", "宝贝名称"),
    "quantity": ("宝贝总数量", "宝贝数量", "购买数量", "数量"),
    "merchant_code": ("商家编码", "货号"),
    "created": ("订单创建时间", "创建时间", "下单时间"),
    "paid_at": ("订单付款时间", "付款时间"),
    "shipped_at": ("发货时间", "卖家发货时间"),
    "completed_at": ("确认收货时间", "交易完成时间", "交易结束时间"),
    "notes": ("订单备注", "买家留言", "卖家备注"),
}
REQUIRED = ("order_no", "status", "paid", "created")

#: Checked in this order: the first phrase the status contains wins.
STATUS_PHRASES: tuple[tuple[str, OrderStatus], ...] = (
    ("交易成功", OrderStatus.COMPLETED),
    ("退款", OrderStatus.REFUNDED),
    ("交易关闭", OrderStatus.CANCELLED),
    ("已发货", OrderStatus.SHIPPED),
    ("等待买家确认收货", OrderStatus.SHIPPED),
    ("等待卖家发货", OrderStatus.PAID),
    ("已付款", OrderStatus.PAID),
    ("等待买家付款", OrderStatus.AWAITING_PAYMENT),
    ("未付款", OrderStatus.AWAITING_PAYMENT),
)
_BOUGHT = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
_TIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


def taobao_status(text: str) -> OrderStatus | None:
    compact = re.sub(r"\s+", "", text)
    for phrase, status in STATUS_PHRASES:
        if phrase in compact:
            return status
    return None


def taobao_time(text: str) -> datetime:
    """'2026-10-03 20:15:33' in Beijing time → an aware UTC datetime."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(
            QT_TRANSLATE_NOOP(
                "TaobaoImport", "{text} is not a time; expected 2026-10-03 20:15:33"
            ).format(text=text)
        )
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=TAOBAO_ZONE)
    except ValueError:
        raise ValueError(
            QT_TRANSLATE_NOOP("TaobaoImport", "{text} does not exist").format(text=text)
        ) from None
    return local.astimezone(UTC)


@dataclass
class PlannedOrder:
    row: int
    order_no: str
    status: OrderStatus
    paid: Decimal
    shipping: Decimal
    quantity: int
    title: str
    merchant_code: str
    created: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    completed_at: datetime | None
    recipient: str
    buyer: str
    phone: str
    address: ParsedAddress | None
    notes: str
    #: which planned buyer (index into plan.buyers) placed it
    buyer_index: int = 0


@dataclass
class PlannedBuyer:
    key: str
    recipient: str
    buyer: str
    phone: str
    existing_id: int | None
    first_row: int
    #: filled in when written
    customer_id: int | None = None

    @property
    def display_name(self) -> str:
        return self.recipient or self.buyer or self.phone


@dataclass
class TaobaoImportPlan:
    account_id: int
    orders: list[PlannedOrder]
    buyers: list[PlannedBuyer]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    already_imported: int = 0

    @property
    def new_customers(self) -> int:
        return sum(1 for b in self.buyers if b.existing_id is None)

    @property
    def known_customers(self) -> int:
        return sum(1 for b in self.buyers if b.existing_id is not None)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class TaobaoImportResult:
    orders: int
    customers_created: int
    customers_updated: int
    addresses: int
    already_imported: int


def _money(text: str, allow_empty: bool = False) -> Decimal | None:
    return parse_price(text, allow_empty=allow_empty)


def _customer_lookup(session: Session) -> tuple[dict[str, int], dict[str, list[int]]]:
    by_phone: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for customer_id, phone, remark, nickname in session.execute(
        select(Customer.id, Customer.phone, Customer.remark, Customer.nickname).order_by(
            Customer.id
        )
    ):
        if phone:
            by_phone.setdefault(phone, customer_id)
        for name in {remark, nickname}:
            if name:
                by_name.setdefault(name, []).append(customer_id)
    return by_phone, by_name


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
    by_phone, by_name = _customer_lookup(session)
    errors: list[RowError] = []
    warnings: list[str] = []
    orders: list[PlannedOrder] = []
    buyers: dict[str, PlannedBuyer] = {}
    buyer_index: dict[str, int] = {}
    seen: dict[str, int] = {}
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
            paid = _money(get("paid"))
        except PriceError as error:
            found.append(RowError(number, "paid", message_of(error)))
        try:
            shipping = _money(get("shipping"), allow_empty=True) or Decimal("0")
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
    bought = {o.buyer_index for o in plan.orders if o.status in _BOUGHT}
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
            _search_texts_again(conn, chunk)  # she is found by her new phone too
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
        bulk_insert(
            conn,
            OrderItem.__table__,  # type: ignore[arg-type]
            ("order_id", "product_id", "product_name", "variant", "quantity", "unit_price"),
            (
                (
                    order_ids[o.order_no],
                    products.get(o.merchant_code),
                    o.title or o.order_no,
                    "",
                    o.quantity,
                    (max(o.paid - o.shipping, Decimal("0")) / o.quantity).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    ),
                )
                for o in plan.orders
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


def _search_texts_again(conn: Connection, ids: Sequence[int | None]) -> None:
    """Write the search text of these customers again from their names, IDs and phones."""
    people = conn.execute(
        select(
            Customer.id, Customer.nickname, Customer.remark, Customer.wechat_id, Customer.phone
        ).where(Customer.id.in_(ids))
    ).all()
    if not people:
        return
    texts = customer_search_texts(
        [p.nickname for p in people],
        [p.remark for p in people],
        [p.wechat_id for p in people],
        [p.phone for p in people],
    )
    conn.execute(
        update(Customer)
        .where(Customer.id == bindparam("customer_id"))
        .values(search_text=bindparam("text")),
        [{"customer_id": p.id, "text": t} for p, t in zip(people, texts, strict=True)],
    )
