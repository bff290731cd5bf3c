"""The Customers page: search-as-you-type at 50,000, filters, the detail/timeline, bulk edits."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from moments_desk.core.catalogue.listing import tag_names
from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import (
    CustomerDraft,
    CustomerQuery,
    CustomerRow,
    CustomerSort,
)
from moments_desk.core.customers.listing import customer_listing
from moments_desk.core.customers.merge import merge_customers
from moments_desk.core.customers.privacy import export_customer, forget_customer
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.team.accounts import AccountSummary, list_accounts
from moments_desk.core.tracking.timeline import add_note, edit_note, load_timeline
from moments_desk.db.models import CustomerStage
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.detail import CustomerDetail
from moments_desk.ui.customers.dialogs import (
    confirm_forget,
    discard_ok,
    show_exported,
    tell_no_account,
)
from moments_desk.ui.customers.model import SORT_KEYS, Column, CustomerTableModel
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_page import ListPage
from moments_desk.ui.kit.list_view import SortState, make_table


class CustomersPage(ListPage[CustomerQuery, CustomerRow]):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("CustomersPage", "Customers"),
            customer_listing(ctx.shop.sessions, ctx.clock.now),
            CustomerTableModel(ctx.clock.now),
            (Kind.CUSTOMERS, Kind.INTERACTIONS, Kind.ORDERS, Kind.ACCOUNTS),
            parent,
        )
        self.accounts: list[tuple[int, str]] = []
        self.import_dialog: QDialog | None = None
        layout = self.page_layout
        header_row = self.header_row
        self.accounts_label = QLabel("")
        self.accounts_label.setObjectName("muted")
        header_row.addWidget(self.accounts_label, 0, Qt.AlignmentFlag.AlignTop)
        self.import_button = QPushButton(QCoreApplication.translate("CustomersPage", "Import…"))
        import_menu = QMenu(self.import_button)
        # The shortcuts live on the page (below); the menu only shows them after a tab.
        self.import_customers_action = import_menu.addAction(
            QCoreApplication.translate("CustomersPage", "Customers from a spreadsheet…")
            + "\tCtrl+I",
            self.import_customers,
        )
        self.import_orders_action = import_menu.addAction(
            QCoreApplication.translate("CustomersPage", "Taobao order export (订单报表)…")
            + "\tCtrl+Shift+I",
            self.import_taobao_orders,
        )
        self.import_button.setMenu(import_menu)
        header_row.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        self.new_button = QPushButton(QCoreApplication.translate("CustomersPage", "New customer"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_customer)
        header_row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        filters = self.filters
        self.search.setPlaceholderText(
            QCoreApplication.translate(
                "CustomersPage", "Search nickname, remark, WeChat ID, phone or pinyin (zs → 张三)"
            )
        )
        self.account = QComboBox()
        combos.add_item(
            self.account, QCoreApplication.translate("CustomersPage", "All accounts"), None
        )
        self.account.currentIndexChanged.connect(self.run_search)
        self.tag = QComboBox()
        combos.add_item(self.tag, QCoreApplication.translate("CustomersPage", "Any tag"), None)
        self.tag.currentIndexChanged.connect(self.run_search)
        self.stage = QComboBox()
        combos.add_item(self.stage, QCoreApplication.translate("CustomersPage", "Any stage"), None)
        for stage in CustomerStage:
            self.stage.addItem(labels.customer_stage(stage), stage)
        self.stage.currentIndexChanged.connect(self.run_search)
        self.birthday = QCheckBox(QCoreApplication.translate("CustomersPage", "Birthday this week"))
        self.birthday.toggled.connect(self.run_search)
        self.dormant = QCheckBox(QCoreApplication.translate("CustomersPage", "Quiet for"))
        self.dormant_days = QSpinBox()
        self.dormant_days.setRange(7, 730)
        self.dormant_days.setValue(60)
        self.dormant_days.setSuffix(QCoreApplication.translate("CustomersPage", " days"))
        self.dormant.toggled.connect(self.run_search)
        self.dormant_days.valueChanged.connect(self._dormant_days_changed)
        self.unpaid = QCheckBox(QCoreApplication.translate("CustomersPage", "Unpaid order"))
        self.unpaid.toggled.connect(self.run_search)
        for widget in (
            self.account,
            self.tag,
            self.stage,
            self.birthday,
            self.dormant,
            self.dormant_days,
            self.unpaid,
        ):
            filters.addWidget(widget)

        bulk = self.bulk
        self.bulk_tag = QPushButton(QCoreApplication.translate("CustomersPage", "Add tag…"))
        self.bulk_tag.clicked.connect(self.bulk_add_tag)
        self.bulk_stage = QPushButton(QCoreApplication.translate("CustomersPage", "Set stage"))
        stage_menu = QMenu(self.bulk_stage)
        for stage in CustomerStage:
            stage_menu.addAction(labels.customer_stage(stage), partial(self.bulk_set_stage, stage))
        stage_menu.addSeparator()
        stage_menu.addAction(
            QCoreApplication.translate("CustomersPage", "From their record (clear set by hand)"),
            partial(self.bulk_set_stage, None),
        )
        self.bulk_stage.setMenu(stage_menu)
        self.bulk_account = QPushButton(
            QCoreApplication.translate("CustomersPage", "Move to account")
        )
        self.account_menu = QMenu(self.bulk_account)
        self.bulk_account.setMenu(self.account_menu)
        self.merge_button = QPushButton(
            QCoreApplication.translate("CustomersPage", "Merge the two…")
        )
        self.merge_button.clicked.connect(self.merge_selected)
        for button in (self.bulk_tag, self.bulk_stage, self.bulk_account, self.merge_button):
            bulk.addWidget(button)
        bulk.addStretch(1)

        self.table = make_table(
            self.model,
            30,
            widths={
                Column.NAME: 130,
                Column.NICKNAME: 120,
                Column.WECHAT_ID: 110,
                Column.PHONE: 104,
                Column.ACCOUNT: 60,
                Column.CITY: 60,
                Column.STAGE: 60,
                Column.LAST_CONTACT: 90,
            },
            stretch=Column.TAGS,
            on_sort=self._sort_clicked,
        )
        # The phone before the WeChat ID: on a 1366-pixel laptop it stays in view.
        header = self.table.horizontalHeader()
        header.moveSection(
            header.visualIndex(Column.PHONE), header.visualIndex(Column.NICKNAME) + 1
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.sort = SortState(self.table, SORT_KEYS, CustomerSort.RECENT, {CustomerSort.NAME})

        self.detail = CustomerDetail()
        self.detail.setMinimumWidth(380)
        self.detail.save_requested.connect(self.save_customer)
        self.detail.note_added.connect(self.add_note)
        self.detail.note_edited.connect(self.edit_note)
        self.detail.export_requested.connect(self.export_current)
        self.detail.forget_requested.connect(self.forget_current)
        self.detail.follow_changes(ctx)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_customer),
            (QKeySequence.StandardKey.Find, self.search.setFocus),
            (QKeySequence("Ctrl+I"), self.import_customers),
            (QKeySequence("Ctrl+Shift+I"), self.import_taobao_orders),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- loading and searching -----------------------------------------------------------------

    def first_shown(self) -> None:
        # The worker runs jobs in order: rows first, the filters' lists after.
        self.reload_lookups()

    def data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.CUSTOMERS, Kind.ACCOUNTS):
            self.reload_lookups()  # tags and friends per account

    def count_text(self, count: int) -> str:
        return QCoreApplication.translate("CustomersPage", "%Ln customer(s) shown", "", count)

    def rows_shown(self, keep_view: bool) -> None:
        if not keep_view:
            self.reselect(self.detail.customer_id)

    def reload_lookups(self) -> None:
        sessions = self._ctx.shop.sessions
        self.submit(
            lambda: uow.read(sessions, lambda s: (list_accounts(s), tag_names(s))),
            self._apply_lookups,
        )

    def _apply_lookups(self, result: tuple[list[AccountSummary], list[str]]) -> None:
        accounts, tags = result
        locale = QLocale()
        for combo, items in (
            (self.account, [(a.id, a.label) for a in accounts]),
            (self.tag, [(t, t) for t in tags]),
        ):
            current = combos.value(combo)
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for data, text in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combos.find(combo, current)))
            combo.blockSignals(False)
        self.accounts = [(a.id, a.label) for a in accounts]
        self.detail.set_accounts(self.accounts)
        self.account_menu.clear()
        for account in accounts:
            self.account_menu.addAction(account.label, partial(self.bulk_move, account.id))
        parts = []
        warn = False
        for account in accounts:
            friends, limit = locale.toString(account.friends), locale.toString(account.friend_limit)
            parts.append(f"{account.label} {friends}/{limit}")
            warn = warn or account.near_limit
        text = " · ".join(parts)
        if warn:
            text += "  " + QCoreApplication.translate(
                "CustomersPage", "⚠ near WeChat's 5,000-friend Moments limit"
            )
        self.accounts_label.setText(text)
        self.accounts_label.setStyleSheet("color: #B45309;" if warn else "")

    def _dormant_days_changed(self) -> None:
        if self.dormant.isChecked():
            self.run_search()

    def current_query(self) -> CustomerQuery:
        return CustomerQuery(
            text=self.search.text(),
            account_id=combos.value(self.account),
            tag=combos.value(self.tag),
            stage=combos.value(self.stage),
            birthday_within_days=7 if self.birthday.isChecked() else None,
            dormant_days=self.dormant_days.value() if self.dormant.isChecked() else None,
            has_unpaid_order=self.unpaid.isChecked(),
            sort=self.sort.key,
            descending=self.sort.descending,
        )

    def _sort_clicked(self, column: int) -> None:
        if self.sort.click(column):
            self.run_search()

    # -- selection and detail ------------------------------------------------------------------

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.bulk_bar.setVisible(len(ids) > 1)
        self.merge_button.setEnabled(len(ids) == 2)
        self.bulk_label.setText(self.bulk_selected_text(len(ids)))
        if len(ids) == 1 and ids[0] != self.detail.customer_id:
            self.open_customer(ids[0])

    def open_customer(self, customer_id: int) -> None:
        if self.detail.dirty and not discard_ok(self):
            return
        now = self._ctx.clock.now()

        def load(s: Any) -> tuple[CustomerDraft, Any]:
            draft, _ = cu.get_customer(s, customer_id)
            return draft, load_timeline(s, customer_id)

        sessions = self._ctx.shop.sessions
        self.submit(
            lambda: uow.read(sessions, load),
            lambda result: self.detail.show_customer(customer_id, result[0], result[1], now),
        )

    def new_customer(self) -> None:
        if self.detail.dirty and not discard_ok(self):
            return
        if self.detail.account.count() == 0:
            tell_no_account(self)
            return
        self.table.clearSelection()
        account = combos.value(self.account) or combos.item_value(self.detail.account, 0)
        self.detail.show_customer(
            None, CustomerDraft(account_id=account), None, self._ctx.clock.now()
        )
        self.detail.nickname.setFocus()

    def save_customer(self, draft: CustomerDraft) -> None:
        customer_id, base = self.detail.customer_id, self.detail.base

        def work(s: Any) -> int:
            if customer_id is None:
                return cu.create_customer(s, draft)
            cu.update_customer(s, customer_id, draft, base)
            return customer_id

        def done(saved: int) -> None:
            self.detail.mark_saved()
            self.reload_lookups()
            self.detail.customer_id = saved
            self.open_customer(saved)
            if customer_id is None:
                self.run_search()

        self._write(work, done, in_detail=True)

    def add_note(self, text: str) -> None:
        customer_id = self.detail.customer_id
        if customer_id is None:
            return
        at = self._ctx.clock.now()
        self._write(
            lambda s: add_note(s, customer_id, text, at), lambda _: self._reload_detail(customer_id)
        )

    def edit_note(self, note_id: int, text: str) -> None:
        customer_id = self.detail.customer_id
        if customer_id is not None:
            self._write(
                lambda s: edit_note(s, note_id, text), lambda _: self._reload_detail(customer_id)
            )

    def _reload_detail(self, customer_id: int) -> None:
        self.detail.mark_saved()
        self.open_customer(customer_id)

    def export_current(self) -> None:
        customer_id = self.detail.customer_id
        if customer_id is None:
            return
        folder = self._ctx.shop.paths.exports / "privacy"

        def done(files: list[Path]) -> None:
            show_exported(self, files, folder)

        sessions, user = self._ctx.shop.sessions, self._ctx.user_id
        self.submit(
            lambda: uow.read(sessions, lambda s: export_customer(s, customer_id, folder, user)),
            done,
        )

    def forget_current(self) -> None:
        customer_id = self.detail.customer_id
        if customer_id is None:
            return
        keep_totals = confirm_forget(self, self.detail.heading.text())
        if keep_totals is None:
            return

        def done(_: object) -> None:
            self.new_customer()
            self.run_search()
            self.reload_lookups()

        by = self._ctx.user_id
        self._write(
            lambda s: forget_customer(s, customer_id, keep_order_totals=keep_totals, by=by), done
        )

    # -- import --------------------------------------------------------------------------------

    def import_customers(self) -> None:
        from moments_desk.ui.customers.import_dialogs import CustomerImportDialog

        self._run_import(CustomerImportDialog)

    def import_taobao_orders(self) -> None:
        from moments_desk.ui.customers.import_dialogs import TaobaoImportDialog

        self._run_import(TaobaoImportDialog)

    def _run_import(self, kind: Any) -> None:
        if not self.accounts:
            tell_no_account(self)
            return
        dialog = kind(self._ctx, self.accounts, combos.value(self.account), self)
        self.import_dialog = dialog
        if dialog.start():
            dialog.exec()
            if dialog.imported is not None:
                self.run_search()
                self.reload_lookups()
        self.import_dialog = None

    # -- bulk ----------------------------------------------------------------------------------

    def bulk_add_tag(self) -> None:
        ids = self.selected_ids()
        count = len(ids)
        name, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("CustomersPage", "Add tag"),
            QCoreApplication.translate(
                "CustomersPage",
                "Tag (also usable as a Moments audience) for %Ln customer(s):",
                "",
                count,
            ),
        )
        if ok and name.strip():
            self._write(lambda s: cu.add_tag(s, ids, name), lambda _: self._bulk_done(ids))

    def bulk_set_stage(self, stage: CustomerStage | None) -> None:
        ids = self.selected_ids()
        self._write(lambda s: cu.set_stage(s, ids, stage), lambda _: self._bulk_done(ids))

    def bulk_move(self, account_id: int) -> None:
        ids = self.selected_ids()
        self._write(
            lambda s: cu.move_to_account(s, ids, account_id), lambda _: self._bulk_done(ids)
        )

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        rows = [self.model.row_data(self.model.row_of(i) or 0) for i in ids]
        names = [r.display_name if r else "?" for r in rows]
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("CustomersPage", "Merge duplicates"),
            QCoreApplication.translate(
                "CustomersPage",
                "Keep “{keep}” and merge “{absorb}” into her? Timelines, orders, tags and "
                "addresses are combined; the second record is removed.",
            ).format(keep=names[0], absorb=names[1]),
        )
        if answer == QMessageBox.StandardButton.Yes:
            keep_id, absorb_id = ids

            def done(_: object) -> None:
                self.run_search()
                self.reload_lookups()
                self.open_customer(keep_id)

            self._write(lambda s: merge_customers(s, keep_id, absorb_id), done)

    def _bulk_done(self, ids: list[int]) -> None:
        # The change set of the write re-reads the rows; the tag list may have grown.
        self.reload_lookups()

    # -- plumbing ------------------------------------------------------------------------------

    def _write(
        self, work: Callable[[Any], Any], done: Callable[[Any], None], *, in_detail: bool = False
    ) -> None:
        def in_the_detail(error: BaseException) -> None:
            if isinstance(error, cu.CustomerConflictError):
                # Saving again keeps the seller's text over what the other computer saved.
                self.detail.base = error.conflict.rebased(self.detail.base)
            self.detail.show_error(tr_msg(error))

        self.write(work, done, in_the_detail if in_detail else None)
