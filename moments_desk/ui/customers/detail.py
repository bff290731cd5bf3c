"""One customer: her details (editable) and her timeline, newest first."""

from __future__ import annotations

from datetime import date, datetime

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
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.customers.birthdays import Birthday
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.core.shared.money import format_price
from moments_desk.core.shared.tags import split_tags
from moments_desk.core.tracking.timeline import (
    CustomerCard,
    EntryKind,
    Timeline,
    TimelineEntry,
    customer_card,
)
from moments_desk.db.models import CustomerSource, CustomerStage, Gender, Relationship
from moments_desk.ui.context import AppContext
from moments_desk.ui.customers.buyer_photos import BuyerPhotos
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.changes import follow

ENTRY_ROLE = Qt.ItemDataRole.UserRole


def entry_label(kind: EntryKind) -> str:
    names = {
        EntryKind.LIKE: QCoreApplication.translate("CustomerDetail", "Liked"),
        EntryKind.COMMENT: QCoreApplication.translate("CustomerDetail", "Commented"),
        EntryKind.INQUIRY: QCoreApplication.translate("CustomerDetail", "Private chat"),
        EntryKind.NOTE: QCoreApplication.translate("CustomerDetail", "Note"),
        EntryKind.ORDER: QCoreApplication.translate("CustomerDetail", "Order"),
    }
    return names[kind]


class CustomerDetail(QWidget):
    save_requested = Signal(object)  # CustomerDraft
    note_added = Signal(str)
    note_edited = Signal(int, str)
    export_requested = Signal()
    forget_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.customer_id: int | None = None
        self._ctx: AppContext | None = None
        #: the customer as shown, so a save writes only what the seller changed here
        self.base: CustomerDraft | None = None
        self._dirty = False
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.heading = QLabel(QCoreApplication.translate("CustomerDetail", "New customer"))
        self.heading.setObjectName("sectionTitle")
        self.contact = QLabel("")
        self.contact.setObjectName("muted")
        layout.addWidget(self.heading)
        layout.addWidget(self.contact)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(
            self._build_timeline(), QCoreApplication.translate("CustomerDetail", "Timeline")
        )
        # On a 768-pixel-high screen the fields need more height than the tab has: they
        # scroll rather than squash the birthday's boxes to slivers.
        details = QScrollArea()
        details.setWidgetResizable(True)
        details.setFrameShape(QScrollArea.Shape.NoFrame)
        details.setWidget(self._build_form())
        self.tabs.addTab(details, QCoreApplication.translate("CustomerDetail", "Details"))

        actions = QHBoxLayout()
        self.save = QPushButton(QCoreApplication.translate("CustomerDetail", "Save"))
        self.save.setObjectName("primary")
        self.save.setToolTip("Ctrl+S")
        self.save.clicked.connect(self._emit_save)
        self.export = QPushButton(
            QCoreApplication.translate("CustomerDetail", "Export this customer’s data…")
        )
        self.export.clicked.connect(self.export_requested)
        self.forget = QPushButton(QCoreApplication.translate("CustomerDetail", "Delete…"))
        self.forget.setObjectName("danger")
        self.forget.clicked.connect(self.forget_requested)
        actions.addWidget(self.save)
        actions.addStretch(1)
        actions.addWidget(self.export)
        actions.addWidget(self.forget)
        layout.addLayout(actions)
        # Nothing to delete or export until a saved customer is shown.
        self.export.setEnabled(False)
        self.forget.setEnabled(False)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._emit_save)
        self._set_dirty(False)

    # -- building ------------------------------------------------------------------------------

    def _build_timeline(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.timeline = QListWidget()
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.itemDoubleClicked.connect(self._edit_note)
        layout.addWidget(self.timeline, 1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            QCoreApplication.translate(
                "CustomerDetail", "Write what you talked about, e.g. 想要M码，下周到货再联系"
            )
        )
        self.note.setFixedHeight(64)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.add_note = QPushButton(QCoreApplication.translate("CustomerDetail", "Add note"))
        self.add_note.clicked.connect(self._emit_note)
        row.addStretch(1)
        row.addWidget(self.add_note)
        layout.addLayout(row)
        self._editing_note: int | None = None
        return box

    def _build_form(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.account = QComboBox()
        self.nickname = QLineEdit()
        self.remark = QLineEdit()
        self.remark.setPlaceholderText(
            QCoreApplication.translate("CustomerDetail", "备注, e.g. 杭州-李姐")
        )
        self.wechat_id = QLineEdit()
        self.phone = QLineEdit()
        self.gender = QComboBox()
        for value in Gender:
            self.gender.addItem(labels.gender(value), value)
        birthday_row = QHBoxLayout()
        self.has_birthday = QCheckBox()
        self.birth_month = QSpinBox()
        self.birth_month.setRange(1, 12)
        self.birth_month.setSuffix(QCoreApplication.translate("CustomerDetail", " month"))
        self.birth_day = QSpinBox()
        self.birth_day.setRange(1, 31)
        self.birth_day.setSuffix(QCoreApplication.translate("CustomerDetail", " day"))
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, 2100)
        self.birth_year.setSpecialValueText(QCoreApplication.translate("CustomerDetail", "year?"))
        self.lunar = QCheckBox(QCoreApplication.translate("CustomerDetail", "lunar"))
        self.leap = QCheckBox(QCoreApplication.translate("CustomerDetail", "leap month"))
        for widget in (self.has_birthday, self.birth_year, self.birth_month, self.birth_day):
            birthday_row.addWidget(widget)
        birthday_row.addStretch(1)
        # The calendar choice goes on its own line: on one line with the spin boxes the
        # English "month" and "leap month" were cut off in a narrow details pane.
        calendar_row = QHBoxLayout()
        calendar_row.addWidget(self.lunar)
        calendar_row.addWidget(self.leap)
        calendar_row.addStretch(1)
        birthday_box = QVBoxLayout()
        birthday_box.setSpacing(2)
        birthday_box.addLayout(birthday_row)
        birthday_box.addLayout(calendar_row)
        self.city = QLineEdit()
        self.relationship = QComboBox()
        for rel in Relationship:
            self.relationship.addItem(labels.relationship(rel), rel)
        self.stage = QComboBox()
        for stage in CustomerStage:
            self.stage.addItem(labels.customer_stage(stage), stage)
        # Ticked: the seller chose this stage and the ladder leaves it; unticked: the ladder
        # places her from her orders, likes and referrals again on 保存.
        self.stage_by_hand = QCheckBox(QCoreApplication.translate("CustomerDetail", "set by hand"))
        self.stage_by_hand.setToolTip(
            QCoreApplication.translate(
                "CustomerDetail",
                "Untick to let her orders, likes and referrals decide the stage again.",
            )
        )
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stage, 1)
        stage_row.addWidget(self.stage_by_hand)
        self.source = QComboBox()
        for source in CustomerSource:
            self.source.addItem(labels.customer_source(source), source)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(
            QCoreApplication.translate("CustomerDetail", "comma separated")
        )
        consent_row = QHBoxLayout()
        self.consent_note = QLineEdit()
        self.has_consent = QCheckBox()
        self.consent_date = QDateEdit()
        self.consent_date.setCalendarPopup(True)
        self.consent_date.setDisplayFormat("yyyy-MM-dd")
        consent_row.addWidget(self.consent_note, 1)
        consent_row.addWidget(self.has_consent)
        consent_row.addWidget(self.consent_date)
        # Off unless she said yes: only then may the planner quote her praise as 买家秀.
        self.shares_buyer_show = QCheckBox(
            QCoreApplication.translate(
                "CustomerDetail", "She allows her comments and photos to be shown as 买家秀"
            )
        )
        self.shares_buyer_show.setToolTip(
            QCoreApplication.translate(
                "CustomerDetail",
                "Only ticked customers are quoted in 买家秀 drafts, with the name masked"
                " (王*). Unticking removes the drafts quoting her that nobody edited.",
            )
        )
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        form.addRow(QCoreApplication.translate("CustomerDetail", "WeChat account"), self.account)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Nickname"), self.nickname)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Remark name"), self.remark)
        form.addRow(QCoreApplication.translate("CustomerDetail", "WeChat ID"), self.wechat_id)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Phone"), self.phone)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Gender"), self.gender)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Birthday"), birthday_box)
        form.addRow(QCoreApplication.translate("CustomerDetail", "City"), self.city)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Relationship"), self.relationship)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Stage"), stage_row)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Source"), self.source)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Tags"), self.tags)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Marketing consent"), consent_row)
        form.addRow("", self.shares_buyer_show)
        self.photos = BuyerPhotos()
        form.addRow(QCoreApplication.translate("CustomerDetail", "买家秀 photos"), self.photos)
        form.addRow(QCoreApplication.translate("CustomerDetail", "Notes"), self.notes)
        for line in (
            self.nickname,
            self.remark,
            self.wechat_id,
            self.phone,
            self.city,
            self.tags,
            self.consent_note,
        ):
            line.textEdited.connect(self._mark_dirty)
        self.notes.textChanged.connect(self._mark_dirty)
        for combo in (self.account, self.gender, self.relationship, self.stage, self.source):
            combo.currentIndexChanged.connect(self._mark_dirty)
        for spin in (self.birth_month, self.birth_day, self.birth_year):
            spin.valueChanged.connect(self._mark_dirty)
        for check in (
            self.has_birthday,
            self.lunar,
            self.leap,
            self.has_consent,
            self.shares_buyer_show,
        ):
            check.toggled.connect(self._mark_dirty)
        self.stage_by_hand.toggled.connect(self._mark_dirty)
        self.stage.activated.connect(lambda _: self.stage_by_hand.setChecked(True))
        self.consent_date.dateChanged.connect(self._mark_dirty)
        return box

    # -- state ---------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_accounts(self, accounts: list[tuple[int, str]]) -> None:
        current = combos.value(self.account)
        self._loading = True
        self.account.clear()
        for account_id, label in accounts:
            self.account.addItem(label, account_id)
        if current is not None:
            self.account.setCurrentIndex(max(0, combos.find(self.account, current)))
        self._loading = False

    def show_customer(
        self,
        customer_id: int | None,
        draft: CustomerDraft,
        timeline: Timeline | None,
        now: datetime,
    ) -> None:
        self.customer_id = customer_id
        self.base = draft if customer_id is not None else None
        self._loading = True
        self.error.hide()
        self.heading.setText(
            draft.remark
            or draft.nickname
            or QCoreApplication.translate("CustomerDetail", "New customer")
        )
        self.account.setCurrentIndex(max(0, combos.find(self.account, draft.account_id)))
        self.nickname.setText(draft.nickname)
        self.remark.setText(draft.remark)
        self.wechat_id.setText(draft.wechat_id)
        self.phone.setText(draft.phone)
        self.gender.setCurrentIndex(combos.find(self.gender, draft.gender))
        birthday = draft.birthday
        self.has_birthday.setChecked(birthday is not None)
        self.birth_month.setValue(birthday.month if birthday else 1)
        self.birth_day.setValue(birthday.day if birthday else 1)
        self.birth_year.setValue(birthday.year or 0 if birthday else 0)
        self.lunar.setChecked(bool(birthday and birthday.lunar))
        self.leap.setChecked(bool(birthday and birthday.leap_month))
        self.city.setText(draft.city)
        self.relationship.setCurrentIndex(combos.find(self.relationship, draft.relationship))
        self.stage.setCurrentIndex(combos.find(self.stage, draft.stage))
        self.source.setCurrentIndex(combos.find(self.source, draft.source))
        self.tags.setText(", ".join(draft.tags))
        self.consent_note.setText(draft.consent_note)
        self.has_consent.setChecked(draft.consent_date is not None)
        # Ticking "consent" most often records today, so that is where the date starts.
        consent = draft.consent_date or now.astimezone().date()
        self.consent_date.setDate(QDate(consent.year, consent.month, consent.day))
        self.shares_buyer_show.setChecked(draft.shares_buyer_show)
        self.photos.set_customer(customer_id)
        self.notes.setPlainText(draft.notes)
        self._stage_at_load = draft.stage
        self.stage_by_hand.setChecked(draft.stage_set_by_hand)
        self._referred_by = draft.referred_by_id
        self._fill_timeline(timeline, now)
        for widget in (self.export, self.forget, self.add_note, self.note):
            widget.setEnabled(customer_id is not None)
        self._loading = False
        self._set_dirty(False)
        if customer_id is None:
            self.tabs.setCurrentIndex(1)

    def _fill_timeline(self, timeline: Timeline | None, now: datetime) -> None:
        self.timeline.clear()
        if timeline is None:
            self.contact.setText("")
            return
        days = timeline.days_since_contact(now)
        if days is None:
            contact = QCoreApplication.translate("CustomerDetail", "No contact yet")
        elif days == 0:
            contact = QCoreApplication.translate("CustomerDetail", "Last contact today")
        else:
            contact = QCoreApplication.translate(
                "CustomerDetail", "Last contact %Ln day(s) ago", "", days
            )
        self.contact.setText(contact)

        for entry in timeline.entries:
            item = QListWidgetItem(self._entry_text(entry))
            item.setData(ENTRY_ROLE, entry)
            self.timeline.addItem(item)

    @staticmethod
    def _entry_text(entry: TimelineEntry) -> str:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        parts = [f"{when} · {entry_label(entry.kind)}"]
        if entry.kind is EntryKind.ORDER:
            status = labels.order_status(entry.order_status) if entry.order_status else ""
            parts.append(f"{format_price(entry.amount)} {status} {entry.text}".strip())
        elif entry.text:
            parts.append(entry.text)
        if entry.post_text:
            parts.append(
                QCoreApplication.translate("CustomerDetail", "under “{post}”").format(
                    post=entry.post_text
                )
            )
        return "\n".join(parts)

    def _mark_dirty(self, *_: object) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save.setEnabled(dirty)

    def mark_saved(self) -> None:
        self._set_dirty(False)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- staying current -----------------------------------------------------------------------

    def follow_changes(self, ctx: AppContext) -> None:
        """Re-read the customer shown when a write elsewhere touches customers, interactions or
        orders (another page, a core call, another laptop): her fields and her timeline. Edits
        not saved yet are left alone; the seller's save decides."""
        self._ctx = ctx
        self.photos.bind(ctx)
        shown = (Kind.CUSTOMERS, Kind.INTERACTIONS, Kind.ORDERS)
        follow(ctx.changes, self, shown, self._changed)

    def _changed(self, _changes: ChangeSet) -> None:
        ctx, customer_id = self._ctx, self.customer_id
        if ctx is None or customer_id is None or self._dirty:
            return
        now = ctx.clock.now()
        ctx.executor.submit(
            lambda: uow.read(ctx.shop.sessions, lambda s: customer_card(s, customer_id)),
            lambda card: self._refreshed(customer_id, card, now),
            # Deleted meanwhile: the page's list drops her; the panel keeps what it showed.
            lambda _error: None,
        )

    def _refreshed(self, customer_id: int, card: CustomerCard, now: datetime) -> None:
        if customer_id == self.customer_id and not self._dirty:
            self.show_customer(customer_id, card.draft, card.timeline, now)

    # -- reading -------------------------------------------------------------------------------

    def draft(self) -> CustomerDraft:
        birthday = None
        if self.has_birthday.isChecked():
            birthday = Birthday(
                self.birth_month.value(),
                self.birth_day.value(),
                self.birth_year.value() or None,
                self.lunar.isChecked(),
                self.leap.isChecked(),
            )
        consent = self.consent_date.date() if self.has_consent.isChecked() else None
        stage = combos.value(self.stage)
        return CustomerDraft(
            account_id=combos.value(self.account),
            nickname=self.nickname.text(),
            remark=self.remark.text(),
            wechat_id=self.wechat_id.text(),
            phone=self.phone.text(),
            gender=combos.value(self.gender),
            birthday=birthday,
            city=self.city.text(),
            relationship=combos.value(self.relationship),
            stage=stage,
            # Choosing a stage by hand stops the ladder from overriding it until unticked.
            stage_set_by_hand=self.stage_by_hand.isChecked() or stage != self._stage_at_load,
            source=combos.value(self.source),
            referred_by_id=self._referred_by,
            consent_note=self.consent_note.text(),
            consent_date=date(consent.year(), consent.month(), consent.day()) if consent else None,
            shares_buyer_show=self.shares_buyer_show.isChecked(),
            notes=self.notes.toPlainText(),
            tags=split_tags(self.tags.text()),
        )

    def _emit_save(self) -> None:
        if self._dirty and combos.value(self.account) is not None:
            self.error.hide()
            self.save_requested.emit(self.draft())

    def _emit_note(self) -> None:
        text = self.note.toPlainText().strip()
        if not text:
            return
        if self._editing_note is not None:
            self.note_edited.emit(self._editing_note, text)
        else:
            self.note_added.emit(text)
        self._editing_note = None
        self.add_note.setText(QCoreApplication.translate("CustomerDetail", "Add note"))
        self.note.clear()

    def _edit_note(self, item: QListWidgetItem) -> None:
        entry = item.data(ENTRY_ROLE)
        if isinstance(entry, TimelineEntry) and entry.kind is EntryKind.NOTE:
            self._editing_note = entry.ref_id
            self.note.setPlainText(entry.text)
            self.add_note.setText(QCoreApplication.translate("CustomerDetail", "Save note"))
            self.note.setFocus()
