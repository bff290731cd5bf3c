"""The product editor beside the list: fields, ordered pictures, and the actions on one product."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.catalogue.catalogue import (
    MAX_IMAGES,
    ProductDetail,
    ProductDraft,
    get_product,
)
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.core.shared.tags import split_tags
from moments_desk.db.models import ProductStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.changes import follow
from moments_desk.ui.kit.thumbnails import ThumbnailCache
from moments_desk.ui.products.picture_strip import MEDIA_ROLE as MEDIA_ROLE
from moments_desk.ui.products.picture_strip import PATH_ROLE as PATH_ROLE
from moments_desk.ui.products.picture_strip import ImageStrip as ImageStrip
from moments_desk.ui.products.picture_strip import image_files_filter as image_files_filter
from moments_desk.ui.products.variant_grid import VariantGrid


def plain_amount(amount: Decimal) -> str:
    """259.00 → "259", 259.50 → "259.50": how sellers type prices."""
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


class FieldError(ValueError):
    def __init__(self, message: str, widget: QWidget) -> None:
        super().__init__(message)
        self.widget = widget


class ProductEditor(QWidget):
    save_requested = Signal(object)  # ProductDraft
    duplicate_requested = Signal()
    archive_requested = Signal(bool)
    delete_requested = Signal()
    export_requested = Signal()
    add_images_requested = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, thumbnails: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._detail: ProductDetail | None = None
        self._ctx: AppContext | None = None
        self._dirty = False
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("page")
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 12, 18, 12)

        self.heading = QLabel(QCoreApplication.translate("ProductEditor", "New product"))
        self.heading.setObjectName("sectionTitle")
        layout.addWidget(self.heading)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code = QLineEdit()
        self.code.setPlaceholderText("QZ2611-03")
        self.name = QLineEdit()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(
            QCoreApplication.translate("ProductEditor", "e.g. 新品, 百搭 (comma separated)")
        )
        self.price = QLineEdit()
        self.price.setPlaceholderText("¥129")
        self.cost = QLineEdit()
        self.cost.setPlaceholderText(QCoreApplication.translate("ProductEditor", "optional"))
        self.stock = QSpinBox()
        self.stock.setRange(0, 1_000_000)
        self.status = QComboBox()
        for status in ProductStatus:
            self.status.addItem(labels.product_status(status), status)
        arrival_row = QHBoxLayout()
        self.has_arrival = QCheckBox()
        self.arrival = QDateEdit()
        self.arrival.setCalendarPopup(True)
        self.arrival.setDisplayFormat("yyyy-MM-dd")
        self.arrival.setEnabled(False)
        self.has_arrival.toggled.connect(self.arrival.setEnabled)
        arrival_row.addWidget(self.has_arrival)
        arrival_row.addWidget(self.arrival, 1)
        self.selling_points = QPlainTextEdit()
        self.selling_points.setFixedHeight(70)
        self.taobao_url = QLineEdit()
        self.taobao_url.setPlaceholderText("https://item.taobao.com/item.htm?id=…")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(56)

        def row(text: str, widget: QWidget | QHBoxLayout) -> None:
            form.addRow(text, widget)

        row(QCoreApplication.translate("ProductEditor", "Code"), self.code)
        row(QCoreApplication.translate("ProductEditor", "Name"), self.name)
        row(QCoreApplication.translate("ProductEditor", "Category"), self.category)
        row(QCoreApplication.translate("ProductEditor", "Tags"), self.tags)
        row(QCoreApplication.translate("ProductEditor", "Price"), self.price)
        row(QCoreApplication.translate("ProductEditor", "Cost"), self.cost)
        row(QCoreApplication.translate("ProductEditor", "Stock"), self.stock)
        row(QCoreApplication.translate("ProductEditor", "Status"), self.status)
        row(QCoreApplication.translate("ProductEditor", "New arrival"), arrival_row)
        row(QCoreApplication.translate("ProductEditor", "Selling points"), self.selling_points)
        row(QCoreApplication.translate("ProductEditor", "Taobao link"), self.taobao_url)
        row(QCoreApplication.translate("ProductEditor", "Notes"), self.notes)
        layout.addLayout(form)
        self.variants = VariantGrid()
        layout.addWidget(self.variants)

        pictures = QLabel(
            QCoreApplication.translate(
                "ProductEditor", "Pictures (drag to reorder; the first is the cover, at most 9)"
            )
        )
        pictures.setObjectName("muted")
        layout.addWidget(pictures)
        self.images = ImageStrip(thumbnails)
        layout.addWidget(self.images)
        picture_buttons = QHBoxLayout()
        self.add_images = QPushButton(QCoreApplication.translate("ProductEditor", "Add pictures…"))
        self.add_images.clicked.connect(self.add_images_requested)
        self.remove_images = QPushButton(QCoreApplication.translate("ProductEditor", "Remove"))
        self.remove_images.clicked.connect(self.images.remove_selected)
        picture_buttons.addWidget(self.add_images)
        picture_buttons.addWidget(self.remove_images)
        picture_buttons.addStretch(1)
        layout.addLayout(picture_buttons)

        actions = QHBoxLayout()
        self.save = QPushButton(QCoreApplication.translate("ProductEditor", "Save"))
        self.save.setObjectName("primary")
        self.save.setToolTip("Ctrl+S")
        self.save.clicked.connect(self._emit_save)
        self.revert = QPushButton(QCoreApplication.translate("ProductEditor", "Revert"))
        self.revert.clicked.connect(self._revert)
        self.duplicate = QPushButton(QCoreApplication.translate("ProductEditor", "Duplicate"))
        self.duplicate.clicked.connect(self.duplicate_requested)
        self.archive = QPushButton(QCoreApplication.translate("ProductEditor", "Archive"))
        self.archive.clicked.connect(self._emit_archive)
        self.export = QPushButton(
            QCoreApplication.translate("ProductEditor", "Pictures for Moments…")
        )
        self.export.setToolTip(
            QCoreApplication.translate(
                "ProductEditor",
                "Save this product's pictures numbered 1–9, sized and marked as set in Settings",
            )
        )
        self.export.clicked.connect(self.export_requested)
        self.delete = QPushButton(QCoreApplication.translate("ProductEditor", "Delete…"))
        self.delete.setObjectName("danger")
        self.delete.clicked.connect(self.delete_requested)
        # Two rows: six buttons in one row were squeezed until their labels were cut off.
        for button in (self.save, self.revert):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.delete)
        more_actions = QHBoxLayout()
        for button in (self.export, self.duplicate, self.archive):
            more_actions.addWidget(button)
        more_actions.addStretch(1)
        layout.addStretch(1)
        # Outside the scroll area, so Save is always in sight however long the form is.
        actions.setContentsMargins(18, 8, 18, 4)
        more_actions.setContentsMargins(18, 0, 18, 8)
        outer.addLayout(more_actions)
        outer.addLayout(actions)

        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._emit_save)

        for line in (self.code, self.name, self.tags, self.price, self.cost, self.taobao_url):
            line.textEdited.connect(self._mark_dirty)
        for text in (self.selling_points, self.notes):
            text.textChanged.connect(self._mark_dirty)
        self.category.currentTextChanged.connect(self._mark_dirty)
        self.stock.valueChanged.connect(self._mark_dirty)
        self.status.currentIndexChanged.connect(self._mark_dirty)
        self.has_arrival.toggled.connect(self._mark_dirty)
        self.arrival.dateChanged.connect(self._mark_dirty)
        self.images.changed.connect(self._mark_dirty)
        self.variants.changed.connect(self._variants_changed)
        self.images.changed.connect(lambda: self.variants.set_pictures(self.images.media_ids()))
        self.stock.valueChanged.connect(self._seed_stock)
        self.show_new()

    # -- state ---------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def product_id(self) -> int | None:
        return self._detail.id if self._detail else None

    @property
    def detail(self) -> ProductDetail | None:
        return self._detail

    def set_categories(self, categories: list[str]) -> None:
        current = self.category.currentText()
        self._loading = True
        self.category.clear()
        self.category.addItems(categories)
        self.category.setCurrentText(current)
        self._loading = False

    def show_new(self, today: date | None = None) -> None:
        self._detail = None
        self.heading.setText(QCoreApplication.translate("ProductEditor", "New product"))
        draft = ProductDraft(code="", name="", new_arrival_date=today)
        self._fill(draft, [])
        for button in (self.export, self.duplicate, self.archive, self.delete):
            button.setEnabled(False)

    def show_product(self, detail: ProductDetail) -> None:
        self._detail = detail
        self.heading.setText(detail.draft.name)
        self._fill(detail.draft, [(i.media_id, i.rel_path) for i in detail.images])
        for button in (self.duplicate, self.archive, self.delete):
            button.setEnabled(True)
        self.export.setEnabled(bool(detail.images))
        self.archive.setText(
            QCoreApplication.translate("ProductEditor", "Restore")
            if detail.archived
            else QCoreApplication.translate("ProductEditor", "Archive")
        )

    # -- staying current -----------------------------------------------------------------------

    def follow_changes(self, ctx: AppContext) -> None:
        """Re-read the product shown when a write elsewhere touches products or orders (stock
        moves with orders): another page, a core call, another laptop. Edits not saved yet
        are left alone; the seller's save decides."""
        self._ctx = ctx
        follow(ctx.changes, self, (Kind.PRODUCTS, Kind.ORDERS), self._changed)

    def _changed(self, _changes: ChangeSet) -> None:
        ctx, product_id = self._ctx, self.product_id
        if ctx is None or product_id is None or self._dirty:
            return
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: get_product(s, product_id)),
            self._refreshed,
            # Deleted meanwhile: the page's list drops it; the editor keeps what it showed.
            lambda _error: None,
        )

    def _refreshed(self, detail: ProductDetail) -> None:
        if detail.id == self.product_id and not self._dirty and detail != self._detail:
            self.show_product(detail)

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        widget = {
            "code": self.code,
            "name": self.name,
            "price": self.price,
            "cost": self.cost,
            "stock": self.stock,
            "taobao_url": self.taobao_url,
            "images": self.images,
            "tags": self.tags,
            "variants": self.variants,
        }.get(field or "")
        if widget is not None:
            widget.setFocus()

    def add_image(self, media_id: int, rel_path: str) -> bool:
        if self.images.count() >= MAX_IMAGES:
            return False
        self.images.append(media_id, rel_path)
        return True

    def _fill(self, draft: ProductDraft, images: list[tuple[int, str]]) -> None:
        self._loading = True
        self.error.hide()
        self.code.setText(draft.code)
        self.name.setText(draft.name)
        self.category.setCurrentText(draft.category)
        self.tags.setText(", ".join(draft.tags))
        self.price.setText("" if not draft.code else plain_amount(draft.price))
        self.cost.setText("" if draft.cost is None else plain_amount(draft.cost))
        self.stock.setValue(draft.stock)
        self.status.setCurrentIndex(combos.find(self.status, draft.status))
        self.has_arrival.setChecked(draft.new_arrival_date is not None)
        if draft.new_arrival_date is not None:
            d = draft.new_arrival_date
            self.arrival.setDate(QDate(d.year, d.month, d.day))
        self.selling_points.setPlainText(draft.selling_points)
        self.taobao_url.setText(draft.taobao_url)
        self.notes.setPlainText(draft.notes)
        self.images.set_images(images)
        self.variants.seed_stock = draft.stock
        self.variants.set_pictures(self.images.media_ids())
        self.variants.set_variants(list(draft.variants or []))
        self._sync_stock()
        self._loading = False
        self._set_dirty(False)

    def _seed_stock(self, stock: int) -> None:
        if self.variants.is_single():
            self.variants.seed_stock = stock

    def _sync_stock(self) -> None:
        """With sizes or colours the stock is the grid's sum, edited per cell."""
        single = self.variants.is_single()
        self.stock.setEnabled(single)
        if not single:
            self.stock.setValue(self.variants.total_stock())

    def _variants_changed(self) -> None:
        was_loading = self._loading
        self._loading = True
        self._sync_stock()
        self._loading = was_loading
        self._mark_dirty()

    def _mark_dirty(self, *_: object) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self.save.setEnabled(dirty)
        self.revert.setEnabled(dirty and self._detail is not None)

    def mark_saved(self) -> None:
        self._set_dirty(False)

    def _emit_archive(self) -> None:
        archived = self._detail.archived if self._detail is not None else False
        self.archive_requested.emit(not archived)

    def _revert(self) -> None:
        if self._detail is not None:
            self.show_product(self._detail)

    # -- reading the form ----------------------------------------------------------------------

    def draft(self) -> ProductDraft:
        """The form as a draft; raises FieldError naming the widget to fix."""

        def price(widget: QLineEdit, optional: bool) -> Decimal | None:
            try:
                return parse_price(widget.text(), allow_empty=optional)
            except PriceError as error:
                raise FieldError(tr_msg(error), widget) from error

        amount = price(self.price, optional=False)
        assert amount is not None
        try:
            variants = self.variants.drafts()
        except ValueError as error:
            raise FieldError(str(error), self.variants) from error
        arrival = self.arrival.date() if self.has_arrival.isChecked() else None
        return ProductDraft(
            code=self.code.text(),
            name=self.name.text(),
            category=self.category.currentText(),
            tags=split_tags(self.tags.text()),
            price=amount,
            cost=price(self.cost, optional=True),
            stock=self.stock.value(),
            status=combos.value(self.status),
            new_arrival_date=date(arrival.year(), arrival.month(), arrival.day())
            if arrival
            else None,
            selling_points=self.selling_points.toPlainText(),
            taobao_url=self.taobao_url.text(),
            notes=self.notes.toPlainText(),
            image_media_ids=self.images.media_ids(),
            variants=variants,
        )

    def _emit_save(self) -> None:
        if not self._dirty:
            return
        try:
            draft = self.draft()
        except FieldError as error:
            self.error.setText(tr_msg(error))
            self.error.show()
            error.widget.setFocus()
            return
        self.error.hide()
        self.save_requested.emit(draft)
