"""Importing customers from a spreadsheet, and buyers with their orders from a Taobao export."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from moments_desk.core.customers.customer_import import (
    CustomerImportResult,
    apply_customer_import,
    apply_customer_imports,
)
from moments_desk.core.customers.customer_import_plan import (
    CUSTOMER_FIELDS,
    CustomerImportPlan,
    PlannedCustomer,
    plan_customer_import,
)
from moments_desk.core.friends.capacity import Room, clashes, rooms, split_plan, split_shares
from moments_desk.core.orders.taobao_import import REQUIRED as TAOBAO_REQUIRED
from moments_desk.core.orders.taobao_import import (
    TAOBAO_FIELDS,
    TaobaoImportPlan,
    TaobaoImportResult,
    apply_taobao_import,
    plan_taobao_import,
)
from moments_desk.core.shared import uow
from moments_desk.core.shared.money import format_price
from moments_desk.core.spreadsheets.tabular import Table
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.friend_cap import CapChoice, ask_about_cap
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.import_dialog import (
    Applier,
    Cancelled,
    MappingImportDialog,
    Planner,
    Progress,
    add_on_existing,
)


def _account_combo(
    dialog: MappingImportDialog, accounts: list[tuple[int, str]], chosen: int | None
) -> QComboBox:
    title = QLabel(QCoreApplication.translate("CustomerImport", "Into WeChat account"))
    dialog.options.addWidget(title)
    combo = QComboBox()
    for account_id, label in accounts:
        combo.addItem(label, account_id)
    if chosen is not None and combos.find(combo, chosen) >= 0:
        combo.setCurrentIndex(combos.find(combo, chosen))
    combo.currentIndexChanged.connect(dialog._mapping_changed)
    dialog.options.addWidget(combo)
    return combo


def _birthday_text(customer: PlannedCustomer) -> str:
    values = customer.values
    if not values.get("birthday_month"):
        return ""
    month, day, year = values["birthday_month"], values["birthday_day"], values["birthday_year"]
    text = f"{year}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
    if values.get("birthday_lunar"):
        lunar = QCoreApplication.translate("CustomerImport", "lunar")
        leap = (
            QCoreApplication.translate("CustomerImport", "leap ")
            if values.get("birthday_leap_month")
            else ""
        )
        text = f"{lunar} {leap}{text}"
    return text


class CustomerImportDialog(MappingImportDialog):
    FIELDS = CUSTOMER_FIELDS
    SETTINGS_KEY = "import.customers.mapping"

    def __init__(
        self,
        ctx: AppContext,
        accounts: list[tuple[int, str]],
        account_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self._parts: list[CustomerImportPlan] | None = None
        self._cap_cleared = False
        self.account = _account_combo(self, accounts, account_id)
        self.on_existing = add_on_existing(
            self,
            (
                QCoreApplication.translate(
                    "CustomerImport", "Update customers already on this account"
                ),
                QCoreApplication.translate(
                    "CustomerImport", "Skip customers already on this account"
                ),
                QCoreApplication.translate(
                    "CustomerImport", "Treat a customer already on this account as an error"
                ),
            ),
        )
        hint = QLabel(
            QCoreApplication.translate(
                "CustomerImport",
                "A row is the same customer when the WeChat ID matches (or the phone, for rows "
                "without a WeChat ID). Birthdays may be lunar: 农历三月初五.",
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.options.addWidget(hint)
        self.options.addStretch(1)
        self.preview.setColumnWidth(1, 120)
        self.preview.setColumnWidth(2, 130)
        self.preview.setColumnWidth(3, 100)
        self.preview.setColumnWidth(4, 110)
        self.preview.setColumnWidth(5, 130)
        self.preview.setColumnWidth(6, 150)

    def title(self) -> str:
        return QCoreApplication.translate("CustomerImport", "Import customers")

    def field_label(self, name: str) -> str:
        return {
            "wechat_id": QCoreApplication.translate("CustomerImport", "WeChat ID"),
            "nickname": QCoreApplication.translate("CustomerImport", "Nickname"),
            "remark": QCoreApplication.translate("CustomerImport", "Remark name"),
            "tags": QCoreApplication.translate("CustomerImport", "Tags"),
            "phone": QCoreApplication.translate("CustomerImport", "Phone"),
            "address": QCoreApplication.translate("CustomerImport", "Address"),
            "birthday": QCoreApplication.translate("CustomerImport", "Birthday"),
            "gender": QCoreApplication.translate("CustomerImport", "Gender"),
            "city": QCoreApplication.translate("CustomerImport", "City"),
            "relationship": QCoreApplication.translate("CustomerImport", "Relationship"),
            "source": QCoreApplication.translate("CustomerImport", "Source"),
            "stage": QCoreApplication.translate("CustomerImport", "Stage"),
            "notes": QCoreApplication.translate("CustomerImport", "Notes"),
        }[name]

    def preview_headers(self) -> list[str]:
        return [
            QCoreApplication.translate("CustomerImport", "Row"),
            QCoreApplication.translate("CustomerImport", "WeChat ID"),
            QCoreApplication.translate("CustomerImport", "Nickname"),
            QCoreApplication.translate("CustomerImport", "Remark name"),
            QCoreApplication.translate("CustomerImport", "Phone"),
            QCoreApplication.translate("CustomerImport", "Birthday"),
            QCoreApplication.translate("CustomerImport", "Tags"),
            QCoreApplication.translate("CustomerImport", "Action"),
        ]

    def ready(self) -> bool:
        return combos.value(self.account) is not None

    def make_planner(self) -> Planner:
        account_id, on_existing = combos.value(self.account), combos.value(self.on_existing)

        def plan(table: Table, mapping: dict[str, int]) -> uow.Work[CustomerImportPlan]:
            return lambda s: plan_customer_import(
                table, mapping, s, account_id, on_existing=on_existing
            )

        return plan

    def preview_rows(self, plan: CustomerImportPlan) -> list[tuple[str, ...]]:
        create = QCoreApplication.translate("CustomerImport", "create")
        update = QCoreApplication.translate("CustomerImport", "update")
        return [
            (
                str(c.row),
                c.values.get("wechat_id", ""),
                c.values.get("nickname", ""),
                c.values.get("remark", ""),
                c.values.get("phone", ""),
                _birthday_text(c),
                "、".join(c.tags),
                update if c.existing_id else create,
            )
            for c in plan.customers[:300]
        ]

    def has_work(self, plan: CustomerImportPlan) -> bool:
        return bool(plan.customers)

    def progress_label(self) -> str:
        return QCoreApplication.translate("CustomerImport", "Importing customers…")

    def make_applier(self) -> Applier:
        engine = self._ctx.shop.engine
        parts, self._parts = self._parts, None

        def apply(plan: Any, progress: Progress, cancelled: Cancelled) -> CustomerImportResult:
            if not parts:
                return apply_customer_import(
                    plan, engine, progress=progress, should_cancel=cancelled
                )
            # Split over accounts: every account's share in one transaction.
            return apply_customer_imports(parts, engine, progress=progress, should_cancel=cancelled)

        return apply

    def run_import(self) -> None:
        """First: would the account pass WeChat's friend limit? Say so, offer a split."""
        plan = self.plan
        if not isinstance(plan, CustomerImportPlan) or not plan.ok or self._cap_cleared:
            self._cap_cleared = False
            super().run_import()
            return
        sessions = self._ctx.shop.sessions
        self._ctx.executor.submit(
            lambda: uow.read(sessions, rooms),
            lambda found: self._check_cap(plan, found),
            self._failed,
        )

    def _check_cap(self, plan: CustomerImportPlan, found: list[Room]) -> None:
        room = next((r for r in found if r.account_id == plan.account_id), None)
        adding = plan.to_create
        if room is None or room.friends + adding <= room.limit:
            self._go_on()
            return
        shares = split_shares(found, plan.account_id, adding)
        choice = ask_about_cap(self, room, adding, shares, found)
        if choice is CapChoice.ANYWAY:
            self._go_on()
        elif choice is CapChoice.SPLIT and shares is not None:
            parts = split_plan(plan, shares)
            self._ctx.executor.submit(
                lambda: uow.read(self._ctx.shop.sessions, lambda s: clashes(s, parts)),
                lambda clashing: self._split(parts, clashing),
                self._failed,
            )

    def _split(self, parts: list[CustomerImportPlan], clashing: int) -> None:
        if clashing:
            self.summary.setText(
                QCoreApplication.translate(
                    "FriendCap",
                    "Not split: {count} of the friends to move already have their WeChat ID on "
                    "the other account. Nothing was imported.",
                ).format(count=clashing)
            )
            return
        self._parts = parts
        self._go_on()

    def _go_on(self) -> None:
        self._cap_cleared = True
        self.run_import()

    def done_text(self, result: CustomerImportResult) -> str:
        return QCoreApplication.translate(
            "CustomerImport",
            "Imported: {created} new customers, {updated} updated, {addresses} addresses.",
        ).format(created=result.created, updated=result.updated, addresses=result.addresses)


class TaobaoImportDialog(MappingImportDialog):
    FIELDS = TAOBAO_FIELDS
    REQUIRED = TAOBAO_REQUIRED
    SETTINGS_KEY = "import.taobao_orders.mapping"

    def __init__(
        self,
        ctx: AppContext,
        accounts: list[tuple[int, str]],
        account_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.account = _account_combo(self, accounts, account_id)
        hint = QLabel(
            QCoreApplication.translate(
                "CustomerImport",
                "Taobao → 已卖出的宝贝 → 批量导出 → 订单报表 (CSV). Buyers are matched to "
                "your customers by phone, then by name; new buyers join this account. Orders "
                "already imported are skipped, so importing the same file twice is safe.",
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.options.addWidget(hint)
        self.options.addStretch(1)
        for column, width in enumerate((50, 150, 120, 90, 90, 130, 140)):
            self.preview.setColumnWidth(column, width)

    def title(self) -> str:
        return QCoreApplication.translate("CustomerImport", "Import Taobao orders")

    def file_filter(self) -> str:
        return QCoreApplication.translate("CustomerImport", "Taobao order export (*.csv *.xlsx)")

    def field_label(self, name: str) -> str:
        return {
            "order_no": QCoreApplication.translate("CustomerImport", "Order number"),
            "buyer": QCoreApplication.translate("CustomerImport", "Buyer account"),
            "paid": QCoreApplication.translate("CustomerImport", "Amount paid"),
            "shipping": QCoreApplication.translate("CustomerImport", "Shipping fee"),
            "status": QCoreApplication.translate("CustomerImport", "Order status"),
            "recipient": QCoreApplication.translate("CustomerImport", "Recipient"),
            "address": QCoreApplication.translate("CustomerImport", "Address"),
            "phone": QCoreApplication.translate("CustomerImport", "Phone"),
            "title": QCoreApplication.translate("CustomerImport", "Item title"),
            "quantity": QCoreApplication.translate("CustomerImport", "Quantity"),
            "merchant_code": QCoreApplication.translate("CustomerImport", "Product code"),
            "created": QCoreApplication.translate("CustomerImport", "Ordered at"),
            "paid_at": QCoreApplication.translate("CustomerImport", "Paid at"),
            "shipped_at": QCoreApplication.translate("CustomerImport", "Shipped at"),
            "completed_at": QCoreApplication.translate("CustomerImport", "Completed at"),
            "notes": QCoreApplication.translate("CustomerImport", "Order notes"),
            "sale_props": QCoreApplication.translate("CustomerImport", "Size and colour"),
        }[name]

    def preview_headers(self) -> list[str]:
        return [
            QCoreApplication.translate("CustomerImport", "Row"),
            QCoreApplication.translate("CustomerImport", "Order number"),
            QCoreApplication.translate("CustomerImport", "Recipient"),
            QCoreApplication.translate("CustomerImport", "Status"),
            QCoreApplication.translate("CustomerImport", "Amount paid"),
            QCoreApplication.translate("CustomerImport", "Ordered at"),
            QCoreApplication.translate("CustomerImport", "Customer"),
            QCoreApplication.translate("CustomerImport", "Item title"),
        ]

    def ready(self) -> bool:
        return combos.value(self.account) is not None

    def make_planner(self) -> Planner:
        account_id = combos.value(self.account)

        def plan(table: Table, mapping: dict[str, int]) -> uow.Work[TaobaoImportPlan]:
            return lambda s: plan_taobao_import(table, mapping, s, account_id)

        return plan

    def summary_text(self, plan: TaobaoImportPlan) -> str:
        return QCoreApplication.translate(
            "CustomerImport",
            "Orders to add: {orders} · Already imported: {done} · New customers: {new} · "
            "Known customers: {known} · Errors: {errors}",
        ).format(
            orders=len(plan.orders),
            done=plan.already_imported,
            new=plan.new_customers,
            known=plan.known_customers,
            errors=len(plan.errors),
        )

    def preview_rows(self, plan: TaobaoImportPlan) -> list[tuple[str, ...]]:
        new = QCoreApplication.translate("CustomerImport", "new customer")
        known = QCoreApplication.translate("CustomerImport", "existing customer")
        zone = self._ctx.zone
        rows: list[tuple[str, ...]] = []
        for order in plan.orders[:300]:
            buyer = plan.buyers[order.buyer_index]
            rows.append(
                (
                    str(order.row),
                    order.order_no,
                    order.recipient or order.buyer,
                    labels.order_status(order.status),
                    format_price(order.paid),
                    order.created.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    new if buyer.existing_id is None else known,
                    order.title,
                )
            )
        return rows

    def has_work(self, plan: TaobaoImportPlan) -> bool:
        return bool(plan.orders)

    def progress_label(self) -> str:
        return QCoreApplication.translate("CustomerImport", "Importing Taobao orders…")

    def make_applier(self) -> Applier:
        engine = self._ctx.shop.engine

        def apply(plan: Any, progress: Progress, cancelled: Cancelled) -> TaobaoImportResult:
            return apply_taobao_import(plan, engine, progress=progress, should_cancel=cancelled)

        return apply

    def done_text(self, result: TaobaoImportResult) -> str:
        return QCoreApplication.translate(
            "CustomerImport",
            "Imported {orders} orders: {created} new customers, {updated} known customers, "
            "{addresses} new addresses.",
        ).format(
            orders=result.orders,
            created=result.customers_created,
            updated=result.customers_updated,
            addresses=result.addresses,
        )
