"""What one row of a Taobao order export holds: its columns, statuses and times, and the
orders and buyers a plan makes of them (the import itself is in ``taobao_import``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from moments_desk.core.catalogue.variant_rows import RowVariant
from moments_desk.core.customers.addresses import ParsedAddress
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.core.shared.money import parse_price
from moments_desk.core.spreadsheets.importing import RowError
from moments_desk.db.models import OrderStatus

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
    # 颜色分类:黑色;尺码:M → the product's variant, created when missing.
    "sale_props": ("销售属性", "商品属性", "宝贝属性", "SKU属性"),
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
BOUGHT = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
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
    #: the size/colour bought, from 销售属性 (None: not given)
    variant: RowVariant | None = None


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


def money(text: str, allow_empty: bool = False) -> Decimal | None:
    return parse_price(text, allow_empty=allow_empty)
