"""The order editor: customer, address, items, discount and shipping, courier and notes."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.orders import editing
from moments_desk.core.orders import orders as od
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.money import format_price, parse_price
from moments_desk.db.models import OrderStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.orders.items_table import OrderItemsTable

ADDRESS_ROLE = Qt.ItemDataRole.UserRole


class OrderEditor(QDialog):
    """Edit one order (or create one). Saving runs one transaction in the worker."""

    def __init__(self, ctx: AppContext, order_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.order_id = order_id
        self.saved_id: int | None = None
        self._addresses: list[od.AddressChoice] = []
        #: product id → (size, stock) of the products offered, for a new line's drop-down
        self._size_choices: dict[int, list[tuple[str, int]]] = {}
        self._post_id: int | None = None
        #: the order as this form last loaded it: a save writes only what changed since
        self._base: od.OrderDraft | None = None
        self._account_id: int | None = None
        self.setWindowTitle(
            QCoreApplication.translate("OrderEditor", "New order")
            if order_id is None
            else QCoreApplication.translate("OrderEditor", "Order {id}").format(id=order_id)
        )
        self.resize(760, 680)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.windowTitle())
        self.heading.setObjectName("sectionTitle")
        layout.addWidget(self.heading)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        form = QFormLayout()
        customer_row = QHBoxLayout()
        self.customer_search = QLineEdit()
        self.customer_search.setPlaceholderText(
            QCoreApplication.translate("OrderEditor", "Search a customer (name, pinyin, phone)")
        )
        self.customer = QComboBox()
        self.customer.setMinimumWidth(240)
        customer_row.addWidget(self.customer_search, 1)
        customer_row.addWidget(self.customer, 1)
        form.addRow(QCoreApplication.translate("OrderEditor", "Customer"), customer_row)
        self.address_choice = QComboBox()
        self.address_choice.currentIndexChanged.connect(self._address_chosen)
        form.addRow(QCoreApplication.translate("OrderEditor", "Saved address"), self.address_choice)
        contact = QHBoxLayout()
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText(QCoreApplication.translate("OrderEditor", "Recipient"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(QCoreApplication.translate("OrderEditor", "Phone"))
        contact.addWidget(self.recipient)
        contact.addWidget(self.phone)
        form.addRow(QCoreApplication.translate("OrderEditor", "Ship to"), contact)
        self.address = QLineEdit()
        form.addRow(QCoreApplication.translate("OrderEditor", "Address"), self.address)
        layout.addLayout(form)

        items_title = QLabel(QCoreApplication.translate("OrderEditor", "Items"))
        items_title.setObjectName("sectionTitle")
        layout.addWidget(items_title)
        add_row = QHBoxLayout()
        self.product_search = QLineEdit()
        self.product_search.setPlaceholderText(
            QCoreApplication.translate("OrderEditor", "Search a product (code, name, pinyin)")
        )
        self.product = QComboBox()
        self.product.setMinimumWidth(260)
        self.add_item_button = QPushButton(QCoreApplication.translate("OrderEditor", "Add item"))
        self.add_item_button.clicked.connect(self.add_chosen_product)
        self.remove_item_button = QPushButton(
            QCoreApplication.translate("OrderEditor", "Remove item")
        )
        self.remove_item_button.clicked.connect(self.remove_item)
        for widget in (self.product_search, self.product, self.add_item_button):
            add_row.addWidget(widget)
        add_row.addWidget(self.remove_item_button)
        layout.addLayout(add_row)
        self.items = OrderItemsTable()
        self.items.changed.connect(self._update_total)
        layout.addWidget(self.items, 1)

        self.items_note = QLabel(
            QCoreApplication.translate(
                "OrderEditor",
                "The items of a paid order are fixed: cancel it and create a new one "
                "to change them.",
            )
        )
        self.items_note.setObjectName("muted")
        self.items_note.hide()
        layout.addWidget(self.items_note)
        money = QFormLayout()
        sums = QHBoxLayout()
        self.discount = QLineEdit("0")
        self.shipping = QLineEdit("0")
        for field in (self.discount, self.shipping):
            field.setMaximumWidth(110)
            field.textChanged.connect(self._update_total)
        self.total = QLabel("")
        self.total.setObjectName("sectionTitle")
        self.status = QLabel(labels.order_status(OrderStatus.AWAITING_PAYMENT))
        shown: QWidget
        for text, shown in (
            (QCoreApplication.translate("OrderEditor", "Discount"), self.discount),
            (QCoreApplication.translate("OrderEditor", "Shipping fee"), self.shipping),
            (QCoreApplication.translate("OrderEditor", "Total"), self.total),
            (QCoreApplication.translate("OrderEditor", "Status"), self.status),
        ):
            sums.addWidget(QLabel(text))
            sums.addWidget(shown)
            sums.addSpacing(14)
        sums.addStretch(1)
        money.addRow(sums)
        shipping = QHBoxLayout()
        self.courier = QLineEdit()
        self.courier.setPlaceholderText(QCoreApplication.translate("OrderEditor", "Courier"))
        self.tracking_no = QLineEdit()
        self.tracking_no.setPlaceholderText(
            QCoreApplication.translate("OrderEditor", "Tracking number")
        )
        shipping.addWidget(self.courier)
        shipping.addWidget(self.tracking_no)
        money.addRow(QCoreApplication.translate("OrderEditor", "Shipping"), shipping)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(56)
        money.addRow(QCoreApplication.translate("OrderEditor", "Notes"), self.notes)
        layout.addLayout(money)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setObjectName("primary")
        save.setText(QCoreApplication.translate("OrderEditor", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("OrderEditor", "Cancel")
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._search)
        self.customer_search.textChanged.connect(self._search_timer.start)
        self.product_search.textChanged.connect(self._search_timer.start)
        self.customer.currentIndexChanged.connect(self._customer_chosen)
        self._update_total()
        self._shown_form: tuple[object, ...] = self._form()
        # Another page, a core call or another laptop may change the order, its buyer or the
        # products while the editor is open: it shows them (see _changed).
        follow(ctx.changes, self, (Kind.ORDERS, Kind.CUSTOMERS, Kind.PRODUCTS), self._changed)
        if order_id is not None:
            self._load(order_id)
        else:
            self._search()

    # -- loading ---------------------------------------------------------------------------

    def _load(self, order_id: int) -> None:
        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions, lambda s: editing.order_for_editing(s, order_id)
            ),
            self._show,
            self._failed,
        )

    def _show(self, loaded: editing.OrderForEditing) -> None:
        detail, addresses = loaded.detail, loaded.addresses
        draft = detail.draft
        self._post_id, self._account_id = draft.post_id, draft.account_id
        self._base = draft
        self.customer.blockSignals(True)
        self.customer.clear()
        if draft.customer_id is not None:
            self.customer.addItem(detail.customer_name, draft.customer_id)
        self.customer.blockSignals(False)
        self._set_addresses(addresses, keep_fields=True)
        self.recipient.setText(draft.recipient)
        self.phone.setText(draft.phone)
        self.address.setText(draft.address)
        self.items.blockSignals(True)
        self.items.setRowCount(0)
        for item in draft.items:
            self.items.append(
                item.product_id,
                item.product_name,
                item.variant,
                item.quantity,
                item.unit_price,
                loaded.size_choices.get(item.product_id or 0, ()),
            )
        self.items.blockSignals(False)
        self.discount.setText(str(draft.discount))
        self.shipping.setText(str(draft.shipping_fee))
        self.courier.setText(draft.courier)
        self.tracking_no.setText(draft.tracking_no)
        self.notes.setPlainText(draft.notes)
        self._show_status(detail.status)
        self._update_total()
        self._shown_form = self._form()

    def _show_status(self, status: OrderStatus) -> None:
        self.status.setText(labels.order_status(status))
        editable = status is OrderStatus.AWAITING_PAYMENT
        for widget in (
            self.product_search,
            self.product,
            self.add_item_button,
            self.remove_item_button,
        ):
            widget.setEnabled(editable)
        self.items.setEnabled(editable)
        self.items_note.setVisible(not editable)

    # -- staying current -------------------------------------------------------------------

    def _form(self) -> tuple[object, ...]:
        """What the seller sees in the fields, to tell whether she changed anything."""
        fields = (self.recipient, self.phone, self.address, self.discount, self.shipping)
        return (
            combos.value(self.customer),
            *(field.text() for field in (*fields, self.courier, self.tracking_no)),
            self.notes.toPlainText(),
            self.items.lines(),
        )

    def edited(self) -> bool:
        return self._form() != self._shown_form

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(Kind.PRODUCTS):
            self._refresh_products()
        order_id = self.order_id
        if order_id is not None and changes.touches(Kind.ORDERS, Kind.CUSTOMERS):
            self._ctx.executor.submit(
                lambda: uow.read(
                    self._ctx.shop.sessions, lambda s: editing.order_for_editing(s, order_id)
                ),
                self._refreshed,
                # Deleted meanwhile: saving will say so; the form keeps what the seller sees.
                lambda _error: None,
            )

    def _refreshed(self, loaded: editing.OrderForEditing) -> None:
        if self.edited():
            # The seller's unsaved edits stay; whether the items may still change does not.
            self._show_status(loaded.detail.status)
        else:
            self._show(loaded)

    def _refresh_products(self) -> None:
        product_text, now = self.product_search.text(), self._ctx.clock.now()
        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions,
                lambda s: editing.editor_choices(s, "", product_text, now, with_customers=False),
            ),
            lambda found: self._show_products(found.products, found.sizes, found.size_choices),
            self._failed,
        )

    def _search(self) -> None:
        customer_text = self.customer_search.text()
        product_text = self.product_search.text()
        now = self._ctx.clock.now()
        want_customers = self.order_id is None or bool(customer_text.strip())

        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions,
                lambda s: editing.editor_choices(
                    s, customer_text, product_text, now, with_customers=want_customers
                ),
            ),
            self._found,
            self._failed,
        )

    def _found(self, found: editing.EditorChoices) -> None:
        if self.order_id is None or self.customer_search.text().strip():
            current = combos.value(self.customer)
            self.customer.blockSignals(True)
            self.customer.clear()
            if self.order_id is None:
                # A new order starts with nobody chosen: preselecting the first customer let a
                # hurried seller save an order (and an address) for the wrong person.
                combos.add_item(
                    self.customer,
                    QCoreApplication.translate("OrderEditor", "Choose a customer…"),
                    None,
                )
            for customer_id, text in found.customers:
                self.customer.addItem(text, customer_id)
            index = combos.find(self.customer, current) if current is not None else -1
            if index < 0 and self.order_id is None and self.customer_search.text().strip():
                # The seller typed a search: its best match is her pick.
                index = 1 if found.customers else 0
            self.customer.setCurrentIndex(max(0, index))
            self.customer.blockSignals(False)
            self._customer_chosen()
        self._show_products(found.products, found.sizes, found.size_choices)

    def _show_products(
        self,
        products: list[tuple[int, str, Decimal, int]],
        sizes_of: dict[int, str],
        choices: dict[int, list[tuple[str, int]]],
    ) -> None:
        self._size_choices = choices
        chosen = combos.value(self.product)
        self.product.clear()
        for product_id, text, price, stock in products:
            label = QCoreApplication.translate(
                "OrderEditor", "{product} · {price} · {stock} in stock"
            )
            sizes = sizes_of.get(product_id, "")
            self.product.addItem(
                label.format(product=text, price=format_price(price), stock=stock)
                + (f" · {sizes}" if sizes else ""),  # the line's drop-down picks one
                (product_id, text.split(" ", 1)[-1], str(price)),
            )
        # The same product stays chosen when the list is read again (its stock moved).
        for index in range(self.product.count()):
            data = self.product.itemData(index)
            if chosen and data and data[0] == chosen[0]:
                self.product.setCurrentIndex(index)
                break

    def _customer_chosen(self, *_: object) -> None:
        customer_id = combos.value(self.customer)
        if customer_id is None:
            self._set_addresses([], keep_fields=False)
            return
        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions, lambda s: od.customer_addresses(s, customer_id)
            ),
            lambda addresses: self._set_addresses(addresses, keep_fields=False),
            self._failed,
        )

    def _set_addresses(self, addresses: list[od.AddressChoice], keep_fields: bool) -> None:
        self._addresses = addresses
        self.address_choice.blockSignals(True)
        self.address_choice.clear()
        if keep_fields and addresses:
            # An existing order keeps the address it was sent to until one is chosen.
            self.address_choice.addItem(
                QCoreApplication.translate("OrderEditor", "Keep this order's address"), -1
            )
        elif not addresses:
            self.address_choice.addItem(
                QCoreApplication.translate("OrderEditor", "No saved address: type it below"), -1
            )
        for index, address in enumerate(addresses):
            self.address_choice.addItem(
                f"{address.recipient} {address.phone} {address.text}", index
            )
        self.address_choice.blockSignals(False)
        if not keep_fields:
            self._address_chosen()

    def _address_chosen(self, *_: object) -> None:
        index = combos.value(self.address_choice)
        if isinstance(index, int) and 0 <= index < len(self._addresses):
            chosen = self._addresses[index]
            self.recipient.setText(chosen.recipient)
            self.phone.setText(chosen.phone)
            self.address.setText(chosen.text)

    # -- items -----------------------------------------------------------------------------

    def add_chosen_product(self) -> None:
        data = combos.value(self.product)
        if not data:
            return
        product_id, name, price = data
        sizes = self._size_choices.get(int(product_id), ())
        self.items.append(int(product_id), str(name), "", 1, Decimal(str(price)), sizes)
        self._update_total()

    def remove_item(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)
            self._update_total()

    # -- saving ----------------------------------------------------------------------------

    def draft(self) -> od.OrderDraft:
        """The form as a draft; raises PriceError/OrderError naming the field or line."""
        items = self.items.item_drafts()
        discount = parse_price(self.discount.text() or "0")
        shipping = parse_price(self.shipping.text() or "0")
        return od.OrderDraft(
            customer_id=combos.value(self.customer),
            items=items,
            discount=discount or Decimal(0),
            shipping_fee=shipping or Decimal(0),
            recipient=self.recipient.text(),
            phone=self.phone.text(),
            address=self.address.text(),
            post_id=self._post_id,
            account_id=self._account_id,
            notes=self.notes.toPlainText(),
            courier=self.courier.text(),
            tracking_no=self.tracking_no.text(),
        )

    def _update_total(self, *_: object) -> None:
        try:
            draft = self.draft()
        except ValueError:
            self.total.setText("—")
            return
        self.total.setText(format_price(draft.total))

    def save(self) -> None:
        try:
            draft = od.validate_order(self.draft())
        except ValueError as error:
            self.show_error(tr_msg(error))
            if combos.value(self.customer) is None:
                self.customer_search.setFocus()
            return
        order_id = self.order_id
        now = self._ctx.clock.now()
        base = self._base

        def failed(error: BaseException) -> None:
            if isinstance(error, editing.OrderConflictError):
                # Saving again keeps the seller's text over what the other computer saved.
                self._base = error.conflict.rebased(base)
            if isinstance(error, ValueError):
                self.show_error(tr_msg(error))
            else:
                show_failure(self, error)

        def done(saved: int) -> None:
            self.saved_id = saved
            self.accept()

        self._ctx.executor.submit(
            lambda: uow.write(
                self._ctx.shop.sessions, lambda s: editing.save_order(s, order_id, draft, now, base)
            ),
            done,
            failed,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValueError):
            self.show_error(tr_msg(error))
        else:
            show_failure(self, error)
